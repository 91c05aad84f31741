package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Pipelined statements in a PostgreSQL group commit.
//
// A batch's writes are mostly INSERTs whose results nobody reads: the
// inbox rows, the idempotency key, the counter changes, and the dossier and
// its event once their ids are known beforehand. Sent one by one, each is a
// round trip to the server, and the writer's connection idles while it
// travels; at 16 dossiers a batch that was some 70 round trips before one
// commit, and PostgreSQL intake was ×0.1 of raw single-row inserts.
//
// In the optimistic run of a batch (pgOptimistic) such statements are
// therefore only queued (execLater, and insert for the tables with an id
// pool), and sent together in one pipeline (pgx.Batch) when the
// transaction next needs an answer from the server: before any other
// statement (so a transaction always reads its own writes and the
// statements run in the order they were issued), and before the commit.
// A queued statement's error surfaces at that flush, possibly while a later
// transaction of the batch runs; that is harmless because in the optimistic
// run any error rolls the whole batch back, and the isolated run (one
// savepoint per transaction) sends every statement on its own again, so that
// each transaction gets its own errors, mapped as before.
//
// Ids. The dossier and event INSERTs returned their new id, which the
// transaction needs at once (the event and the inbox rows point to the
// dossier). In a pipeline the id is drawn beforehand from the table's own
// identity sequence, a block at a time (pgIDBlock): nextval is never rolled
// back, so ids stay unique across writers and instances; an id drawn and
// not used (a rolled-back batch, a stopped process) is a gap, as a
// rolled-back INSERT's already was. Nothing orders by these ids except as a
// tie-breaker, and the outbox and audit log, whose id order matters, keep
// their INSERT … RETURNING id.

// pgIDBlock is how many ids one draw reserves.
const pgIDBlock = 128

// pgIDTables are the tables whose INSERTs take an id drawn beforehand in a
// pipeline, with the column list's start as it appears in their INSERT.
var pgIDTables = map[string]bool{"dossiers": true, "dossier_events": true}

// pgIDs hands out ids reserved from the tables' identity sequences.
type pgIDs struct {
	mu   sync.Mutex
	free map[string][]int64
}

// next returns an unused id of table, reserving a block through t when none
// is left.
func (p *pgIDs) next(t *tx, table string) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free[table]) == 0 {
		// Straight to the server, ahead of the queued statements: the
		// sequence does not depend on them.
		rows, err := t.pgtx.QueryContext(t.ctx, `SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)`, table, pgIDBlock)
		if err != nil {
			return 0, fmt.Errorf("reserve ids of %s: %w", table, err)
		}
		ids := make([]int64, 0, pgIDBlock)
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return 0, fmt.Errorf("reserve ids of %s: %w", table, err)
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return 0, fmt.Errorf("reserve ids of %s: %d ids (%v)", table, len(ids), err)
		}
		if p.free == nil {
			p.free = map[string][]int64{}
		}
		p.free[table] = ids
	}
	id := p.free[table][0]
	p.free[table] = p.free[table][1:]
	return id, nil
}

// pgQueued is a statement waiting in the pipeline. rows, if not negative,
// is the number of rows it must affect.
type pgQueued struct {
	query string
	args  []any
	rows  int64
	// id, if not nil, receives the id the statement returns (an INSERT …
	// RETURNING id): set when the pipeline is sent, before the commit.
	id *int64
}

// pgPipe is the queue of a transaction whose statements are pipelined.
type pgPipe struct {
	conn   *sql.Conn // the batch's connection, for the pipeline
	queued []pgQueued
	sent   int // how many times the queue was sent (a slot's generation)
}

// pgSlot is a place in a pipeline's queue: the queue as it was after sent
// sends, and an index in it. The zero slot is none.
type pgSlot struct {
	ok       bool
	sent, at int
}

// nextSlot returns the slot the next queued statement will take.
func (t *tx) nextSlot() pgSlot {
	if !t.pipelined() {
		return pgSlot{}
	}
	return pgSlot{ok: true, sent: t.pipe.sent, at: len(t.pipe.queued)}
}

