// Package bench measures motcua against baselines taken in the same run on
// the same machine, because absolute figures on shared machines mean
// little: durable dossier intake through the HTTP API against raw durable
// single-row inserts into the same engine (SQLite, or PostgreSQL when
// Options.Postgres is set), and the public lookup against a minimal
// net/http handler. It is a harness, like cmd: it wires real parts.
package bench

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/web/api"
)

// Options control a run.
type Options struct {
	Dir      string        // scratch folder on the disk to measure (default: a temporary one)
	Duration time.Duration // length of each measurement
	Clients  int           // concurrent clients
	Rounds   int           // interleaved rounds; the median ratio is reported
	// Only runs one pair: "intake" or "lookup" (default both).
	Only string
	// Postgres, if set, is the address of a PostgreSQL database to measure
	// instead of SQLite; the run works in a new schema that it drops at
	// the end.
	Postgres string
	// PGWriters is the store's number of PostgreSQL writers (default:
	// the store's default).
	PGWriters int
	Out       io.Writer
}

// Figure is one measured rate.
type Figure struct {
	Name string
	Rate float64 // operations per second
	Ops  int64
	// CPU is the process CPU time (user + system) per operation, load
	// generator included: steadier than rates on a shared machine.
	CPU time.Duration
	// ServerCPU is, on PostgreSQL, the server's CPU time per operation
	// (0 when not measured: SQLite, or a server on another machine).
	ServerCPU time.Duration
	// PerCommit is, for the intake, the store's transactions per commit
	// during the measurement (the group commit's batch size).
	PerCommit float64
	// Machine is what the machine's cores did meanwhile, when
	// MachineKnown (Linux): a round whose cores were partly stolen by the
	// hypervisor is not comparable with a quiet one.
	Machine      MachineShare
	MachineKnown bool
}

// commitCounter counts the store's commits and the transactions they held
// (it implements sqlstore.Observer).
type commitCounter struct {
	commits, txs atomic.Int64
}

func (c *commitCounter) Commit(engine string, batch int, took time.Duration, err error) {
	if err == nil {
		c.commits.Add(1)
		c.txs.Add(int64(batch))
	}
}

func (c *commitCounter) Retry(engine, reason string) {}

func (c *commitCounter) reset() { c.commits.Store(0); c.txs.Store(0) }

// CommitCounter counts a store's commits and the transactions they held
// (the group commit's batches): give it to the store as its Observer and to
// MixedOptions.Commits.
type CommitCounter struct{ commitCounter }

// Counts returns the commits and the transactions they held so far.
func (c *CommitCounter) Counts() (commits, txs int64) { return c.commits.Load(), c.txs.Load() }

func (c *commitCounter) perCommit() float64 {
	if n := c.commits.Load(); n > 0 {
		return float64(c.txs.Load()) / float64(n)
	}
	return 0
}

// cpuTime returns the CPU time the process has used so far (user and
// system, every thread): on a shared machine a run's wall time is the
// machine's, its CPU its own; 0 if it cannot be read.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measured runs fn and sets the figure's CPU per operation.
func measured(fn func() (Figure, error)) (Figure, error) {
	m0, m0OK := ReadMachineTimes()
	c0 := cpuTime()
	f, err := fn()
	if err == nil && f.Ops > 0 {
		f.CPU = (cpuTime() - c0) / time.Duration(f.Ops)
	}
	if m1, ok := ReadMachineTimes(); ok && m0OK && err == nil {
		f.Machine, f.MachineKnown = m1.Since(m0)
	}
	return f, err
}

// Report is the outcome of a run.
type Report struct {
	Raw, Intake, Minimal, Lookup []Figure
	// Uncached is the lookup with motcua's caches off: every request reads
	// the database. It is reported for information.
	Uncached                                []Figure
	IntakeRatio, LookupRatio, UncachedRatio float64
}

