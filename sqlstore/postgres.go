package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/motcua/motcua"
)

// IsPostgresURL reports whether s names a PostgreSQL database rather than a
// SQLite file.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// OpenURL opens the store named by s: a postgres:// address, or else the
// path of a SQLite file.
func OpenURL(ctx context.Context, s string, opts Options) (*DB, error) {
	if IsPostgresURL(s) {
		return OpenPostgres(ctx, s, opts)
	}
	return Open(s, opts)
}

// defaultPGConns returns Options.PGConns' default: four connections for
// each core this process may use, and at least 8.
//
// A connection is useful only while its statement runs on a core, motcua's
// or the server's; beyond that, more connections only let more requests
// start at once and queue for the cores, and the last of them wait the
// longest. On the 2-core machine of docs/deployment.md §17 (motcua and
// PostgreSQL together, 1.6 M dossiers, the mixed staff workload), 8
// connections against 32, one after the other: 64 sessions paced at 1,100
// requests/s, p99 of the kinds 34–129 ms against 173–438 ms (and 266–582
// against 509–829 in a pair run while the server still vacuumed); 512
// sessions paced, 121–289 ms against 0.8–1.4 s; closed loop, 2,540
// against 2,292 operations/s, with less of the server's CPU per operation
// (327 against 397 µs). (An earlier round, on a machine loaded by other
// work, found 16 too few: a goroutine that held a connection waited for a
// core between its statements.) A server with more cores than motcua's,
// or several instances, is sized with --pg-conns; docs/deployment.md §1
// sizes max_connections.
func defaultPGConns() int {
	return max(8, 4*runtime.GOMAXPROCS(0))
}

// OpenPostgres connects to the PostgreSQL database at dsn (a postgres://
// URL) and checks that it answers and is version 15 or later. It does not
// migrate.
//
// Writes are committed in batches by a few writers (pgbatch.go), each batch
// one READ COMMITTED transaction. Correctness across instances rests on row
// locks and constraints, not on isolation level: the code counter upsert
// locks its row until commit (so numbers are unique, and a rolled-back
// transaction gives its number back), and AppendEvent updates the
// dossier WHERE seq = the expected one, so of two concurrent changes to a
// dossier one succeeds and the other gets ECONFLICT, its event rolled back
// with it (the events themselves are indexed by dossier, not unique by
// (dossier_id, seq) as on SQLite: migration 0036). Serialization failures
// and deadlocks are retried, as motcua.Store allows.
func OpenPostgres(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL address: %w (want postgres://user:password@host:port/database)", err)
	}
	if opts.PGConns <= 0 {
		opts.PGConns = defaultPGConns()
	}
	var warm *warmStats
	var pg *sql.DB
	if opts.Warm {
		warm = &warmStats{}
		pg = stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(warm.hook))
	} else {
		pg = stdlib.OpenDB(*cfg)
		pg.SetConnMaxIdleTime(5 * time.Minute)
	}
	pg.SetMaxOpenConns(opts.PGConns)
	pg.SetMaxIdleConns(opts.PGConns)
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var ver int
	if err := pg.QueryRowContext(cctx, `SELECT current_setting('server_version_num')::int`).Scan(&ver); err != nil {
		pg.Close()
		return nil, fmt.Errorf("connect to PostgreSQL at %s: %w (is the server running and the address right?)", redact(dsn), err)
	}
	if ver < 150000 {
		pg.Close()
		return nil, fmt.Errorf("PostgreSQL at %s is version %d; motcua needs 15 or later", redact(dsn), ver/10000)
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 256
	}
	if opts.PGWriters <= 0 {
		opts.PGWriters = 2
	}
	if opts.LongReadConns <= 0 {
		opts.LongReadConns = 2
	}
	if opts.PGConns < opts.PGWriters+2 {
		// A writer holds its batch's connection and takes a second one to
		// draw dossier numbers (numbersdraw.go): with no connection beyond
		// the writers', every write would wait for ever; one more keeps a
		// read going while a writer draws.
		pg.Close()
		return nil, fmt.Errorf("PostgreSQL connections (--pg-conns, MOTCUA_PG_CONNS) are %d, the writers %d: give at least %d connections",
			opts.PGConns, opts.PGWriters, opts.PGWriters+2)
	}
	if opts.Warm {
		if err := openAll(cctx, pg, opts.PGConns); err != nil {
			pg.Close()
			return nil, fmt.Errorf("%w (is max_connections of the server large enough? see --pg-conns)", err)
		}
	}
	db := &DB{dialect: postgresDialect, pg: pg, pgcfg: cfg.Copy(), path: redact(dsn), obs: opts.Observer, warm: warm,
		writes: make(chan *writeReq), quit: make(chan struct{}), maxBatch: opts.MaxBatch,
		longSem: make(chan struct{}, opts.LongReadConns),
		// The reads queue in order for the connections the writers and
		// one draw of numbers leave (fifoslots.go).
		readSlots: newFIFOSlots(opts.PGConns - opts.PGWriters - 1)}
	db.startPGWriters(opts.PGWriters)
	return db, nil
}

// PoolStats returns the figures of the PostgreSQL connection pool
// (connections open and in use, how often and how long statements waited
// for one); zero on SQLite, whose connections are its own.
//
// The waits count those of the reads for their turn (fifoSlots) too.
func (db *DB) PoolStats() sql.DBStats {
	if db.pg == nil {
		return sql.DBStats{}
	}
	st := db.pg.Stats()
	n, d := db.readSlots.stats()
	st.WaitCount += n
	st.WaitDuration += d
	return st
}

// redact removes the password from a database address, for messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// pgRead runs fn in a read-only REPEATABLE READ transaction: one snapshot
// for everything fn reads, as on SQLite; a read marked by
// motcua.NewContextNoSnapshot (and not a long read) runs each statement on
// its own instead (pgnosnapshot.go).
func (db *DB) pgRead(ctx context.Context, fn func(motcua.Tx) error) error {
	db.rmu.RLock()
	defer db.rmu.RUnlock()
	if db.rclosed {
		return ErrClosed
	}
	if !motcua.IsLongRead(ctx) {
		// A long read has its own connections (Read's longSem).
		if err := db.readSlots.acquire(ctx); err != nil {
			return fmt.Errorf("reader connection: %w", err)
		}
		defer db.readSlots.release()
	}
	if motcua.IsNoSnapshot(ctx) && !motcua.IsLongRead(ctx) {
		return fn(&tx{db: db, ctx: ctx, pgtx: pgNoSnapshot{db.pg}})
	}
	return db.pgReadTx(ctx, fn)
}
