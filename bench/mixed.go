package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// The mixed staff workload: what a province's officers do at eight in the
// morning, all at once, on the province's own database, through the
// application's real handler (pages, API, PDF) with real sessions.
//
// Each of N sessions belongs to one of the demo province's officers (the
// accounts are shared: an officer may have several sessions, as with
// several browser tabs or machines) and loops without pause over
// operations drawn in the proportions of its role (mixWeights): the inbox
// page, the inbox with a filter, the page of a dossier of its inbox,
// actions on those dossiers through the lifecycle (the JSON of the dossier
// first, for the actions allowed, then the action), counter receptions
// with the printed receipt (PDF), report pages, and citizens' lookups of
// dossiers by code and verifier. Nothing is simulated: every operation is
// an HTTP request to the handler cmd/motcua serves, and the writes are
// committed in the database.
//
// Baselines in the same run: the throughput of a minimal net/http handler
// with as many clients, and the latency of each kind of operation from a
// single client, operations one after another. At the end every dossier
// the workload received or moved is read back from the store: its number
// of events and state must be those of the last answer the workload got
// for it.

// MixedOptions control a mixed run.
type MixedOptions struct {
	Store    *sqlstore.DB // the province (already migrated and filled)
	Handler  http.Handler // the application as served (cmd/motcua's)
	Sessions int
	Duration time.Duration
	// Solo is the length of the single-client latency baseline.
	Solo time.Duration
	// Without names kinds left out of the mix (by their short names in
	// KindNames), to see what the others do alone.
	Without []string
	Out     io.Writer
	// Profile, if set, is called just before the concurrent run and the
	// function it returns just after (a CPU profile of the workload
	// alone, without the sign-ins and baselines).
	Profile func() (stop func())
	// Rate, if positive, paces the concurrent run: the sessions together
	// offer about Rate requests per second at random times (officers
	// think between clicks), and latencies count from when each request
	// was due. Zero: every session sends its next request as soon as the
	// last is answered (a closed loop, which measures capacity; its
	// latencies are sessions ÷ throughput by Little's law).
	Rate float64
	// Tail, if set, times each request of the concurrent run at every
	// step and prints what the slowest waited for (TailProbe); it should
	// also be the store's Observer, to see the commits.
	Tail *TailProbe
	// ServerCPU, if set, reports the CPU used so far by the database
	// server (PGServerCPU), for its share per operation.
	ServerCPU func() time.Duration
	// Commits, if set, is the store's observer: the group commit's
	// batches of the concurrent run are reported.
	Commits *CommitCounter
	// Warmup, if positive, is how long the sessions run the same
	// workload just before the measured run, not counted in it. A step
	// from no load to the full rate is slow for its first 0.2–0.7 s,
	// handlers taking ten times their later time (the heap given back
	// before the run grows again, the load generator's connections
	// open): in a 20 s run that is 2–4 % of the requests, more than the
	// 1 % a p99 leaves out, so the start alone made the p99. Its own
	// latencies are reported apart (MixedReport.Warmup), so that the
	// cold start stays visible.
	Warmup time.Duration
}

// KindNames maps the short names of the kinds (for Without) to the names
// printed.
var KindNames = map[string]string{"inbox": kInbox, "filter": kInboxFilter, "page": kDossierPage, "json": kDossierJSON,
	"action": kAction, "reception": kReception, "receipt": kReceipt, "report": kReport, "lookup": kLookup}

// Kind figures of a mixed run, per kind of operation.
type KindFigure struct {
	Kind      string
	Ops       int64 // answered as expected (2xx)
	Conflicts int64 // 409: another session changed the dossier first
	Refused   int64 // 4xx other than 409: not possible in the dossier's state
	P50, P99  time.Duration
	// SoloP50 and SoloP99 are the single-client baseline's.
	SoloP50, SoloP99 time.Duration
}

