package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua"
)

// TestPageCachePool checks that Open gave SQLite's page caches the shared
// pool and that reads take their pages from it, not from malloc: a cache
// outside the pool costs about twice its pages in resident memory.
func TestPageCachePool(t *testing.T) {
	ctx := context.Background()
	db, err := Open(filepath.Join(t.TempDir(), "p.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := PageCacheBudget(); got < DefaultPageCacheBudget*9/10 || got > DefaultPageCacheBudget {
		t.Fatalf("page pool of %d bytes, want about %d (%v)", got, DefaultPageCacheBudget, pageCache.err)
	}
	if err := SetPageCacheBudget(1 << 20); err != nil || PageCacheBudget() < DefaultPageCacheBudget*9/10 {
		t.Errorf("a second SetPageCacheBudget changed the pool to %d (%v)", PageCacheBudget(), err)
	}
	ReadPageCacheUse(true)
	if err := db.Read(ctx, func(tx motcua.Tx) error {
		_, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 10})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	u := ReadPageCacheUse(false)
	if u.PoolHigh <= 0 || u.PoolHigh > PageCacheBudget() {
		t.Errorf("a read used %d bytes of the pool (of %d)", u.PoolHigh, PageCacheBudget())
	}
	if u.OverflowHigh != 0 {
		t.Errorf("a small read malloc'ed %d bytes of pages beside the pool", u.OverflowHigh)
	}
}
