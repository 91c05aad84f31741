package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/motcua/motcua"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// tx implements motcua.Tx on a pinned SQLite connection — the writer's
// (inside a group commit) or a reader's (inside a read transaction) — or on
// a PostgreSQL transaction.
type tx struct {
	db    *DB
	ctx   context.Context
	conn  *pconn    // SQLite
	pgtx  pgQuerier // PostgreSQL: a read's *sql.Tx, or a batch's *sql.Conn (pgbatch.go)
	write bool
	// stats, in a group commit, adds up the live-counter changes of the
	// batch until they are written (see AddStats).
	stats map[motcua.StatKey]int64
	// numbers, in a PostgreSQL group commit, lists the dossiers waiting
	// for their number (see CreateNumberedDossier).
	numbers []pendingNumber
	// drawn, in a PostgreSQL group commit, are the numbers the batch
	// drew, given back if it does not commit (numbers.go).
	drawn []drawnNumber
	// pipe, in the optimistic run of a PostgreSQL group commit, queues
	// the statements whose results are not needed (pgpipeline.go).
	pipe *pgPipe
	// rconn, in a PostgreSQL read with a snapshot, is its connection;
	// while beginWaits its BEGIN waits for the first statement, and began
	// says it was sent, so that the read ends with a ROLLBACK
	// (pgreadbatch.go).
	rconn      *sql.Conn
	beginWaits bool
	began      bool
	// newActors are the event_actors rows this transaction wrote (see
	// actorOf): not committed yet, so never cached.
	newActors map[int64]bool
	// used: a statement ran in the transaction (on SQLite, a read
	// transaction's snapshot is then fixed; see pinSecondReader).
	used bool
	// second, in a SQLite read transaction, is a second connection
	// reading the same snapshot (see helper), released when it ends.
	second      *pconn
	secondTried bool
}

// pgQuerier runs statements inside a PostgreSQL transaction: a *sql.Tx,
// or the *sql.Conn of a group commit, whose transaction the writer begins
// and ends itself so that its COMMIT can travel in a pipeline
// (pgpipeline.go).
type pgQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// dropPending forgets the counter changes and numbers a failed transaction
// left waiting; its rows were rolled back.
func (t *tx) dropPending() {
	clear(t.stats)
	clear(t.numbers)
	t.numbers = t.numbers[:0]
}

// stmt returns the prepared statement for query on the transaction's
// connection.
func (t *tx) stmt(query string) (*sql.Stmt, error) {
	t.used = true
	return t.conn.stmt(t.opCtx(), query)
}

// opCtx is the context for a statement. In the writer, callers' contexts are
// ignored: cancelling one statement would interrupt the shared connection and
// could roll back other callers' work in the same commit.
func (t *tx) opCtx() context.Context {
	if t.write && t.pgtx == nil {
		return context.Background()
	}
	return t.ctx
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	if t.pgtx != nil {
		if t.pipelined() {
			return t.execWithQueue(query, args)
		}
		if err := t.flushBefore(query); err != nil {
			return nil, err
		}
		res, err := t.pgtx.ExecContext(t.ctx, rebind(query), args...)
		return res, mapError(err)
	}
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	res, err := s.ExecContext(t.opCtx(), args...)
	if err != nil {
		return nil, mapError(err)
	}
	return res, nil
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	if t.pgtx != nil {
		if err := t.flushBefore(query); err != nil {
			return nil, err
		}
		rows, err := t.pgtx.QueryContext(t.ctx, rebind(query), args...)
		return rows, mapError(err)
	}
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(t.opCtx(), args...)
	if err != nil {
		return nil, mapError(err)
	}
	return rows, nil
}

func (t *tx) queryRow(query string, args ...any) (*sql.Row, error) {
	if t.pgtx != nil {
		if err := t.flushBefore(query); err != nil {
			return nil, err
		}
		return t.pgtx.QueryRowContext(t.ctx, rebind(query), args...), nil
	}
	s, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.QueryRowContext(t.opCtx(), args...), nil
}

// insert runs an INSERT and returns the new row's id. (SQLite reports it
// without a RETURNING clause, which would cost a result set per insert.)
func (t *tx) insert(query string, args ...any) (int64, error) {
	if t.pgtx != nil {
		if id, ok, err := t.insertLater(query, args); ok {
			return id, err
		}
		if err := t.flushBefore(query); err != nil {
			return 0, err
		}
		var id int64
		err := t.pgtx.QueryRowContext(t.ctx, rebind(query+" RETURNING id"), args...).Scan(&id)
		return id, mapError(err)
	}
	res, err := t.exec(query, args...)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// errConflict marks a violated uniqueness constraint; callers turn it into a
// motcua.ECONFLICT error with a message for people.
var errConflict = errors.New("unique constraint violated")

// mapError turns driver errors the domain cares about into sentinel errors.
func mapError(err error) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		return fmt.Errorf("%w: %v", errConflict, err)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return fmt.Errorf("%w: %v", errConflict, err)
		}
	}
	return err
}

func conflict(err error, reason, msg string) error {
	if errors.Is(err, errConflict) {
		return motcua.Errorf(motcua.ECONFLICT, reason, "%s", msg)
	}
	return err
}

func notFound(err error, reason, msg string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return motcua.Errorf(motcua.ENOTFOUND, reason, "%s", msg)
	}
	return err
}

// ms converts an instant to stored milliseconds; the zero time is NULL.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMS converts stored milliseconds back to a UTC instant.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// ctxT is the context parameter of the motcua.Tx methods. The transaction's
// own context applies instead (see opCtx).
type ctxT = context.Context

// sqlNullInt is a nullable integer column.
type sqlNullInt = sql.NullInt64
