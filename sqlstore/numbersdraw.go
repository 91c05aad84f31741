package sqlstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Dossier numbers on PostgreSQL are drawn apart from the batch.
//
// The counter row of an agency and day was once locked by the batch that
// drew from it until that batch committed, so that a rolled-back batch gave
// its numbers back. Every intake of one agency and day then queued behind
// the batch holding the row for its dossier INSERTs and its commit's WAL
// flush: with two writers one always waited for the other (pg_stat_activity
// sampled during `bench --only intake`: the second writer in
// Lock:transactionid on the draw while the first flushed its commit), and
// intake was bounded by one batch at a time, whatever the cores.
//
// A batch therefore draws its numbers in a short transaction of its own,
// on another connection, committed before the batch's own commit: the
// counter row is locked only while the server adds the batch's count to
// it, and the writers' batches insert and commit side by side. That
// transaction commits with synchronous_commit off: it waits for no WAL
// flush, yet a dossier holding one of its numbers is never durable without
// it, since the batch's commit, which is flushed, comes after it in the
// WAL. A crash before that flush loses the draw or keeps it, never a
// number an acknowledged dossier holds.
//
// What it costs: the numbers stay unique, and a transaction
// that fails before the end of its batch draws nothing (the draw is the
// batch's last step), but a batch whose commit fails after its draw (a lost
// connection, a deferred key violated at the commit, a deadlock abort)
// leaves its numbers unused, and they are given back only to the next draws
// of the same instance (pgSpare), which use them first: a later dossier may
// then hold a lower number than an earlier one. The rules ask for the day's sequence
// number in the code (docs/domain-vn.md §3), not for a sequence without
// holes; a hole after a failed commit or a crash is what a rolled-back
// identity already left in dossier ids.

// pgDrawApart adds ns[i] to the counter of keys[i] (keys sorted, so that
// draws take the rows in one order) in a transaction of its own, and
// returns each key's counter value after the draw.
func (db *DB) pgDrawApart(keys []string, ns []int64) (map[string]int64, error) {
	ctx := context.Background()
	conn, err := db.pg.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("draw dossier numbers: %w", err)
	}
	defer conn.Close()
	last := make(map[string]int64, len(keys))
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver connection is %T, not pgx", dc)
		}
		b := &pgx.Batch{}
		b.Queue("BEGIN ISOLATION LEVEL READ COMMITTED")
		b.Queue("SET LOCAL synchronous_commit = off")
		b.Queue(`INSERT INTO code_counters (key, n)
			SELECT k, c FROM unnest($1::text[], $2::int[]) AS u(k, c) ORDER BY k COLLATE "C"
			ON CONFLICT (key) DO UPDATE SET n = code_counters.n + excluded.n
			RETURNING key, n`, keys, ns)
		b.Queue("COMMIT")
		br := c.Conn().SendBatch(ctx, b)
		defer br.Close()
		for range 2 {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				rows.Close()
				return err
			}
			last[k] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		tag, err := br.Exec()
		if err != nil {
			return err
		}
		if tag.String() != "COMMIT" {
			return errCommitRolledBack
		}
		return br.Close()
	})
	if err != nil {
		return nil, fmt.Errorf("draw dossier numbers: %w", mapError(err))
	}
	if len(last) != len(keys) {
		return nil, fmt.Errorf("draw dossier numbers: %d counters for %d keys", len(last), len(keys))
	}
	return last, nil
}
