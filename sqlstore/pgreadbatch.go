package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/motcua/motcua"
)

// Reads in few round trips on PostgreSQL.
//
// A read transaction used to cost a round trip for its BEGIN, one per
// statement and one for its ROLLBACK, and the connection stayed pinned,
// idle in transaction, while motcua's goroutine waited for a core between
// them: a dossier's page was nine round trips (docs/deployment.md §17,
// the tenth round). Now a read's BEGIN waits for its first statement
// (none, no BEGIN and no ROLLBACK: a read served from caches costs
// nothing), and a read that knows its statements beforehand sends them as
// one batch (readSteps), with the BEGIN in it: a dossier's record
// (DossierRecord) is one round trip and the ROLLBACK a second.

// pgReadBegin starts a read: one snapshot for all its statements, as on
// SQLite, and no writes.
const pgReadBegin = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

// pgWriteBegin starts a group commit's optimistic run (pgbatch.go).
const pgWriteBegin = "BEGIN ISOLATION LEVEL READ COMMITTED"

// beginStatement is the BEGIN that t's transaction waits to send.
func (t *tx) beginStatement() string {
	if t.write {
		return pgWriteBegin
	}
	return pgReadBegin
}

// rowsScanner is what a scan of several rows needs: *sql.Rows and
// pgx.Rows both are one.
type rowsScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// readStep is one statement of a batch of reads (readSteps): the query,
// with ? placeholders, its arguments, and read, which scans its rows.
type readStep struct {
	query string
	args  []any
	read  func(rowsScanner) error
}

// pgReadTx runs fn in a read transaction on a connection of its own,
// whose BEGIN waits for fn's first statement (sendBegin, readSteps).
func (db *DB) pgReadTx(ctx context.Context, fn func(motcua.Tx) error) error {
	conn, err := db.pg.Conn(ctx)
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer conn.Close()
	t := &tx{db: db, ctx: ctx, pgtx: conn, rconn: conn, beginWaits: true}
	ferr := fn(t)
	if t.began {
		// Not under ctx: a cancelled read must still end. After a
		// cancelled context the driver may have dropped the connection;
		// the rollback's error then says nothing new, and a connection
		// left in a transaction is never reused (stdlib's ResetSession).
		if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil && !errors.Is(err, sql.ErrConnDone) && ctx.Err() == nil {
			return errors.Join(ferr, fmt.Errorf("end read: %w", err))
		}
	}
	return ferr
}

// sendBegin sends the BEGIN of a read, or of a pipelined write whose
// queue is empty, on its own before the transaction's first statement, if
// it waits.
func (t *tx) sendBegin() error {
	if !t.beginWaits {
		return nil
	}
	t.beginWaits, t.began = false, true
	_, err := t.pgtx.ExecContext(t.ctx, t.beginStatement())
	return mapError(err)
}

// readSteps runs steps in order, each read by its own function. In a
// PostgreSQL read they go to the server as one batch (with the read's
// BEGIN when it still waits): one round trip. In a PostgreSQL read without
// a snapshot they go as one batch too, on a pooled connection of their
// own, with no BEGIN: a pipeline without one runs in an implicit
// transaction, each statement with its own snapshot, as such a read's
// statements do one by one. In a pipelined write they go behind the
// queued statements (and the write's BEGIN when it still waits), in one
// pipeline. Elsewhere (SQLite, a write's isolated run) they run one after
// the other, as separate queries would.
func (t *tx) readSteps(steps []readStep) error {
	if len(steps) == 0 {
		return nil
	}
	if t.pipelined() {
		return t.pipeSteps(steps)
	}
	conn := t.rconn
	if ns, ok := t.pgtx.(pgNoSnapshot); ok && len(steps) > 1 {
		for _, s := range steps {
			if !readOnlySQL(s.query) {
				return errWriteInRead
			}
		}
		c, err := ns.db.Conn(t.ctx)
		if err != nil {
			return mapError(err)
		}
		defer c.Close()
		conn = c
	}
	if conn == nil {
		for _, s := range steps {
			if err := t.readStep(s); err != nil {
				return err
			}
		}
		return nil
	}
	b := &pgx.Batch{}
	begin := t.beginWaits
	if begin {
		b.Queue(t.beginStatement())
		t.beginWaits, t.began = false, true
	}
	for _, s := range steps {
		b.Queue(rebind(s.query), s.args...)
	}
	var first error
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("read batch: driver connection is %T, not pgx", dc)
		}
		br := c.Conn().SendBatch(t.ctx, b)
		if begin {
			_, first = br.Exec()
		}
		for _, s := range steps {
			if first != nil {
				break // the server skipped the rest (one Sync ends the batch)
			}
			first = batchRead(br, s.read)
		}
		if err := br.Close(); err != nil && first == nil {
			first = err
		}
		return nil
	})
	if err != nil && first == nil {
		first = err
	}
	return mapError(first)
}

// pipeSteps sends steps behind t's queue in one pipeline, the held
// dossier INSERTs too when a step could read one (releaseHeldBefore).
func (t *tx) pipeSteps(steps []readStep) error {
	for _, s := range steps {
		t.releaseHeldBefore(s.query)
		t.pipe.queued = append(t.pipe.queued, pgQueued{query: rebind(s.query), args: s.args, rows: -1, read: s.read})
	}
	_, err := t.sendPipe()
	return err
}

// readStep runs one step on its own.
func (t *tx) readStep(s readStep) error {
	rows, err := t.query(s.query, s.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if err := s.read(rows); err != nil {
		return err
	}
	return rows.Err()
}

// batchRead reads the next result of a batch with read, and closes it.
func batchRead(br pgx.BatchResults, read func(rowsScanner) error) error {
	rows, err := br.Query()
	if err != nil {
		return err
	}
	err = read(rows)
	rows.Close()
	if err == nil {
		err = rows.Err()
	}
	return err
}
