package motcua_test

import (
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
		Status:     motcua.Status{State: motcua.StateResultReady, ResultFileRef: "kq.pdf"}}
	want := motcua.FlagOnline | motcua.FlagVNeID | motcua.FlagDigitized | motcua.FlagFromStore | motcua.FlagFeeBearing |
		motcua.FlagPaidOnline | motcua.FlagResultFile | motcua.FlagResultIssued
	if got := motcua.FlagsOf(d); got != want {
		t.Errorf("flags %b, want %b", got, want)
	}
}

// TestStatDeltasCancel checks the live-counter changes of a dossier
// received, extended before its appointment and finished: the future move
// to overdue planned at reception is cancelled by the extension and the
// finish, so every stock nets to zero after the finish.
func TestStatDeltasCancel(t *testing.T) {
	received := vn(2025, 3, 10, 9, 0)
	s0 := motcua.Status{}
	s1 := motcua.Status{State: motcua.StateReceived, ReceivedAt: received, DueAt: vn(2025, 3, 13, 9, 0)}
	s2 := s1
	s2.DueAt = vn(2025, 3, 18, 17, 0) // extended on 12 Mar
	s3 := s2
	s3.State, s3.FinishedAt = motcua.StateResultReady, vn(2025, 3, 19, 9, 0)
	s3.Report.Class = motcua.Late
	var all []motcua.StatDelta
	all = append(all, motcua.StatDeltasOf(1, motcua.ChannelCounter, &s0, &s1, received)...)
	all = append(all, motcua.StatDeltasOf(1, motcua.ChannelCounter, &s1, &s2, vn(2025, 3, 12, 9, 0))...)
	all = append(all, motcua.StatDeltasOf(1, motcua.ChannelCounter, &s2, &s3, s3.FinishedAt)...)
	stock := func(day motcua.Day) map[motcua.Metric]int64 {
		m := map[motcua.Metric]int64{}
		for _, d := range all {
			if d.Day <= day && d.Metric >= motcua.MetricStockWaiting {
				m[d.Metric] += d.N
			}
		}
		return m
	}
	day := func(y int, mo time.Month, d int) motcua.Day { return motcua.DayOf(vn(y, mo, d, 12, 0)) }
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
	counts := map[motcua.Metric]int64{}
	for _, d := range all {
		if d.Metric < motcua.MetricStockWaiting {
			counts[d.Metric] += d.N
		}
	}
	if counts[motcua.MetricReceivedDirect] != 1 || counts[motcua.MetricFinishedLate] != 1 || len(counts) != 2 {
		t.Errorf("flows %v", counts)
	}
}
