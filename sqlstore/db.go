// Package sqlstore implements motcua.Store on SQLite (the embedded default)
// through database/sql, with SQL kept to a portable subset so that the same
// store serves PostgreSQL behind a small dialect seam.
//
// SQLite allows one writer at a time, and a durable commit costs an fsync.
// To acknowledge many concurrent submissions durably without one fsync each,
// all writes go through one writer goroutine that runs the transactions of
// every waiting caller inside one SQLite transaction, each in its own
// savepoint, and commits them together (group commit): a caller's Write
// returns only after the commit that holds its changes is on disk.
// PostgreSQL gets the same group commit from a few writers per instance
// (pgbatch.go).
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/motcua/motcua"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Options tune the store; zero values mean the defaults.
type Options struct {
	// ReadConns is the size of the reader pool (default 2 × GOMAXPROCS,
	// at least 4).
	ReadConns int
	// LongReadConns is how many long reads (contexts marked by
	// motcua.NewContextLongRead: reports computed from the dossiers) run
	// at once (default 2). On SQLite they have connections of their own,
	// beside the ReadConns; on PostgreSQL they share its PGConns but no
	// more than these at a time.
	LongReadConns int
	// MaxBatch is the most transactions committed together (default 256).
	MaxBatch int
	// PGWriters is the number of writers on PostgreSQL, each committing
	// batches of waiting writes on its own connection (default 2; see
	// pgbatch.go for why so few).
	PGWriters int
	// BusyTimeout is how long a connection waits for a lock held by
	// another process, such as a backup (default 5 s).
	BusyTimeout time.Duration
	// CheckpointEvery is how often a background connection copies the
	// write-ahead log into the database file and checks the free disk
	// space (default 1 s). Doing it in the background keeps that work off
	// the writer's commit path; the writer still checkpoints by itself if
	// the log passes four times WALLimit.
	CheckpointEvery time.Duration
	// WALLimit bounds the SQLite write-ahead log (default 16 MiB): the
	// log is truncated to it after each complete checkpoint
	// (journal_size_limit), and a log found larger is checkpointed and
	// truncated even if that has to wait for readers (wal.go).
	WALLimit int64
	// MinFreeSpace is the free disk space under which SQLite writes are
	// refused with EUNAVAILABLE (default 4 × WALLimit; negative: never).
	// The reserve is what a checkpoint needs to move the log into the
	// database file, so that a nearly full disk recovers by itself once
	// space is freed instead of the log eating the freed space.
	MinFreeSpace int64
	// ReaderCacheKiB is the SQLite page cache of each reader connection,
	// in KiB (default 4000; the writer keeps 16000). In WAL mode a
	// reader's cache is emptied whenever another connection committed
	// since its last read, which under load is nearly every read: a large
	// cache there only held memory (the caches are outside the Go heap,
	// up to 16 MB on each of 6 readers).
	ReaderCacheKiB int
	// PGConns is the most connections to PostgreSQL, the writers' and the
	// readers' (default four per core of this process, at least 8: see
	// defaultPGConns; docs/deployment.md §1 sizes the server's
	// max_connections for several instances).
	PGConns int
	// Warm, on PostgreSQL, opens all PGConns connections at once, loads
	// the hot tables' catalog entries on each new connection before it
	// serves, and keeps the connections open however long they idle
	// (pgwarm.go): for a store that serves (serve, bench), not for a
	// command or a test that reads a little and stops.
	Warm bool
	// Observer, if set, is told about every commit (for metrics).
	Observer Observer
}

// Observer receives what the store measures. Implementations must be fast
// and safe for concurrent use.
type Observer interface {
	// Commit reports one commit: how many callers' transactions it held
	// (group commit), how long it took from begin to durable commit, and
	// whether it failed.
	Commit(engine string, batch int, took time.Duration, err error)
	// Retry reports a batch (or, in isolation, one transaction) that
	// PostgreSQL aborted because of another transaction and that runs
	// again; reason is "deadlock" or "serialization".
	Retry(engine, reason string)
}

