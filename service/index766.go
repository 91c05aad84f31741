package service

import (
	"context"
	"sort"
	"time"

	"github.com/motcua/motcua"
)

// unitData are the counts one unit's indicators are computed from.
type unitData struct {
	scope, onTime   int64 // 2.1
	recv            map[int64]*motcua.ReceivedAgg
	procedures      []*motcua.Procedure // within the unit's competence
	proceduresInUse map[int64]bool      // with dossiers received in the period
	// syncRecv and synced count the dossiers received in the period and
	// those of them the national portal holds (1.4); portalHeld says
	// whether the portal has accepted any record at all.
	syncRecv, synced int64
	portalHeld       bool
	payments         *paymentUnit // 3.5, 3.5b, 3.6 (index766_payment.go)
	// feedback: 5.1–5.4 (index766_feedback.go)
	feedback *feedbackUnit
	// identityHeld: the system records population-database lookups (a
	// register is connected, or lookups exist), so that 4.5a/4.5b count
	// what the service verified itself, never what clients asserted.
	identityHeld bool
	// storeHeld: the national store is connected, so that 4.4 counts
	// what the service checked with it (components it confirmed, results
	// it accepted).
	storeHeld bool
}

// indexInputs are the period's counts the index is computed from, by
// either source.
type indexInputs struct {
	// recv holds the receptions per agency and procedure; an entry with
	// procedure 0 holds agency-level counts (Digitized, Reused) only.
	recv []motcua.ReceivedAgg
	// finished and pending count, per agency, the dossiers finished in the
	// period and those pending at its end, and how many of each are on
	// time by indicator 2.1.
	finished, pending map[int64]*[2]int64
	// handled sums, per procedure, the handling time (ms) and the number
	// of dossiers finished (indicator 2.2).
	handled map[int64]*[2]int64
	// synced counts per agency the dossiers received and those the
	// national portal holds, from the sync records (both sources).
	synced     []motcua.PortalSyncAgg
	portalHeld bool
	// onePass: recv comes from PeriodFacts, whose Store counts the
	// receptions flagged as taking a component from the national store
	// (only the results the store accepted are still to be read), and
	// fees holds its counts of fee-bearing receptions (only the payments
	// are still to be read). fees is kept apart from recv: a view across
	// mergers moves receptions, never payment facts.
	onePass bool
	fees    []motcua.PaymentAgg
}

func newIndexInputs() *indexInputs {
	return &indexInputs{finished: map[int64]*[2]int64{}, pending: map[int64]*[2]int64{}, handled: map[int64]*[2]int64{}}
}

func addTo(m map[int64]*[2]int64, k, a, b int64) {
	v, ok := m[k]
	if !ok {
		v = &[2]int64{}
		m[k] = v
	}
	v[0] += a
	v[1] += b
}

// Index766 computes the QĐ 766 index for the period for every agency and
// for the province, with s's index configuration: from the live counters
// when the period is made of whole months (they keep per-procedure counts
// by month), from the dossiers otherwise. Indicators whose inputs are not
// held are returned as no data, with the reason.
func (s *Service) Index766(ctx context.Context, p motcua.Period) (*motcua.IndexReport, error) {
	source := SourceBase
	if p.WholeMonths() {
		source = SourceLive
	}
	return s.Index766From(ctx, p, source)
}

// Index766From is Index766 from a chosen source; "live" needs a period of
// whole months.
func (s *Service) Index766From(ctx context.Context, p motcua.Period, source string) (*motcua.IndexReport, error) {
	return s.index766From(ctx, p, source, nil)
}

// index766From is Index766From with the inputs adjusted by adjust (a view
// across mergers, merger_stats.go) when it is not nil.
func (s *Service) index766From(ctx context.Context, p motcua.Period, source string, adjust func(*indexInputs) error) (*motcua.IndexReport, error) {
	return s.index766Via(ctx, p, source, adjust, baseIndexInputs)
}

// baseInputsFunc reads the index's inputs from the dossiers.
type baseInputsFunc func(ctx context.Context, tx motcua.Tx, p motcua.Period) (*indexInputs, error)

// index766Via is index766From reading the base source with base.
func (s *Service) index766Via(ctx context.Context, p motcua.Period, source string, adjust func(*indexInputs) error, base baseInputsFunc) (*motcua.IndexReport, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	in, asOf, replica, err := s.indexInputsVia(ctx, p, source, base)
	if err != nil {
		return nil, err
	}
	if source == "" {
		source = SourceBase
	}
	if adjust != nil {
		if err := adjust(in); err != nil {
			return nil, err
		}
	}
	out, err := s.index766(ctx, p, in)
	if err != nil {
		return nil, err
	}
	out.Source = source
	out.AsOf, out.FromReplica = asOf, replica
	return out, nil
}

