package sqlstore

import (
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// The dossiers pending at a moment T are those received before T and not
// finished before it: the unfinished ones (index dossiers_pending), and
// those finished since T. The latter are read from the finishes since T
// when they are few (the end of a recent period), otherwise as two parts
// both bounded whatever T is: those finished within 30 days of their
// reception, among the receptions of the 30 days before T, and the long
// ones (index dossiers_long), as a report on a past period of a long
// history would otherwise read months of receptions or finishes.

// longDossierMS is the handling span from which a finished dossier is
// "long": held by index dossiers_long (migration 0031 on SQLite, 0038 on
// PostgreSQL), whose condition longDossierSQL is, character for
// character, so that both planners can use it.
const longDossierMS = 30 * 24 * 3600 * 1000

var longDossierSQL = fmt.Sprintf("finished_at - received_at >= %d", longDossierMS)

// The conditions of the dossiers pending at a moment (the ? is the
// moment): unfinished then, and finished since, read from the finishes
// (the + keeps the planner off the receptions' index). PGReportPlans
// checks them, and the parts of pendingWheres, index-only on PostgreSQL.
const (
	unfinishedAtWhere       = ` WHERE received_at IS NOT NULL AND finished_at IS NULL AND received_at < ?`
	finishedSinceByFinished = ` WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND +received_at < ? AND finished_at >= ?`
)

// pendingWheres returns the conditions of the parts of "pending at at"
// with their arguments: the unfinished dossiers received before at, and
// those finished since: read from the finishes since at when they are few
// (fewFinishedSince), otherwise as two disjoint parts, both bounded
// whatever at is: those finished within 30 days of their reception were
// received in the 30 days before at (a range of dossiers_received), the
// others are in the small index dossiers_long (SQLite: migration 0031;
// PostgreSQL: 0038, where reading every finish since the end of July took
// 0.8 s for the 25,000 pending dossiers among 680,000 on a 1.6-million-
// dossier year). The unary plus keeps the planner off the index of the
// side not chosen.
func (t *tx) pendingWheres(at int64) ([]string, [][]any, error) {
	d := t.db.dialect
	unfinished := d.indexedBy("dossiers_pending") + unfinishedAtWhere
	few, err := t.fewFinishedSince(at)
	if err != nil {
		return nil, nil, err
	}
	if few { // a recent moment: its finishes since are the shorter read
		return []string{unfinished, d.indexedBy("dossiers_finished") + finishedSinceByFinished}, [][]any{{at}, {at, at}}, nil
	}
	short := d.indexedBy("dossiers_received") + ` WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ?
		AND finished_at IS NOT NULL AND finished_at >= ? AND NOT (` + longDossierSQL + `)`
	long := d.indexedBy("dossiers_long") + ` WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND ` + longDossierSQL + `
		AND finished_at >= ? AND received_at < ?`
	return []string{unfinished, short, long}, [][]any{{at}, {at - longDossierMS, at, at}, {at, at}}, nil
}

// fewFinishedAfter is how many dossiers finished since a moment are
// fewer to read than the 30 days of receptions before it (about 130,000
// on a 1.6-million-dossier year) and the long dossiers (a variable for
// the tests, whose provinces are small).
var fewFinishedAfter = 20000

// fewFinishedSince reports whether fewer than fewFinishedAfter received
// dossiers finished at or after at, reading at most that many
// entries of index dossiers_finished: true for the ends of recent periods,
// which reports are mostly asked for.
func (t *tx) fewFinishedSince(at int64) (bool, error) {
	n, err := t.count(`SELECT COUNT(*) FROM (SELECT 1 FROM dossiers`+t.db.dialect.indexedBy("dossiers_finished")+`
		WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND finished_at >= ? LIMIT ?) AS f`, at, fewFinishedAfter)
	return n < int64(fewFinishedAfter), err
}

// pendingSelects are the columns read for the unfinished dossiers (the
// first part), whose standing comes from their index, and for those
// finished since, which are only identified (their standing then comes
// from their history, their finishing time marking them as changed since).
var pendingSelects = [2]string{
	`SELECT id, competent_agency_id, procedure_id, state, due_at, supp_count, supp_last_at, last_event_at FROM dossiers`,
	`SELECT id, competent_agency_id, procedure_id, '', NULL, 0, NULL, finished_at FROM dossiers`,
}

// recordedThenSQL reads, among the columns of the dossiers pending at a
// moment (the ?), a dossier's standing then from the record of standings
// (motcua.StandingStore): one probe of the record's primary key per
// dossier that changed since, in the query that finds it, instead of a
// second pass over their ids (SQLite only: on PostgreSQL the pending
// dossiers are read from indexes alone, and StandingsAt reads the record).
const recordedThenSQL = `(SELECT standing FROM dossier_standings s WHERE s.dossier_id = dossiers.id AND s.at < ? ORDER BY s.seq DESC LIMIT 1)`

// sqlitePendingSelects are pendingSelects with the standing at the moment
// of the dossiers changed since (all of those of the second part), whose
// ? come before the conditions' arguments.
var sqlitePendingSelects = [2]string{
	strings.TrimSuffix(pendingSelects[0], " FROM dossiers") + `, CASE WHEN last_event_at >= ? THEN ` + recordedThenSQL + ` END FROM dossiers`,
	strings.TrimSuffix(pendingSelects[1], " FROM dossiers") + `, ` + recordedThenSQL + ` FROM dossiers`,
}

// PendingAt implements motcua.ReportStore, reading indexes only (and, on
// SQLite, the record of standings for the dossiers changed since).
func (t *tx) PendingAt(_ ctxT, at time.Time) ([]motcua.PendingRecord, error) {
	t.helper() // before t's first read
	ms := at.UnixMilli()
	wheres, args, err := t.pendingWheres(ms)
	if err != nil {
		return nil, err
	}
	recorded := t.pgtx == nil
	parts := make([][]motcua.PendingRecord, len(wheres))
	err = t.partsOn(len(wheres), func(c *pconn, i int) error {
		q, a := pendingSelects[min(i, 1)]+wheres[i], args[i]
		if recorded {
			q = sqlitePendingSelects[min(i, 1)] + wheres[i]
			a = append([]any{ms, ms}[:2-min(i, 1)], a...)
		}
		rows, err := t.queryOn(c, q, a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		var then sqlNullInt
		dest := make([]any, 8, 9)
		if recorded {
			dest = append(dest, &then)
		}
		for rows.Next() {
			var r motcua.PendingRecord
			var due, lastRequest, last sqlNullInt
			copy(dest, []any{&r.DossierID, &r.AgencyID, &r.ProcedureID, &r.Now.State, &due, &r.Now.Supplements, &lastRequest, &last})
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			r.Now.DueAt, r.Now.LastRequest, r.LastEventAt = fromMS(due), fromMS(lastRequest), fromMS(last)
			if recorded && !r.LastEventAt.Before(at) {
				r.Then, r.Recorded = motcua.Standing(then.Int64), true // no row before at: the zero standing
			}
			parts[i] = append(parts[i], r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	var out []motcua.PendingRecord
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}

// partsOn calls fn for parts 0 to n-1 of a read: at once on the
// transaction's two connections when it has a second one (SQLite; see
// helper), otherwise one after the other on its own. fn reads through
// queryOn.
func (t *tx) partsOn(n int, fn func(c *pconn, i int) error) error {
	if second := t.helper(); second != nil && n > 1 {
		periodSplits.Add(1)
		return shareOut(t.conn, second, n, fn)
	}
	for i := range n {
		if err := fn(t.conn, i); err != nil {
			return err
		}
	}
	return nil
}

// queryOn runs a query on c, the transaction's connection or its second
// one (on PostgreSQL, on the transaction).
func (t *tx) queryOn(c *pconn, query string, args ...any) (*sql.Rows, error) {
	if t.pgtx != nil || c == nil || c == t.conn {
		return t.query(query, args...)
	}
	s, err := c.stmt(t.ctx, query)
	if err != nil {
		return nil, err
	}
	rows, err := s.QueryContext(t.ctx, args...)
	return rows, mapError(err)
}

// inChunks runs query (whose %s takes the placeholders) for the ids a few
// hundred at a time, with one statement shape for every chunk, calling fn
// for each row.
func (t *tx) inChunks(ids []int64, query string, fn func(*sql.Rows) error, extra ...any) error {
	const chunk = 250
	q := fmt.Sprintf(query, placeholders(chunk))
	for len(ids) > 0 {
		n := min(len(ids), chunk)
		args := make([]any, 0, chunk+len(extra))
		for _, id := range ids[:n] {
			args = append(args, id)
		}
		for len(args) < chunk {
			args = append(args, int64(-1))
		}
		ids = ids[n:]
		rows, err := t.query(q, append(args, extra...)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := fn(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// CountPendingAt implements motcua.ReportStore.
func (t *tx) CountPendingAt(_ ctxT, at time.Time) (map[int64]int64, error) {
	t.helper() // before t's first read
	wheres, args, err := t.pendingWheres(at.UnixMilli())
	if err != nil {
		return nil, err
	}
	parts := make([]map[int64]int64, len(wheres))
	err = t.partsOn(len(wheres), func(c *pconn, i int) error {
		// Counted here rather than with GROUP BY, which would draw the
		// planner to an index ordered by agency and away from the time
		// range.
		rows, err := t.queryOn(c, `SELECT competent_agency_id FROM dossiers`+wheres[i], args[i]...)
		if err != nil {
			return err
		}
		defer rows.Close()
		parts[i] = map[int64]int64{}
		for rows.Next() {
			var agency int64
			if err := rows.Scan(&agency); err != nil {
				return err
			}
			parts[i][agency]++
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	out := map[int64]int64{}
	for _, p := range parts {
		for agency, n := range p {
			out[agency] += n
		}
	}
	return out, nil
}

// HistoryBefore implements motcua.ReportStore.
func (t *tx) HistoryBefore(_ ctxT, ids []int64, at time.Time) ([]motcua.HistoryLine, error) {
	var out []motcua.HistoryLine
	err := t.inChunks(ids, `SELECT dossier_id, action, at, to_state, due_at FROM dossier_events
		WHERE dossier_id IN (%s) AND at < ? ORDER BY dossier_id, seq`, func(rows *sql.Rows) error {
		var h motcua.HistoryLine
		var at int64
		var due sqlNullInt
		if err := rows.Scan(&h.DossierID, &h.Action, &at, &h.ToState, &due); err != nil {
			return err
		}
		h.At, h.DueAt = time.UnixMilli(at).UTC(), fromMS(due)
		out = append(out, h)
		return nil
	}, at.UnixMilli())
	return out, err
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
