package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/motcua/motcua"
)

// Group commit on PostgreSQL.
//
// A write on its own pays a commit (a WAL flush) and, for an intake, holds
// the counter row of its agency and day from the draw until that commit, so
// that concurrent intakes of one agency queue one commit after another. As
// on SQLite, writes therefore wait in a queue, and a writer takes everything
// waiting (up to Options.MaxBatch) and runs it in one READ COMMITTED
// transaction on one connection: one commit and one counter draw per key for
// the whole batch. A caller's Write returns only after the commit holding
// its changes succeeded; when the commit fails every caller of the batch is
// told so, and none had been acknowledged.
//
// Optimistic, then isolated, as on SQLite: the batch first runs back to
// back; if a transaction fails (or panics), the whole batch is rolled back
// and runs again with each transaction in its own SAVEPOINT, so that the
// failing one is rolled back alone. Live counters are added up in tx.stats
// and appended to stat_deltas once per batch (once per transaction in the
// isolated run); dossier numbers are drawn the same way (numbers.go).
//
// PostgreSQL aborts a whole transaction, not a statement, when it picks it
// as a deadlock victim or finds a serialization failure; the batch then runs
// again after a short jittered pause, at most maxAttempts times, and after
// that in isolation, where a transaction aborted this way is rolled back to
// its savepoint and tried again in the next round while the others commit.
//
// Deadlocks between batches. A batch holds every row lock its transactions
// took until it commits, so two batches (of two writers, or of two
// instances) that lock the same rows in opposite orders deadlock, where the
// same transactions one by one would only have waited. The counters of
// dossier numbers, which every intake touches, are not among those rows: a
// batch draws its numbers at its end in a short transaction of its own
// (numbersdraw.go), so batches of one agency and day no longer wait for
// one another's commit. Other row locks (two officers changing the same
// two dossiers in two batches in opposite order) are rare; PostgreSQL
// detects those deadlocks after deadlock_timeout and the victim runs again.
//
// Why few writers (Options.PGWriters, default 2). One writer leaves the
// connection idle while its commit is flushed; a second one runs the next
// batch meanwhile. More writers only split the queue into smaller batches
// that compete for the same cores; docs/deployment.md gives the
// measurements.

// pgOutcome is what a run of a batch came to.
type pgOutcome int

const (
	pgDone    pgOutcome = iota // every caller was told its result
	pgRetry                    // aborted by another transaction: run it again
	pgIsolate                  // a transaction failed: run each in a savepoint
)

// startPGWriters starts n writers.
func (db *DB) startPGWriters(n int) {
	for range n {
		db.pgWG.Add(1)
		go db.pgWriteLoop()
	}
}

// pgWriteLoop takes the waiting writes in batches until Close.
func (db *DB) pgWriteLoop() {
	defer db.pgWG.Done()
	batch := make([]*writeReq, 0, db.maxBatch)
	for {
		var first *writeReq
		select {
		case first = <-db.writes:
		case <-db.quit:
			return
		}
		batch = append(batch[:0], first)
	drain:
		for len(batch) < db.maxBatch {
			select {
			case r := <-db.writes:
				batch = append(batch, r)
			default:
				break drain
			}
		}
		db.pgRunBatch(batch)
		clear(batch) // let the finished requests be collected
	}
}

// pgRunBatch commits the batch's transactions and tells every caller.
func (db *DB) pgRunBatch(batch []*writeReq) {
	live := pgStillWanted(batch)
	attempt := 1
	for len(live) > 0 {
		out, reason := db.pgOptimistic(live)
		if out == pgDone {
			return
		}
		if out == pgRetry {
			db.retried(reason)
			if attempt < maxAttempts {
				pgBackOff(attempt)
				attempt++
				live = pgStillWanted(live)
				continue
			}
			live = pgStillWanted(live)
		}
		break
	}
	// In isolation, until every transaction has its result.
	drawEach := false
	for len(live) > 0 {
		again, reason, redo := db.pgIsolated(live, attempt >= maxAttempts, drawEach)
		if redo {
			drawEach = true
			live = pgStillWanted(live)
			continue
		}
		if len(again) == 0 {
			return
		}
		db.retried(reason)
		pgBackOff(attempt)
		attempt++
		live = pgStillWanted(again)
	}
}

// pgStillWanted returns the requests whose callers still wait, and tells
// the others that their transaction did not run. It is only called before
// a run: nothing of these requests was committed.
func pgStillWanted(batch []*writeReq) []*writeReq {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err
			continue
		}
		live = append(live, r)
	}
	return live
}

// pgBackOff pauses before attempt+1, a little longer each time and with
// jitter, so that the transactions that collided do not collide again.
func pgBackOff(attempt int) {
	time.Sleep(time.Duration(rand.IntN(attempt*5)+1) * time.Millisecond)
}

