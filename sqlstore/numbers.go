package sqlstore

import (
	"fmt"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/motcua/motcua"
)

// pendingNumber is a dossier created in a PostgreSQL group commit that
// waits for its number (see CreateNumberedDossier).
type pendingNumber struct {
	key    string
	d      *motcua.Dossier
	render func(seq int) string
	// slot is where the dossier's INSERT waits in the pipeline, if it
	// does: its code is then set there instead of by an UPDATE.
	slot pgSlot
}

// flushNumbers draws the numbers of the dossiers created since the last
// flush and gives them their codes, in one statement whatever their count
// (and an UPDATE for the dossiers whose INSERT could not wait for its code).
//
// The draw adds each key's count to its counter row and takes the rows in
// the order of their keys. Every batch of every instance takes them in that
// order, so batches wait for one another on counter rows but never
// deadlock on them; and since each row stays locked until the commit (so
// that numbers stay gap-free: a batch that rolls back gives its numbers
// back), the draw comes last. In a pipeline it is the last statement of the
// queue sent before the commit, and the dossiers' INSERTs, held back until
// now (holdDossier), follow it with their codes in the commit's own
// pipeline: the rows are locked for the time the server takes to insert
// the dossiers and flush the commit, with one answer to the client between.
// Within a key the dossiers are numbered in the order their transactions
// ran.
func (t *tx) flushNumbers() error {
	if len(t.numbers) == 0 {
		return nil
	}
	defer func() {
		clear(t.numbers)
		t.numbers = t.numbers[:0]
	}()
	count := map[string]int64{}
	for _, p := range t.numbers {
		count[p.key]++
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ns := make([]int64, len(keys))
	for i, k := range keys {
		ns[i] = count[k]
	}
	draw := rebind(`INSERT INTO code_counters (key, n)
		SELECT k, c FROM unnest(?::text[], ?::int[]) AS u(k, c) ORDER BY k COLLATE "C"
		ON CONFLICT (key) DO UPDATE SET n = code_counters.n + excluded.n
		RETURNING key, n`)
	next := map[string]int64{}
	take := func(scan func(...any) error) error {
		var k string
		var last int64
		if err := scan(&k, &last); err != nil {
			return err
		}
		next[k] = last - count[k] + 1
		return nil
	}
	if t.pipelined() {
		t.pipe.queued = append(t.pipe.queued, pgQueued{query: draw, args: []any{keys, ns}, read: func(rows pgx.Rows) error {
			for rows.Next() {
				if err := take(rows.Scan); err != nil {
					return err
				}
			}
			return nil
		}})
		if err := t.flushPipe(); err != nil {
			return fmt.Errorf("draw dossier numbers: %w", err)
		}
	} else {
		rows, err := t.pgtx.QueryContext(t.ctx, draw, keys, ns)
		if err != nil {
			return fmt.Errorf("draw dossier numbers: %w", err)
		}
		for rows.Next() {
			if err := take(rows.Scan); err != nil {
				rows.Close()
				return fmt.Errorf("draw dossier numbers: %w", err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("draw dossier numbers: %w", err)
		}
	}
	ids := make([]int64, 0, len(t.numbers))
	codes := make([]string, 0, len(t.numbers))
	all := make([]string, len(t.numbers))
	for i, p := range t.numbers {
		seq, ok := next[p.key]
		if !ok {
			return fmt.Errorf("draw dossier numbers: no number for %q", p.key)
		}
		next[p.key] = seq + 1
		all[i] = p.render(int(seq))
		if !t.setQueuedCode(p.slot, all[i]) {
			ids, codes = append(ids, p.d.ID), append(codes, all[i])
		}
	}
	// The held INSERTs, with their codes, are queued for the commit.
	t.releaseHeld()
	if len(ids) > 0 {
		// Every dossier must get its code (in a pipeline, checked before
		// the commit).
		err := t.execLater(int64(len(ids)), `UPDATE dossiers SET code = u.code FROM unnest(?::bigint[], ?::text[]) AS u(id, code)
		WHERE dossiers.id = u.id`, ids, codes)
		if err != nil {
			msg := "Mã hồ sơ đã tồn tại."
			if len(codes) == 1 {
				msg = "Mã hồ sơ " + codes[0] + " đã tồn tại."
			}
			return conflict(err, "dossier_code_exists", msg)
		}
	}
	for i, p := range t.numbers {
		p.d.Code = all[i]
	}
	return nil
}
