package service_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestReportsAgreeWithRecount builds random histories — receptions at the
// counter and online, supplements at reception and after appraisal, some
// never brought (closed by the job), extensions, withdrawals, stops, late
// and early results, dossiers left pending — and, for random periods,
// checks that (1) report 06a from the dossiers and from the live counters
// are equal, (2) every row satisfies 3 = 7 + 11, and (3) both agree with a
// direct recount made by replaying every dossier's whole history to the
// period's end; and that indicator 2.1 agrees with the same recount.
func TestReportsAgreeWithRecount(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			sqltest.Run(t, func(t *testing.T, e sqltest.Engine) { reportProperty(t, e, seed) })
		})
	}
}

func reportProperty(t *testing.T, e sqltest.Engine, seed uint64) {
	no, yes := false, true
	s := newSmall(t, e, func(p *motcua.Procedure) {
		p.PaperResult, p.FullOnlineEligible, p.ForCitizens, p.ServiceLevel = &no, &no, &yes, motcua.ServicePartial
	})
	rng := rand.New(rand.NewPCG(seed, 99))
	cal := s.svc.Calendar()
	hours := func(lo, hi float64) time.Duration {
		return time.Duration((lo + rng.Float64()*(hi-lo)) * float64(time.Hour))
	}
	later := func(t0 time.Time, lo, hi float64) time.Time {
		return cal.AddWorking(cal.NextWorkingMoment(t0), hours(lo, hi))
	}
	try := func(name, user string, at time.Time, in service.ActInput) bool {
		s.set(at)
		if in.Reason == "" {
			in.Reason = "Lý do."
		}
		_, err := s.svc.Act(s.ctxOf(user), s.codes[name], in)
		if err != nil && motcua.ErrorCode(err) == motcua.EINTERNAL {
			t.Fatalf("%s %s: %v", name, in.Action, err)
		}
		return err == nil
	}
	// A second procedure carrying the attributes indicators 3.0, 3.1,
	// 3.3, 4.1 and 4.5a read, so that every index formula sees dossiers.
	// Its one working day is shorter than the three days within which the
	// appraisal may still ask for a supplement, so some requests come
	// after the appointment (late for indicator 2.1).
	one := motcua.TimeLimit{Value: 1, Unit: motcua.UnitWorkingDays}
	attributed := &motcua.Procedure{Code: "9.000002", Name: "Thủ tục có kết quả giấy", Level: motcua.LevelCommune, TimeLimit: &one,
		Published: true, PaperResult: &yes, FullOnlineEligible: &yes, ForCitizens: &yes, ServiceLevel: motcua.ServiceFull,
		Components: []motcua.Component{{Name: "Tờ khai", Mandatory: true}, {Name: "Giấy chứng nhận cũ", Reusable: true}}}
	must(t, s.svc.SetupProcedure(ctx, attributed))
	plain := s.proc
	const n = 160
	for i := range n {
		name := fmt.Sprint("D", i)
		s.proc = plain
		if rng.IntN(2) == 0 {
			s.proc = attributed
		}
		c := "a"
		if rng.IntN(3) == 0 {
			c = "b"
		}
		at := cal.NextWorkingMoment(vn(2025, 2, 1, 8, 0).Add(time.Duration(rng.IntN(85*24)) * time.Hour))
		// Flags the index counts: digitized or reused components, an
		// applicant identified through VNeID, postal intake.
		comp := provided
		scan := false // a signed scan of the first component, at reception
		switch rng.IntN(4) {
		case 0:
			scan = true
		case 1:
			comp[1] = service.ComponentInput{Reused: true}
		}
		var who motcua.Applicant
		if rng.IntN(3) == 0 {
			who = motcua.Applicant{FullName: "Người nộp " + name, IDNumber: "089186001234", VNeIDVerified: true}
		}
		channel := motcua.ChannelCounter
		if rng.IntN(6) == 0 {
			channel = motcua.ChannelPost
		}
		switch r := rng.IntN(20); {
		case r < 3: // online: submitted, received within a working day or so
			s.receive(name, c, at, motcua.ChannelOnline, service.DecisionSubmit, comp, who)
			at = later(at, 0.5, 12)
			if !try(name, "reception."+c, at, service.ActInput{Action: motcua.ActReceive}) {
				continue
			}
		case r < 5: // asked for a supplement at the counter first
			s.receive(name, c, at, channel, service.DecisionSupplement, comp, who)
			if rng.IntN(4) == 0 {
				continue // never comes back
			}
			at = later(at, 4, 60)
			if !try(name, "reception."+c, at, service.ActInput{Action: motcua.ActReceive}) {
				continue
			}
		default:
			s.receive(name, c, at, channel, "", comp, who)
		}
		if scan {
			s.scan(name, "reception."+c)
		}
		if rng.IntN(12) == 0 {
			continue // left waiting for transfer
		}
		at = later(at, 0.2, 5)
		try(name, "reception."+c, at, service.ActInput{Action: motcua.ActTransfer})
		for rng.IntN(5) == 0 { // sometimes more than once, sometimes after the appointment
			at = later(at, 1, 20)
			if !try(name, "specialist."+c, at, service.ActInput{Action: motcua.ActRequestSupplement}) || rng.IntN(3) == 0 {
				break
			}
			at = later(at, 4, 90)
			try(name, "reception."+c, at, service.ActInput{Action: motcua.ActSupplementReceived})
		}
		switch rng.IntN(25) {
		case 0:
			try(name, "reception."+c, later(at, 1, 10), service.ActInput{Action: motcua.ActWithdraw})
			continue
		case 1:
			try(name, "leader."+c, later(at, 1, 10), service.ActInput{Action: motcua.ActStop})
			continue
		}
		if rng.IntN(10) == 0 {
			try(name, "leader."+c, later(at, 0.5, 4), service.ActInput{Action: motcua.ActExtend,
				NewDueAt: cal.EndOfWorkingDay(at.Add(10 * 24 * time.Hour))})
		}
		if rng.IntN(8) == 0 {
			continue // still being appraised
		}
		at = later(at, 0.5, 30)
		try(name, "specialist."+c, at, service.ActInput{Action: motcua.ActForward})
		at = later(at, 0.5, 10)
		try(name, "leader."+c, at, service.ActInput{Action: motcua.ActApprove})
		at = later(at, 0.2, 6)
		result := service.ActInput{Action: motcua.ActIssueResult, ResultNumber: name + "/KQ"}
		if rng.IntN(2) == 0 {
			s.set(at)
			// An electronic result: a file the service signs, attached
			// when the dossier is approved (the approval may have failed).
			f, err := s.svc.AttachFile(s.ctxOf("specialist."+c), s.codes[name], motcua.ResultComponent, "ket-qua.pdf",
				bytes.NewReader(scanPage(t, "Kết quả "+name)))
			if err != nil && motcua.ErrorCode(err) == motcua.EINTERNAL {
				t.Fatalf("%s result file: %v", name, err)
			}
			if err == nil {
				result.ResultFileRef = f.IDString()
			}
		}
		try(name, "specialist."+c, at, result)
	}
	s.set(vn(2025, 6, 2, 8, 0))
	if _, err := s.svc.CloseExpiredSupplements(ctx); err != nil {
		t.Fatal(err)
	}

	// Every dossier's whole history, for the recount.
	type history struct {
		d      *motcua.Dossier
		events []motcua.Event
	}
	var all []history
	must(t, s.db.Read(ctx, func(tx motcua.Tx) error {
		for after := int64(0); ; {
			ds, err := tx.ReportDossiers(ctx, motcua.ReportFilter{AfterID: after, Limit: 500})
			if err != nil {
				return err
			}
			for _, d := range ds {
				evs, err := tx.Events(ctx, d.ID)
				if err != nil {
					return err
				}
				all = append(all, history{d, evs})
				after = d.ID
			}
			if len(ds) < 500 {
				return nil
			}
		}
	}))
	// Dossiers never received are not in ReportDossiers; they count
	// nowhere in 06a either.

	for k := range 16 {
		from := motcua.DayOf(vn(2025, 2, 1, 12, 0)) + motcua.Day(rng.IntN(100))
		to := from + motcua.Day(rng.IntN(60))
		if k%4 == 0 { // whole months, which the live index answers
			m := time.Month(2 + rng.IntN(4))
			from = motcua.DayOfDate(2025, m, 1)
			to = motcua.DayOfDate(2025, m+1+time.Month(rng.IntN(2)), 0)
		}
		p := motcua.Period{From: from, To: to}
		base, err := s.svc.Report06a(ctx, p, service.SourceBase)
		must(t, err)
		live, err := s.svc.Report06a(ctx, p, service.SourceLive)
		must(t, err)

		// Direct recount.
		want := map[int64]*motcua.Row06a{}
		scope, onTime := map[int64]int64{}, map[int64]int64{}
		T := to.End()
		for _, h := range all {
			st := h.d.Status
			if st.ReceivedAt.IsZero() || !st.ReceivedAt.Before(T) {
				continue
			}
			fin := st.FinishedAt
			finishedBefore := func(x time.Time) bool { return !fin.IsZero() && fin.Before(x) }
			if finishedBefore(p.From.Start()) {
				continue
			}
			r, ok := want[h.d.CompetentAgencyID]
			if !ok {
				r = &motcua.Row06a{AgencyID: h.d.CompetentAgencyID}
				want[h.d.CompetentAgencyID] = r
			}
			ag := h.d.CompetentAgencyID
			scope[ag]++
			switch {
			case st.ReceivedAt.Before(p.From.Start()):
				r.CarriedOver++
			case h.d.Channel == motcua.ChannelOnline:
				r.ReceivedOnline++
			default:
				r.ReceivedDirect++
			}
			if finishedBefore(T) {
				switch motcua.FinishClass(&st, motcua.VietnamTime) {
				case motcua.Early:
					r.Early++
				case motcua.Late:
					r.Late++
				default:
					r.FinishedOnTime++
				}
				if recount766Finished(&st) {
					onTime[ag]++
				}
				continue
			}
			var before []motcua.Event
			for _, e := range h.events {
				if e.At.Before(T) {
					before = append(before, e)
				}
			}
			then, err := motcua.Replay(before)
			must(t, err)
			r.Count(motcua.StockOf(&then).At(to))
			if recount766Pending(&then, T) {
				onTime[ag]++
			}
		}
		for _, rep := range []*motcua.Report06a{base, live} {
			got := map[int64]motcua.Row06a{}
			for _, r := range rep.Rows {
				got[r.AgencyID] = r
				if !r.Balanced() {
					t.Errorf("period %d %s: row %d unbalanced: %+v", k, rep.Source, r.AgencyID, r)
				}
			}
			for ag, w := range want {
				g := got[ag]
				g.AgencyID = ag
				if g != *w {
					t.Errorf("period %d (%s) %s, agency %d:\n got %+v\nwant %+v", k, p, rep.Source, ag, g, *w)
				}
			}
			for ag, g := range got {
				if _, ok := want[ag]; !ok && g != (motcua.Row06a{AgencyID: ag}) {
					t.Errorf("period %d %s: unexpected row %+v", k, rep.Source, g)
				}
			}
		}
		// The dossiers behind the figures, paged 50 at a time, are as
		// many as the figures say (standings worked out 7 at a time, so
		// that pages span several chunks).
		restore := service.SetDrillChunk(7)
		for _, c := range []struct {
			user   string
			agency int64
		}{{"leader.a", s.a.ID}, {"leader.b", s.b.ID}} {
			var row motcua.Row06a
			for _, r := range base.Rows {
				if r.AgencyID == c.agency {
					row = r
				}
			}
			for fig, n := range map[string]int64{"06a.4": row.Col(4), "06a.5": row.Col(5), "06a.6": row.Col(6), "06a.8": row.Col(8),
				"06a.9w": row.Waiting, "06a.10": row.Col(10), "06a.12": row.Col(12), "06a.13": row.Col(13),
				"766.2.1": scope[c.agency], "766.2.1-late": scope[c.agency] - onTime[c.agency]} {
				var got int64
				seen := map[int64]bool{}
				for after := int64(0); ; {
					page, err := s.svc.ReportDossiers(s.ctxOf(c.user), p, c.agency, fig, after)
					must(t, err)
					for _, d := range page.Dossiers {
						if seen[d.ID] || d.CompetentAgencyID != c.agency {
							t.Errorf("period %d %s: dossier %s listed twice or of another agency", k, fig, d.Code)
						}
						seen[d.ID] = true
					}
					got += int64(len(page.Dossiers))
					if page.Next == 0 {
						break
					}
					after = page.Next
				}
				if got != n {
					t.Errorf("period %d (%s), agency %d: %s lists %d dossiers, the report says %d", k, p, c.agency, fig, got, n)
				}
			}
		}

		restore()

		idx, err := s.svc.Index766From(ctx, p, service.SourceBase)
		must(t, err)
		if p.WholeMonths() {
			live, err := s.svc.Index766From(ctx, p, service.SourceLive)
			must(t, err)
			if !reflect.DeepEqual(idx.Units, live.Units) || !reflect.DeepEqual(idx.Averages, live.Averages) {
				t.Errorf("period %d (%s): the index differs between sources:\nbase %+v\nlive %+v", k, p, idx.Units, live.Units)
			}
		}
		for _, u := range idx.Units {
			for _, v := range u.Values {
				if v.ID != "2.1" || u.AgencyID == 0 {
					continue
				}
				if v.Den != scope[u.AgencyID] || v.Num != onTime[u.AgencyID] {
					t.Errorf("period %d: agency %d indicator 2.1 = %d/%d, recount %d/%d", k, u.AgencyID, v.Num, v.Den, onTime[u.AgencyID], scope[u.AgencyID])
				}
			}
		}
	}
}

// recount766Finished applies indicator 2.1 to a finished dossier from its
// status alone (the report facts are not read back from the store).
func recount766Finished(st *motcua.Status) bool {
	if len(st.Supplements) > 1 {
		return false
	}
	if st.DueAt.IsZero() {
		return true
	}
	return !motcua.End766(st).After(st.DueAt)
}

// recount766Pending applies indicator 2.1 to a dossier pending at T with
// status st then: more than one supplement request makes it overdue; one
// waiting for its supplement is judged at the request; any other at T.
func recount766Pending(st *motcua.Status, T time.Time) bool {
	n := len(st.Supplements)
	if n > 1 {
		return false
	}
	if st.DueAt.IsZero() {
		return true
	}
	end := T
	if st.State == motcua.StateAwaitingSupplement && n == 1 {
		end = st.Supplements[0].RequestedAt
	}
	return !end.After(st.DueAt)
}
