package motcua

import (
	"context"
	"time"
)

// PeriodFacts are what report 06a and the QĐ 766 index read of the
// dossiers themselves for a period [from, to), gathered by one pass over
// the dossiers received in the period and one over those carried over into
// it (pending at from), instead of separate passes over the receptions and
// the finishes.
type PeriodFacts struct {
	// Received aggregates per agency and procedure the dossiers received
	// in the period: every field of ReceivedAgg, with Store counting only
	// the receptions flagged FlagFromStore (the results the national store
	// accepted are StoreResultsIn's) and FeeBearing those flagged
	// FlagFeeBearing (the payments are OnlinePaymentAggs').
	Received []ReceivedAgg
	// Finished aggregates per agency and procedure the received dossiers
	// finished in the period, whenever they were received.
	Finished []FinishedAgg
	// CarriedOver counts per agency the dossiers pending at from.
	CarriedOver map[int64]int64
	// Pending lists the dossiers pending at to, as PendingAt(to).
	Pending []PendingRecord
}

// PeriodFactsReader gathers a period's facts. It is part of ReportStore.
type PeriodFactsReader interface {
	// PeriodFacts gathers the facts of the dossiers for [from, to) (see
	// PeriodFacts), reading the report columns of the dossiers only.
	PeriodFacts(ctx context.Context, from, to time.Time) (*PeriodFacts, error)
}