// indexInputsFor is indexInputsVia reading the base source from the
// dossiers, without saying where from.
func (s *Service) indexInputsFor(ctx context.Context, p motcua.Period, source string) (*indexInputs, error) {
	in, _, _, err := s.indexInputsVia(ctx, p, source, baseIndexInputs)
	return in, err
}

// indexInputsVia reads the index inputs of p from source ("base" or "",
// "live": whole months only), with what the portal and the national store
// hold whatever the source.
func (s *Service) indexInputsVia(ctx context.Context, p motcua.Period, source string, base baseInputsFunc) (in *indexInputs, asOf time.Time, replica bool, err error) {
	switch source {
	case SourceBase, "":
		asOf, replica, err = s.reportRead(ctx, func(tx motcua.Tx) (err error) { in, err = base(ctx, tx, p); return err })
	case SourceLive:
		if !p.WholeMonths() {
			return nil, asOf, false, motcua.FieldError("source", "period_not_whole_months",
				"Số liệu tức thời của chỉ số chỉ có theo tháng: hãy chọn kỳ gồm các tháng trọn vẹn, hoặc nguồn \"base\".")
		}
		asOf, replica, err = s.reportRead(ctx, func(tx motcua.Tx) (err error) { in, err = liveIndexInputs(ctx, tx, p); return err })
	default:
		return nil, asOf, false, motcua.FieldError("source", "source_unknown", "Nguồn số liệu phải là \"base\" hoặc \"live\".")
	}
	if err != nil {
		return nil, asOf, false, err
	}
	// What the portal holds is known only from the sync records, whatever
	// the source of the other counts.
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if in.portalHeld, err = tx.PortalSyncHeld(ctx); err != nil || !in.portalHeld {
			return err
		}
		in.synced, err = tx.PortalSyncedIn(ctx, p.From.Start(), p.To.End())
		return err
	}); err != nil {
		return nil, asOf, false, err
	}
	// Indicator 4.4 reads the personal store's push records, whatever
	// the source of the other counts.
	if err := s.store.Read(ctx, func(tx motcua.Tx) error {
		read := tx.StoreUseIn
		if in.onePass {
			read = tx.StoreResultsIn
		}
		st, err := read(ctx, p.From.Start(), p.To.End())
		in.recv = append(in.recv, st...)
		return err
	}); err != nil {
		return nil, asOf, false, err
	}
	return in, asOf, replica, nil
}

// baseIndexInputs reads the inputs from the dossiers.
func baseIndexInputs(ctx context.Context, tx motcua.Tx, p motcua.Period) (*indexInputs, error) {
	bp, err := readBasePeriod(ctx, tx, p)
	if err != nil {
		return nil, err
	}
	return bp.indexInputs(p), nil
}

// indexInputs are the index's inputs from the period's facts.
func (bp *basePeriod) indexInputs(p motcua.Period) *indexInputs {
	in := newIndexInputs()
	in.recv = append(in.recv, bp.facts.Received...)
	in.onePass = true
	for _, r := range bp.facts.Received {
		if r.FeeBearing != 0 {
			in.fees = append(in.fees, motcua.PaymentAgg{AgencyID: r.AgencyID, ProcedureID: r.ProcedureID, FeeDossiers: r.FeeBearing})
		}
	}
	for _, a := range bp.facts.Finished {
		n := a.Early + a.OnTime + a.Late
		addTo(in.finished, a.AgencyID, n, a.OnTime766)
		addTo(in.handled, a.ProcedureID, a.HandleMS, n)
	}
	for _, pd := range bp.pending {
		ok := int64(0)
		if pd.Stock.OnTime766(p.To) {
			ok = 1
		}
		addTo(in.pending, pd.AgencyID, 1, ok)
	}
	return in
}

