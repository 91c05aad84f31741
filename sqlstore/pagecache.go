package sqlstore

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// DefaultPageCacheBudget is the memory SQLite's page caches share in one
// process when SetPageCacheBudget was not called (see there).
const DefaultPageCacheBudget = 24 << 20

// pageCache is the process's one SQLite page cache configuration.
var pageCache struct {
	once   sync.Once
	budget int64 // bytes of page slots configured; 0: none (SQLite's default)
	slots  int   // how many slots
	err    error
}

// SetPageCacheBudget gives every SQLite connection of the process (the
// writer, the readers, the long reads, the checkpointer and their
// temporary tables) one shared pool of page slots of about budget bytes,
// allocated once, outside the Go heap, and resident from then on.
//
// Why: SQLite's default page cache (this build has
// SQLITE_ENABLE_MEMORY_MANAGEMENT) mallocs every page on its own, about
// 4.4 KB with its headers, and the modernc.org/libc allocator serves that
// from an 8 KiB size class (its classes are powers of two): a full 16 MB
// cache_size comes to about 31 MB of resident memory, and the readers'
// caches, emptied after nearly every commit in WAL mode, left their
// high-water mark resident. From a shared
// pool a page costs its 4.4 KB, and the caches together never hold more
// than the pool: when fewer than ten slots are free SQLite recycles the
// least recently used unpinned page of any connection instead of
// allocating (SQLite's "memory pressure"), so each connection's
// cache_size stays an upper bound and the pool the bound of the sum. Only
// a page needed while every slot is pinned is malloc'ed as before.
//
// It must run before SQLite opens its first connection in the process;
// Open calls it with DefaultPageCacheBudget the first time, so call it
// before Open to choose another size. Only the first call configures;
// the later ones return its outcome. budget ≤ 0 keeps SQLite's default.
// The error is not fatal: SQLite then runs with its default cache.
func SetPageCacheBudget(budget int64) error {
	pageCache.once.Do(func() {
		if budget <= 0 {
			return
		}
		pageCache.budget, pageCache.slots, pageCache.err = configurePageCache(budget)
	})
	return pageCache.err
}

// PageCacheBudget returns the bytes of the shared page pool, 0 when SQLite
// runs with its default page cache. Like Open, it configures the default
// pool first when nothing configured one yet.
func PageCacheBudget() int64 {
	SetPageCacheBudget(DefaultPageCacheBudget) // no-op once configured
	return pageCache.budget
}

// pageCacheDBPage is the database page size the slots are sized for
// (SQLite's default, which every database of motcua uses); a connection
// with larger pages mallocs its pages as without a pool.
const pageCacheDBPage = 4096

func configurePageCache(budget int64) (int64, int, error) {
	tls := libc.NewTLS()
	defer tls.Close()
	// Out-parameter and argument list live outside the Go heap: the C
	// side writes through them.
	va := libc.Xmalloc(tls, types.Size_t(3*unsafe.Sizeof(uintptr(0))))
	if va == 0 {
		return 0, 0, errors.New("sqlite page cache: out of memory")
	}
	defer libc.Xfree(tls, va)
	out := libc.Xmalloc(tls, 8)
	if out == 0 {
		return 0, 0, errors.New("sqlite page cache: out of memory")
	}
	defer libc.Xfree(tls, out)
	libc.AtomicStorePInt32(out, 0)
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PCACHE_HDRSZ, libc.VaList(va, out)); rc != sqlite3.SQLITE_OK {
		return 0, 0, fmt.Errorf("sqlite page cache: header size: code %d", rc)
	}
	hdr := int64(libc.AtomicLoadPInt32(out))
	slot := (pageCacheDBPage + hdr + 7) &^ 7
	n := budget / slot
	if n < 1 || n > 1<<30 {
		return 0, 0, fmt.Errorf("sqlite page cache: a budget of %d bytes is not a number of %d-byte slots", budget, slot)
	}
	// Never freed: SQLite uses it until the process ends.
	buf := libc.Xmalloc(tls, types.Size_t(n*slot))
	if buf == 0 {
		return 0, 0, fmt.Errorf("sqlite page cache: cannot allocate %d bytes", n*slot)
	}
	if rc := sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_PAGECACHE, libc.VaList(va, buf, int32(slot), int32(n))); rc != sqlite3.SQLITE_OK {
		libc.Xfree(tls, buf)
		// SQLITE_MISUSE: a connection was opened before (SQLite is
		// initialised); its default page cache stays.
		return 0, 0, fmt.Errorf("sqlite page cache: configure: code %d", rc)
	}
	return n * slot, int(n), nil
}

// PageCacheUse is what SQLite's page caches hold in the process now and
// at most since the last reset (ResetPageCacheUse): bytes in slots of the
// shared pool (SetPageCacheBudget) and bytes malloc'ed outside it.
type PageCacheUse struct {
	Pool, PoolHigh         int64
	Overflow, OverflowHigh int64
}

// ReadPageCacheUse returns SQLite's page cache counters (sqlite3_status64;
// counted whether or not SQLite's memory statistics are on); reset starts
// the high-water marks afresh.
func ReadPageCacheUse(reset bool) PageCacheUse {
	tls := libc.NewTLS()
	defer tls.Close()
	p := libc.Xmalloc(tls, 16)
	if p == 0 {
		return PageCacheUse{}
	}
	defer libc.Xfree(tls, p)
	r := int32(0)
	if reset {
		r = 1
	}
	status := func(op int32) (int64, int64) {
		if sqlite3.Xsqlite3_status64(tls, op, p, p+8, r) != sqlite3.SQLITE_OK {
			return 0, 0
		}
		return libc.AtomicLoadPInt64(p), libc.AtomicLoadPInt64(p + 8)
	}
	var u PageCacheUse
	slots, high := status(sqlite3.SQLITE_STATUS_PAGECACHE_USED)
	if n := pageCache.budget; n > 0 {
		slot := n / max(int64(pageCache.slots), 1)
		u.Pool, u.PoolHigh = slots*slot, high*slot
	}
	u.Overflow, u.OverflowHigh = status(sqlite3.SQLITE_STATUS_PAGECACHE_OVERFLOW)
	return u
}
