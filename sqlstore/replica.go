package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/motcua/motcua"
)

// Replica is a read-only connection to a PostgreSQL streaming replica (a
// hot standby) of the primary store, for the reports (motcua.ReportReader).
// It has no writers: Read is all it offers.
//
// How current it is comes from comparing WAL positions rather than from
// pg_last_xact_replay_timestamp alone, which is the time of the last
// replayed commit and so grows without bound on an idle primary although
// the replica misses nothing: at every Freshness call the primary's flushed
// WAL position is sampled with its time, and the replica is current up to
// the latest sample its replay position has passed. Every commit
// acknowledged before a sample's time lies before the sample's position.
type Replica struct {
	db      *DB
	primary *DB // nil: only the replay timestamp is known

	mu      sync.Mutex
	samples []lsnSample // oldest first, at most maxSamples
}

type lsnSample struct {
	at  time.Time
	lsn int64
}

const maxSamples = 512

// errReplicaUnavailable marks a failed read on the replica: the caller may
// read the primary instead.
var errReplicaUnavailable = motcua.Errorf(motcua.EUNAVAILABLE, "replica_unavailable",
	"Bản sao cơ sở dữ liệu dành cho báo cáo tạm thời không đọc được. Vui lòng thử lại sau ít phút.")

// OpenReplica prepares the connections to the replica at dsn (a
// postgres:// URL of a hot standby of primary) without connecting: a
// replica that is down when motcua starts must not keep the counters from
// starting, and Freshness says so at every report until it is back (the
// caller logs Freshness once at start). primary, a PostgreSQL store, gives
// the positions Freshness compares with; nil leaves only the replay
// timestamp. opts.PGConns bounds the connections (default 8: reports are
// few and long).
func OpenReplica(dsn string, primary *DB, opts Options) (*Replica, error) {
	if !IsPostgresURL(dsn) {
		return nil, fmt.Errorf("report replica: %q is not a postgres:// address", redact(dsn))
	}
	if primary != nil && primary.dialect != postgresDialect {
		return nil, errors.New("report replica: the primary database is SQLite; a streaming replica needs PostgreSQL")
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("report replica address: %w (want postgres://user:password@host:port/database)", err)
	}
	if opts.PGConns <= 0 {
		opts.PGConns = 8
	}
	pg := stdlib.OpenDB(*cfg)
	pg.SetMaxOpenConns(opts.PGConns)
	pg.SetMaxIdleConns(opts.PGConns)
	pg.SetConnMaxIdleTime(5 * time.Minute)
	db := &DB{dialect: postgresDialect, pg: pg, pgcfg: cfg.Copy(), path: redact(dsn),
		writes: make(chan *writeReq), quit: make(chan struct{}),
		readSlots: newFIFOSlots(opts.PGConns)}
	return &Replica{db: db, primary: primary}, nil
}

// Path returns the replica's address without its password.
func (r *Replica) Path() string { return r.db.path }

// Close closes the replica's connections.
func (r *Replica) Close() error { return r.db.Close() }

// Read runs fn in a read-only REPEATABLE READ transaction on the replica.
// Any failure that is not a domain error (the replica down, a query
// cancelled because of a conflict with the replay) is EUNAVAILABLE with
// reason replica_unavailable: the same read on the primary may succeed.
func (r *Replica) Read(ctx context.Context, fn func(motcua.Tx) error) error {
	err := r.db.pgRead(ctx, fn)
	if err == nil || motcua.ErrorCode(err) != motcua.EINTERNAL || ctx.Err() != nil {
		return err
	}
	return fmt.Errorf("%w: %w", errReplicaUnavailable, err)
}

// Freshness implements motcua.ReportReader: the moment up to which the
// replica holds every commit of the primary. It is an error when the
// replica cannot be reached or is no longer in recovery (promoted: it no
// longer follows the primary).
func (r *Replica) Freshness(ctx context.Context) (time.Time, error) {
	var sample lsnSample
	if r.primary != nil {
		// Sampled before the replica is asked, so that a replay position
		// past it proves the replica has all that was committed then.
		sample.at = time.Now()
		err := r.primary.pg.QueryRowContext(ctx, `SELECT (pg_current_wal_flush_lsn() - '0/0'::pg_lsn)::bigint`).Scan(&sample.lsn)
		if err != nil {
			sample = lsnSample{} // the primary down: the replay timestamp only
		}
	}
	var standby bool
	var ver int
	var replay sql.NullInt64
	var replayTS sql.NullTime
	err := r.db.pg.QueryRowContext(ctx, `SELECT current_setting('server_version_num')::int, pg_is_in_recovery(),
		(pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint, pg_last_xact_replay_timestamp()`).Scan(&ver, &standby, &replay, &replayTS)
	if err != nil {
		return time.Time{}, fmt.Errorf("report replica at %s: %w", r.db.path, classify(err))
	}
	if ver < 150000 {
		return time.Time{}, fmt.Errorf("report replica at %s is PostgreSQL %d; motcua needs 15 or later", r.db.path, ver/10000)
	}
	if !standby || !replay.Valid {
		return time.Time{}, fmt.Errorf("report replica at %s is not in recovery: it is a primary (promoted?), not a streaming replica following this database", r.db.path)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !sample.at.IsZero() {
		if n := len(r.samples); n == maxSamples {
			r.samples = append(r.samples[:0], r.samples[1:]...)
		}
		r.samples = append(r.samples, sample)
	}
	var asOf time.Time
	if replayTS.Valid {
		asOf = replayTS.Time
	}
	for i := len(r.samples) - 1; i >= 0; i-- {
		if r.samples[i].lsn <= replay.Int64 {
			if r.samples[i].at.After(asOf) {
				asOf = r.samples[i].at
			}
			// Older samples are older positions: nothing later to find.
			r.samples = append(r.samples[:0], r.samples[i:]...)
			break
		}
	}
	if asOf.IsZero() {
		return time.Time{}, fmt.Errorf("report replica at %s has replayed no commit yet", r.db.path)
	}
	return asOf, nil
}