// Disturbed counts the figures measured while more than StealLimit of the
// cores was stolen by the hypervisor (Linux only; elsewhere none is).
func Disturbed(fs ...[]Figure) int {
	n := 0
	for _, f := range fs {
		for _, x := range f {
			if x.MachineKnown && x.Machine.Disturbed() {
				n++
			}
		}
	}
	return n
}

// Run measures both pairs, interleaving baseline and subject in each round.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Duration <= 0 {
		o.Duration = 5 * time.Second
	}
	if o.Clients <= 0 {
		o.Clients = 64
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	commits := &commitCounter{}
	sc, err := openScratch(ctx, o.Dir, o.Postgres, sqlstore.Options{PGWriters: o.PGWriters, Observer: commits})
	if err != nil {
		return nil, err
	}
	defer sc.done()
	dir, store := sc.dir, sc.store
	rawName := "raw single-row durable SQLite inserts"
	raw := func(round int) (Figure, error) {
		return rawInserts(ctx, filepath.Join(dir, fmt.Sprintf("raw-%d.db", round)), o.Clients, o.Duration)
	}
	if o.Postgres != "" {
		rawName = fmt.Sprintf("raw single-row durable PostgreSQL inserts (%d connections)", pgConns)
		raw = func(round int) (Figure, error) { return rawInsertsPG(ctx, sc.dsn, round, o.Clients, o.Duration) }
	}
	fmt.Fprintf(o.Out, "engine: %s\n", store.Engine())
	env, err := start(ctx, store, o.Out)
	if err != nil {
		store.Close()
		return nil, err
	}
	defer env.close()
	minimal, err := startMinimal()
	if err != nil {
		return nil, err
	}
	defer minimal.Close()

	serverCPU := func() time.Duration { return 0 }
	if o.Postgres != "" {
		if f, ok := pgServerTotalCPU(ctx, sc.dsn); ok {
			serverCPU = f
		}
	}
	// withServer is measured, with the server's CPU per operation too.
	withServer := func(fn func() (Figure, error)) (Figure, error) {
		s0 := serverCPU()
		f, err := measured(fn)
		if err == nil && f.Ops > 0 {
			f.ServerCPU = (serverCPU() - s0) / time.Duration(f.Ops)
		}
		return f, err
	}
	if o.Postgres != "" && o.Only != "lookup" {
		if err := warmUpPG(ctx, env, store, o); err != nil {
			return nil, err
		}
	}
	r := &Report{}
	var intakeRatios, lookupRatios, uncachedRatios []float64
	for round := 1; round <= o.Rounds; round++ {
		fmt.Fprintf(o.Out, "round %d/%d\n", round, o.Rounds)
		if o.Only != "lookup" {
			raw, err := withServer(func() (Figure, error) { return raw(round) })
			if err != nil {
				return nil, err
			}
			commits.reset()
			intake, err := withServer(func() (Figure, error) { return env.intake(ctx, o.Clients, o.Duration) })
			if err != nil {
				return nil, err
			}
			intake.PerCommit = commits.perCommit()
			raw.Name, intake.Name = rawName, "durable intake via HTTP API"
			r.Raw, r.Intake = append(r.Raw, raw), append(r.Intake, intake)
			intakeRatios = append(intakeRatios, intake.Rate/raw.Rate)
			fmt.Fprintf(o.Out, "  raw inserts %6.0f/s (%s CPU/op)   intake %6.0f/s (%s CPU/op, %.1f per commit)   ×%.2f\n",
				raw.Rate, us(raw.CPU), intake.Rate, us(intake.CPU), intake.PerCommit, intake.Rate/raw.Rate)
			if raw.ServerCPU > 0 || intake.ServerCPU > 0 {
				fmt.Fprintf(o.Out, "  PostgreSQL server CPU/op: raw %s, intake %s\n", us(raw.ServerCPU), us(intake.ServerCPU))
			}
			if raw.MachineKnown && intake.MachineKnown {
				fmt.Fprintf(o.Out, "  cores stolen by the hypervisor: raw %.1f %%, intake %.1f %%\n", 100*raw.Machine.Steal, 100*intake.Machine.Steal)
			}
		}
		if o.Only != "intake" {
			min, err := measured(func() (Figure, error) {
				return hammer(ctx, o.Clients, o.Duration, func(c *http.Client, _ int) error {
					return get(c, "http://"+minimal.Addr().String()+"/lookup")
				})
			})
			if err != nil {
				return nil, err
			}
			look, err := measured(func() (Figure, error) { return env.lookups(ctx, env.base, o.Clients, o.Duration) })
			if err != nil {
				return nil, err
			}
			unc, err := measured(func() (Figure, error) { return env.lookups(ctx, env.uncachedBase, o.Clients, o.Duration) })
			if err != nil {
				return nil, err
			}
			min.Name, look.Name, unc.Name = "minimal net/http handler", "public lookup via HTTP API", "public lookup, caches off"
			r.Minimal, r.Lookup, r.Uncached = append(r.Minimal, min), append(r.Lookup, look), append(r.Uncached, unc)
			lookupRatios = append(lookupRatios, look.Rate/min.Rate)
			uncachedRatios = append(uncachedRatios, unc.Rate/min.Rate)
			fmt.Fprintf(o.Out, "  minimal     %6.0f/s (%s CPU/op)   lookup %6.0f/s (%s CPU/op)   ×%.2f   (caches off: %6.0f/s, %s CPU/op, ×%.2f)\n",
				min.Rate, us(min.CPU), look.Rate, us(look.CPU), look.Rate/min.Rate, unc.Rate, us(unc.CPU), unc.Rate/min.Rate)
		}
	}
	if len(intakeRatios) > 0 {
		r.IntakeRatio = median(intakeRatios)
	}
	if len(lookupRatios) > 0 {
		r.LookupRatio, r.UncachedRatio = median(lookupRatios), median(uncachedRatios)
	}
	return r, nil
}

