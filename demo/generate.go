package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// GenerateOptions control Generate.
type GenerateOptions struct {
	Store   motcua.Store
	Cal     motcua.Calendar
	Rules   motcua.Rules
	Pattern motcua.CodePattern
	// Dossiers is how many dossiers to receive over the year.
	Dossiers int
	Year     int
	// Now ends the histories: nothing happens after it (a current year is
	// filled up to today, its latest dossiers still pending).
	Now time.Time
	// Communes is the number of communes of the province; 0 means one per
	// 16,000 dossiers a year (a large province: 1.6 million dossiers, 100
	// communes), and never fewer than the demo's.
	Communes int
	Seed     uint64
	// Scans, when set, digitizes components through signed scans stored
	// as their files, and makes electronic results signed by the competent
	// agency's leader (see Scanner); without it no component is digitized
	// and every result is on paper.
	Scans *Scanner
	// Progress is called after each stored chunk (may be nil).
	Progress func(done, total int)
}

// GenerateResult says what Generate made.
type GenerateResult struct {
	Dossiers, Events, CommunesAdded int
}

// Plausible shares, from the orders of magnitude provinces publish (the
// seeds: 99 % of dossiers on time; a third online) — a generator's
// assumptions, not facts.
const (
	shareProvincial   = 0.12  // dossiers settled by provincial bodies
	shareOnline       = 0.35  // submitted online
	sharePost         = 0.03  // by public post
	shareSuppReceipt  = 0.04  // asked for a supplement at the counter first
	shareSuppAppraise = 0.05  // asked after appraisal
	shareSuppNever    = 0.2   // of those asked, never complete it
	shareWithdraw     = 0.01  //
	shareStop         = 0.003 //
	shareRefuse       = 0.01  // refused at approval
	shareExtend       = 0.3   // of late-running dossiers, extended in time
	shareDigitized    = 0.7   // components scanned
	// Of online dossiers, those whose applicant signed in to the portal
	// with a VNeID account (the portal's signed message says so). The
	// generator makes no population lookups, reuses no earlier result and
	// takes nothing from the store: those flags are set only by the
	// counter's real lookups and reuse (indicators 4.3–4.5 of generated
	// years are therefore zero, as they would be without those systems).
	shareVNeIDOnline = 0.6
	shareResultFile  = 0.6 // results with a signed electronic file (when the generation signs)
)

