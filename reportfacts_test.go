package motcua_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// TestReportFacts checks the 06a class and the indicator 2.1 verdict of
// finished dossiers, worked out by hand (07:30–11:30, 13:00–17:00).
func TestReportFacts(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	three := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
	p := &motcua.Procedure{TimeLimit: &three}
	received := vn(2025, 3, 10, 9, 0)
	wait := motcua.Supplement{Stage: motcua.StageAppraisal, RequestedAt: vn(2025, 3, 11, 9, 0), CompletedAt: vn(2025, 3, 13, 9, 0)}

	// Imported without an appointment: handling Mon 10 09:00 → Mon 17
	// 09:00 is 6.5 + 8 × 4 + 1.5 = 40 working hours, less the wait Tue 11
	// 09:00 → Thu 13 09:00 (6.5 + 8 + 1.5 = 16 h): 24 h, exactly the three
	// working days allowed. One minute later it is late; without
	// subtracting the wait it would be 40 h.
	d := &motcua.Dossier{Status: motcua.Status{State: motcua.StateResultReady, ReceivedAt: received,
		FinishedAt: vn(2025, 3, 17, 9, 0), Supplements: []motcua.Supplement{wait}}}
	f := motcua.ReportFactsOf(d, p, cal)
	if f.HandleMS != (24*time.Hour).Milliseconds() || !f.OnTime766 || f.Class != motcua.OnTime || f.Supplements != 1 {
		t.Errorf("no appointment, exactly in time: %+v", f)
	}
	d.Status.FinishedAt = vn(2025, 3, 17, 9, 1)
	if f := motcua.ReportFactsOf(d, p, cal); f.OnTime766 {
		t.Errorf("no appointment, a minute over: %+v", f)
	}

	// With an appointment, two supplement requests make 2.1 overdue even
	// when the result came early.
	d = &motcua.Dossier{Status: motcua.Status{State: motcua.StateResultReady, ReceivedAt: received, DueAt: vn(2025, 3, 20, 9, 0),
		FinishedAt: vn(2025, 3, 17, 9, 0), Supplements: []motcua.Supplement{{Stage: motcua.StageReception, RequestedAt: vn(2025, 3, 7, 9, 0)}, wait}}}
	if f := motcua.ReportFactsOf(d, p, cal); f.Class != motcua.Early || f.OnTime766 {
		t.Errorf("two requests: %+v", f)
	}

	// Withdrawn: on time in 06a whatever the date; 2.1 judges its end
	// against the appointment.
	d = &motcua.Dossier{Status: motcua.Status{State: motcua.StateWithdrawn, ReceivedAt: received, DueAt: vn(2025, 3, 13, 9, 0),
		FinishedAt: vn(2025, 3, 14, 9, 0)}}
	if f := motcua.ReportFactsOf(d, p, cal); f.Class != motcua.OnTime || f.OnTime766 {
		t.Errorf("withdrawn after the appointment: %+v", f)
	}

	// Closed for want of a supplement: 2.1 ends at the request, which
	// came before the appointment.
	d = &motcua.Dossier{Status: motcua.Status{State: motcua.StateClosed, ReceivedAt: received, DueAt: vn(2025, 3, 13, 9, 0),
		FinishedAt: vn(2025, 3, 26, 17, 1), Supplements: []motcua.Supplement{{Stage: motcua.StageAppraisal, RequestedAt: vn(2025, 3, 11, 9, 0)}}}}
	if f := motcua.ReportFactsOf(d, p, cal); f.Class != motcua.OnTime || !f.OnTime766 {
		t.Errorf("closed: %+v", f)
	}

	// Flags.
	d = &motcua.Dossier{Channel: motcua.ChannelOnline, Applicant: motcua.Applicant{VNeIDVerified: true},
		Components: []motcua.DossierComponent{{Digitized: true}, {TakenFromStore: true}},
		Fees:       []motcua.DossierFee{{Amount: 0}, {Amount: 8000, PaidOnline: true}},
		Status:     motcua.Status{State: motcua.StateResultReady, ResultFileRef: "17", ResultSigned: true}}
	// A fee line claiming to be paid online sets nothing: paid is what
	// the payment records say.
	want := motcua.FlagOnline | motcua.FlagVNeID | motcua.FlagDigitized | motcua.FlagFromStore | motcua.FlagFeeBearing |
		motcua.FlagResultFile | motcua.FlagResultIssued
	if got := motcua.FlagsOf(d); got != want {
		t.Errorf("flags %b, want %b", got, want)
	}
	// A result file not known to be signed (uploaded while signing was
	// off, or kept elsewhere) is issued but not electronic.
	d.Status.ResultSigned = false
	if got := motcua.FlagsOf(d); got != want&^motcua.FlagResultFile {
		t.Errorf("unsigned result file: flags %b, want %b", got, want&^motcua.FlagResultFile)
	}
}