func us(d time.Duration) string { return fmt.Sprintf("%dµs", d.Microseconds()) }

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[len(s)/2]
}

// hammer runs fn from n clients for d and returns the rate of successes;
// each client has its own connection (connTransport).
func hammer(ctx context.Context, n int, d time.Duration, fn func(c *http.Client, worker int) error) (Figure, error) {
	var ops atomic.Int64
	var firstErr atomic.Value
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr := &connTransport{}
			defer tr.drop()
			c := &http.Client{Transport: tr}
			for ctx.Err() == nil {
				if err := fn(c, w); err != nil {
					if ctx.Err() == nil {
						firstErr.CompareAndSwap(nil, err)
						cancel()
					}
					return
				}
				ops.Add(1)
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if e, ok := firstErr.Load().(error); ok {
		return Figure{}, e
	}
	return Figure{Rate: float64(ops.Load()) / el.Seconds(), Ops: ops.Load()}, nil
}

func get(c *http.Client, url string) error {
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: status %d", url, resp.StatusCode)
	}
	return err
}

// rawInserts is the intake baseline: n goroutines each inserting one row
// per durable transaction (WAL, synchronous=FULL, the same settings as the
// store) into a fresh database through database/sql, for d. The rows carry
// a payload of the size of a dossier's stored facts.
func rawInserts(ctx context.Context, path string, n int, d time.Duration) (Figure, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)")
	if err != nil {
		return Figure{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // SQLite has one writer; more connections only add lock waits
	if _, err := db.ExecContext(ctx, `CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, payload TEXT NOT NULL, at BIGINT NOT NULL)`); err != nil {
		return Figure{}, err
	}
	return insertRows(ctx, db, n, d, `INSERT INTO t (code, payload, at) VALUES (?, ?, ?)`, "t")
}

// insertRows has n clients insert single rows into table with insert (its
// parameters code, payload, at) for d, each insert its own durable
// transaction, and checks that the table holds every acknowledged row.
func insertRows(ctx context.Context, db *sql.DB, n int, d time.Duration, insert, table string) (Figure, error) {
	payload := strings.Repeat("Hồ sơ đăng ký khai sinh — thành phần, lệ phí, người nộp; ", 24)
	var seq, ops atomic.Int64
	var firstErr atomic.Value
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var wg sync.WaitGroup
	start := time.Now()
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				k := seq.Add(1)
				// Not ctx: the time-out must not cut an insert short.
				if _, err := db.ExecContext(context.Background(), insert, "X-"+strconv.FormatInt(k, 10), payload, time.Now().UnixMilli()); err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				ops.Add(1)
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if e, ok := firstErr.Load().(error); ok {
		return Figure{}, e
	}
	var count int64
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&count); err != nil || count != ops.Load() {
		return Figure{}, fmt.Errorf("raw baseline: %d rows for %d acknowledged inserts (%v)", count, ops.Load(), err)
	}
	return Figure{Rate: float64(ops.Load()) / el.Seconds(), Ops: ops.Load()}, nil
}