// MixedReport is the outcome of a mixed run.
type MixedReport struct {
	Sessions    int
	Offered     float64 // requests per second offered when paced (0: closed loop)
	Rate        float64 // operations per second, every kind
	MinimalRate float64 // the minimal handler, same number of clients
	Kinds       []KindFigure
	// Warmup is the uncounted run before the measured one
	// (MixedOptions.Warmup): its length, operations and the p99 and
	// slowest of every kind together.
	Warmup                   time.Duration
	WarmupOps                int64
	WarmupP99, WarmupSlowest time.Duration
	// PeakRSS is the process's resident memory high-water mark during the
	// concurrent run and its warm-up (load generator included), in bytes.
	PeakRSS int64
	// Checked is how many dossiers were read back at the end; all of
	// them matched (a mismatch fails the run).
	Checked int
	// CPU is the process's CPU time (user + system, load generator
	// included, a PostgreSQL server's not) per operation of the
	// concurrent run: steadier than rates on a shared machine.
	CPU time.Duration
	// ServerCPU is the database server's CPU per operation of the
	// concurrent run (PostgreSQL on this machine; 0 when unknown).
	ServerCPU time.Duration
	// Pool is what the store's PostgreSQL connection pool did during
	// the concurrent run: the most connections it may open, how often a
	// statement waited for one, and how long in all.
	PoolMax   int
	PoolWaits int64
	PoolWait  time.Duration
	// PoolWaitPerOp is PoolWait per operation of the concurrent run.
	PoolWaitPerOp time.Duration
	// Commits and CommitTxs count the group commits of the concurrent
	// run and the write transactions they held (Options.Commits).
	Commits, CommitTxs int64
	// Machine is what the machine's cores did during the concurrent run
	// (busy, idle, stolen by the hypervisor), when MachineKnown (Linux).
	Machine      MachineShare
	MachineKnown bool
}

// Kinds of operations.
const (
	kInbox       = "inbox page"
	kInboxFilter = "inbox, filtered"
	kDossierPage = "dossier page"
	kDossierJSON = "dossier (API)"
	kAction      = "action"
	kReception   = "counter reception"
	kReceipt     = "receipt PDF"
	kReport      = "report 06a page"
	kLookup      = "citizen lookup"
)

var kindOrder = []string{kInbox, kInboxFilter, kDossierPage, kDossierJSON, kAction, kReception, kReceipt, kReport, kLookup}

// mixWeights are the proportions of the operations a session starts, by
// role (an action and a reception each add a second request: the dossier's
// JSON before, the receipt after). Officers mostly read their inbox and
// dossiers; a reception officer receives at the counter; heads and leaders
// open the report page now and then (it is computed from the dossiers:
// about one request in 150); about one request in six is a citizen's
// lookup.
var mixWeights = map[motcua.Role][]struct {
	kind string
	w    int
}{
	motcua.RoleReception:  {{kInbox, 25}, {kInboxFilter, 10}, {kDossierPage, 20}, {kAction, 12}, {kReception, 15}, {kLookup, 18}},
	motcua.RoleSpecialist: {{kInbox, 30}, {kInboxFilter, 10}, {kDossierPage, 28}, {kAction, 15}, {kLookup, 17}},
	motcua.RoleHead:       {{kInbox, 30}, {kInboxFilter, 10}, {kDossierPage, 25}, {kAction, 15}, {kReport, 1}, {kLookup, 17}},
	motcua.RoleLeader:     {{kInbox, 30}, {kInboxFilter, 10}, {kDossierPage, 25}, {kAction, 15}, {kReport, 1}, {kLookup, 17}},
	motcua.RoleSupervisor: {{kInbox, 35}, {kDossierPage, 30}, {kReport, 5}, {kLookup, 25}},
}

// intakeTemplate is what a reception officer's counter receives: a
// procedure its agency received before, with its components.
type intakeTemplate struct {
	procID, pointID, competent int64
	comps                      []service.ComponentInput
}

// session is one signed-in officer.
type session struct {
	token       string
	role        motcua.Role
	specialists []int64 // of the officer's agency (for assign)
	intake      *intakeTemplate
	codes       []string // of the last inbox page
}

// mixed is a running mixed workload.
type mixed struct {
	base     string
	client   *http.Client // for the sign-ins; each worker has its own connection
	sessions []*session
	lookups  [][2]string // code, verifier
	seq      atomic.Int64
	runID    string // this run's mark, in idempotency keys
	without  map[string]bool
	mu       sync.Mutex
	moved    map[string][2]int // code → (events, index of state in states)
	states   []motcua.State
	stateIdx map[motcua.State]int
	tail     *TailProbe
}