// TestStatDeltasCancel checks the live-counter changes of a dossier
// received, extended before its appointment and finished: the future move
// to overdue planned at reception is cancelled by the extension and the
// finish, so every stock nets to zero after the finish.
func TestStatDeltasCancel(t *testing.T) {
	received := vn(2025, 3, 10, 9, 0)
	d := &motcua.Dossier{CompetentAgencyID: 1, ProcedureID: 7, Channel: motcua.ChannelCounter}
	var all []motcua.StatDelta
	step := func(next motcua.Status, at time.Time) {
		prev := d.Status
		d.Status = next
		all = append(all, motcua.StatDeltasOf(d, &prev, at)...)
	}
	s1 := motcua.Status{State: motcua.StateReceived, ReceivedAt: received, DueAt: vn(2025, 3, 13, 9, 0)}
	s1.Report.Flags = motcua.FlagDigitized
	step(s1, received)
	s2 := s1
	s2.DueAt = vn(2025, 3, 18, 17, 0) // extended on 12 Mar
	step(s2, vn(2025, 3, 12, 9, 0))
	s3 := s2
	s3.State, s3.FinishedAt = motcua.StateResultReady, vn(2025, 3, 19, 9, 0)
	s3.Report = motcua.ReportFacts{Class: motcua.Late, HandleMS: 5000, Flags: motcua.FlagDigitized | motcua.FlagResultIssued}
	step(s3, s3.FinishedAt)

	stock := func(day motcua.Day) map[motcua.Metric]int64 {
		m := map[motcua.Metric]int64{}
		for _, d := range all {
			if d.Day <= day && d.Metric >= motcua.MetricStockWaiting && d.Metric <= motcua.MetricStockOverdueMulti {
				m[d.Metric] += d.N
			}
		}
		return m
	}
	day := func(y int, mo time.Month, d int) motcua.Day { return motcua.DayOfDate(y, mo, d) }
	for _, c := range []struct {
		d                        motcua.Day
		within, overdue, waiting int64
	}{
		{day(2025, 3, 10), 1, 0, 0}, {day(2025, 3, 13), 1, 0, 0}, // extended before the old appointment passed
		{day(2025, 3, 18), 0, 1, 0}, // the new one passed at 17:00
		{day(2025, 3, 19), 0, 0, 0}, {day(2025, 4, 30), 0, 0, 0},
	} {
		m := stock(c.d)
		if m[motcua.MetricStockWithin] != c.within || m[motcua.MetricStockOverdue] != c.overdue || m[motcua.MetricStockWaiting] != c.waiting {
			t.Errorf("end of day %s: %v", motcua.FormatDate(c.d.Start()), m)
		}
	}
	type flow struct {
		m         motcua.Metric
		procedure int64
		day       motcua.Day
	}
	counts := map[flow]int64{}
	for _, d := range all {
		if d.Metric < motcua.MetricStockWaiting || d.Metric.PerProcedure() {
			counts[flow{d.Metric, d.ProcedureID, d.Day}] += d.N
		}
	}
	for k, n := range counts {
		if n == 0 {
			delete(counts, k)
		}
	}
	// The result came without its electronic file: indicator 4.2 no
	// longer counts the dossier digitized, on its reception day.
	want := map[flow]int64{
		{motcua.MetricReceivedDirect, 0, day(2025, 3, 10)}: 1,
		{motcua.MetricProcReceived, 7, day(2025, 3, 10)}:   1,
		{motcua.MetricFinishedLate, 0, day(2025, 3, 19)}:   1,
		{motcua.MetricProcFinished, 7, day(2025, 3, 19)}:   1,
		{motcua.MetricProcHandleMS, 7, day(2025, 3, 19)}:   5000,
	}
	if !reflect.DeepEqual(counts, want) {
		t.Errorf("flows %v, want %v", counts, want)
	}
}

// TestStock766 checks indicator 2.1's verdict on pending dossiers through
// the stock counters: asked twice is late whatever the appointment, waiting
// is judged at the request.
func TestStock766(t *testing.T) {
	due := vn(2025, 3, 13, 9, 0)
	x := motcua.DayOfDate(2025, 3, 12)
	req := func(at time.Time) motcua.Supplement { return motcua.Supplement{RequestedAt: at} }
	for _, c := range []struct {
		name  string
		s     motcua.Status
		day   motcua.Day
		ok    bool
		whose motcua.Metric
	}{
		{"within", motcua.Status{State: motcua.StateProcessing, DueAt: due}, x, true, motcua.MetricStockWithin},
		{"overdue", motcua.Status{State: motcua.StateProcessing, DueAt: due}, x + 1, false, motcua.MetricStockOverdue},
		{"asked twice", motcua.Status{State: motcua.StateProcessing, DueAt: due,
			Supplements: []motcua.Supplement{req(vn(2025, 3, 11, 8, 0)), req(vn(2025, 3, 11, 9, 0))}}, x, false, motcua.MetricStockWithinMulti},
		{"waiting, asked in time", motcua.Status{State: motcua.StateAwaitingSupplement, DueAt: due,
			Supplements: []motcua.Supplement{req(vn(2025, 3, 11, 8, 0))}}, x + 30, true, motcua.MetricStockWaiting},
		{"waiting, asked late", motcua.Status{State: motcua.StateAwaitingSupplement, DueAt: due,
			Supplements: []motcua.Supplement{req(vn(2025, 3, 13, 10, 0))}}, x, false, motcua.MetricStockWaitingLate},
		{"no limit", motcua.Status{State: motcua.StateProcessing}, x + 400, true, motcua.MetricStockWithin},
	} {
		c.s.ReceivedAt = vn(2025, 3, 10, 9, 0)
		k := motcua.StockOf(&c.s)
		if got := k.OnTime766(c.day); got != c.ok {
			t.Errorf("%s: on time %v, want %v", c.name, got, c.ok)
		}
		// The counters at the end of the day hold it in the expected one.
		d := &motcua.Dossier{CompetentAgencyID: 1, Status: c.s}
		sum := map[motcua.Metric]int64{}
		for _, sd := range motcua.StockDeltas(1, &motcua.Status{}, &d.Status, c.s.ReceivedAt) {
			if sd.Day <= c.day {
				sum[sd.Metric] += sd.N
			}
		}
		for m, n := range sum {
			if n != 0 && m != c.whose || n == 0 && m == c.whose {
				t.Errorf("%s: counters %v, want it in %d", c.name, sum, c.whose)
			}
		}
		if sum[c.whose] != 1 {
			t.Errorf("%s: counters %v, want it in %d", c.name, sum, c.whose)
		}
	}
}
