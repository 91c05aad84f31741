package motcua

import (
	"context"
	"time"
)

// ReportReader is a copy of the database that the reports may read from
// instead of the primary, such as a PostgreSQL streaming replica, so that
// month-end reporting does not take the primary's time from the counters.
// Implementations must be safe for concurrent use.
type ReportReader interface {
	// Read runs fn in a read-only transaction on the copy: one snapshot
	// for everything fn reads. fn must not write.
	Read(ctx context.Context, fn func(Tx) error) error
	// Freshness returns the moment up to which the copy holds every
	// change committed on the primary (its replay position), or an error
	// when the copy cannot be reached or is not replaying. A copy fully
	// caught up returns about the time of the call.
	Freshness(ctx context.Context) (asOf time.Time, err error)
}