// Generate receives o.Dossiers dossiers over o.Year in the demo province
// (adding communes as needed), each taken through a plausible history by
// the same decider as real use, and stores them with their live counters.
// It can be interrupted: what was stored stays consistent (each chunk is
// one transaction), and the code sequences are brought up to date at once.
func Generate(ctx context.Context, o GenerateOptions) (*GenerateResult, error) {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	g := &generator{ctx: ctx, stop: stop, o: o, dc: motcua.Decider{Calendar: o.Cal, Rules: o.Rules}, actors: map[int64]map[motcua.Role]*motcua.User{}}
	if err := g.load(ctx); err != nil {
		return nil, err
	}
	added, err := g.ensureCommunes(ctx)
	if err != nil {
		return nil, err
	}
	if err := g.plan(); err != nil {
		return nil, err
	}
	if o.Scans != nil && o.Scans.Certify != nil {
		var staff []Officer
		for _, a := range g.communes {
			for _, u := range g.actors[a.ID] {
				staff = append(staff, Officer{User: u, Agency: a.Name})
			}
		}
		if err := o.Scans.Certify(staff); err != nil {
			return nil, fmt.Errorf("certificates of the generated communes' officers: %w", err)
		}
	}
	res := &GenerateResult{CommunesAdded: added}
	seqs := map[string]int{}
	if err := o.Store.Read(ctx, func(tx motcua.Tx) (err error) { seqs, err = tx.CodeSeqs(ctx); return err }); err != nil {
		return nil, err
	}
	touched := map[string]bool{}
	defer func() { // keep the code sequences ahead of what was stored, even when interrupted
		_ = o.Store.Write(context.WithoutCancel(ctx), func(tx motcua.Tx) error {
			for k := range touched {
				if err := tx.SetCodeSeq(ctx, k, seqs[k]); err != nil {
					return err
				}
			}
			return nil
		})
	}()

	// Dossiers are made day by day in date order, so that the indexes on
	// dates and codes grow at their ends instead of taking writes all over.
	const chunk = 1000
	type batch struct {
		ds      []*motcua.Dossier
		events  [][]motcua.Event
		files   [][]motcua.HistoryFile
		results []*pendingResult  // the electronic result to sign once the dossier has its code, or nil
		stats   map[statKey]int64 // the counters' changes of these dossiers
	}
	perDay := g.perDay()
	type span struct{ from, to, count int } // days [from, to) of g.days
	var spans []span
	for i := 0; i < len(g.days); {
		sp := span{from: i}
		for i < len(g.days) && sp.count < chunk {
			sp.count += perDay[i]
			i++
		}
		sp.to = i
		spans = append(spans, sp)
	}
	// Chunks are built on several workers but stored in the order of
	// their days, each in the slot of its span: the same seed then gives
	// the same codes and ids, whatever the workers' timing (a test
	// compares two stores generated alike row by row). ahead bounds how
	// many built chunks wait for their turn in memory.
	work := make(chan int)
	slots := make([]chan batch, len(spans))
	for i := range slots {
		slots[i] = make(chan batch, 1)
	}
	var wg sync.WaitGroup
	workers := runtime.GOMAXPROCS(0)
	if o.Scans != nil {
		workers = max(workers, 8) // storing a scan waits on the disk (fsync), not the processor
	}
	ahead := make(chan struct{}, workers+4)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				sp := spans[i]
				rng := rand.New(rand.NewPCG(o.Seed, uint64(sp.from)+1)) // the same province whatever the workers
				b := batch{stats: map[statKey]int64{}}
				for di := sp.from; di < sp.to; di++ {
					for range perDay[di] {
						if h := g.dossier(rng, g.days[di], b.stats); h != nil {
							b.ds, b.events, b.files, b.results = append(b.ds, h.d), append(b.events, h.events), append(b.files, h.files), append(b.results, h.result)
						}
					}
				}
				slots[i] <- b // never blocks: one chunk per slot
			}
		}()
	}
	go func() {
		defer close(work)
		for i := range spans {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	// No worker outlives the generation, also when it ends early: the
	// dispatch stops first.
	defer func() { stop(); wg.Wait() }()

	// The counters' changes of the dossiers stored so far, written at the
	// end — also when interrupted, so that the live counters always agree
	// with the dossiers stored.
	stats := map[statKey]int64{}
	done := 0
	for i := range spans {
		var b batch
		select {
		case b = <-slots[i]:
			<-ahead
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		for _, d := range b.ds {
			key := motcua.CounterKey(g.codeAgency(d), d.CreatedAt)
			seqs[key]++
			touched[key] = true
			d.Code = o.Pattern.Render(g.codeAgency(d), d.CreatedAt, seqs[key])
		}
		if err := g.signResults(b.ds, b.results, b.files); err != nil {
			g.fail(err)
			continue
		}
		hs := make([]motcua.HistoryImport, len(b.ds))
		for i, d := range b.ds {
			hs[i] = motcua.HistoryImport{Dossier: d, Events: b.events[i], Files: b.files[i]}
		}
		err := o.Store.Write(ctx, func(tx motcua.Tx) error { return tx.ImportHistories(ctx, hs) })
		if err != nil {
			return res, fmt.Errorf("store generated dossiers: %w", err)
		}
		for k, n := range b.stats {
			stats[k] += n
		}
		done += len(b.ds)
		res.Dossiers += len(b.ds)
		for _, e := range b.events {
			res.Events += len(e)
		}
		if o.Progress != nil {
			o.Progress(min(done, o.Dossiers), o.Dossiers)
		}
	}
	if err := g.scanErr(); err != nil {
		if serr := g.storeStats(context.WithoutCancel(ctx), stats); serr != nil {
			return res, fmt.Errorf("generation stopped after %d dossiers, whose live counters could not be stored (%v): %w", res.Dossiers, serr, err)
		}
		return res, fmt.Errorf("generation stopped after %d dossiers (stored, with their live counters): %w", res.Dossiers, err)
	}
	if err := ctx.Err(); err != nil {
		if serr := g.storeStats(context.WithoutCancel(ctx), stats); serr != nil {
			return res, fmt.Errorf("generation interrupted after %d dossiers, whose live counters could not be stored (%v): %w", res.Dossiers, serr, err)
		}
		return res, fmt.Errorf("generation interrupted after %d dossiers (stored, with their live counters): %w", res.Dossiers, err)
	}
	return res, g.storeStats(ctx, stats)
}

// statKey is a counter change before it is rolled up: per-procedure
// counters, kept by month only, are keyed by the first day of their month
// so that a year of them stays small in memory.
type statKey struct {
	day       motcua.Day
	agency    int64
	procedure int64
	metric    motcua.Metric
}

func addStats(m map[statKey]int64, deltas []motcua.StatDelta) {
	for _, sd := range deltas {
		day := sd.Day
		if sd.Metric.PerProcedure() {
			y, mo, _ := day.Start().In(motcua.VietnamTime).Date()
			day = motcua.DayOfDate(y, mo, 1)
		}
		m[statKey{day, sd.AgencyID, sd.ProcedureID, sd.Metric}] += sd.N
	}
}

func (g *generator) storeStats(ctx context.Context, total map[statKey]int64) error {
	var deltas []motcua.StatDelta
	for k, n := range total {
		if n != 0 {
			deltas = append(deltas, motcua.StatDelta{AgencyID: k.agency, ProcedureID: k.procedure, Day: k.day, Metric: k.metric, N: n})
		}
	}
	sort.Slice(deltas, func(i, j int) bool { return deltas[i].Day < deltas[j].Day })
	for len(deltas) > 0 {
		n := min(len(deltas), 20000)
		part := deltas[:n]
		deltas = deltas[n:]
		if err := g.o.Store.Write(ctx, func(tx motcua.Tx) error { return tx.AddStats(ctx, part) }); err != nil {
			return fmt.Errorf("store live counters: %w", err)
		}
	}
	return nil
}

type generator struct {
	ctx context.Context
	// stop cancels the generation when a scan fails; failed holds why.
	stop       context.CancelFunc
	failMu     sync.Mutex
	failed     error
	o          GenerateOptions
	dc         motcua.Decider
	agencies   []*motcua.Agency
	byID       map[int64]*motcua.Agency
	points     map[int64]*motcua.ReceptionPoint // first point of each agency
	centre     *motcua.Agency                   // provincial service centre
	portal     *motcua.User
	actors     map[int64]map[motcua.Role]*motcua.User
	procs      []*motcua.Procedure
	communes   []*motcua.Agency
	communeW   []float64 // cumulative weights of communes' sizes
	lateness   map[int64]float64
	communeP   []*motcua.Procedure // commune procedures with cumulative weights
	communePW  []float64
	provincial []*motcua.Procedure
	days       []motcua.Day // working days of the year up to Now
}

func (g *generator) load(ctx context.Context) error {
	return g.o.Store.Read(ctx, func(tx motcua.Tx) error {
		var err error
		if g.agencies, err = tx.Agencies(ctx); err != nil {
			return err
		}
		points, err := tx.ReceptionPoints(ctx, 0)
		if err != nil {
			return err
		}
		g.points, g.byID = map[int64]*motcua.ReceptionPoint{}, map[int64]*motcua.Agency{}
		for _, a := range g.agencies {
			g.byID[a.ID] = a
			if a.Kind == motcua.KindServiceCentre {
				g.centre = a
			}
		}
		for _, p := range points {
			if _, ok := g.points[p.AgencyID]; !ok {
				g.points[p.AgencyID] = p
			}
		}
		users, err := tx.Users(ctx, motcua.UserFilter{})
		if err != nil {
			return err
		}
		for _, u := range users {
			for _, gr := range u.Grants {
				if gr.Role == motcua.RoleIntegration {
					g.portal = u
				}
				m, ok := g.actors[gr.AgencyID]
				if !ok {
					m = map[motcua.Role]*motcua.User{}
					g.actors[gr.AgencyID] = m
				}
				if _, ok := m[gr.Role]; !ok {
					m[gr.Role] = u
				}
			}
		}
		for offset := 0; ; offset += 500 {
			page, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{PublishedOnly: true, Limit: 500, Offset: offset})
			if err != nil {
				return err
			}
			g.procs = append(g.procs, page...)
			if len(page) < 500 {
				break
			}
		}
		if g.centre == nil || g.portal == nil {
			return fmt.Errorf("the demo province is not loaded: run motcua demo once first")
		}
		return nil
	})
}

// ensureCommunes adds generated communes (with a counter and staff who
// cannot sign in) until the province has the wanted number.
func (g *generator) ensureCommunes(ctx context.Context) (int, error) {
	want := g.o.Communes
	if want == 0 {
		want = g.o.Dossiers / 16000
	}
	var root *motcua.Agency
	for _, a := range g.agencies {
		if a.Kind == motcua.KindCommuneCommittee {
			g.communes = append(g.communes, a)
		}
		if a.ParentID == 0 && a.Level == motcua.LevelProvince {
			root = a // the province, not a vertical agency without a parent
		}
	}
	added := 0
	for i := len(g.communes); i < want; i++ {
		n := 201 + i
		a := &motcua.Agency{Code: fmt.Sprintf("H99.%03d", n), Name: fmt.Sprintf("Ủy ban nhân dân xã Mẫu số %03d (sinh tự động)", n),
			Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee, ParentID: root.ID, OneStop: true}
		err := g.o.Store.Write(ctx, func(tx motcua.Tx) error {
			if err := tx.CreateAgency(ctx, a); err != nil {
				return err
			}
			p := &motcua.ReceptionPoint{AgencyID: a.ID, Code: a.Code + ".01", Name: "Trung tâm Phục vụ hành chính công xã Mẫu số " + fmt.Sprintf("%03d", n)}
			if err := tx.CreateReceptionPoint(ctx, p); err != nil {
				return err
			}
			g.points[a.ID] = p
			g.actors[a.ID] = map[motcua.Role]*motcua.User{}
			for _, r := range []struct {
				role motcua.Role
				name string
			}{{motcua.RoleReception, "Công chức một cửa"}, {motcua.RoleSpecialist, "Công chức chuyên môn"}, {motcua.RoleLeader, "Lãnh đạo UBND xã"}} {
				u := &motcua.User{Username: fmt.Sprintf("sinh.%03d.%s", n, r.role), FullName: r.name + fmt.Sprintf(" xã Mẫu số %03d", n),
					Grants: []motcua.Grant{{AgencyID: a.ID, Role: r.role}}, CreatedAt: g.o.Now}
				if err := tx.CreateUser(ctx, u); err != nil { // no password: cannot sign in
					return err
				}
				g.actors[a.ID][r.role] = u
			}
			return nil
		})
		if err != nil {
			return added, fmt.Errorf("add commune %s: %w", a.Code, err)
		}
		g.byID[a.ID] = a
		g.communes = append(g.communes, a)
		added++
	}
	return added, nil
}

// plan fixes the province's shape: commune sizes, each agency's tendency
// to run late, the procedures' shares, the working days.
func (g *generator) plan() error {
	rng := rand.New(rand.NewPCG(g.o.Seed, 0))
	g.lateness = map[int64]float64{}
	var cum float64
	for i := range g.communes {
		cum += (0.3 + 2.7*rng.Float64()) / (1 + 0.02*float64(i))
		g.communeW = append(g.communeW, cum)
	}
	for _, a := range g.agencies {
		g.lateness[a.ID] = 0.01 + 0.05*rng.Float64()*rng.Float64()
	}
	for _, c := range g.communes {
		g.lateness[c.ID] = 0.01 + 0.12*rng.Float64()*rng.Float64()
	}
	cum = 0
	for _, p := range g.procs {
		if p.TimeLimit == nil && !p.NoTimeLimit {
			continue
		}
		if p.Level == motcua.LevelCommune && p.AgencyID == 0 {
			w := 1.0
			switch p.FieldName {
			case "CHỨNG THỰC":
				w = 4
			case "HỘ TỊCH":
				w = 3
			}
			cum += w
			g.communeP, g.communePW = append(g.communeP, p), append(g.communePW, cum)
		} else if p.AgencyID != 0 && g.actors[p.AgencyID] != nil {
			g.provincial = append(g.provincial, p)
		}
	}
	if len(g.communeP) == 0 || len(g.provincial) == 0 || len(g.communes) == 0 {
		return fmt.Errorf("the demo catalogue lacks procedures to generate dossiers for")
	}
	from := motcua.DayOf(time.Date(g.o.Year, 1, 1, 12, 0, 0, 0, motcua.VietnamTime))
	to := motcua.DayOf(time.Date(g.o.Year, 12, 31, 12, 0, 0, 0, motcua.VietnamTime))
	for d := from; d <= to; d++ {
		if d.Start().After(g.o.Now) {
			break
		}
		if g.o.Cal.IsWorkingDay(d.Start().Add(12 * time.Hour)) {
			g.days = append(g.days, d)
		}
	}
	if len(g.days) == 0 {
		return fmt.Errorf("year %d has no working day before %s", g.o.Year, motcua.FormatDate(g.o.Now))
	}
	return nil
}

// perDay spreads the year's dossiers over its working days: more on
// Mondays and at the start of the year, fewer before Tết and in August.
func (g *generator) perDay() []int {
	rng := rand.New(rand.NewPCG(g.o.Seed, 12345))
	w := make([]float64, len(g.days))
	var sum float64
	for i, d := range g.days {
		t := d.Start().Add(12 * time.Hour).In(motcua.VietnamTime)
		x := 0.85 + 0.3*rng.Float64()
		if t.Weekday() == time.Monday {
			x *= 1.25
		}
		if t.Month() == time.August {
			x *= 0.85
		}
		w[i] = x
		sum += x
	}
	// The year's total for days up to Now: a current year gets its share.
	total := float64(g.o.Dossiers)
	out := make([]int, len(g.days))
	var acc float64
	given := 0
	for i := range w {
		acc += w[i] / sum * total
		out[i] = int(acc) - given
		given += out[i]
	}
	return out
}

func pick(rng *rand.Rand, cum []float64) int {
	x := rng.Float64() * cum[len(cum)-1]
	return sort.SearchFloat64s(cum, x)
}

// codeAgency is the agency whose code heads the dossier's code.
func (g *generator) codeAgency(d *motcua.Dossier) string {
	if d.ReceptionAgencyID != d.CompetentAgencyID && g.byID[d.CompetentAgencyID].Level == motcua.LevelCommune {
		return g.byID[d.ReceptionAgencyID].Code
	}
	return g.byID[d.CompetentAgencyID].Code
}

var (
	familyNames = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"}
	middleNames = []string{"Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Quốc", "Kim", "Gia", "Bảo"}
	givenNames  = []string{"An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"}
	birthPlaces = []string{"001", "031", "038", "040", "048", "079", "089", "092", "096"}
)

func applicant(rng *rand.Rand, online bool) motcua.Applicant {
	yy := 40 + rng.IntN(65) // 1940–2004
	century := 0
	if yy >= 100 {
		yy -= 100
		century = 2
	}
	a := motcua.Applicant{Kind: motcua.ApplicantCitizen, IDKind: motcua.IDPersonal,
		FullName: familyNames[rng.IntN(len(familyNames))] + " " + middleNames[rng.IntN(len(middleNames))] + " " + givenNames[rng.IntN(len(givenNames))],
		IDNumber: fmt.Sprintf("%s%d%02d%06d", birthPlaces[rng.IntN(len(birthPlaces))], century+rng.IntN(2), yy, rng.IntN(1000000)),
		Phone:    fmt.Sprintf("09%08d", rng.IntN(100000000)), Address: "Tỉnh Mẫu", Source: motcua.SourceTyped}
	// As ReceiveFromPortal records it from the account level the portal
	// states.
	a.VNeIDVerified = online && rng.Float64() < shareVNeIDOnline
	return a
}

// dossier generates one dossier and its history, adding its live-counter
// changes to stats. It returns nil when its reception falls after Now.
func (g *generator) dossier(rng *rand.Rand, day motcua.Day, stats map[statKey]int64) *history {
	cal := g.o.Cal
	var p *motcua.Procedure
	var competent, reception *motcua.Agency
	if rng.Float64() < shareProvincial {
		p = g.provincial[rng.IntN(len(g.provincial))]
		competent = g.byID[p.AgencyID]
		reception = g.centre
		if rng.Float64() < 0.3 { // received at a commune, regardless of boundary
			reception = g.communes[pick(rng, g.communeW)]
		}
	} else {
		p = g.communeP[pick(rng, g.communePW)]
		competent = g.communes[pick(rng, g.communeW)]
		reception = competent
	}
	at := cal.AddWorking(day.Start().Add(7*time.Hour+30*time.Minute), time.Duration(rng.Int64N(int64(8*time.Hour))))
	if at.After(g.o.Now) {
		return nil
	}
	channel := motcua.ChannelCounter
	switch r := rng.Float64(); {
	case r < shareOnline:
		channel = motcua.ChannelOnline
	case r < shareOnline+sharePost:
		channel = motcua.ChannelPost
	}
	d := &motcua.Dossier{ProcedureID: p.ID, ProcedureVersion: p.Version, ProcedureCode: p.Code, ProcedureName: p.Name,
		Applicant: applicant(rng, channel == motcua.ChannelOnline), Channel: channel, ReceptionPointID: g.points[reception.ID].ID,
		ReceptionAgencyID: reception.ID, CompetentAgencyID: competent.ID, ReturnMethod: "counter", Status: motcua.Status{Step: -1}}
	d.Verifier = motcua.VerifierFor(d.Applicant)
	var scans []int // components the receiving officer scans
	for i, c := range p.Components {
		dc := motcua.DossierComponent{ComponentID: c.ID, FromNationalDB: c.FromNationalDB}
		if !c.FromNationalDB {
			dc.Provided = true
			scan := rng.Float64() < shareDigitized
			if scan {
				scans = append(scans, i)
			}
		}
		d.Components = append(d.Components, dc)
	}
	for _, f := range p.Fees {
		if f.Amount != nil {
			d.Fees = append(d.Fees, motcua.DossierFee{Name: f.Name, Amount: *f.Amount})
		}
	}

	h := &history{g: g, d: d, p: p, stats: stats}
	recv := g.actors[reception.ID][motcua.RoleReception]
	act := func(u *motcua.User, t time.Time, cmd motcua.Command) bool { return h.act(u, t, cmd) }
	switch {
	case channel == motcua.ChannelOnline:
		sub := at.Add(-time.Duration(rng.Int64N(int64(6 * time.Hour))))
		d.CreatedAt = sub
		if !act(g.portal, sub, motcua.Command{Action: motcua.ActSubmit}) {
			return nil
		}
	case rng.Float64() < shareSuppReceipt:
		first := at.Add(-time.Duration(1+rng.IntN(5)) * 24 * time.Hour)
		d.CreatedAt = first
		act(recv, first, motcua.Command{Action: motcua.ActRequestSupplement, Reason: "Thiếu tờ khai có chữ ký."})
		if rng.Float64() < shareSuppNever {
			h.close(d.Status.Supplements[0].Deadline.Add(time.Minute))
			return h.done()
		}
	default:
		d.CreatedAt = at
	}
	if !act(recv, at, motcua.Command{Action: motcua.ActReceive}) {
		return h.done()
	}
	h.scan(rng, recv, scans)
	t := cal.AddWorking(at, time.Duration(rng.Int64N(int64(3*time.Hour))))
	if d.Status.ActionDueAt.Before(t) {
		t = d.Status.ActionDueAt
	}
	if !act(recv, t, motcua.Command{Action: motcua.ActTransfer}) {
		return h.done()
	}
	// How long the whole handling takes, as a fraction of the time allowed.
	allowed := cal.WorkingDayLength() * 5
	if !d.Status.DueAt.IsZero() {
		allowed = max(cal.WorkingBetween(d.Status.ClockStartAt, d.Status.DueAt), time.Hour)
	}
	var frac float64
	switch r := rng.Float64(); {
	case r < g.lateness[competent.ID]:
		frac = 1.02 + 0.6*rng.Float64()
	case r < 0.6:
		frac = 0.15 + 0.6*rng.Float64()
	default:
		frac = 0.75 + 0.24*rng.Float64()
	}
	start := d.Status.ClockStartAt
	extended := false
	var cum float64
	for i, st := range p.Process.Steps {
		if d.Status.State.Finished() || d.Status.Step != i {
			return h.done()
		}
		cum += st.Share
		when := cal.AddWorking(start, time.Duration(frac*cum*float64(allowed)))
		when = maxTime(when, h.last.Add(time.Minute))
		agency := st.AgencyID
		if agency == 0 {
			agency = competent.ID
		}
		who := g.actors[agency][st.Role]
		switch st.Kind {
		case motcua.StepAssign:
			if !act(who, when, motcua.Command{Action: motcua.ActAssign, Assignee: g.actors[agency][motcua.RoleSpecialist]}) {
				return h.done()
			}
		case motcua.StepAppraise:
			if rng.Float64() < shareSuppAppraise {
				ask := cal.AddWorking(h.last, time.Duration(rng.Int64N(int64(16*time.Hour))))
				if act(who, ask, motcua.Command{Action: motcua.ActRequestSupplement, Reason: "Bổ sung giấy tờ còn thiếu."}) {
					if rng.Float64() < shareSuppNever {
						h.close(d.Status.ActionDueAt.Add(time.Minute))
						return h.done()
					}
					back := ask.Add(time.Duration(1+rng.IntN(10)) * 24 * time.Hour)
					if !act(g.actors[reception.ID][motcua.RoleReception], back, motcua.Command{Action: motcua.ActSupplementReceived}) {
						return h.done()
					}
					start, cum = d.Status.ClockStartAt, st.Share
					allowed = max(cal.WorkingBetween(d.Status.ClockStartAt, d.Status.DueAt), time.Hour)
					when = maxTime(cal.AddWorking(start, time.Duration(frac*cum*float64(allowed))), h.last.Add(time.Minute))
				}
			}
			if r := rng.Float64(); r < shareWithdraw {
				act(g.actors[reception.ID][motcua.RoleReception], when, motcua.Command{Action: motcua.ActWithdraw, Reason: "Người nộp xin rút hồ sơ."})
				return h.done()
			} else if r < shareWithdraw+shareStop {
				act(g.actors[competent.ID][motcua.RoleLeader], when, motcua.Command{Action: motcua.ActStop, Reason: "Dừng theo đề nghị."})
				return h.done()
			}
			if frac > 1 && !extended && rng.Float64() < shareExtend && !d.Status.DueAt.IsZero() {
				ask := cal.AddWorking(cal.NextWorkingMoment(d.Status.DueAt.Add(-3*cal.WorkingDayLength())), 0)
				if ask.After(h.last) && ask.Before(when) {
					newDue := cal.EndOfWorkingDay(cal.AddWorking(d.Status.DueAt, time.Duration(1+rng.IntN(5))*cal.WorkingDayLength()))
					extended = act(g.actors[competent.ID][motcua.RoleLeader], ask,
						motcua.Command{Action: motcua.ActExtend, NewDueAt: newDue, Reason: "Xin lỗi, cần xác minh thêm."})
				}
			}
			act(who, when, motcua.Command{Action: motcua.ActForward}) // the assigned specialist
		case motcua.StepConsult:
			for _, part := range d.Status.Parts {
				act(g.actors[part.AgencyID][motcua.RoleSpecialist], when, motcua.Command{Action: motcua.ActForward})
				when = when.Add(time.Minute)
			}
		case motcua.StepReview:
			act(who, when, motcua.Command{Action: motcua.ActForward})
		case motcua.StepApprove:
			if rng.Float64() < shareRefuse {
				act(who, when, motcua.Command{Action: motcua.ActRefuse, Reason: "Không đủ điều kiện."})
				continue
			}
			act(who, when, motcua.Command{Action: motcua.ActApprove})
		case motcua.StepIssue:
			cmd := motcua.Command{Action: motcua.ActIssueResult, ResultNumber: fmt.Sprintf("%d/KQ", rng.IntN(100000))}
			// An electronic result is signed by the agency's leader (ký
			// duyệt) and stored before the issue names it, as
			// service.SignResult does; the file is made once the dossier
			// has its code (signResults). Without a Scanner results are on
			// paper only.
			var res *pendingResult
			if rng.Float64() < shareResultFile && h.g.o.Scans != nil {
				signer := g.actors[competent.ID][motcua.RoleLeader]
				if signer == nil || !h.g.o.Scans.Signer.CanSign(motcua.Signatory{Username: signer.Username}) {
					signer = who
				}
				if signer != nil && h.g.o.Scans.Signer.CanSign(motcua.Signatory{Username: signer.Username}) {
					res = &pendingResult{by: signer, afterSeq: d.Status.Seq, seed: rng.Uint64()}
					cmd.ResultSigned = true
				}
			}
			if act(who, when, cmd) && res != nil {
				res.at = h.last
				h.result = res
			}
		}
	}
	if d.Status.State == motcua.StateResultReady || d.Status.State == motcua.StateRefused {
		if rng.Float64() < 0.95 {
			act(g.actors[reception.ID][motcua.RoleReception], h.last.Add(time.Duration(1+rng.IntN(72))*time.Hour),
				motcua.Command{Action: motcua.ActReturn})
		}
	}
	return h.done()
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// history accumulates a generated dossier's events and counters.
type history struct {
	g      *generator
	d      *motcua.Dossier
	p      *motcua.Procedure
	events []motcua.Event
	files  []motcua.HistoryFile
	result *pendingResult // the electronic result the last event issued, to be signed
	last   time.Time
	stats  map[statKey]int64
}

// scan digitizes the components at indexes idx as officer u receives the
// dossier (at h.last), when the generation has a Scanner. A failure stops
// the generation: a dossier is never stored digitized without its file.
func (h *history) scan(rng *rand.Rand, u *motcua.User, idx []int) {
	sc := h.g.o.Scans
	if sc == nil {
		return
	}
	for _, i := range idx {
		f, err := sc.scan(h.g.ctx, u, h.last, h.p.Components[i], h.d.Applicant.FullName+" — "+h.p.Name, rng.Uint64())
		if err != nil {
			h.g.fail(err)
			return
		}
		if f != nil {
			h.d.Components[i].Digitized = true
			h.files = append(h.files, motcua.HistoryFile{File: f, AfterSeq: h.d.Status.Seq})
		}
	}
}

// fail records the first error of a worker and stops the generation.
func (g *generator) fail(err error) {
	g.failMu.Lock()
	defer g.failMu.Unlock()
	if g.failed == nil {
		g.failed = err
		g.stop()
	}
}

func (g *generator) scanErr() error {
	g.failMu.Lock()
	defer g.failMu.Unlock()
	return g.failed
}

// act decides and applies a command at t, unless t is after Now or the
// rules refuse it.
func (h *history) act(u *motcua.User, t time.Time, cmd motcua.Command) bool {
	if u == nil || t.After(h.g.o.Now) || t.Before(h.last) {
		return false
	}
	t = t.Truncate(time.Millisecond)
	ev, err := h.g.dc.Decide(h.d, h.p, u, t, cmd)
	if err != nil {
		return false
	}
	prev := h.d.Status
	next, err := prev.Apply(ev)
	if err != nil {
		return false
	}
	h.d.Status = next
	if next.State.Finished() && !prev.State.Finished() {
		h.d.Status.Report = motcua.ReportFactsOf(h.d, h.p, h.g.o.Cal)
	}
	// Stocks change at every event; flows are added once, from the final
	// status (done), which is what their changes would add up to.
	addStats(h.stats, motcua.StockDeltas(h.d.CompetentAgencyID, &prev, &h.d.Status, t))
	h.events = append(h.events, ev)
	h.last = t
	return true
}

// close ends a dossier whose supplement never came, as the job would.
func (h *history) close(at time.Time) {
	h.act(motcua.SystemUser, at, motcua.Command{Action: motcua.ActClose})
}

// done finishes the dossier's report facts and returns the history (nil
// if nothing happened).
func (h *history) done() *history {
	if len(h.events) == 0 {
		return nil
	}
	h.d.Status.Report = motcua.ReportFactsOf(h.d, h.p, h.g.o.Cal)
	h.d.Status.Report.LastEventAt = h.last
	addStats(h.stats, motcua.FlowDeltas(h.d.CompetentAgencyID, h.d.ProcedureID, h.d.Channel, &motcua.Status{}, &h.d.Status))
	return h
}