// liveIndexInputs reads the inputs from the live counters.
func liveIndexInputs(ctx context.Context, tx motcua.Tx, p motcua.Period) (*indexInputs, error) {
	in := newIndexInputs()
	flows, err := sumStats(ctx, tx, p.From, p.To, motcua.MetricDigitized, motcua.MetricReused,
		motcua.MetricFinishedEarly, motcua.MetricFinishedOnTime, motcua.MetricFinishedLate, motcua.MetricFinished766,
		motcua.MetricProcReceived, motcua.MetricProcOnline, motcua.MetricProcResultFile, motcua.MetricProcOnlineResultFile,
		motcua.MetricProcIdentity, motcua.MetricProcFinished, motcua.MetricProcHandleMS)
	if err != nil {
		return nil, err
	}
	type key struct{ agency, procedure int64 }
	recv := map[key]*motcua.ReceivedAgg{}
	var order []key
	agg := func(agency, procedure int64) *motcua.ReceivedAgg {
		k := key{agency, procedure}
		r, ok := recv[k]
		if !ok {
			r = &motcua.ReceivedAgg{AgencyID: agency, ProcedureID: procedure}
			recv[k] = r
			order = append(order, k)
		}
		return r
	}
	for _, f := range flows {
		switch f.Metric {
		case motcua.MetricDigitized:
			agg(f.AgencyID, 0).Digitized += f.N
		case motcua.MetricReused:
			agg(f.AgencyID, 0).Reused += f.N
		case motcua.MetricFinishedEarly, motcua.MetricFinishedOnTime, motcua.MetricFinishedLate:
			addTo(in.finished, f.AgencyID, f.N, 0)
		case motcua.MetricFinished766:
			addTo(in.finished, f.AgencyID, 0, f.N)
		case motcua.MetricProcReceived:
			agg(f.AgencyID, f.ProcedureID).Total += f.N
		case motcua.MetricProcOnline:
			agg(f.AgencyID, f.ProcedureID).Online += f.N
		case motcua.MetricProcResultFile:
			agg(f.AgencyID, f.ProcedureID).ResultFile += f.N
		case motcua.MetricProcOnlineResultFile:
			agg(f.AgencyID, f.ProcedureID).OnlineWithResult += f.N
		case motcua.MetricProcIdentity:
			agg(f.AgencyID, f.ProcedureID).Identity += f.N
		case motcua.MetricProcFinished:
			addTo(in.handled, f.ProcedureID, 0, f.N)
		case motcua.MetricProcHandleMS:
			addTo(in.handled, f.ProcedureID, f.N, 0)
		}
	}
	for _, k := range order {
		in.recv = append(in.recv, *recv[k])
	}
	stocks, err := stocksAt(ctx, tx, p.To)
	if err != nil {
		return nil, err
	}
	for _, f := range stocks {
		ok := int64(0)
		if f.Metric == motcua.MetricStockWaiting || f.Metric == motcua.MetricStockWithin {
			ok = f.N
		}
		addTo(in.pending, f.AgencyID, f.N, ok)
	}
	return in, nil
}

// index766 computes the index from its inputs.
func (s *Service) index766(ctx context.Context, p motcua.Period, in *indexInputs) (*motcua.IndexReport, error) {
	cfg := s.cfg.Index
	procs, err := s.publishedProcedures(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}

	units := map[int64]*unitData{}
	unit := func(agency int64) *unitData {
		u, ok := units[agency]
		if !ok {
			u = &unitData{recv: map[int64]*motcua.ReceivedAgg{}, proceduresInUse: map[int64]bool{}}
			units[agency] = u
		}
		return u
	}
	province := unit(0)
	for _, a := range in.recv {
		for _, u := range []*unitData{unit(a.AgencyID), province} {
			r, ok := u.recv[a.ProcedureID]
			if !ok {
				r = &motcua.ReceivedAgg{AgencyID: a.AgencyID, ProcedureID: a.ProcedureID}
				u.recv[a.ProcedureID] = r
			}
			r.Add(a)
			if a.Identity > 0 {
				u.proceduresInUse[a.ProcedureID] = true
			}
		}
	}
	province.portalHeld = in.portalHeld
	for _, a := range in.synced {
		for _, u := range []*unitData{unit(a.AgencyID), province} {
			u.syncRecv += a.Received
			u.synced += a.Synced
			u.portalHeld = in.portalHeld
		}
	}
	for _, m := range []map[int64]*[2]int64{in.finished, in.pending} {
		for agency, v := range m {
			for _, u := range []*unitData{unit(agency), province} {
				u.scope += v[0]
				u.onTime += v[1]
			}
		}
	}
	// Complaints may name agencies without dossiers in the period: their
	// units are made first, so that the payments' facts reach them too.
	if err := s.feedbackIndexInputs(ctx, p, units, unit); err != nil {
		return nil, err
	}
	if err := s.paymentIndexInputs(ctx, p, in, units, unit); err != nil {
		return nil, err
	}
	identityHeld, err := s.identityHeld(ctx)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		u.identityHeld, u.storeHeld = identityHeld, s.cfg.ResultStore != nil
	}
	for id, u := range units {
		if id == 0 {
			u.procedures = procs
			continue
		}
		a := byID[id]
		for _, pr := range procs {
			if pr.AgencyID == id || (pr.AgencyID == 0 && a != nil && pr.Level == a.Level && a.Kind == motcua.KindCommuneCommittee) {
				u.procedures = append(u.procedures, pr)
			}
		}
	}

	out := &motcua.IndexReport{Period: p, Config: cfg}
	for id, u := range units {
		res := motcua.IndexResult{AgencyID: id, Period: p, Values: computeUnit(cfg, u)}
		res.Sum()
		out.Units = append(out.Units, res)
	}
	sort.Slice(out.Units, func(i, j int) bool {
		a, b := out.Units[i].AgencyID, out.Units[j].AgencyID
		return a != 0 && (b == 0 || a < b)
	})
	out.Averages = averages(procs, in.handled, s.Calendar())
	return out, nil
}

