package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
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
// statements run in the order they were issued), and at the end. A queued
// statement's error surfaces at that flush, possibly while a later
// transaction of the batch runs; that is harmless because in the optimistic
// run any error rolls the whole batch back, and the isolated run (one
// savepoint per transaction) sends every statement on its own again, so that
// each transaction gets its own errors, mapped as before.
//
// The end of a batch is one pipeline. The numbers of its dossiers are
// drawn first, in a short transaction of their own (numbersdraw.go); the
// pipeline then holds the batch's BEGIN (pgBegin) when nothing went to the
// server before, everything queued, the numbered dossiers' INSERTs, kept
// out of the queue until then so that they carry their codes
// (holdDossier), and the COMMIT. The rows that point to those dossiers
// (events, inbox rows, keys) go before them: their foreign keys are
// deferrable (migration 0028) and such a batch defers them to its commit
// (SET CONSTRAINTS ALL DEFERRED, queued with the first held dossier). Its
// single-row INSERTs are joined into multi-row ones (pgcoalesce.go).
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
	// seqs are the tables' sequences, by name as the server gave it.
	seqs map[string]string
}

// next returns an unused id of table, reserving a block through t when none
// is left.
func (p *pgIDs) next(t *tx, table string) (int64, error) {
	ids, err := p.take(t, table, 1)
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// take returns n unused ids of table, in the order next would have given
// them one by one: those left in the pool first, then whole blocks
// reserved through t in one draw, whose rest stays in the pool (so a batch
// import numbers its rows as the same rows inserted one by one would be).
func (p *pgIDs) take(t *tx, table string, n int) ([]int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.free == nil {
		p.free = map[string][]int64{}
	}
	free := p.free[table]
	k := min(n, len(free))
	out := append(make([]int64, 0, n), free[:k]...)
	p.free[table] = free[k:]
	if need := n - k; need > 0 {
		seq, err := p.sequence(t, table)
		if err != nil {
			return nil, err
		}
		ids, err := drawIDs(t, table, seq, (need+pgIDBlock-1)/pgIDBlock*pgIDBlock)
		if err != nil {
			return nil, err
		}
		out = append(out, ids[:need]...)
		p.free[table] = ids[need:]
	}
	return out, nil
}

// unpooled reserves n ids of table in one draw, none kept in the pool: for
// a table whose ids are otherwise drawn by its INSERTs (RETURNING id).
func (p *pgIDs) unpooled(t *tx, table string, n int) ([]int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	seq, err := p.sequence(t, table)
	if err != nil {
		return nil, err
	}
	return drawIDs(t, table, seq, n)
}

// sequence returns the name of table's identity sequence, asked of the
// server once (p.mu held). The name, not the sequence's OID, is kept: a
// sequence dropped and created again under its name (a schema made anew)
// is still found.
func (p *pgIDs) sequence(t *tx, table string) (string, error) {
	if seq, ok := p.seqs[table]; ok {
		return seq, nil
	}
	var seq sql.NullString
	if err := t.pgtx.QueryRowContext(t.ctx, `SELECT pg_get_serial_sequence($1, 'id')`, table).Scan(&seq); err != nil || !seq.Valid {
		return "", fmt.Errorf("reserve ids of %s: no identity sequence (%v)", table, err)
	}
	if p.seqs == nil {
		p.seqs = map[string]string{}
	}
	p.seqs[table] = seq.String
	return seq.String, nil
}

// drawIDsQuery reserves $2 ids from the sequence $1. The sequence is a
// regclass parameter, looked up once per draw: naming it by
// pg_get_serial_sequence in the query, as this once did, looked it up
// again for every id (8 µs an id against 1 µs on the development machine,
// about 13 µs of the server's CPU per intake).
const drawIDsQuery = `SELECT nextval($1) FROM generate_series(1, $2)`

// drawIDs reserves n ids of table from its identity sequence seq,
// straight from the server, ahead of the queued statements: the sequence
// does not depend on them. nextval is never rolled back, in a transaction
// or not, so the draw may come before the batch's BEGIN has gone
// (pgBegin); it then runs in a transaction of its own (drawIDsApart).
func drawIDs(t *tx, table, seq string, n int) ([]int64, error) {
	if t.beginWaits && t.pipelined() {
		return drawIDsApart(t, table, seq, n)
	}
	rows, err := t.pgtx.QueryContext(t.ctx, drawIDsQuery, seq, n)
	if err != nil {
		return nil, fmt.Errorf("reserve ids of %s: %w", table, err)
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("reserve ids of %s: %w", table, err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil || len(ids) != n {
		return nil, fmt.Errorf("reserve ids of %s: %d ids of %d (%v)", table, len(ids), n, err)
	}
	return ids, nil
}

// drawIDsApart draws the ids, before the batch's transaction has begun, in
// a transaction of its own that waits for no flush (queryApart). In
// autocommit the draw waited for one: nextval writes WAL once for every 32
// values it hands out, and a transaction that wrote WAL is flushed at its
// commit. That put a flush (1.8 ms against 0.08 ms without it: pgbench of
// a draw of 128 on the bench's machine) on the writer's path for about one
// batch of intakes in four, beside the batch's own commit.
func drawIDsApart(t *tx, table, seq string, n int) ([]int64, error) {
	ids := make([]int64, 0, n)
	err := queryApart(t.ctx, t.pipe.conn, func(rows pgx.Rows) error {
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	}, drawIDsQuery, seq, n)
	if err != nil {
		return nil, fmt.Errorf("reserve ids of %s: %w", table, mapError(err))
	}
	if len(ids) != n {
		return nil, fmt.Errorf("reserve ids of %s: %d ids of %d", table, len(ids), n)
	}
	return ids, nil
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
	// read, if not nil, reads the rows the statement returns when the
	// pipeline is sent: a read step of the transaction (pipeSteps).
	read func(rowsScanner) error
	// tag, if not nil, receives the statement's command tag (its rows
	// affected) when the pipeline is sent: a statement whose answer the
	// transaction waits for (execWithQueue).
	tag *pgconn.CommandTag
	// oneRow marks a single-row INSERT … VALUES: the server itself fails
	// it unless it writes its one row, so its check needs no answer from
	// the client before the commit (see commitPipe).
	oneRow bool
}

// pgPipe is the queue of a transaction whose statements are pipelined.
type pgPipe struct {
	conn   *sql.Conn // the batch's connection, for the pipeline
	queued []pgQueued
	// wrote: a statement other than a read step went to the server in
	// the pipeline (see pipeUsed).
	wrote bool
	// held are the INSERTs of the numbered dossiers (CreateNumberedDossier),
	// kept out of the queue until their numbers are drawn so that they
	// take their codes with them; heldGen counts the times they had to be
	// sent before that (a slot's generation). holdNext marks the next
	// dossier INSERT as one to hold.
	held     []pgQueued
	heldGen  int
	holdNext bool
	// deferred: the transaction made its foreign keys to dossiers wait
	// for the commit (SET CONSTRAINTS ALL DEFERRED, migration 0028), so
	// that the rows pointing to a held dossier can be sent before it.
	deferred bool
}

// pgSlot is the place of a held dossier INSERT: its generation and index
// in pgPipe.held. The zero slot is none.
type pgSlot struct {
	ok      bool
	gen, at int
}

// holdDossier makes the next dossier INSERT of t wait, in a pipeline, for
// its number, and returns where it will wait (the zero slot when t is not
// pipelined).
func (t *tx) holdDossier() pgSlot {
	if !t.pipelined() {
		return pgSlot{}
	}
	t.pipe.holdNext = true
	return pgSlot{ok: true, gen: t.pipe.heldGen, at: len(t.pipe.held)}
}

// setQueuedCode gives the dossier INSERT held at slot its code, and
// reports whether it could: not if the INSERT was already sent (with its
// provisional code, which an UPDATE must then replace).
func (t *tx) setQueuedCode(s pgSlot, code string) bool {
	if !s.ok || !t.pipelined() || t.pipe.heldGen != s.gen || s.at >= len(t.pipe.held) {
		return false
	}
	q := &t.pipe.held[s.at]
	if !strings.HasPrefix(q.query, "INSERT INTO dossiers (id, code,") {
		return false
	}
	q.args[1] = code
	return true
}

// releaseHeld moves the held dossier INSERTs to the end of the queue.
// With the foreign keys deferred, their place there is as good as any.
func (t *tx) releaseHeld() {
	if t.pipe == nil || len(t.pipe.held) == 0 {
		return
	}
	t.pipe.queued = append(t.pipe.queued, t.pipe.held...)
	t.pipe.held = nil
	t.pipe.heldGen++
}

// releaseHeldBefore moves the held dossier INSERTs to the queue when
// query names the dossiers table: it could read or change a held dossier,
// which must then be there, with its provisional code (the draw then sets
// the code by an UPDATE).
func (t *tx) releaseHeldBefore(query string) {
	if t.pipe != nil && len(t.pipe.held) > 0 && namesTable(query, "dossiers") {
		t.releaseHeld()
	}
}

// flushBefore sends the queue before a statement that goes to the server
// at once (it must see everything the transaction did before it), and
// the transaction's BEGIN if it still waits: with the queue, or alone when
// nothing is queued; the held dossier INSERTs go too when the statement
// could read or change one (releaseHeldBefore).
func (t *tx) flushBefore(query string) error {
	t.releaseHeldBefore(query)
	if err := t.flushPipe(); err != nil {
		return err
	}
	return t.sendBegin()
}

// namesTable reports whether query contains table as a whole word.
func namesTable(query, table string) bool {
	for i := 0; ; {
		j := strings.Index(query[i:], table)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(table)
		if (j == 0 || !identByte(query[j-1])) && (end == len(query) || !identByte(query[end])) {
			return true
		}
		i = end
	}
}

// identByte reports whether c can be part of an SQL identifier.
func identByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
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

// execWithQueue runs a statement whose answer the pipelined transaction t
// needs (an UPDATE that must change its row) at once, sent in one pipeline
// behind the statements queued before it rather than in a round trip of
// its own after theirs: an officer's action queued its event and then
// waited twice. Its errors are those exec gives (the first failing
// statement's, mapped).
func (t *tx) execWithQueue(query string, args []any) (sql.Result, error) {
	t.releaseHeldBefore(query)
	var tag pgconn.CommandTag
	t.pipe.queued = append(t.pipe.queued, pgQueued{query: rebind(query), args: args, rows: -1, tag: &tag})
	if _, err := t.sendPipe(); err != nil {
		return nil, err
	}
	return tagResult(tag), nil
}

// tagResult is the sql.Result of a pipelined statement.
type tagResult pgconn.CommandTag

// LastInsertId is not known to PostgreSQL (INSERT … RETURNING gives ids).
func (r tagResult) LastInsertId() (int64, error) {
	return 0, errors.New("sqlstore: no LastInsertId on PostgreSQL")
}

// RowsAffected is the number of rows the statement changed.
func (r tagResult) RowsAffected() (int64, error) { return pgconn.CommandTag(r).RowsAffected(), nil }

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
	q := pgQueued{query: rebind(into + table + " (id, " + head + "VALUES (?, " + values), args: append([]any{id}, args...), rows: 1, oneRow: true}
	if table == "dossiers" && t.pipe.holdNext {
		t.pipe.holdNext = false
		if !t.pipe.deferred {
			// The rows that point to the dossier (its event, inbox
			// rows, key) are sent before it: their foreign keys are
			// checked at the commit, when it is there.
			t.pipe.queued = append(t.pipe.queued, pgQueued{query: "SET CONSTRAINTS ALL DEFERRED", rows: -1})
			t.pipe.deferred = true
		}
		t.pipe.held = append(t.pipe.held, q)
		return id, true, nil
	}
	t.pipe.queued = append(t.pipe.queued, q)
	return id, true, nil
}

// flushPipe sends the queued statements in one pipeline and reads their
// results; the first error (mapped as the statement's own would be) is
// returned and the transaction is then unusable, as after any error.
func (t *tx) flushPipe() error {
	if t.pipe == nil || len(t.pipe.queued) == 0 {
		return nil
	}
	_, err := t.sendPipe()
	return err
}

// sendPipe sends the queued statements in one pipeline, behind the
// transaction's BEGIN if it still waits, and reads their results. It
// returns the first error, mapped as the statement's own would be, and the
// index of the statement that failed (-1 when the pipeline itself could
// not be sent or read, a lost connection, or when its BEGIN failed).
func (t *tx) sendPipe() (failed int, first error) {
	for _, q := range t.pipe.queued {
		t.pipe.wrote = t.pipe.wrote || q.read == nil
	}
	queued, orig := coalesceInserts(t.pipe.queued, t.pipe.deferred)
	t.pipe.queued = nil
	begin := t.beginWaits
	if begin {
		t.beginWaits, t.began = false, true
	}
	failed = -1
	defer func() {
		if failed >= 0 && orig != nil {
			failed = orig[failed] // the place in the queue as it was
		}
	}()
	err := t.pipe.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: driver connection is %T, not pgx", dc)
		}
		b := &pgx.Batch{}
		if begin {
			b.Queue(t.beginStatement())
		}
		for _, q := range queued {
			b.Queue(q.query, q.args...)
		}
		br := c.Conn().SendBatch(context.Background(), b)
		note := func(i int, err error) {
			if first == nil && err != nil {
				failed, first = i, err
			}
		}
		if begin {
			_, first = br.Exec()
		}
		for i, q := range queued {
			if first != nil {
				break // the server skipped the rest (one Sync ends the pipeline)
			}
			switch {
			case q.id != nil:
				note(i, br.QueryRow().Scan(q.id))
			case q.read != nil:
				note(i, batchRead(br, q.read))
			default:
				tag, err := br.Exec()
				if q.tag != nil {
					*q.tag = tag
				}
				if err == nil && q.rows >= 0 && tag.RowsAffected() != q.rows {
					err = fmt.Errorf("%s: %w: %d, want %d", firstWords(q.query), errRowsAffected, tag.RowsAffected(), q.rows)
				}
				if err == nil && q.query == "COMMIT" && tag.String() != "COMMIT" {
					err = errCommitRolledBack
				}
				note(i, err)
			}
		}
		if err := br.Close(); err != nil && first == nil {
			first = err
		}
		return nil
	})
	if err != nil && first == nil {
		first = err
	}
	if first != nil && !isServerError(first) {
		// An error from the connection, not an answer to a statement:
		// what the server did with the rest is not known.
		failed = -1
	}
	return failed, mapError(first)
}