// startMinimal serves the lookup baseline: a ServeMux with one route that
// writes a small JSON object.
func startMinimal() (net.Listener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	body := []byte(`{"code":"H99.101-261122-0001","state":"processing"}` + "\n")
	mux.HandleFunc("GET /lookup", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	go http.Serve(ln, mux)
	return ln, nil
}

// env is motcua wired as in production, on loopback.
type env struct {
	db           *sqlstore.DB
	svc          *service.Service
	ln, ln2      net.Listener
	base         string
	uncachedBase string
	token        string
	procID       int64
	pointID      int64
	comps        []service.ComponentInput
	competent    int64
	codes        []string
	verifiers    []string
	keySeq       atomic.Int64
}

func start(ctx context.Context, db *sqlstore.DB, out io.Writer) (*env, error) {
	return startWith(ctx, db, out, nil)
}

// startWith is start with the service's configuration changed by mutate
// (after the demo province is seeded without it).
func startWith(ctx context.Context, db *sqlstore.DB, out io.Writer, mutate func(*service.Config)) (*env, error) {
	if err := db.Migrate(ctx, nil); err != nil {
		return nil, err
	}
	cal, err := calendar.Default()
	if err != nil {
		return nil, err
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
	fmt.Fprintln(out, "seeding the demo province…")
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: password.Default(), Service: cfg, Now: time.Now()}); err != nil {
		return nil, err
	}
	if mutate != nil {
		mutate(&cfg)
	}
	svc := service.New(db, cal, password.Default(), cfg)
	serveOn := func(svc *service.Service) (net.Listener, error) {
		srv, err := web.New(svc, web.Options{})
		if err != nil {
			return nil, err
		}
		api.Register(srv)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		go (&http.Server{Handler: srv}).Serve(ln)
		return ln, nil
	}
	ln, err := serveOn(svc)
	if err != nil {
		return nil, err
	}
	uncached := cfg
	uncached.CacheTTL = -1
	ln2, err := serveOn(service.New(db, cal, password.Default(), uncached))
	if err != nil {
		return nil, err
	}
	e := &env{db: db, svc: svc, ln: ln, ln2: ln2, base: "http://" + ln.Addr().String() + api.Prefix,
		uncachedBase: "http://" + ln2.Addr().String() + api.Prefix}
	if err := e.prepare(ctx, svc); err != nil {
		e.close()
		return nil, err
	}
	return e, nil
}

func (e *env) close() {
	e.ln.Close()
	e.ln2.Close()
	e.db.Close()
}