// held returns the inputs held for a unit: the configuration's, plus the
// procedure attributes that every procedure of the unit carries.
func held(cfg motcua.IndexConfig, procs []*motcua.Procedure) map[motcua.IndexInput]bool {
	h := map[motcua.IndexInput]bool{}
	for k, v := range cfg.Held {
		h[k] = v
	}
	levels, results, subjects := len(procs) > 0, len(procs) > 0, len(procs) > 0
	for _, p := range procs {
		levels = levels && p.ServiceLevel != "" && p.FullOnlineEligible != nil
		results = results && p.PaperResult != nil
		subjects = subjects && p.ForCitizens != nil
	}
	h[motcua.InputServiceLevels] = h[motcua.InputServiceLevels] || levels
	h[motcua.InputResultKind] = h[motcua.InputResultKind] || results
	h[motcua.InputSubjects] = h[motcua.InputSubjects] || subjects
	// 4.2b is counted from the dossiers of the procedures known to
	// certify copies from originals: held when the unit has one.
	for _, p := range procs {
		h[motcua.InputCertifiedCopying] = h[motcua.InputCertifiedCopying] || isTrue(p.CertifiesCopies)
	}
	return h
}

func isTrue(b *bool) bool { return b != nil && *b }

// computeUnit applies the formulas of domain-vn.md §5 to one unit.
func computeUnit(cfg motcua.IndexConfig, u *unitData) []motcua.IndicatorValue {
	c := cfg
	c.Held = held(cfg, u.procedures)
	// The portal's counts are held when the portal has accepted records:
	// what the system records, never a setting.
	c.Held[motcua.InputPortalSync] = u.portalHeld
	c.Held[motcua.InputIdentity] = c.Held[motcua.InputIdentity] && u.identityHeld
	c.Held[motcua.InputStore] = u.storeHeld
	var total, online, digitized, reused, identity, store int64
	var paperDen, paperNum, foDen, foNum int64
	var copyDen, copyNum int64 // 4.2b: certification dossiers, those with a signed electronic copy
	attr := map[int64]*motcua.Procedure{}
	for _, p := range u.procedures {
		attr[p.ID] = p
	}
	for pid, r := range u.recv {
		total += r.Total
		online += r.Online
		digitized += r.Digitized
		reused += r.Reused
		identity += r.Identity
		store += r.Store
		if p := attr[pid]; p != nil {
			if isTrue(p.PaperResult) {
				paperDen += r.Total
				paperNum += r.ResultFile
			}
			if isTrue(p.CertifiesCopies) {
				copyDen += r.Total
				copyNum += r.ResultFile
			}
			if isTrue(p.FullOnlineEligible) {
				foDen += r.Total
				foNum += r.Online
			}
		}
	}
	var withDVC, withOnline, citizens, citizensInUse int64
	for _, p := range u.procedures {
		if p.ServiceLevel == motcua.ServiceFull || p.ServiceLevel == motcua.ServicePartial {
			withDVC++
			if r := u.recv[p.ID]; r != nil && r.Online > 0 {
				withOnline++
			}
		}
		if isTrue(p.ForCitizens) {
			citizens++
			if u.proceduresInUse[p.ID] {
				citizensInUse++
			}
		}
	}
	// 3.3: online dossiers, counting those of procedures with a paper
	// result only when they also carry an electronic result.
	var online33 int64
	for pid, r := range u.recv {
		if p := attr[pid]; p != nil && isTrue(p.PaperResult) {
			online33 += r.OnlineWithResult
		} else {
			online33 += r.Online
		}
	}
	// 3.3 is the online share times the share the portal holds
	// (domain-vn.md §5): as one fraction, (online × synced) / (total ×
	// received).
	num33, den33 := online33, total
	if u.syncRecv > 0 {
		num33, den33 = online33*u.synced, total*u.syncRecv
	}
	values := map[string][2]int64{
		"1.4":  {u.synced, u.syncRecv},
		"3.2":  {withOnline, withDVC},
		"2.1":  {u.onTime, u.scope},
		"3.0":  {foNum, foDen},
		"3.1":  {withDVC, int64(len(u.procedures))},
		"3.3":  {num33, den33},
		"4.1":  {paperNum, paperDen},
		"4.2":  {digitized, total},
		"4.2b": {copyNum, copyDen},
		"4.3":  {reused, total},
		"4.4":  {store, total},
		"4.5b": {identity, total},
		"4.5a": {citizensInUse, citizens},
	}
	paymentValues(values, c.Held, u)
	feedbackValues(values, c.Held, u)
	var out []motcua.IndicatorValue
	for _, ind := range c.Indicators {
		nd, computed := values[ind.ID]
		v := c.Valued(ind, nd[0], nd[1])
		switch {
		case v.Status == "no_data":
		case ind.DisplayOnly && ind.ID == "5.1":
			v.Status, v.Reason, v.Points = "display", feedbackNote(u), 0
		case ind.DisplayOnly:
			v.Status, v.Reason, v.Num, v.Den = "display", "Chỉ hiển thị, xem theo từng thủ tục.", 0, 0
		case !computed:
			// A formula the system cannot evaluate although its inputs
			// are declared held: say so rather than show a number.
			v = motcua.IndicatorValue{ID: ind.ID, MaxPoints: ind.Points, Status: "no_data",
				Reason: "Chưa có dữ liệu: hệ thống chưa tính được chỉ tiêu này."}
		}
		out = append(out, v)
	}
	return out
}