// pgBegin starts a batch's transaction. Statements run under a context
// that no caller can cancel: cancelling one would break the connection
// under every other caller's work.
//
// The transaction runs on a connection of its own, given back to the pool
// by release once the transaction ended. The optimistic run (pipelined)
// queues statements and sends them in pipelines (pgpipeline.go); it begins
// and ends its transaction itself on the connection, so that its COMMIT can
// travel in the last pipeline, and sqlTx is then nil. (A connection given
// back inside a transaction is closed by the driver, never reused.)
func (db *DB) pgBegin(pipelined bool) (*sql.Tx, *tx, func(), error) {
	ctx := context.Background()
	conn, err := db.pg.Conn(ctx)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("begin write: %w", err)
	}
	release := func() { conn.Close() }
	t := &tx{db: db, ctx: ctx, write: true, stats: map[motcua.StatKey]int64{}}
	if pipelined {
		// The BEGIN waits for the first statement that goes to the
		// server, and travels with it: usually the batch's last
		// pipeline, so that the whole batch is one round trip besides
		// the draw of its numbers (pgWriteBegin).
		t.pgtx, t.pipe, t.beginWaits = conn, &pgPipe{conn: conn}, true
		return nil, t, release, nil
	}
	sqlTx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	if err != nil {
		conn.Close()
		return nil, nil, nil, fmt.Errorf("begin write: %w", err)
	}
	t.pgtx = sqlTx
	return sqlTx, t, release, nil
}

// pgRollback ends the optimistic run's transaction without committing it.
// On a connection that no longer answers it fails, and the connection is
// then dropped when released.
func pgRollback(t *tx) error {
	if !t.began {
		return nil // nothing went to the server: no transaction to end
	}
	_, err := t.pipe.conn.ExecContext(t.ctx, "ROLLBACK")
	return err
}

// pgOptimistic runs the batch in one transaction and commits it if every
// transaction succeeds. Otherwise it rolls back and says whether to retry
// (aborted by another transaction) or to isolate (one of them failed); the
// second return names the reason of a retry.
func (db *DB) pgOptimistic(batch []*writeReq) (pgOutcome, string) {
	start := time.Now()
	_, t, release, err := db.pgBegin(true)
	if err != nil {
		db.fail(batch, err)
		return pgDone, ""
	}
	defer release()
	undo := func(err error) (pgOutcome, string) {
		pgRollback(t)
		t.giveBack() // no COMMIT was sent
		if reason := retryReason(err); reason != "" {
			return pgRetry, reason
		}
		return pgIsolate, ""
	}
	for _, r := range batch {
		if err := call(r.fn, t); err != nil {
			if retryReason(err) != "" {
				r.aborts++
			} else if len(batch) == 1 && !t.pipeUsed() && pgRollback(t) == nil {
				// Alone in its batch, on a connection that still
				// answers: running it again in a savepoint would give
				// the same answer at twice the cost (see runOptimistic).
				// A lost connection still goes the isolated way, on a
				// new one; so does a write whose statements were
				// pipelined: a queued statement's failure surfaces at a
				// later send, unmapped to the domain error (a replayed
				// key, a taken code) that the isolated run reports.
				db.observe(1, start, nil)
				r.done <- err
				return pgDone, ""
			}
			return undo(err)
		}
	}
	// The batch's counter changes are queued; the batch's dossier
	// numbers are drawn apart; the dossiers with their codes and the
	// COMMIT go in the last pipeline, behind everything queued.
	if err := t.flushStats(); err != nil {
		return undo(err)
	}
	if err := t.flushNumbers(); err != nil {
		return undo(err)
	}
	atCommit, err := t.commitPipe()
	if err != nil && !atCommit {
		return undo(err)
	}
	db.observe(len(batch), start, err)
	if err != nil {
		pgRollback(t) // in case the server still holds the transaction
		if isServerError(err) {
			// The server answered the COMMIT with an error or a
			// ROLLBACK: nothing was committed. (A lost connection
			// leaves the outcome unknown, and the numbers unused or not.)
			t.giveBack()
		}
		if reason := retryReason(err); reason != "" {
			return pgRetry, reason
		}
		var pe *pgconn.PgError
		if errors.Is(err, errCommitRolledBack) || (t.pipe.deferred && errors.As(err, &pe) && pe.Code == "23503") {
			// PostgreSQL had aborted the transaction on an error that
			// a transaction ignored, or a foreign key this batch
			// deferred was violated: it rolled back instead of
			// committing, so the batch can still run in isolation,
			// where the constraints are checked at each statement.
			return pgIsolate, ""
		}
		db.fail(batch, fmt.Errorf("commit: %w", err))
		return pgDone, ""
	}
	for _, r := range batch {
		r.done <- nil
	}
	return pgDone, ""
}

