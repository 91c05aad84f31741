package sqlstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
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
// transaction waits for no WAL flush: a dossier holding one of its numbers
// is durable only through the batch's later, flushed commit (queryApart).
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
	err = queryApart(ctx, conn, func(rows pgx.Rows) error {
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			last[k] = n
		}
		return nil
	}, `INSERT INTO code_counters (key, n)
		SELECT k, c FROM unnest($1::text[], $2::int[]) AS u(k, c) ORDER BY k COLLATE "C"
		ON CONFLICT (key) DO UPDATE SET n = code_counters.n + excluded.n
		RETURNING key, n`, keys, ns)
	if err != nil {
		return nil, fmt.Errorf("draw dossier numbers: %w", mapError(err))
	}
	if len(last) != len(keys) {
		return nil, fmt.Errorf("draw dossier numbers: %d counters for %d keys", len(last), len(keys))
	}
	return last, nil
}