// RunMixed runs the mixed workload.
func RunMixed(ctx context.Context, o MixedOptions) (*MixedReport, error) {
	if o.Sessions <= 0 {
		o.Sessions = 64
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	if o.Solo <= 0 {
		o.Solo = 10 * time.Second
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	h := o.Handler
	if o.Tail != nil {
		h = o.Tail.wrap(h)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	defer srv.Close()
	minimal, err := startMinimal()
	if err != nil {
		return nil, err
	}
	defer minimal.Close()
	tr := &http.Transport{MaxIdleConns: o.Sessions + 8, MaxIdleConnsPerHost: o.Sessions + 8, MaxConnsPerHost: o.Sessions + 8, DisableCompression: true}
	defer tr.CloseIdleConnections()
	m := &mixed{base: "http://" + ln.Addr().String(), client: &http.Client{Transport: tr, Timeout: time.Minute},
		moved: map[string][2]int{}, stateIdx: map[motcua.State]int{},
		runID: strconv.FormatInt(time.Now().UnixNano(), 36), tail: o.Tail}
	m.without = map[string]bool{}
	for _, w := range o.Without {
		k, ok := KindNames[w]
		if !ok {
			return nil, fmt.Errorf("mixed: no kind %q to leave out", w)
		}
		m.without[k] = true
	}
	if err := m.prepare(ctx, o); err != nil {
		return nil, err
	}
	r := &MixedReport{Sessions: o.Sessions, Offered: o.Rate}

	fmt.Fprintf(o.Out, "single-client baseline (%s, every kind in turn)…\n", o.Solo)
	solo, _, err := m.run(ctx, 1, o.Solo, true, 0)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(o.Out, "minimal handler, %d clients…\n", o.Sessions)
	min, err := hammer(ctx, o.Sessions, o.Duration, func(c *http.Client, _ int) error {
		return get(c, "http://"+minimal.Addr().String()+"/lookup")
	})
	if err != nil {
		return nil, err
	}
	r.MinimalRate = min.Rate
	fmt.Fprintf(o.Out, "mixed workload, %d sessions, %s…\n", o.Sessions, o.Duration)
	// What the sign-ins (Argon2 takes tens of MB each) and the baselines
	// left is given back first: the peak is the workload's.
	debug.FreeOSMemory()
	resetPeakRSS()
	if o.Warmup > 0 {
		fmt.Fprintf(o.Out, "warm-up, %d sessions, %s, not counted…\n", o.Sessions, o.Warmup)
		warm, _, err := m.run(ctx, o.Sessions, o.Warmup, false, o.Rate)
		if err != nil {
			return nil, err
		}
		var all []time.Duration
		for _, k := range warm {
			all = append(all, k.lat...)
		}
		r.Warmup, r.WarmupOps = o.Warmup, int64(len(all))
		r.WarmupP99, r.WarmupSlowest = pct(all, 99), pct(all, 100)
	}
	stop := func() {}
	if o.Profile != nil {
		stop = o.Profile()
	}
	if o.Tail != nil {
		o.Tail.start()
		defer o.Tail.stopTicking()
	}
	var srv0, srv1 time.Duration
	if o.ServerCPU != nil {
		srv0 = o.ServerCPU()
	}
	pool0 := o.Store.PoolStats()
	var commits0, txs0 int64
	if o.Commits != nil {
		commits0, txs0 = o.Commits.Counts()
	}
	mach0, mach0OK := ReadMachineTimes()
	c0 := cpuTime()
	load, el, err := m.run(ctx, o.Sessions, o.Duration, false, o.Rate)
	cpu := cpuTime() - c0
	if mach1, ok := ReadMachineTimes(); ok && mach0OK {
		r.Machine, r.MachineKnown = mach1.Since(mach0)
	}
	if o.ServerCPU != nil {
		srv1 = o.ServerCPU()
	}
	pool1 := o.Store.PoolStats()
	if o.Commits != nil {
		c, t := o.Commits.Counts()
		r.Commits, r.CommitTxs = c-commits0, t-txs0
	}
	r.PoolMax, r.PoolWaits, r.PoolWait = pool1.MaxOpenConnections, pool1.WaitCount-pool0.WaitCount, pool1.WaitDuration-pool0.WaitDuration
	stop()
	if err != nil {
		return nil, err
	}
	if o.Tail != nil {
		var reqs []reqRec
		for _, s := range load {
			reqs = append(reqs, s.reqs...)
		}
		o.Tail.report(o.Out, reqs)
	}
	r.PeakRSS = peakRSS()
	var total int64
	for _, k := range kindOrder {
		l, s := load[k], solo[k]
		if l == nil && s == nil {
			continue
		}
		f := KindFigure{Kind: k}
		if l != nil {
			f.Ops, f.Conflicts, f.Refused = int64(len(l.lat)), l.conflicts, l.refused
			f.P50, f.P99 = pct(l.lat, 50), pct(l.lat, 99)
			total += f.Ops + f.Conflicts + f.Refused
		}
		if s != nil {
			f.SoloP50, f.SoloP99 = pct(s.lat, 50), pct(s.lat, 99)
		}
		r.Kinds = append(r.Kinds, f)
	}
	r.Rate = float64(total) / el.Seconds()
	if total > 0 {
		r.CPU = cpu / time.Duration(total)
		r.ServerCPU = (srv1 - srv0) / time.Duration(total)
		r.PoolWaitPerOp = r.PoolWait / time.Duration(total)
	}
	if r.Checked, err = m.check(ctx, o.Store); err != nil {
		return nil, err
	}
	return r, nil
}

// prepare signs the sessions in and samples the dossiers citizens look up.
func (m *mixed) prepare(ctx context.Context, o MixedOptions) error {
	type account struct {
		username string
		role     motcua.Role
	}
	var accounts []account
	for _, a := range demo.Accounts() {
		if _, ok := mixWeights[a.Role]; ok {
			accounts = append(accounts, account{a.Username, a.Role})
		}
	}
	if len(accounts) == 0 {
		return fmt.Errorf("mixed: no officer account")
	}
	// Per officer: its agency's specialists and its counter's intake.
	type extra struct {
		specialists []int64
		intake      *intakeTemplate
	}
	extras := map[string]*extra{}
	err := o.Store.Read(ctx, func(tx motcua.Tx) error {
		for _, a := range accounts {
			u, err := tx.UserByUsername(ctx, a.username)
			if err != nil {
				return fmt.Errorf("mixed: account %s: %w (is this a demo province? fill it with motcua demo --dossiers N --no-serve)", a.username, err)
			}
			x := &extra{}
			extras[a.username] = x
			var agency int64
			for _, g := range u.Grants {
				if g.Role == a.role {
					agency = g.AgencyID
				}
			}
			sp, err := tx.Users(ctx, motcua.UserFilter{AgencyID: agency, Role: motcua.RoleSpecialist})
			if err != nil {
				return err
			}
			for _, s := range sp {
				x.specialists = append(x.specialists, s.ID)
			}
			if a.role != motcua.RoleReception {
				continue
			}
			ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{InvolvedAgencyIDs: []int64{agency}, Channel: motcua.ChannelCounter, Limit: 20})
			if err != nil {
				return err
			}
			for _, d := range ds {
				if d.ReceptionAgencyID != agency {
					continue
				}
				p, err := tx.Procedure(ctx, d.ProcedureID)
				if err != nil || !p.Published {
					continue
				}
				t := &intakeTemplate{procID: p.ID, pointID: d.ReceptionPointID, competent: d.CompetentAgencyID}
				for _, c := range p.Components {
					if !c.FromNationalDB {
						t.comps = append(t.comps, service.ComponentInput{ComponentID: c.ID, Provided: true})
					}
				}
				x.intake = t
				break
			}
		}
		ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 2000})
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.Verifier != "" {
				m.lookups = append(m.lookups, [2]string{d.Code, d.Verifier})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(m.lookups) == 0 {
		return fmt.Errorf("mixed: no dossier to look up")
	}
	fmt.Fprintf(o.Out, "signing in %d sessions of %d officers…\n", o.Sessions, len(accounts))
	m.sessions = make([]*session, o.Sessions)
	var wg sync.WaitGroup
	errs := make(chan error, o.Sessions)
	sem := make(chan struct{}, 4)
	for i := range o.Sessions {
		a := accounts[i%len(accounts)]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			tok, err := m.login(ctx, a.username)
			if err != nil {
				errs <- err
				return
			}
			x := extras[a.username]
			m.sessions[i] = &session{token: tok, role: a.role, specialists: x.specialists, intake: x.intake}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

func (m *mixed) login(ctx context.Context, username string) (string, error) {
	body, _ := json.Marshal(map[string]string{"username": username, "password": demo.Password})
	req, _ := http.NewRequestWithContext(ctx, "POST", m.base+"/api/v1/sessions", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := m.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var lr struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&lr); err != nil || lr.Token == "" {
		return "", fmt.Errorf("mixed: sign-in of %s: status %d, %v", username, resp.StatusCode, err)
	}
	return lr.Token, nil
}

// kindStats are one kind's outcomes in one worker.
type kindStats struct {
	lat                []time.Duration
	conflicts, refused int64
	reqs               []reqRec // with a TailProbe, in the concurrent run
}

// workerRes is what one worker records: its outcomes by kind and, when
// paced, when its next request is due.
type workerRes struct {
	stats map[string]*kindStats
	// gap is the mean time between two requests of a paced session
	// (zero: not paced); next is when its next request is due, end when
	// the run stops offering any.
	gap       float64
	next, end time.Time
	rng       *rand.Rand
	// client is the worker's own connection (connTransport).
	client *http.Client
	// probed: the requests are timed for the TailProbe.
	probed bool
}

// errPaceEnd ends a paced session's operations at the end of the run.
var errPaceEnd = errors.New("mixed: the paced run is over")

// due waits until the session's next request is due and returns when it
// was due, drawing the one after (exponential gaps: Poisson arrivals).
func (r *workerRes) due() (time.Time, error) {
	if !r.next.Before(r.end) {
		return time.Time{}, errPaceEnd
	}
	if wait := time.Until(r.next); wait > 0 {
		time.Sleep(wait)
	}
	due := r.next
	r.next = r.next.Add(expGap(r.rng, r.gap))
	return due, nil
}

// expGap draws the time to a paced session's next request: exponential
// with a mean of gap seconds (Poisson arrivals, without memory).
func expGap(rng *rand.Rand, gap float64) time.Duration {
	return time.Duration(rng.ExpFloat64() * gap * float64(time.Second))
}

// run runs n workers for d. With solo (n = 1), the kinds are taken in
// turn rather than by weight, so that each has its baseline, and each is
// tried at least once even after d. With rate > 0 (and not solo) the
// workers are paced: each session sends its requests at random
// (Poisson) times so that the n sessions together offer about rate
// requests per second, and a request's latency counts from when it was
// due, so that a server falling behind shows in the figures rather than
// slowing the offered load. It returns the outcomes by kind and the time
// it took.
func (m *mixed) run(ctx context.Context, n int, d time.Duration, solo bool, rate float64) (map[string]*kindStats, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	results := make([]map[string]*kindStats, n)
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	end := start.Add(d)
	for w := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			tr := &connTransport{}
			defer tr.drop()
			res := &workerRes{stats: map[string]*kindStats{}, rng: rng, end: end, probed: m.tail != nil && !solo,
				client: &http.Client{Transport: tr}}
			results[w] = res.stats
			s := m.sessions[w%len(m.sessions)]
			if !solo && m.idle(s.role) {
				// Every kind its role does is left out (--without): it
				// would only draw kinds to skip, holding a core.
				return
			}
			if rate > 0 && !solo {
				// Each of the n sessions offers rate/n requests per
				// second. The first is due after an exponential time
				// too, as if the session had been clicking before the
				// run: the gaps have no memory, so the run starts at
				// its rate. (A first request at a uniform time within
				// one mean gap put all n of them in its first half,
				// twice the rate.)
				res.gap = float64(n) / rate
				res.next = start.Add(expGap(rng, res.gap))
			}
			// Alone, every kind is tried at least once however long
			// it takes (a slow machine, the race detector).
			for i := 0; ctx.Err() == nil || solo && i < len(kindOrder); i++ {
				kind := ""
				if solo {
					kind = kindOrder[i%len(kindOrder)]
					if s = m.sessionFor(kind, i); s == nil {
						continue
					}
				} else {
					kind = pick(rng, s.role)
				}
				if m.without[kind] {
					continue
				}
				if err := m.do(s, kind, rng, res); err != nil {
					if errors.Is(err, errPaceEnd) {
						return
					}
					if ctx.Err() == nil {
						firstErr.CompareAndSwap(nil, err)
						cancel()
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if e, ok := firstErr.Load().(error); ok {
		return nil, 0, e
	}
	out := map[string]*kindStats{}
	for _, res := range results {
		for k, s := range res {
			o := out[k]
			if o == nil {
				o = &kindStats{}
				out[k] = o
			}
			o.lat = append(o.lat, s.lat...)
			o.reqs = append(o.reqs, s.reqs...)
			o.conflicts += s.conflicts
			o.refused += s.refused
		}
	}
	return out, el, nil
}

// idle reports whether every kind role does is left out of the run.
func (m *mixed) idle(role motcua.Role) bool {
	for _, x := range mixWeights[role] {
		if !m.without[x.kind] {
			return false
		}
	}
	return true
}

// sessionFor returns a session whose role does kind (the i-th of them).
func (m *mixed) sessionFor(kind string, i int) *session {
	var fit []*session
	for _, s := range m.sessions {
		for _, x := range mixWeights[s.role] {
			if x.kind == kind || (kind == kDossierJSON || kind == kReceipt) && x.kind == kAction && s.role == motcua.RoleReception {
				fit = append(fit, s)
				break
			}
		}
	}
	if len(fit) == 0 {
		return nil
	}
	return fit[i%len(fit)]
}

// pick draws a kind for a session of role.
func pick(rng *rand.Rand, role motcua.Role) string {
	ws := mixWeights[role]
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := rng.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.kind
		}
		n -= x.w
	}
	return ws[0].kind
}

// inboxCodes appends to codes the dossier codes an inbox page links to
// (href="/ho-so/CODE"): a plain scan, the regular expression it replaces
// cost the load generator as much CPU as some of the requests it timed.
func inboxCodes(codes []string, page []byte) []string {
	const link = `href="/ho-so/`
	for {
		i := bytes.Index(page, []byte(link))
		if i < 0 {
			return codes
		}
		page = page[i+len(link):]
		j := bytes.IndexAny(page, `"/?`)
		if j < 0 {
			return codes
		}
		if page[j] == '"' && j > 0 {
			codes = append(codes, string(page[:j]))
		}
		page = page[j:]
	}
}

var filterStates = []motcua.State{motcua.StateReceived, motcua.StateProcessing, motcua.StateApproved, motcua.StateResultReady}

// do runs one operation of kind as s, recording its outcome in res; an
// error is an answer the workload did not expect (a failure of the run).
func (m *mixed) do(s *session, kind string, rng *rand.Rand, res *workerRes) error {
	switch kind {
	case kInbox:
		b, err := m.timed(res, kInbox, s, "GET", "/hop-thu", nil, http.StatusOK)
		if err == nil {
			s.codes = inboxCodes(s.codes[:0], b)
		}
		return err
	case kInboxFilter:
		q := "/hop-thu?trang-thai=" + string(filterStates[rng.IntN(len(filterStates))])
		if rng.IntN(2) == 0 {
			q = "/hop-thu?cua-toi=1"
		}
		_, err := m.timed(res, kInboxFilter, s, "GET", q, nil, http.StatusOK)
		return err
	case kDossierPage:
		if len(s.codes) == 0 {
			// A fresh session opens its inbox first.
			if err := m.do(s, kInbox, rng, res); err != nil || len(s.codes) == 0 {
				return err
			}
		}
		_, err := m.timed(res, kDossierPage, s, "GET", "/ho-so/"+s.codes[rng.IntN(len(s.codes))], nil, http.StatusOK)
		return err
	case kDossierJSON, kAction:
		if len(s.codes) == 0 {
			if err := m.do(s, kInbox, rng, res); err != nil || len(s.codes) == 0 {
				return err
			}
		}
		return m.act(s, s.codes[rng.IntN(len(s.codes))], rng, res)
	case kReception, kReceipt:
		if s.intake == nil {
			return m.do(s, kInbox, rng, res)
		}
		return m.receive(s, res)
	case kReport:
		_, err := m.timed(res, kReport, s, "GET", "/bao-cao/06a", nil, http.StatusOK)
		return err
	case kLookup:
		l := m.lookups[rng.IntN(len(m.lookups))]
		b, err := m.timed(res, kLookup, nil, "GET", "/tra-cuu?ma="+url.QueryEscape(l[0])+"&so="+url.QueryEscape(l[1]), nil, http.StatusOK)
		if err == nil && !bytes.Contains(b, []byte(l[0])) {
			return fmt.Errorf("mixed: the lookup of %s did not show it", l[0])
		}
		return err
	}
	return fmt.Errorf("mixed: unknown kind %q", kind)
}

// dossierAnswer is the part of a dossier's JSON the workload reads.
type dossierAnswer struct {
	Code   string `json:"code"`
	Status struct {
		State      motcua.State `json:"state"`
		EventCount int          `json:"event_count"`
	} `json:"status"`
	AllowedActions []motcua.Action `json:"allowed_actions"`
}

// actions the workload takes, with what they need.
var workActions = map[motcua.Action]bool{motcua.ActTransfer: true, motcua.ActAssign: true, motcua.ActForward: true,
	motcua.ActApprove: true, motcua.ActIssueResult: true, motcua.ActReturn: true, motcua.ActReceive: true}

// act opens a dossier's JSON and takes one of the allowed actions.
func (m *mixed) act(s *session, code string, rng *rand.Rand, res *workerRes) error {
	b, err := m.timed(res, kDossierJSON, s, "GET", "/api/v1/dossiers/"+url.PathEscape(code), nil, http.StatusOK)
	if err != nil {
		return err
	}
	var d dossierAnswer
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("mixed: dossier %s: %w", code, err)
	}
	var can []motcua.Action
	for _, a := range d.AllowedActions {
		if workActions[a] && (a != motcua.ActAssign || len(s.specialists) > 0) {
			can = append(can, a)
		}
	}
	if len(can) == 0 {
		return nil // nothing this workload does: the officer only read it
	}
	a := can[rng.IntN(len(can))]
	in := map[string]any{}
	switch a {
	case motcua.ActAssign:
		in["assignee_id"] = s.specialists[rng.IntN(len(s.specialists))]
	case motcua.ActIssueResult:
		in["result_number"] = "KQ-" + strconv.FormatInt(m.seq.Add(1), 10) + "/BENCH"
	}
	body, _ := json.Marshal(in)
	b, err = m.timed(res, kAction, s, "POST", "/api/v1/dossiers/"+url.PathEscape(code)+"/actions/"+string(a), body, http.StatusOK)
	if err != nil || b == nil {
		return err
	}
	return m.moved1(b)
}

// receive receives a dossier at the counter and prints its receipt.
func (m *mixed) receive(s *session, res *workerRes) error {
	k := m.seq.Add(1)
	in := service.NewDossier{ProcedureID: s.intake.procID, ReceptionPointID: s.intake.pointID, CompetentAgencyID: s.intake.competent,
		Channel: motcua.ChannelCounter, Components: s.intake.comps,
		Applicant: motcua.Applicant{FullName: "Trần Thị Bích " + strconv.FormatInt(k, 10), IDNumber: fmt.Sprintf("079%09d", k%1e9),
			Phone: fmt.Sprintf("09%08d", k%1e8), Address: "Số 12, ấp Chợ"}}
	body, _ := json.Marshal(in)
	b, err := m.timed(res, kReception, s, "POST", "/api/v1/dossiers", body, http.StatusCreated)
	if err != nil || b == nil {
		return err
	}
	if err := m.moved1(b); err != nil {
		return err
	}
	code, _ := codeOf(b)
	if m.without[kReceipt] {
		return nil
	}
	pdf, err := m.timed(res, kReceipt, s, "GET", "/ho-so/"+url.PathEscape(code)+"/in/receipt", nil, http.StatusOK)
	if err == nil && !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		return fmt.Errorf("mixed: the receipt of %s is not a PDF", code)
	}
	return err
}

// moved1 records the dossier an answer of a write describes.
func (m *mixed) moved1(b []byte) error {
	var d dossierAnswer
	if err := json.Unmarshal(b, &d); err != nil || d.Code == "" {
		return fmt.Errorf("mixed: unreadable answer to a write (%v): %.200s", err, b)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	i, ok := m.stateIdx[d.Status.State]
	if !ok {
		i = len(m.states)
		m.states = append(m.states, d.Status.State)
		m.stateIdx[d.Status.State] = i
	}
	if prev, ok := m.moved[d.Code]; !ok || prev[0] < d.Status.EventCount {
		m.moved[d.Code] = [2]int{d.Status.EventCount, i}
	}
	return nil
}

// timed sends a request as session s (nil: a citizen, no session) and
// records its latency under kind. A 409 is counted as a conflict and
// another 4xx as refused (both return a nil body, no error); any other
// status than want is an error.
func (m *mixed) timed(res *workerRes, kind string, s *session, method, path string, body []byte, want int) ([]byte, error) {
	st := res.stats[kind]
	if st == nil {
		st = &kindStats{}
		res.stats[kind] = st
	}
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, _ := http.NewRequest(method, m.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
		if method == "POST" && strings.HasSuffix(path, "/dossiers") {
			req.Header.Set("Idempotency-Key", "mixed-"+m.runID+"-"+strconv.FormatInt(m.seq.Add(1), 10))
		}
	}
	if s != nil {
		req.Header.Set("Authorization", "Bearer "+s.token)
	} else {
		// A citizen, from one of many addresses (the handler believes
		// the proxy on loopback; see cmd/motcua's mixedBench).
		n := m.seq.Add(1)
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
	}
	var probe int64
	if res.probed {
		probe = m.tail.next.Add(1)
		req.Header.Set(probeHeader, strconv.FormatInt(probe, 10))
	}
	var due time.Time
	if res.gap > 0 {
		var err error
		if due, err = res.due(); err != nil {
			return nil, err
		}
	}
	t0 := time.Now()
	sent := t0
	if !due.IsZero() && due.Before(t0) {
		// Paced: time spent behind the session's previous request is
		// the user's wait too (no coordinated omission).
		t0 = due
	}
	resp, err := res.client.Do(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(t0)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == want:
		st.lat = append(st.lat, took)
		if res.probed {
			st.reqs = append(st.reqs, reqRec{kind: kind, id: probe, due: due, sent: sent, recv: t0.Add(took)})
		}
		return b, nil
	case resp.StatusCode == http.StatusConflict:
		st.conflicts++
		return nil, nil
	case resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusUnauthorized && method == "POST":
		st.refused++
		return nil, nil
	}
	return nil, fmt.Errorf("mixed: %s %s: status %d: %.300s", method, path, resp.StatusCode, b)
}

// check reads back every dossier the workload received or moved.
func (m *mixed) check(ctx context.Context, db *sqlstore.DB) (int, error) {
	codes := make([]string, 0, len(m.moved))
	for c := range m.moved {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for len(codes) > 0 {
		part := codes[:min(len(codes), 500)]
		codes = codes[len(part):]
		err := db.Read(ctx, func(tx motcua.Tx) error {
			for _, c := range part {
				d, err := tx.DossierByCode(ctx, c)
				if err != nil {
					return fmt.Errorf("mixed: dossier %s the workload was answered for: %w", c, err)
				}
				want := m.moved[c]
				if d.Status.Seq != want[0] || d.Status.State != m.states[want[1]] {
					return fmt.Errorf("mixed: dossier %s is stored with %d events in state %s; the workload's last answer said %d events, %s",
						c, d.Status.Seq, d.Status.State, want[0], m.states[want[1]])
				}
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return len(m.moved), nil
}

// pct returns the p-th percentile of ds.
func pct(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	return s[max(0, min(len(s)-1, i-1))]
}

// resetPeakRSS starts the resident memory high-water mark afresh (Linux).
func resetPeakRSS() { os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// peakRSS is the process's resident memory high-water mark (VmHWM), 0
// where /proc is missing.
func peakRSS() int64 { return procStatusKB("VmHWM:") << 10 }
