package sqlstore_test

import (
	"context"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// listener collects what a bus delivers.
type listener struct {
	keys chan motcua.CacheKey
	lost chan struct{}
}

func listen(t *testing.T, db *sqlstore.DB) (motcua.CacheBus, *listener) {
	t.Helper()
	bus, err := db.CacheBus(ctx)
	if err != nil || bus == nil {
		t.Fatalf("cache bus: %v %v", bus, err)
	}
	l := &listener{keys: make(chan motcua.CacheKey, 1000), lost: make(chan struct{}, 10)}
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		done <- bus.Listen(lctx, func(k motcua.CacheKey) { l.keys <- k }, func() { l.lost <- struct{}{} })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != context.Canceled {
			t.Errorf("Listen returned %v, want context.Canceled", err)
		}
	})
	l.waitLost(t)
	return bus, l
}

func (l *listener) waitLost(t *testing.T) {
	t.Helper()
	select {
	case <-l.lost:
	case <-time.After(10 * time.Second):
		t.Fatal("the listener did not (re)connect")
	}
}

func (l *listener) next(t *testing.T) motcua.CacheKey {
	t.Helper()
	select {
	case k := <-l.keys:
		return k
	case <-time.After(5 * time.Second):
		t.Fatal("no invalidation delivered")
		return motcua.CacheKey{}
	}
}

func (l *listener) none(t *testing.T) {
	t.Helper()
	select {
	case k := <-l.keys:
		t.Fatalf("unexpected invalidation %+v", k)
	case <-time.After(300 * time.Millisecond):
	}
}

// TestCacheBusPostgres: what one instance publishes reaches the others on
// the same schema, in order, also when it needs several notifications; an
// instance does not hear itself; another schema hears nothing; a broken
// listening connection is made again and reported as lost.
func TestCacheBusPostgres(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	a, b := openMigrated(t, addr, sqlstore.Options{}), openMigrated(t, addr, sqlstore.Options{})
	other := openMigrated(t, sqltest.FreshSchema(t), sqlstore.Options{})
	busA, fromA := listen(t, a)
	_, fromB := listen(t, b)
	busO, fromO := listen(t, other)

	keys := []motcua.CacheKey{{Kind: motcua.CacheSession, Key: "ab12"}, {Kind: motcua.CachePublic, Key: "H99.101-261122-0001"}, {Kind: motcua.CacheAgencies}}
	if err := busA.Publish(ctx, keys...); err != nil {
		t.Fatal(err)
	}
	for _, want := range keys {
		if got := fromB.next(t); got != want {
			t.Fatalf("delivered %+v, want %+v", got, want)
		}
	}
	fromA.none(t)
	fromO.none(t)

	// More keys than one notification holds.
	var many []motcua.CacheKey
	for i := range 2000 {
		many = append(many, motcua.CacheKey{Kind: motcua.CachePublic, Key: strings.Repeat("x", 10) + string(rune('a'+i%26))})
	}
	if err := busA.Publish(ctx, many...); err != nil {
		t.Fatal(err)
	}
	for i, want := range many {
		if got := fromB.next(t); got != want {
			t.Fatalf("key %d: delivered %+v, want %+v", i, got, want)
		}
	}
	if err := busA.Publish(ctx, motcua.CacheKey{Kind: "bad\tkind"}); err == nil {
		t.Error("a key with a tab was published")
	}

	// The listening connection of b is cut: b connects again, says so (it
	// may have missed changes meanwhile), and hears what follows.
	// (Only the listeners of this schema's channel: other tests share the
	// server.)
	admin := pgAdmin(t, addr)
	var schema string
	if err := admin.QueryRow(`SELECT current_schema()`).Scan(&schema); err != nil {
		t.Fatal(err)
	}
	h := fnv.New32a()
	h.Write([]byte(schema))
	res, err := admin.Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1`,
		fmt.Sprintf(`LISTEN "motcua_cache_%08x"`, h.Sum32()))
	if n, _ := res.RowsAffected(); err != nil || n != 2 {
		t.Fatalf("listening connections of the schema cut: %d, %v; want 2", n, err)
	}
	fromB.waitLost(t)
	fromA.waitLost(t)
	if err := busA.Publish(ctx, motcua.CacheKey{Kind: motcua.CacheCalendar}); err != nil {
		t.Fatal(err)
	}
	if got := fromB.next(t); got.Kind != motcua.CacheCalendar {
		t.Fatalf("after the reconnection: %+v", got)
	}
	if err := busO.Publish(ctx, motcua.CacheKey{Kind: motcua.CacheAgencies}); err != nil {
		t.Fatal(err)
	}
	fromB.none(t)
	fromO.none(t)
}

// TestCacheBusSQLite: one process serves a SQLite file, so there is no bus.
func TestCacheBusSQLite(t *testing.T) {
	bus, err := sqltest.Open(t, sqltest.SQLite).CacheBus(ctx)
	if err != nil || bus != nil {
		t.Fatalf("SQLite cache bus: %v, %v; want none", bus, err)
	}
}

// TestCacheBusConcurrentPublishes: publishes made at once (coalesced into
// few notifications) each return once sent, and every key arrives once.
func TestCacheBusConcurrentPublishes(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	a, b := openMigrated(t, addr, sqlstore.Options{}), openMigrated(t, addr, sqlstore.Options{})
	busA, _ := listen(t, a)
	_, fromB := listen(t, b)
	const n = 60
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = busA.Publish(ctx, motcua.CacheKey{Kind: motcua.CachePublic, Key: fmt.Sprintf("H99.101-261122-%04d", i)})
		}()
	}
	wg.Wait()
	seen := map[string]int{}
	for i, err := range errs {
		if err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
	}
	for range n {
		seen[fromB.next(t).Key]++
	}
	for i := range n {
		if k := fmt.Sprintf("H99.101-261122-%04d", i); seen[k] != 1 {
			t.Errorf("key %s delivered %d times", k, seen[k])
		}
	}
	fromB.none(t)
}
