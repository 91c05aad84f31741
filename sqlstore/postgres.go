package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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

// OpenPostgres connects to the PostgreSQL database at dsn (a postgres://
// URL) and checks that it answers and is version 15 or later. It does not
// migrate.
//
// On PostgreSQL each Write runs in its own READ COMMITTED transaction:
// PostgreSQL already groups the WAL flushes of concurrent commits, so the
// single-writer batching that SQLite needs would only serialize work that
// PostgreSQL can do in parallel. Correctness across instances rests on row
// locks and constraints, not on isolation level: the code counter upsert
// locks its row until commit (so numbers are unique, and a rolled-back
// transaction gives its number back), events are UNIQUE(dossier_id, seq)
// and AppendEvent updates WHERE seq = the expected one, so of two
// concurrent changes to a dossier one succeeds and the other gets
// ECONFLICT. Serialization failures and deadlocks are retried, as
// motcua.Store allows.
func OpenPostgres(ctx context.Context, dsn string, opts Options) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL address: %w (want postgres://user:password@host:port/database)", err)
	}
	if opts.PGConns <= 0 {
		opts.PGConns = 16
	}
	pg := stdlib.OpenDB(*cfg)
	pg.SetMaxOpenConns(opts.PGConns)
	pg.SetMaxIdleConns(opts.PGConns)
	pg.SetConnMaxIdleTime(5 * time.Minute)
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
	return &DB{dialect: postgresDialect, pg: pg, path: redact(dsn), obs: opts.Observer}, nil
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
// for everything fn reads, as on SQLite.
func (db *DB) pgRead(ctx context.Context, fn func(motcua.Tx) error) error {
	db.rmu.RLock()
	defer db.rmu.RUnlock()
	if db.rclosed {
		return ErrClosed
	}
	sqlTx, err := db.pg.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	ferr := fn(&tx{db: db, ctx: ctx, pgtx: sqlTx})
	// After a cancelled context the driver has already dropped the
	// connection; the rollback's error then says nothing new.
	if err := sqlTx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) && ctx.Err() == nil {
		return errors.Join(ferr, fmt.Errorf("end read: %w", err))
	}
	return ferr
}

// maxAttempts bounds the retries of a write that PostgreSQL aborted as a
// deadlock victim or a serialization failure.
const maxAttempts = 10

// pgWrite runs fn in its own transaction and commits it. Once begun, the
// transaction runs to its end even if ctx is cancelled, so that a caller
// is never told "failed" about a commit that happened.
func (db *DB) pgWrite(ctx context.Context, fn func(motcua.Tx) error) error {
	db.rmu.RLock()
	defer db.rmu.RUnlock()
	if db.rclosed {
		return ErrClosed
	}
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := db.pgAttempt(context.WithoutCancel(ctx), fn)
		if err == nil || !retryable(err) || attempt == maxAttempts {
			return err
		}
		// Back off a little, with jitter, so that the transactions that
		// collided do not collide again.
		time.Sleep(time.Duration(rand.IntN(attempt*5)+1) * time.Millisecond)
	}
}

func (db *DB) pgAttempt(ctx context.Context, fn func(motcua.Tx) error) error {
	start := time.Now()
	sqlTx, err := db.pg.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		return fmt.Errorf("begin write: %w", err)
	}
	t := &tx{db: db, ctx: ctx, pgtx: sqlTx, write: true}
	if err := call(fn, t); err != nil {
		sqlTx.Rollback()
		return err
	}
	err = sqlTx.Commit()
	db.observe(1, start, err)
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// retryable reports whether PostgreSQL aborted the transaction only because
// of another one (serialization failure, deadlock), so that running it
// again may succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "40001" || pe.Code == "40P01"
	}
	return false
}