// averages computes indicator 2.2 per procedure.
func averages(procs []*motcua.Procedure, sums map[int64]*[2]int64, cal motcua.Calendar) []motcua.ProcedureAverage {
	byID := map[int64]*motcua.Procedure{}
	for _, p := range procs {
		byID[p.ID] = p
	}
	var out []motcua.ProcedureAverage
	for pid, s := range sums {
		p := byID[pid]
		if p == nil || s[1] == 0 {
			continue
		}
		avg := time.Duration(s[0]/s[1]) * time.Millisecond // the sums are in milliseconds
		a := motcua.ProcedureAverage{ProcedureID: pid, Code: p.Code, Name: p.Name, Finished: s[1]}
		unit := motcua.UnitWorkingDays
		if p.TimeLimit != nil {
			unit = p.TimeLimit.Unit
		}
		switch unit {
		case motcua.UnitWorkingHours:
			a.Average = avg.Hours()
		case motcua.UnitWorkingDays:
			a.Average = float64(avg) / float64(cal.WorkingDayLength())
		case motcua.UnitCalendarDays:
			a.Average = avg.Hours() / 24
		case motcua.UnitMonths:
			a.Average = avg.Hours() / 24 / 30
		}
		a.Unit = unit.Label()
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Code < out[j].Code || (out[i].Code == out[j].Code && out[i].ProcedureID < out[j].ProcedureID)
	})
	return out
}

// publishedProcedures lists the whole published catalogue (cached: the
// index reads it at every call; callers must not change the procedures).
func (s *Service) publishedProcedures(ctx context.Context) ([]*motcua.Procedure, error) {
	now := s.now()
	cached, ok, gen := s.published.get(0, now)
	if ok {
		return cached, nil
	}
	var all []*motcua.Procedure
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		for offset := 0; ; offset += 500 {
			page, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{PublishedOnly: true, Limit: 500, Offset: offset})
			if err != nil {
				return err
			}
			all = append(all, page...)
			if len(page) < 500 {
				return nil
			}
		}
	})
	if err != nil {
		return nil, err
	}
	s.published.put(0, all, gen, now)
	return all, nil
}
