package sqlstore

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// A report on a past period gives every dossier pending at its end that
// changed since its standing then, replayed from its history. Returning
// every history line before that moment (HistoryBefore) and folding them
// in Go cost, on SQLite, more than SQLite's own reading: 80,000 lines for
// the 26,000 dossiers pending at the end of September on a
// 1.6-million-dossier year. On SQLite the fold is done by the query
// instead: per dossier one row, the last line's state and appointment
// taken from the line of the highest seq (SQLite's max() gives its row's
// other columns), with the count of supplement requests; the time of the
// last request is read for the few dossiers that had one. The chunks are
// shared out between the transaction's connection and its second one (see
// helper) when it has one.

// standingsSQL folds the lines before ? of a chunk of dossiers.
var standingsSQL = `SELECT dossier_id, MAX(seq), to_state, due_at, SUM(CASE WHEN action = '` + string(motcua.ActRequestSupplement) + `' THEN 1 ELSE 0 END)
	FROM dossier_events WHERE dossier_id IN (%s) AND at < ? GROUP BY dossier_id`

// lastRequestSQL reads the time of the last supplement request before ?.
var lastRequestSQL = `SELECT dossier_id, MAX(seq), at FROM dossier_events
	WHERE dossier_id IN (%s) AND at < ? AND action = '` + string(motcua.ActRequestSupplement) + `' GROUP BY dossier_id`

// StandingsBefore implements motcua.ReportStore.
func (t *tx) StandingsBefore(_ ctxT, ids []int64, at time.Time) (map[int64]motcua.Pending766, error) {
	if t.pgtx != nil || t.conn == nil {
		lines, err := t.HistoryBefore(t.ctx, ids, at)
		if err != nil {
			return nil, err
		}
		return motcua.ReplayHistory(lines), nil
	}
	second := t.helper() // nil unless pinned before t's first read
	if second == nil || len(ids) <= standingsChunk {
		return t.standingsOn(t.conn, ids, at.UnixMilli())
	}
	// The chunks shared out between the two connections, at once.
	periodSplits.Add(1)
	n := (len(ids) + standingsChunk - 1) / standingsChunk
	parts := make([]map[int64]motcua.Pending766, n)
	err := shareOut(t.conn, second, n, func(c *pconn, i int) (err error) {
		parts[i], err = t.standingsOn(c, ids[i*standingsChunk:min((i+1)*standingsChunk, len(ids))], at.UnixMilli())
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make(map[int64]motcua.Pending766, len(ids))
	for _, p := range parts {
		for id, v := range p {
			out[id] = v
		}
	}
	return out, nil
}

// standingsChunk is how many dossiers one statement replays (one shape
// for every chunk: the last is padded).
const standingsChunk = 250

// standingsOn replays the dossiers' lines before at on connection c.
func (t *tx) standingsOn(c *pconn, ids []int64, at int64) (map[int64]motcua.Pending766, error) {
	out := make(map[int64]motcua.Pending766, len(ids))
	var requested []int64
	err := chunksOn(t, c, ids, standingsSQL, at, func(rows *sql.Rows) error {
		var id, seq, n int64
		var state motcua.State
		var due sqlNullInt
		if err := rows.Scan(&id, &seq, &state, &due, &n); err != nil {
			return err
		}
		out[id] = motcua.Pending766{State: state, DueAt: fromMS(due), Supplements: int(n)}
		if n > 0 {
			requested = append(requested, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = chunksOn(t, c, requested, lastRequestSQL, at, func(rows *sql.Rows) error {
		var id, seq, last int64
		if err := rows.Scan(&id, &seq, &last); err != nil {
			return err
		}
		v, ok := out[id]
		if !ok {
			return fmt.Errorf("sqlstore: a supplement request of dossier %d was not counted", id)
		}
		v.LastRequest = time.UnixMilli(last).UTC()
		out[id] = v
		return nil
	})
	return out, err
}

// chunksOn runs query (whose %s takes standingsChunk placeholders, then
// one for at) on c for the ids a chunk at a time, calling fn per row.
func chunksOn(t *tx, c *pconn, ids []int64, query string, at int64, fn func(*sql.Rows) error) error {
	ctx := t.ctx
	if c == t.conn {
		t.used = true
		ctx = t.opCtx() // in the writer: never cancel the shared connection
	}
	s, err := c.stmt(ctx, fmt.Sprintf(query, placeholders(standingsChunk)))
	if err != nil {
		return err
	}
	args := make([]any, standingsChunk+1)
	for len(ids) > 0 {
		n := min(len(ids), standingsChunk)
		for i := range standingsChunk {
			args[i] = int64(-1)
			if i < n {
				args[i] = ids[i]
			}
		}
		args[standingsChunk] = at
		ids = ids[n:]
		rows, err := s.QueryContext(ctx, args...)
		if err != nil {
			return mapError(err)
		}
		for rows.Next() {
			if err := fn(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mapError(err)
		}
	}
	return nil
}