// setQueuedCode gives the dossier INSERT waiting at slot its code, and
// reports whether it could: not if the INSERT was already sent (with its
// provisional code, which an UPDATE must then replace).
func (t *tx) setQueuedCode(s pgSlot, code string) bool {
	if !s.ok || !t.pipelined() || t.pipe.sent != s.sent || s.at >= len(t.pipe.queued) {
		return false
	}
	q := &t.pipe.queued[s.at]
	if !strings.HasPrefix(q.query, "INSERT INTO dossiers (id, code,") {
		return false
	}
	q.args[1] = code
	return true
}

// pipelined reports whether t queues statements instead of sending them.
func (t *tx) pipelined() bool { return t.pipe != nil && t.pipe.conn != nil }

// execLater runs a statement whose result is not needed, except that it
// must affect rows rows (negative: any number); in a pipelined
// transaction it is only queued.
func (t *tx) execLater(rows int64, query string, args ...any) error {
	if !t.pipelined() {
		res, err := t.exec(query, args...)
		if err != nil || rows < 0 {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != rows {
			return fmt.Errorf("%s: %d rows affected, want %d (%v)", firstWords(query), n, rows, err)
		}
		return nil
	}
	t.pipe.queued = append(t.pipe.queued, pgQueued{query: rebind(query), args: args, rows: rows})
	return nil
}

// insertReturning runs an INSERT and stores the new row's id in *id; in a
// pipelined transaction it is queued, and *id is set when the pipeline is
// sent, before the commit. The id is then the database's own, drawn when
// the row is written (unlike insertLater's, drawn beforehand): for the
// audit log, whose chain seals entries by id a little after they commit.
func (t *tx) insertReturning(id *int64, query string, args ...any) error {
	if !t.pipelined() {
		n, err := t.insert(query, args...)
		*id = n
		return err
	}
	t.pipe.queued = append(t.pipe.queued, pgQueued{query: rebind(query + " RETURNING id"), args: args, rows: -1, id: id})
	return nil
}

// insertLater is insert for a pipelined transaction: for a table with an
// id pool it draws the id and queues the INSERT with it (ok true);
// otherwise it does nothing (ok false).
func (t *tx) insertLater(query string, args []any) (id int64, ok bool, err error) {
	if !t.pipelined() {
		return 0, false, nil
	}
	const into = "INSERT INTO "
	rest, found := strings.CutPrefix(query, into)
	if !found {
		return 0, false, nil
	}
	table, cols, found := strings.Cut(rest, " (")
	if !found || !pgIDTables[table] {
		return 0, false, nil
	}
	head, values, found := strings.Cut(cols, "VALUES (")
	if !found {
		return 0, false, nil
	}
	if id, err = t.db.pgids.next(t, table); err != nil {
		return 0, true, err
	}
	q := into + table + " (id, " + head + "VALUES (?, " + values
	t.pipe.queued = append(t.pipe.queued, pgQueued{query: rebind(q), args: append([]any{id}, args...), rows: 1})
	return id, true, nil
}

// flushPipe sends the queued statements in one pipeline and reads their
// results; the first error (mapped as the statement's own would be) is
// returned and the transaction is then unusable, as after any error.
func (t *tx) flushPipe() error {
	if t.pipe == nil || len(t.pipe.queued) == 0 {
		return nil
	}
	queued := t.pipe.queued
	t.pipe.queued = nil
	t.pipe.sent++
	return t.pipe.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: driver connection is %T, not pgx", dc)
		}
		b := &pgx.Batch{}
		for _, q := range queued {
			b.Queue(q.query, q.args...)
		}
		br := c.Conn().SendBatch(context.Background(), b)
		var first error
		for _, q := range queued {
			if q.id != nil {
				err := br.QueryRow().Scan(q.id)
				if first == nil && err != nil {
					first = mapError(err)
				}
				continue
			}
			tag, err := br.Exec()
			if first != nil {
				continue
			}
			if err != nil {
				first = mapError(err)
			} else if q.rows >= 0 && tag.RowsAffected() != q.rows {
				first = fmt.Errorf("%s: %d rows affected, want %d", firstWords(q.query), tag.RowsAffected(), q.rows)
			}
		}
		if err := br.Close(); err != nil && first == nil {
			first = mapError(err)
		}
		return first
	})
}

// firstWords is the start of a statement, for messages.
func firstWords(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 40 {
		q = q[:40] + "…"
	}
	return q
}

// pipeUsed reports whether any statement of t was queued in its pipeline.
func (t *tx) pipeUsed() bool {
	return t.pipe != nil && (t.pipe.sent > 0 || len(t.pipe.queued) > 0)
}
