package sqlstore

import (
	"context"
	"path/filepath"
	"testing"
)

// TestReaderPageCacheSizes checks the page cache each kind of connection
// runs with: the readers' is Options.ReaderCacheKiB (4000 by default), the
// long reads' longReadCacheKiB. The pools share database/sql's
// connections, so a connection a long read held is checked again once an
// ordinary read takes it. The caches live outside the Go heap, where no
// memory limit sees them (docs/deployment.md §17).
func TestReaderPageCacheSizes(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		opt, want int
	}{{0, 4000}, {3000, 3000}} {
		db, err := Open(filepath.Join(t.TempDir(), "m.db"), Options{ReadConns: 1, LongReadConns: 1, ReaderCacheKiB: c.opt})
		if err != nil {
			t.Fatal(err)
		}
		size := func(p *pconn) int {
			var n int
			if err := p.c.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		r, err := db.rpool.get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := size(r); got != -c.want {
			t.Errorf("ReaderCacheKiB %d: a reader's cache_size is %d, want %d", c.opt, got, -c.want)
		}
		l, err := db.lpool.get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := size(l); got != -longReadCacheKiB {
			t.Errorf("a long read's cache_size is %d, want %d", got, -longReadCacheKiB)
		}
		// Hand both driver connections back to database/sql and let the
		// reader pool take one again.
		db.rpool.discard(r)
		db.lpool.discard(l)
		r, err = db.rpool.get(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := size(r); got != -c.want {
			t.Errorf("ReaderCacheKiB %d: a reused reader's cache_size is %d, want %d", c.opt, got, -c.want)
		}
		db.rpool.put(r)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