// errCommitRolledBack is a COMMIT that PostgreSQL answered with ROLLBACK:
// the transaction had been aborted by an error one of its statements
// ignored.
var errCommitRolledBack = errors.New("commit: the transaction had been aborted and was rolled back")

// errRowsAffected is a statement that changed another number of rows than
// it must have.
var errRowsAffected = errors.New("rows affected")

// isServerError reports whether err is the server's answer to a statement
// (or a check of that answer by the client): the connection still works
// and the server went on as the protocol says.
func isServerError(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) || errors.Is(err, errCommitRolledBack) || errors.Is(err, errRowsAffected)
}

// firstWords is the start of a statement, for messages.
func firstWords(q string) string {
	q = strings.Join(strings.Fields(q), " ")
	if len(q) > 40 {
		q = q[:40] + "…"
	}
	return q
}

// pipeUsed reports whether a statement of t other than a read step went
// to or waits in its pipeline: such a statement's failure surfaces at a
// later send, unmapped (pgOptimistic). A read step (pipeSteps) is answered
// in the send that carries it, with its own error, as a read sent at once.
func (t *tx) pipeUsed() bool {
	return t.pipe != nil && (t.pipe.wrote || len(t.pipe.queued) > 0 || len(t.pipe.held) > 0)
}

// commitPipe commits a pipelined transaction: its queued statements and
// the COMMIT go in one pipeline, so that the commit costs no round trip of
// its own and the counter rows the draw locked (numbers.go) are released
// as soon as the server has written the batch. When a queued statement's
// check is the client's (a number of rows an UPDATE must change), the
// answers are checked first and the COMMIT follows on its own.
//
// atCommit tells what an error means: false, the server refused a
// statement before the COMMIT (or the COMMIT was never sent), so nothing
// was committed and the transaction must be rolled back; true, the error
// is the COMMIT's own, or the connection failed with the COMMIT sent and
// its outcome is not known.
func (t *tx) commitPipe() (atCommit bool, err error) {
	t.releaseHeld()
	together := true
	for _, q := range t.pipe.queued {
		if q.rows >= 0 && !q.oneRow {
			together = false
		}
	}
	if !together {
		if _, err := t.sendPipe(); err != nil {
			return false, err
		}
	}
	t.pipe.queued = append(t.pipe.queued, pgQueued{query: "COMMIT", rows: -1})
	commit := len(t.pipe.queued) - 1
	failed, err := t.sendPipe()
	if err != nil && failed >= 0 && failed < commit {
		return false, err
	}
	return err != nil, err
}
