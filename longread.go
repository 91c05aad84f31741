package motcua

import "context"

type longReadKey struct{}

// NewContextLongRead returns ctx marked as carrying long reads: a report
// computed from the dossiers themselves, which scans a period and may hold
// a database connection for a second. A store runs the reads of such a
// context on a few connections of their own (or bounds how many run at
// once), so that reports opened together never make the short reads of
// the counters, inboxes and lookups wait for a connection.
func NewContextLongRead(ctx context.Context) context.Context {
	return context.WithValue(ctx, longReadKey{}, true)
}

// IsLongRead reports whether ctx was marked by NewContextLongRead.
func IsLongRead(ctx context.Context) bool {
	b, _ := ctx.Value(longReadKey{}).(bool)
	return b
}
