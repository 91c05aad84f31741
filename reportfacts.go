package motcua

import "time"

// ReportFlags are per-dossier facts that the QĐ 766 index counts, kept as a
// bit set so that reports aggregate them in one pass.
type ReportFlags uint32

// Report flags (the national portal's field names in parentheses).
const (
	FlagOnline       ReportFlags = 1 << iota // submitted online (KenhThucHien = 2)
	FlagDigitized                            // a component scanned into an electronic copy (TaiLieuNop.DuocSoHoa)
	FlagReused                               // a component reused from an earlier digitized result (HoSoCoThanhPhanSoHoa)
	FlagFromStore                            // a component taken from the citizen's e-data store (DuocLayTuKhoDMQG)
	FlagVNeID                                // the applicant's account authenticated with VNeID (TaiKhoanDuocXacThucVoiVNeID)
	FlagPopulationDB                         // applicant data from the population database (MaCSDL)
	FlagResultFile                           // a signed electronic result file is recorded (DuongDanTepTinKetQua; Status.ResultSigned)
	FlagFeeBearing                           // at least one fee line with a non-zero amount
	FlagPaidOnline                           // unused: indicator 3.6 reads the payment records (PaymentAggs); kept so that later bits keep their values
	FlagResultIssued                         // a result was issued (with or without a file)
)

// Has reports whether every flag of f is set.
func (r ReportFlags) Has(f ReportFlags) bool { return r&f == f }

// Identity reports whether the applicant was identified through VNeID, the
// e-data store or the population database (indicator 4.5).
func (r ReportFlags) Identity() bool { return r&(FlagVNeID|FlagFromStore|FlagPopulationDB) != 0 }

// DigitizedOK reports whether indicator 4.2 counts the dossier digitized: a
// component was digitized and, when a result was issued, it has an
// electronic file.
func (r ReportFlags) DigitizedOK() bool {
	return r.Has(FlagDigitized) && (!r.Has(FlagResultIssued) || r.Has(FlagResultFile))
}

// FlagsOf returns the report flags of a dossier.
func FlagsOf(d *Dossier) ReportFlags {
	var f ReportFlags
	if d.Channel == ChannelOnline {
		f |= FlagOnline
	}
	for _, c := range d.Components {
		if c.Digitized {
			f |= FlagDigitized
		}
		if c.Reused {
			f |= FlagReused
		}
		if c.TakenFromStore {
			f |= FlagFromStore
		}
	}
	if d.Applicant.VNeIDVerified {
		f |= FlagVNeID
	}
	if d.Applicant.Source == SourcePopulationDB {
		f |= FlagPopulationDB
	}
	if d.Status.ResultSigned {
		f |= FlagResultFile
	}
	if d.Status.State == StateResultReady || (d.Status.State == StateReturned && d.Status.ResultNumber != "") || d.Status.ResultFileRef != "" {
		f |= FlagResultIssued
	}
	for _, fee := range d.Fees {
		if fee.Amount > 0 {
			f |= FlagFeeBearing
		}
	}
	return f
}

// ReportFacts are what the reports read of a dossier, kept next to its
// status so that a period's figures are sums over plain columns rather than
// replays of histories. They are computed by ReportFactsOf after every
// event.
type ReportFacts struct {
	// Class is the report-06a verdict on a finished dossier: early, on time
	// or late against its (final) appointment; dossiers withdrawn, stopped
	// or closed count as on time, as the template says. "" while pending.
	Class Timeliness
	// OnTime766 is the QĐ 766 indicator 2.1 verdict on a finished dossier.
	OnTime766 bool
	// HandleMS is the handling time of a finished dossier, without the
	// supplement waits, in working time for working-time limits and in
	// elapsed time otherwise (indicator 2.2).
	HandleMS int64
	// Supplements counts the supplement requests so far, the last of
	// which was made at LastRequestAt.
	Supplements   int
	LastRequestAt time.Time
	// LastEventAt is the time of the latest event.
	LastEventAt time.Time
	Flags       ReportFlags
}