// DB is an open store on SQLite or PostgreSQL. It is safe for concurrent
// use.
type DB struct {
	dialect dialect
	pg      *sql.DB         // PostgreSQL only; the fields below are SQLite's
	pgcfg   *pgx.ConnConfig // PostgreSQL: for connections of its own (CacheBus)
	warm    *warmStats      // PostgreSQL with Options.Warm: the connections warmed
	obs     Observer
	// writeFault is the storage failure of the last write, nil once one
	// succeeds (WriteHealth).
	writeFault atomic.Pointer[error]

	path         string
	writer       *sql.DB
	wconn        *pconn // used by the writer goroutine only
	readers      *sql.DB
	rpool        *readerPool
	lpool        *readerPool   // SQLite: the long reads' connections
	longSem      chan struct{} // PostgreSQL: bounds the long reads at once
	readSlots    *fifoSlots    // PostgreSQL: the other reads' turns for a connection
	checkpointer *sql.DB       // a separate connection for background checkpoints
	rmu          sync.RWMutex  // readers hold it shared; Close takes it to stop them
	rgate        readGate      // SQLite: holds new reads while the log is started again (wal.go)
	rclosed      bool
	lowSpace     atomic.Bool // the disk's free space is under Options.MinFreeSpace (wal.go)
	minFree      int64       // Options.MinFreeSpace; negative: no reserve
	probe        writeProbe  // the last CanWrite outcome (ready.go)

	writes   chan *writeReq
	queued   atomic.Int64 // writes waiting to be handed to a writer
	quit     chan struct{}
	stopped  chan struct{}
	pgWG     sync.WaitGroup // PostgreSQL's writers
	pgids    pgIDs          // PostgreSQL: ids drawn beforehand for pipelined INSERTs
	pgSpare  spareNumbers   // PostgreSQL: dossier numbers of batches that did not commit
	maxBatch int
	close    sync.Once
	// actors caches the committed event_actors rows (compact.go).
	actors actorCache
	// versions caches procedure versions' names (compact.go).
	versions versionNames
}

// longReadCacheKiB is the page cache of a long read's connection.
const longReadCacheKiB = 2000

// ErrClosed is returned by Write and Read after Close.
var ErrClosed = errors.New("sqlstore: store is closed")

type writeReq struct {
	ctx  context.Context
	fn   func(motcua.Tx) error
	raw  func(*pconn) error // runs outside any batch (migrations)
	done chan error
	// aborts counts the runs of fn that PostgreSQL aborted because of
	// another transaction (deadlock, serialization failure); it bounds
	// the retries of this transaction (pgbatch.go).
	aborts int
}

