package motcua

import "context"

type noSnapshotKey struct{}

// NewContextNoSnapshot returns ctx marked as carrying reads that need no
// snapshot shared between their statements: each statement may see what
// was committed when it started, as two page loads a moment apart would.
// Mark only a read that runs one statement, or statements whose results do
// not have to agree with one another (immutable rows, a count shown beside
// a list). A store may then run those statements without opening a
// transaction (on PostgreSQL: no BEGIN and ROLLBACK round trips, a third
// of the statements of a typical staff page); the reads stay read-only.
func NewContextNoSnapshot(ctx context.Context) context.Context {
	return context.WithValue(ctx, noSnapshotKey{}, true)
}

// IsNoSnapshot reports whether ctx was marked by NewContextNoSnapshot.
func IsNoSnapshot(ctx context.Context) bool {
	b, _ := ctx.Value(noSnapshotKey{}).(bool)
	return b
}