// ReportFactsOf computes the report facts of d (whose Status is current),
// received under procedure p, with cal measuring working time.
func ReportFactsOf(d *Dossier, p *Procedure, cal Calendar) ReportFacts {
	s := &d.Status
	f := ReportFacts{Supplements: len(s.Supplements), Flags: FlagsOf(d)}
	if n := len(s.Supplements); n > 0 {
		f.LastRequestAt = s.Supplements[n-1].RequestedAt
	}
	if !s.ReceivedAt.IsZero() && s.State.Finished() {
		f.Class = FinishClass(s, cal.Location())
		end := End766(s)
		handled := handling(s, end, p, cal)
		f.HandleMS = handled.Milliseconds()
		f.OnTime766 = onTime766(s, end, handled, p, cal)
	}
	return f
}

// FinishClass is the report-06a verdict on a finished dossier.
func FinishClass(s *Status, loc *time.Location) Timeliness {
	switch s.State {
	case StateWithdrawn, StateStopped, StateClosed:
		return OnTime
	}
	if v := Judge(s.FinishedAt, s.DueAt, loc); v != "" {
		return v
	}
	return OnTime // no appointment: the law sets no limit
}

// End766 is when a dossier's handling ended for indicator 2.1: the result,
// refusal, stop or withdrawal; for a dossier closed for want of a
// supplement, the (single) request that began the wait.
func End766(s *Status) time.Time {
	if s.State == StateClosed && len(s.Supplements) > 0 {
		return s.Supplements[len(s.Supplements)-1].RequestedAt
	}
	return s.FinishedAt
}

// handling is the time between the clock's first start and end, less the
// supplement waits, in the basis of the procedure's unit.
func handling(s *Status, end time.Time, p *Procedure, cal Calendar) time.Duration {
	working := p.TimeLimit == nil || p.TimeLimit.Unit == UnitWorkingDays || p.TimeLimit.Unit == UnitWorkingHours
	span := func(a, b time.Time) time.Duration {
		if !b.After(a) {
			return 0
		}
		if working {
			return cal.WorkingBetween(a, b)
		}
		return b.Sub(a)
	}
	total := span(s.ReceivedAt, end)
	for _, sup := range s.Supplements {
		if sup.RequestedAt.Before(s.ReceivedAt) {
			continue // asked before reception: not part of the handling
		}
		done := sup.CompletedAt
		if done.IsZero() || done.After(end) {
			done = end
		}
		total -= span(sup.RequestedAt, done)
	}
	return max(total, 0)
}

// limitOf is a procedure's maximum handling time in the basis of handling.
func limitOf(p *Procedure, cal Calendar) (time.Duration, bool) {
	if p.TimeLimit == nil {
		return 0, false
	}
	l := *p.TimeLimit
	switch l.Unit {
	case UnitWorkingHours:
		return time.Duration(l.Value * float64(time.Hour)), true
	case UnitWorkingDays:
		if l.Value == 0 {
			return cal.WorkingDayLength(), true
		}
		return time.Duration(l.Value * float64(cal.WorkingDayLength())), true
	case UnitCalendarDays:
		return time.Duration(l.Value) * 24 * time.Hour, true
	case UnitMonths:
		return time.Duration(l.Value) * 30 * 24 * time.Hour, true
	}
	return 0, false
}

// onTime766 applies indicator 2.1 to a finished dossier: more than one
// supplement request makes it overdue; otherwise it is on time when it
// ended on or before its appointment; without an appointment, when its
// handling time (supplement waits subtracted) is within the procedure's
// maximum duration; with neither, it is on time.
func onTime766(s *Status, end time.Time, handled time.Duration, p *Procedure, cal Calendar) bool {
	if len(s.Supplements) > 1 {
		return false
	}
	if !s.DueAt.IsZero() {
		return !end.After(s.DueAt)
	}
	if limit, ok := limitOf(p, cal); ok {
		return handled <= limit
	}
	return true
}
