package motcua

import (
	"context"
	"time"
)

// ReceivedAgg counts the dossiers of one agency and procedure received in a
// span, by report flags.
type ReceivedAgg struct {
	AgencyID, ProcedureID int64
	Total, Online, Post   int64
	// Digitized counts dossiers with a digitized component and, when a
	// result was issued, its electronic file (indicator 4.2).
	Digitized int64
	Reused    int64 // indicator 4.3
	Identity  int64 // VNeID, store or population data (indicator 4.5b)
	// Store counts dossiers with a component taken from the national
	// store or whose result the national store accepted (indicator 4.4).
	Store int64
	// ResultFile counts dossiers with an electronic result file
	// (indicators 3.3, 4.1).
	ResultFile int64
	// OnlineWithResult counts online dossiers with an electronic result
	// file (indicator 3.3 for procedures requiring a paper result).
	OnlineWithResult int64
	// FeeBearing counts the dossiers with a non-zero fee (the denominator
	// of indicator 3.6). Only PeriodFacts fills it; elsewhere it is 0 and
	// the payment facts (PaymentAggs) give it.
	FeeBearing int64
}

// Add adds every count of a to r (not its agency and procedure).
func (r *ReceivedAgg) Add(a ReceivedAgg) {
	r.Total += a.Total
	r.Online += a.Online
	r.Post += a.Post
	r.Digitized += a.Digitized
	r.Reused += a.Reused
	r.Identity += a.Identity
	r.Store += a.Store
	r.ResultFile += a.ResultFile
	r.OnlineWithResult += a.OnlineWithResult
	r.FeeBearing += a.FeeBearing
}

// FinishedAgg counts the dossiers of one agency and procedure finished in a
// span (received ones only), by report-06a class, with indicator 2.1's
// count and the handling time for indicator 2.2.
type FinishedAgg struct {
	AgencyID, ProcedureID int64
	Early, OnTime, Late   int64
	OnTime766             int64
	HandleMS              int64 // sum
}

// PendingRecord is a dossier pending at a moment: received before it and
// not finished before it, with its current standing and the time of its
// last change. When that change came after the moment, Now is not read
// (it may be empty): the dossier's history tells its standing then.
type PendingRecord struct {
	DossierID, AgencyID, ProcedureID int64
	Now                              Pending766 // the current standing
	LastEventAt                      time.Time
	// Then is the standing at the moment of a dossier changed since,
	// when the store read it from the record of standings with the
	// dossier (Recorded); otherwise the caller reads it (StandingsAt).
	Then     Standing
	Recorded bool
}

// HistoryLine is the part of an event the reports replay.
type HistoryLine struct {
	DossierID int64
	Action    Action
	At        time.Time
	ToState   State
	DueAt     time.Time
}

// ReportStore answers the reports' questions with aggregates over the
// dossiers' report columns and the live counters.
type ReportStore interface {
	PeriodFactsReader
	// ReceivedByAgency counts per agency the dossiers received in
	// [from, to): Total, Online and Post only.
	ReceivedByAgency(ctx context.Context, from, to time.Time) ([]ReceivedAgg, error)
	// FinishedByAgency counts per agency the received dossiers finished in
	// [from, to): Early, OnTime, Late and OnTime766 only.
	FinishedByAgency(ctx context.Context, from, to time.Time) ([]FinishedAgg, error)
	// ReceivedIn aggregates per agency and procedure the dossiers received
	// in [from, to).
	ReceivedIn(ctx context.Context, from, to time.Time) ([]ReceivedAgg, error)
	// FinishedIn aggregates per agency and procedure the received dossiers
	// finished in [from, to).
	FinishedIn(ctx context.Context, from, to time.Time) ([]FinishedAgg, error)
	// PendingAt lists the dossiers received before t and not finished
	// before t.
	PendingAt(ctx context.Context, t time.Time) ([]PendingRecord, error)
	// CountPendingAt counts them per agency.
	CountPendingAt(ctx context.Context, t time.Time) (map[int64]int64, error)
	// HistoryBefore returns the history lines before t of the dossiers,
	// oldest first per dossier.
	HistoryBefore(ctx context.Context, dossierIDs []int64, t time.Time) ([]HistoryLine, error)
	// StandingsBefore returns, per dossier with history lines before t,
	// its standing after the last of them: ReplayHistory of
	// HistoryBefore's lines, computed without returning every line. A
	// dossier without a line before t is absent.
	StandingsBefore(ctx context.Context, dossierIDs []int64, t time.Time) (map[int64]Pending766, error)
	// AddStats adds changes to the live counters (see Rollup). A store may
	// defer the writes to the end of the transaction.
	AddStats(ctx context.Context, deltas []StatDelta) error
	// FoldStats moves counter changes a store deferred into the counters
	// (see AddStats) and returns how many counters it changed; readers see
	// the same sums before and after.
	FoldStats(ctx context.Context) (int64, error)
	// SumStats sums the stored counters of metrics over the segments, per
	// agency, metric and procedure (0 for agency-level counters).
	SumStats(ctx context.Context, segs []Segment, metrics []Metric) ([]StatTotal, error)
	// ReportDossiers lists dossiers for a figure's drill-down.
	ReportDossiers(ctx context.Context, f ReportFilter) ([]*Dossier, error)
}

// ReportFilter selects the dossiers behind a figure. Only the set fields
// apply; IDs restricts to given dossiers (pending sets computed in Go).
type ReportFilter struct {
	AgencyID     int64
	ReceivedFrom time.Time
	ReceivedTo   time.Time
	FinishedFrom time.Time
	FinishedTo   time.Time
	Class        Timeliness
	OnTime766    *bool
	Channel      Channel
	FlagsAll     ReportFlags
	FlagsAny     ReportFlags
	FlagsNone    ReportFlags
	// DigitizedOK selects dossiers counted digitized by indicator 4.2.
	DigitizedOK bool
	IDs         []int64
	// Order is the order of the list: by id (the default), or by the time
	// of reception or finish (then id), which follows the indexes of a
	// period's receptions and finishes so that a page is found without
	// sorting the whole period. AfterID continues the list after that
	// dossier, in the list's order.
	Order   ReportOrder
	AfterID int64
	Limit   int
}

// ReportOrder is the order of a drill-down list.
type ReportOrder uint8

// Orders.
const (
	OrderByID ReportOrder = iota
	OrderByReception
	OrderByFinish
)