// Open opens (creating if needed) the SQLite database at path, configures
// it and checks the configuration. It does not migrate: call Migrate, or
// CheckSchema to refuse an outdated schema.
func Open(path string, opts Options) (*DB, error) {
	// Before the first connection of the process, or never (pagecache.go);
	// without the pool SQLite keeps its default cache.
	SetPageCacheBudget(DefaultPageCacheBudget)
	if opts.ReadConns <= 0 {
		opts.ReadConns = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if opts.LongReadConns <= 0 {
		opts.LongReadConns = 2
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.ReaderCacheKiB <= 0 {
		opts.ReaderCacheKiB = 4000
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.CheckpointEvery <= 0 {
		opts.CheckpointEvery = time.Second
	}
	if opts.WALLimit <= 0 {
		opts.WALLimit = 16 << 20
	}
	if opts.MinFreeSpace == 0 {
		opts.MinFreeSpace = 4 * opts.WALLimit
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
	}
	base := func(readOnly bool) string {
		q := url.Values{}
		for _, p := range []string{
			fmt.Sprintf("busy_timeout(%d)", opts.BusyTimeout.Milliseconds()),
			"journal_mode(WAL)",
			"synchronous(FULL)",
			"foreign_keys(1)",
			"temp_store(MEMORY)",
			// The background loop keeps the log under WALLimit; the
			// writer's own checkpoint, on the commit path, is only a
			// safety net four times higher (64 MB by default): once the
			// log is past it, every commit tries one.
			fmt.Sprintf("wal_autocheckpoint(%d)", max(4*opts.WALLimit/4096, 16)), // pages of 4 KiB
			fmt.Sprintf("journal_size_limit(%d)", opts.WALLimit),
		} {
			q.Add("_pragma", p)
		}
		if readOnly {
			q.Add("_pragma", "query_only(1)")
			q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", opts.ReaderCacheKiB))
		} else {
			q.Add("_pragma", "cache_size(-16000)")
		}
		return "file:" + path + "?" + q.Encode()
	}
	db := &DB{path: path, obs: opts.Observer, minFree: opts.MinFreeSpace, writes: make(chan *writeReq),
		quit: make(chan struct{}), stopped: make(chan struct{}), maxBatch: opts.MaxBatch}
	var err error
	if db.writer, err = sql.Open("sqlite", base(false)); err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db.writer.SetMaxOpenConns(1)
	db.writer.SetConnMaxIdleTime(0)
	db.writer.SetConnMaxLifetime(0)
	ctx := context.Background()
	if db.wconn, err = newPconn(ctx, db.writer); err != nil {
		db.writer.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err = checkPragmas(ctx, db.wconn.c, false, opts.BusyTimeout); err != nil {
		db.wconn.close()
		db.writer.Close()
		return nil, err
	}
	if db.readers, err = sql.Open("sqlite", base(true)); err != nil {
		db.wconn.close()
		db.writer.Close()
		return nil, fmt.Errorf("open %s for reading: %w", path, err)
	}
	db.readers.SetMaxOpenConns(opts.ReadConns + opts.LongReadConns)
	db.readers.SetMaxIdleConns(opts.ReadConns + opts.LongReadConns)
	db.rpool = newReaderPool(db.readers, opts.ReadConns)
	db.lpool = newReaderPool(db.readers, opts.LongReadConns)
	// Long reads scan ranges larger than any page cache (a year's
	// receptions: 70 MB of index on 1.6 million dossiers), so a large
	// cache only holds pages the next scan evicts again: 2 MB each instead
	// of 16, which kept four reports at once over 256 MB (issue 15). The
	// other readers keep Options.ReaderCacheKiB: the pools share
	// database/sql's connections and each sets its size on every
	// connection it takes, so the reader pool must set it too (it once
	// set 16 MB here, undoing the 4 MB of the connection string).
	db.rpool.cacheKiB, db.lpool.cacheKiB = opts.ReaderCacheKiB, longReadCacheKiB
	if db.checkpointer, err = sql.Open("sqlite", base(false)); err != nil {
		db.wconn.close()
		db.writer.Close()
		db.readers.Close()
		return nil, fmt.Errorf("open %s for checkpoints: %w", path, err)
	}
	db.checkpointer.SetMaxOpenConns(1)
	rc, err := db.rpool.get(ctx)
	if err == nil {
		err = checkPragmas(ctx, rc.c, true, opts.BusyTimeout)
		db.rpool.put(rc)
	}
	if err != nil {
		db.rpool.closeAll()
		db.wconn.close()
		db.writer.Close()
		db.readers.Close()
		return nil, err
	}
	go db.writeLoop()
	go db.checkpointLoop(opts.CheckpointEvery, opts.WALLimit, opts.MinFreeSpace)
	return db, nil
}

// checkPragmas verifies that the connection runs with the settings
// durability and integrity depend on; a driver that silently ignored one
// would otherwise go unnoticed.
func checkPragmas(ctx context.Context, c *sql.Conn, readOnly bool, busy time.Duration) error {
	want := []struct {
		pragma string
		value  string
	}{
		{"journal_mode", "wal"},
		{"synchronous", "2"}, // FULL: a commit is on disk when it returns
		{"foreign_keys", "1"},
		{"busy_timeout", fmt.Sprint(busy.Milliseconds())},
	}
	if readOnly {
		want = append(want, struct{ pragma, value string }{"query_only", "1"})
	}
	for _, w := range want {
		var got string
		if err := c.QueryRowContext(ctx, "PRAGMA "+w.pragma).Scan(&got); err != nil {
			return fmt.Errorf("check pragma %s: %w", w.pragma, err)
		}
		if got != w.value {
			return fmt.Errorf("sqlite pragma %s is %q, want %q: the database cannot guarantee durability", w.pragma, got, w.value)
		}
	}
	return nil
}

// Path returns the database file, or the PostgreSQL address without its
// password.
func (db *DB) Path() string { return db.path }

// Engine returns "sqlite" or "postgres".
func (db *DB) Engine() string { return db.dialect.String() }

// Close stops the writer after the transactions already handed to it and
// closes every connection.
func (db *DB) Close() error {
	var err error
	if db.dialect == postgresDialect {
		db.close.Do(func() {
			close(db.quit)
			db.pgWG.Wait()
			db.rmu.Lock()
			db.rclosed = true
			db.rmu.Unlock()
			err = db.pg.Close()
		})
		return err
	}
	db.close.Do(func() {
		close(db.quit)
		<-db.stopped
		db.rmu.Lock()
		db.rclosed = true
		db.rmu.Unlock()
		db.rpool.closeAll()
		db.lpool.closeAll()
		err = errors.Join(db.wconn.close(), db.writer.Close(), db.readers.Close(), db.checkpointer.Close())
	})
	return err
}

// Read runs fn in a read-only transaction on a reader connection; readers
// see the last committed state and never wait for the writer. A database
// that cannot be reached or read is EUNAVAILABLE, as for Write. The reads
// of a context marked by motcua.NewContextLongRead wait for one of the
// Options.LongReadConns, never for the other readers' connections. On
// PostgreSQL, the reads of a context marked by motcua.NewContextNoSnapshot
// run each statement on its own, outside a transaction (pgnosnapshot.go).
func (db *DB) Read(ctx context.Context, fn func(motcua.Tx) error) error {
	if db.dialect == postgresDialect {
		if motcua.IsLongRead(ctx) {
			select {
			case db.longSem <- struct{}{}:
				defer func() { <-db.longSem }()
			case <-ctx.Done():
				return classify(fmt.Errorf("reader connection: %w", ctx.Err()))
			}
		}
		return classify(db.pgRead(ctx, fn))
	}
	return classify(db.sqliteRead(ctx, fn))
}

func (db *DB) sqliteRead(ctx context.Context, fn func(motcua.Tx) error) error {
	db.rmu.RLock()
	defer db.rmu.RUnlock()
	if db.rclosed {
		return ErrClosed
	}
	if err := db.rgate.enter(ctx); err != nil {
		return fmt.Errorf("reader connection: %w", err)
	}
	defer db.rgate.leave()
	pool := db.rpool
	if motcua.IsLongRead(ctx) {
		pool = db.lpool
	}
	c, err := pool.get(ctx)
	if err != nil {
		return fmt.Errorf("reader connection: %w", err)
	}
	if err := c.control(ctx, "BEGIN"); err != nil {
		pool.discard(c)
		return fmt.Errorf("begin read: %w", err)
	}
	t := &tx{db: db, ctx: ctx, conn: c}
	ferr := fn(t)
	db.releaseSecondReader(t.second)
	// A cancelled context may have interrupted a statement; the
	// connection's state is then unknown and it is not reused.
	if err := c.control(context.Background(), "ROLLBACK"); err != nil {
		pool.discard(c)
		return errors.Join(ferr, fmt.Errorf("end read: %w", err))
	}
	pool.put(c)
	return ferr
}

// Write runs fn in the next group commit. See motcua.Store. When the
// storage or the database refuses the write (a full disk, a PostgreSQL
// restart), the error is EUNAVAILABLE: nothing was written and the caller
// may retry later; the failure is remembered for WriteHealth until a write
// succeeds.
func (db *DB) Write(ctx context.Context, fn func(motcua.Tx) error) error {
	var err error
	if db.lowSpace.Load() {
		err = errLowSpace
	} else {
		err = classify(db.submit(&writeReq{ctx: ctx, fn: fn, done: make(chan error, 1)}))
	}
	switch motcua.ErrorCode(err) {
	case "":
		db.writeFault.Store(nil)
	case motcua.EUNAVAILABLE:
		db.writeFault.Store(&err)
	}
	return err
}

// WriteHealth returns the storage failure of the last write when it
// failed for that reason (nil once a write succeeds again). Readiness uses
// CanWrite, which tries a write of its own.
func (db *DB) WriteHealth() error {
	if p := db.writeFault.Load(); p != nil {
		return *p
	}
	return nil
}

// QueuedWrites returns how many writes wait for a writer to take them, for
// diagnostics and tests.
func (db *DB) QueuedWrites() int { return int(db.queued.Load()) }

// exclusive runs fn alone on the writer connection, outside any batch.
func (db *DB) exclusive(ctx context.Context, fn func(*pconn) error) error {
	return db.submit(&writeReq{ctx: ctx, raw: fn, done: make(chan error, 1)})
}

func (db *DB) submit(r *writeReq) error {
	if err := r.ctx.Err(); err != nil {
		return err // cancelled before the call: never run fn
	}
	db.queued.Add(1)
	select {
	case db.writes <- r:
		db.queued.Add(-1)
	case <-db.quit:
		db.queued.Add(-1)
		return ErrClosed
	case <-r.ctx.Done():
		db.queued.Add(-1)
		return r.ctx.Err()
	}
	// Once handed over, wait for the outcome even if ctx ends: the writer
	// may already have committed, and the caller must not be told
	// otherwise.
	return <-r.done
}

func (db *DB) writeLoop() {
	defer close(db.stopped)
	batch := make([]*writeReq, 0, db.maxBatch)
	for {
		var first *writeReq
		select {
		case first = <-db.writes:
		case <-db.quit:
			return
		}
		if first.raw != nil {
			first.done <- first.raw(db.wconn)
			continue
		}
		batch = append(batch[:0], first)
	drain:
		for len(batch) < db.maxBatch {
			select {
			case r := <-db.writes:
				if r.raw != nil {
					db.runBatch(batch)
					batch = batch[:0]
					r.done <- r.raw(db.wconn)
					continue
				}
				batch = append(batch, r)
			default:
				break drain
			}
		}
		if len(batch) > 0 {
			db.runBatch(batch)
		}
	}
}

// runBatch commits the batch's transactions together. It first runs them
// back to back in one SQLite transaction, which costs nothing per
// transaction beyond its own statements. If one fails, the whole
// transaction is rolled back and the batch runs again with each
// transaction in its own savepoint, so that the failing one is rolled back
// alone (Store.Write allows fn to be retried). If SQLite aborts the whole
// transaction (an I/O error, say), every transaction of the batch fails;
// none was acknowledged yet.
func (db *DB) runBatch(batch []*writeReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err // not started: the caller gave up
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	if ok := db.runOptimistic(live); !ok {
		db.runIsolated(live)
	}
}

// runOptimistic commits the batch if every transaction succeeds and reports
// whether it did; otherwise it rolls everything back and reports false.
func (db *DB) runOptimistic(batch []*writeReq) bool {
	ctx := context.Background()
	start := time.Now()
	if err := db.wconn.control(ctx, "BEGIN IMMEDIATE"); err != nil {
		db.fail(batch, fmt.Errorf("begin write: %w", err))
		return true
	}
	t := &tx{db: db, ctx: ctx, conn: db.wconn, write: true, stats: map[motcua.StatKey]int64{}}
	for _, r := range batch {
		if err := call(r.fn, t); err != nil {
			if rerr := db.wconn.control(ctx, "ROLLBACK"); rerr != nil {
				db.fail(batch, markIf(err, fmt.Errorf("rollback after %v: %w", err, rerr)))
				return true
			}
			if len(batch) == 1 {
				// Alone in its batch: running it again in a savepoint
				// would give the same answer at twice the cost (a long
				// transaction rolled back on purpose, like a merger's
				// dry run).
				db.observe(1, start, nil)
				r.done <- err
				return true
			}
			return false
		}
	}
	// The live counters the batch changed, added up, go in last.
	if err := t.flushStats(); err != nil {
		if rerr := db.wconn.control(ctx, "ROLLBACK"); rerr != nil {
			db.fail(batch, markIf(err, fmt.Errorf("rollback after %v: %w", err, rerr)))
			return true
		}
		return false
	}
	if err := db.wconn.control(ctx, "COMMIT"); err != nil {
		db.observe(len(batch), start, err)
		db.abort(batch, fmt.Errorf("commit: %w", err))
		return true
	}
	db.observe(len(batch), start, nil)
	for _, r := range batch {
		r.done <- nil
	}
	return true
}

// runIsolated runs each transaction in its own savepoint and commits the
// ones that succeed.
func (db *DB) runIsolated(batch []*writeReq) {
	ctx := context.Background()
	start := time.Now()
	results := make([]error, len(batch))
	if err := db.wconn.control(ctx, "BEGIN IMMEDIATE"); err != nil {
		db.fail(batch, fmt.Errorf("begin write: %w", err))
		return
	}
	t := &tx{db: db, ctx: ctx, conn: db.wconn, write: true, stats: map[motcua.StatKey]int64{}}
	for i, r := range batch {
		if err := db.wconn.control(ctx, "SAVEPOINT w"); err != nil {
			db.abort(batch, fmt.Errorf("savepoint: %w", err))
			return
		}
		err := call(r.fn, t)
		if err == nil {
			err = t.flushStats() // each transaction's own counters, inside its savepoint
		}
		if err != nil {
			t.dropPending()
		}
		if err != nil {
			if rerr := db.wconn.control(ctx, "ROLLBACK TO w"); rerr != nil {
				db.abort(batch, markIf(err, fmt.Errorf("rollback to savepoint after %v: %w", err, rerr)))
				return
			}
		}
		if rerr := db.wconn.control(ctx, "RELEASE w"); rerr != nil {
			db.abort(batch, fmt.Errorf("release savepoint: %w", rerr))
			return
		}
		results[i] = err
	}
	if err := db.wconn.control(ctx, "COMMIT"); err != nil {
		db.observe(len(batch), start, err)
		db.abort(batch, fmt.Errorf("commit: %w", err))
		return
	}
	db.observe(len(batch), start, nil)
	for i, r := range batch {
		r.done <- results[i]
	}
}

// fail reports err to every transaction of the batch.
func (db *DB) fail(batch []*writeReq, err error) {
	for _, r := range batch {
		r.done <- err
	}
}

// abort rolls back the open transaction and fails the batch.
func (db *DB) abort(batch []*writeReq, err error) {
	db.wconn.control(context.Background(), "ROLLBACK")
	db.fail(batch, err)
}

// call runs fn, turning a panic into an error so that one bad transaction
// cannot take the writer down.
func call(fn func(motcua.Tx) error, t *tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in write transaction: %v", p)
		}
	}()
	return fn(t)
}

// CountRows counts the rows of a table (for diagnostics and benchmarks).
func (db *DB) CountRows(ctx context.Context, table string) (int64, error) {
	switch table {
	case "dossiers", "dossier_events", "stat_counts", "procedures", "agencies", "users":
	default:
		return 0, fmt.Errorf("count rows: unknown table %q", table)
	}
	var n int64
	err := db.Read(ctx, func(t motcua.Tx) error {
		row, err := t.(*tx).queryRow(`SELECT COUNT(*) FROM ` + table)
		if err != nil {
			return err
		}
		return row.Scan(&n)
	})
	return n, err
}

func (db *DB) observe(batch int, start time.Time, err error) {
	if db.obs != nil {
		db.obs.Commit(db.dialect.String(), batch, time.Since(start), err)
	}
}