// prepare signs in as a commune reception officer and picks a procedure.
func (e *env) prepare(ctx context.Context, svc *service.Service) error {
	body, _ := json.Marshal(map[string]string{"username": "motcua.anphu", "password": demo.Password})
	resp, err := http.Post(e.base+"/sessions", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	var lr struct {
		Token string `json:"token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&lr)
	resp.Body.Close()
	if err != nil || lr.Token == "" {
		return fmt.Errorf("bench login: status %d, %v", resp.StatusCode, err)
	}
	e.token = lr.Token
	p, err := svc.ProcedureByCode(ctx, "1.001193") // Đăng ký khai sinh
	if err != nil {
		return err
	}
	e.procID = p.ID
	for _, c := range p.Components {
		if !c.FromNationalDB {
			e.comps = append(e.comps, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	return e.db.Read(ctx, func(tx motcua.Tx) error {
		// The demo dossiers are looked up too (and alone with --only lookup).
		ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 500})
		if err != nil {
			return err
		}
		for _, d := range ds {
			e.codes, e.verifiers = append(e.codes, d.Code), append(e.verifiers, d.Verifier)
		}
		a, err := tx.AgencyByCode(ctx, "H99.101")
		if err != nil {
			return err
		}
		e.competent = a.ID
		points, err := tx.ReceptionPoints(ctx, a.ID)
		if err != nil || len(points) == 0 {
			return fmt.Errorf("bench: no reception point (%v)", err)
		}
		e.pointID = points[0].ID
		return nil
	})
}

// intake posts new dossiers, each with its own idempotency key; a dossier
// counts when the API acknowledged it (201).
func (e *env) intake(ctx context.Context, n int, d time.Duration) (Figure, error) {
	return hammer(ctx, n, d, func(c *http.Client, w int) error { return e.receiveOne(ctx, c, w) })
}

// receiveOne receives one dossier through the API as client w.
func (e *env) receiveOne(ctx context.Context, c *http.Client, w int) error {
	k := e.keySeq.Add(1)
	in := service.NewDossier{ProcedureID: e.procID, ReceptionPointID: e.pointID, CompetentAgencyID: e.competent,
		Channel: motcua.ChannelCounter, Components: e.comps,
		Applicant: motcua.Applicant{FullName: "Nguyễn Văn Bình " + strconv.FormatInt(k, 10), IDNumber: fmt.Sprintf("089%09d", k%1e9),
			Phone: fmt.Sprintf("09%08d", k%1e8), Address: "Ấp Trung, xã An Phú"}}
	body, _ := json.Marshal(in)
	req, _ := http.NewRequestWithContext(ctx, "POST", e.base+"/dossiers", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+e.token)
	req.Header.Set("Idempotency-Key", "bench-"+strconv.FormatInt(k, 10))
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated || err != nil {
		return fmt.Errorf("intake: status %d (%v): %s", resp.StatusCode, err, b)
	}
	// The load generator only needs the code, the first field of the
	// answer; parsing the whole dossier would be its own cost, not
	// motcua's.
	code, ok := codeOf(b)
	if !ok {
		return fmt.Errorf("intake: no code in %s", b)
	}
	if w == 0 && len(e.codes) < 1000 {
		e.codes = append(e.codes, code)
		e.verifiers = append(e.verifiers, motcua.VerifierFor(in.Applicant))
	}
	return nil
}

// codeOf extracts "code" from the start of a dossier's JSON.
func codeOf(b []byte) (string, bool) {
	const key = `{"code":"`
	if !bytes.HasPrefix(b, []byte(key)) {
		return "", false
	}
	rest := b[len(key):]
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return "", false
	}
	return string(rest[:end]), true
}

// lookups queries dossiers made during intake, at random, on the server at
// base.
func (e *env) lookups(ctx context.Context, base string, n int, d time.Duration) (Figure, error) {
	if len(e.codes) == 0 {
		return Figure{}, fmt.Errorf("lookup: no dossier to look up")
	}
	return hammer(ctx, n, d, func(c *http.Client, _ int) error {
		i := rand.IntN(len(e.codes))
		return get(c, base+"/lookup?code="+e.codes[i]+"&verifier="+e.verifiers[i])
	})
}