// pgIsolated runs each transaction in its own savepoint and commits the ones
// that succeed. It returns the transactions that another transaction
// aborted (deadlock, serialization failure), rolled back to their savepoint
// and not answered yet, to be run again; a transaction aborted this way
// maxAttempts times is answered with its error instead. reason is why the
// first of them was aborted. last bounds what fails the whole run (the
// final draw of numbers, the commit): on the batch's last attempt every
// caller is answered.
//
// The numbers of the dossiers the successful transactions created are still
// drawn together at the end, in the order of their keys, so that an
// isolated batch does not deadlock with others on counter rows either. If
// that draw fails (a code already taken, which only inconsistent data can
// cause), nothing is committed and the caller is told to run the batch
// again with drawEach, where each transaction draws its own numbers inside
// its savepoint and such a failure is its failure alone.
func (db *DB) pgIsolated(batch []*writeReq, last, drawEach bool) (again []*writeReq, reason string, redo bool) {
	start := time.Now()
	sqlTx, t, release, err := db.pgBegin(false)
	if err != nil {
		db.fail(batch, err)
		return nil, "", false
	}
	defer release()
	ctx := t.ctx
	results := make([]error, len(batch))
	retry := make([]bool, len(batch))
	abort := func(err error) ([]*writeReq, string, bool) {
		sqlTx.Rollback()
		t.giveBack()
		db.fail(batch, err)
		return nil, "", false
	}
	for i, r := range batch {
		if _, err := sqlTx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			return abort(fmt.Errorf("savepoint: %w", err))
		}
		mark := len(t.numbers)
		err := call(r.fn, t)
		if err == nil {
			// This transaction's own counters, inside its savepoint, so
			// that a failure there is its failure alone.
			err = t.flushStats()
		}
		if err == nil && drawEach {
			err = t.flushNumbers()
		}
		if err != nil {
			clear(t.stats)
			clear(t.numbers[mark:])
			t.numbers = t.numbers[:mark]
			if _, rerr := sqlTx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT w"); rerr != nil {
				return abort(fmt.Errorf("rollback to savepoint after %v: %w", err, rerr))
			}
			if why := retryReason(err); why != "" {
				r.aborts++
				if r.aborts < maxAttempts {
					retry[i] = true
					if reason == "" {
						reason = why
					}
				}
			}
		}
		if _, rerr := sqlTx.ExecContext(ctx, "RELEASE SAVEPOINT w"); rerr != nil {
			if err != nil {
				return abort(fmt.Errorf("release savepoint: %w", rerr))
			}
			// The transaction returned nil after an error that aborted
			// it (PostgreSQL refuses to release the savepoint then):
			// it failed, alone.
			err = fmt.Errorf("write transaction ignored an error that aborted it: %w", rerr)
			clear(t.numbers[mark:])
			t.numbers = t.numbers[:mark]
			if _, rerr := sqlTx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT w"); rerr != nil {
				return abort(fmt.Errorf("rollback to savepoint after %v: %w", err, rerr))
			}
			if _, rerr := sqlTx.ExecContext(ctx, "RELEASE SAVEPOINT w"); rerr != nil {
				return abort(fmt.Errorf("release savepoint: %w", rerr))
			}
		}
		results[i] = err
	}
	if err := t.flushNumbers(); err != nil {
		sqlTx.Rollback()
		t.giveBack()
		if why := retryReason(err); why != "" && !last {
			return batch, why, false // nothing was committed: all of them again
		}
		return nil, "", true
	}
	err = sqlTx.Commit()
	db.observe(len(batch), start, err)
	if err != nil {
		if isServerError(err) {
			t.giveBack()
		}
		if why := retryReason(err); why != "" && !last {
			return batch, why, false
		}
		db.fail(batch, fmt.Errorf("commit: %w", err))
		return nil, "", false
	}
	for i, r := range batch {
		if retry[i] {
			again = append(again, r)
			continue
		}
		r.done <- results[i]
	}
	return again, reason, false
}

// maxAttempts bounds the runs of a transaction that PostgreSQL keeps
// aborting as a deadlock victim or for a serialization failure.
const maxAttempts = 10

// retryReason says why PostgreSQL aborted the transaction, when it did so
// only because of another one (serialization failure, deadlock), so that
// running it again may succeed; "" otherwise.
func retryReason(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "40001":
			return "serialization"
		case "40P01":
			return "deadlock"
		}
	}
	return ""
}

// retried tells the observer about a run that starts again.
func (db *DB) retried(reason string) {
	if db.obs != nil {
		db.obs.Retry(db.dialect.String(), reason)
	}
}
