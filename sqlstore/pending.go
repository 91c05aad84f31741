package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// The dossiers pending at a moment T are those received before T and not
// finished before it: the unfinished ones (index dossiers_pending), and
// those finished since T. The latter are found from one of two sides —
// the dossiers finished from T on, or those received before T — and the
// side chosen is the one spanning less time, as a report on a past period
// of a long history would otherwise read years of dossiers.

// finishedSideShorter reports whether the dossiers finished since at are
// better found from the finishing side.
func (t *tx) finishedSideShorter(at int64) (bool, error) {
	row, err := t.queryRow(`SELECT MIN(received_at) FROM dossiers WHERE received_at IS NOT NULL`)
	if err != nil {
		return false, err
	}
	var first sql.NullInt64
	if err := row.Scan(&first); err != nil {
		return false, err
	}
	row, err = t.queryRow(`SELECT MAX(finished_at) FROM dossiers WHERE received_at IS NOT NULL AND finished_at IS NOT NULL`)
	if err != nil {
		return false, err
	}
	var last sql.NullInt64
	if err := row.Scan(&last); err != nil {
		return false, err
	}
	if !first.Valid || !last.Valid {
		return true, nil
	}
	return last.Int64-at <= at-first.Int64, nil
}

// pendingWheres returns the conditions of the two halves of "pending at
// at" with their arguments. The unary plus keeps the planner off the index
// of the side not chosen.
func (t *tx) pendingWheres(at int64) ([2]string, [2][]any, error) {
	unfinished := `received_at IS NOT NULL AND finished_at IS NULL AND received_at < ?`
	finishedSide, err := t.finishedSideShorter(at)
	if err != nil {
		return [2]string{}, [2][]any{}, err
	}
	since := `received_at IS NOT NULL AND finished_at IS NOT NULL AND received_at < ? AND +finished_at >= ?`
	if finishedSide {
		since = `received_at IS NOT NULL AND finished_at IS NOT NULL AND +received_at < ? AND finished_at >= ?`
	}
	return [2]string{unfinished, since}, [2][]any{{at}, {at, at}}, nil
}

const pendingSelect = `SELECT id, competent_agency_id, procedure_id, state, received_at, due_at, supp_count, last_event_at,
	CASE WHEN state = 'awaiting_supplement' THEN status ELSE '' END FROM dossiers WHERE `

// PendingAt implements motcua.ReportStore.
func (t *tx) PendingAt(_ ctxT, at time.Time) ([]motcua.PendingRecord, error) {
	wheres, args, err := t.pendingWheres(at.UnixMilli())
	if err != nil {
		return nil, err
	}
	var out []motcua.PendingRecord
	for i, where := range wheres {
		rows, err := t.query(pendingSelect+where, args[i]...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var r motcua.PendingRecord
			var received, due, last sqlNullInt
			var status string
			if err := rows.Scan(&r.DossierID, &r.AgencyID, &r.ProcedureID, &r.Status.State, &received, &due,
				&r.Status.Report.Supplements, &last, &status); err != nil {
				rows.Close()
				return nil, err
			}
			r.Status.ReceivedAt, r.Status.DueAt, r.LastEventAt = fromMS(received), fromMS(due), fromMS(last)
			if status != "" {
				var full motcua.Status
				if err := json.Unmarshal([]byte(status), &full); err != nil {
					rows.Close()
					return nil, fmt.Errorf("decode status of dossier %d: %w", r.DossierID, err)
				}
				r.Status.Supplements = full.Supplements
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountPendingAt implements motcua.ReportStore.
func (t *tx) CountPendingAt(_ ctxT, at time.Time) (map[int64]int64, error) {
	wheres, args, err := t.pendingWheres(at.UnixMilli())
	if err != nil {
		return nil, err
	}
	out := map[int64]int64{}
	for i, where := range wheres {
		rows, err := t.query(`SELECT competent_agency_id, COUNT(*) FROM dossiers WHERE `+where+` GROUP BY competent_agency_id`, args[i]...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var agency, n int64
			if err := rows.Scan(&agency, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out[agency] += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HistoryBefore implements motcua.ReportStore, a few hundred dossiers per
// query.
func (t *tx) HistoryBefore(_ ctxT, ids []int64, at time.Time) ([]motcua.HistoryLine, error) {
	const chunk = 250
	var out []motcua.HistoryLine
	for len(ids) > 0 {
		n := min(len(ids), chunk)
		args := make([]any, 0, chunk+1)
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		for len(args) < chunk { // one statement shape for every chunk
			args = append(args, int64(-1))
		}
		ids = ids[n:]
		args = append(args, at.UnixMilli())
		rows, err := t.query(`SELECT dossier_id, action, at, to_state, due_at FROM dossier_events
			WHERE dossier_id IN (`+placeholders(chunk)+`) AND at < ? ORDER BY dossier_id, seq`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var h motcua.HistoryLine
			var at int64
			var due sqlNullInt
			if err := rows.Scan(&h.DossierID, &h.Action, &at, &h.ToState, &due); err != nil {
				rows.Close()
				return nil, err
			}
			h.At, h.DueAt = time.UnixMilli(at).UTC(), fromMS(due)
			out = append(out, h)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
