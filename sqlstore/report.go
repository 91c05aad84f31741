package sqlstore

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Report-flag tests, written from the Go constants so that SQL and domain
// cannot drift apart.
var (
	sqlDigitizedOK = fmt.Sprintf("(report_flags & %d) != 0 AND ((report_flags & %d) = 0 OR (report_flags & %d) != 0)",
		motcua.FlagDigitized, motcua.FlagResultIssued, motcua.FlagResultFile)
	sqlReused     = fmt.Sprintf("(report_flags & %d) != 0", motcua.FlagReused)
	sqlIdentity   = fmt.Sprintf("(report_flags & %d) != 0", motcua.FlagVNeID|motcua.FlagFromStore|motcua.FlagPopulationDB)
	sqlResultFile = fmt.Sprintf("(report_flags & %d) != 0", motcua.FlagResultFile)
)

// ReceivedIn implements motcua.ReportStore. It reads only the covering
// index dossiers_received.
func (t *tx) ReceivedIn(_ ctxT, from, to time.Time) ([]motcua.ReceivedAgg, error) {
	rows, err := t.query(`SELECT competent_agency_id, procedure_id, COUNT(*),
		SUM(CASE WHEN channel = 2 THEN 1 ELSE 0 END),
		SUM(CASE WHEN channel = 3 THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+sqlDigitizedOK+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+sqlReused+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+sqlIdentity+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+sqlResultFile+` THEN 1 ELSE 0 END),
		SUM(CASE WHEN channel = 2 AND `+sqlResultFile+` THEN 1 ELSE 0 END)
		FROM dossiers WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ?
		GROUP BY competent_agency_id, procedure_id`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.ReceivedAgg
	for rows.Next() {
		var a motcua.ReceivedAgg
		if err := rows.Scan(&a.AgencyID, &a.ProcedureID, &a.Total, &a.Online, &a.Post, &a.Digitized, &a.Reused, &a.Identity,
			&a.ResultFile, &a.OnlineWithResult); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// FinishedIn implements motcua.ReportStore. It reads only the covering
// index dossiers_finished.
func (t *tx) FinishedIn(_ ctxT, from, to time.Time) ([]motcua.FinishedAgg, error) {
	rows, err := t.query(`SELECT competent_agency_id, procedure_id,
		SUM(CASE WHEN finish_class = 'early' THEN 1 ELSE 0 END),
		SUM(CASE WHEN finish_class = 'on_time' THEN 1 ELSE 0 END),
		SUM(CASE WHEN finish_class = 'late' THEN 1 ELSE 0 END),
		SUM(CASE WHEN ontime_766 THEN 1 ELSE 0 END), SUM(handle_ms)
		FROM dossiers WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND finished_at >= ? AND finished_at < ?
		GROUP BY competent_agency_id, procedure_id`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.FinishedAgg
	for rows.Next() {
		var a motcua.FinishedAgg
		if err := rows.Scan(&a.AgencyID, &a.ProcedureID, &a.Early, &a.OnTime, &a.Late, &a.OnTime766, &a.HandleMS); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// pendingWhere selects dossiers received before ? and not finished before
// ? (the two halves use the indexes dossiers_pending and
// dossiers_finished).
const pendingSelect = `SELECT id, competent_agency_id, procedure_id, state, received_at, due_at, supp_count, last_event_at,
	CASE WHEN state = 'awaiting_supplement' THEN status ELSE '' END FROM dossiers `

// PendingAt implements motcua.ReportStore.
func (t *tx) PendingAt(_ ctxT, at time.Time) ([]motcua.PendingRecord, error) {
	m := at.UnixMilli()
	var out []motcua.PendingRecord
	for _, q := range []struct {
		where string
		args  []any
	}{
		{`WHERE received_at IS NOT NULL AND finished_at IS NULL AND received_at < ?`, []any{m}},
		{`WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND finished_at >= ? AND received_at < ?`, []any{m, m}},
	} {
		rows, err := t.query(pendingSelect+q.where, q.args...)
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
	m := at.UnixMilli()
	out := map[int64]int64{}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`SELECT competent_agency_id, COUNT(*) FROM dossiers WHERE received_at IS NOT NULL AND finished_at IS NULL AND received_at < ?
			GROUP BY competent_agency_id`, []any{m}},
		{`SELECT competent_agency_id, COUNT(*) FROM dossiers WHERE received_at IS NOT NULL AND finished_at IS NOT NULL
			AND finished_at >= ? AND received_at < ? GROUP BY competent_agency_id`, []any{m, m}},
	} {
		rows, err := t.query(q.sql, q.args...)
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

// AddStats implements motcua.ReportStore, merging changes of the same
// counter first.
func (t *tx) AddStats(_ ctxT, deltas []motcua.StatDelta) error {
	type key struct {
		day    motcua.Day
		agency int64
		metric motcua.Metric
	}
	sum := map[key]int64{}
	var keys []key
	for _, d := range deltas {
		k := key{d.Day, d.AgencyID, d.Metric}
		if _, ok := sum[k]; !ok {
			keys = append(keys, k)
		}
		sum[k] += d.N
	}
	sort.Slice(keys, func(i, j int) bool { // a fixed order avoids lock cycles on PostgreSQL
		a, b := keys[i], keys[j]
		return a.day < b.day || (a.day == b.day && (a.agency < b.agency || (a.agency == b.agency && a.metric < b.metric)))
	})
	for _, k := range keys {
		if sum[k] == 0 {
			continue
		}
		if _, err := t.exec(`INSERT INTO stat_counts (day, agency_id, metric, n) VALUES (?, ?, ?, ?)
			ON CONFLICT (day, agency_id, metric) DO UPDATE SET n = stat_counts.n + excluded.n`,
			int64(k.day), k.agency, int(k.metric), sum[k]); err != nil {
			return err
		}
	}
	return nil
}

func metricsIn(ms []motcua.Metric) (string, []any) {
	args := make([]any, len(ms))
	for i, m := range ms {
		args[i] = int(m)
	}
	return placeholders(len(ms)), args
}

func (t *tx) statTotals(q string, args ...any) ([]motcua.StatTotal, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.StatTotal
	for rows.Next() {
		var s motcua.StatTotal
		var m int
		if err := rows.Scan(&s.AgencyID, &m, &s.N); err != nil {
			return nil, err
		}
		s.Metric = motcua.Metric(m)
		out = append(out, s)
	}
	return out, rows.Err()
}

// StatFlows implements motcua.ReportStore.
func (t *tx) StatFlows(_ ctxT, from, to motcua.Day, metrics []motcua.Metric) ([]motcua.StatTotal, error) {
	in, args := metricsIn(metrics)
	return t.statTotals(`SELECT agency_id, metric, SUM(n) FROM stat_counts WHERE day >= ? AND day <= ? AND metric IN (`+in+`)
		GROUP BY agency_id, metric`, append([]any{int64(from), int64(to)}, args...)...)
}

// StatStocks implements motcua.ReportStore.
func (t *tx) StatStocks(_ ctxT, day motcua.Day, metrics []motcua.Metric) ([]motcua.StatTotal, error) {
	in, args := metricsIn(metrics)
	return t.statTotals(`SELECT agency_id, metric, SUM(n) FROM stat_counts WHERE day <= ? AND metric IN (`+in+`)
		GROUP BY agency_id, metric`, append([]any{int64(day)}, args...)...)
}

// ReportDossiers implements motcua.ReportStore.
func (t *tx) ReportDossiers(_ ctxT, f motcua.ReportFilter) ([]*motcua.Dossier, error) {
	where := []string{"received_at IS NOT NULL"}
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if f.AgencyID != 0 {
		add("competent_agency_id = ?", f.AgencyID)
	}
	if !f.ReceivedFrom.IsZero() {
		add("received_at >= ?", f.ReceivedFrom.UnixMilli())
	}
	if !f.ReceivedTo.IsZero() {
		add("received_at < ?", f.ReceivedTo.UnixMilli())
	}
	if !f.FinishedFrom.IsZero() {
		add("finished_at >= ?", f.FinishedFrom.UnixMilli())
	}
	if !f.FinishedTo.IsZero() {
		add("finished_at < ?", f.FinishedTo.UnixMilli())
	}
	if f.Class != "" {
		add("finish_class = ?", f.Class)
	}
	if f.OnTime766 != nil {
		add("ontime_766 = ?", *f.OnTime766)
	}
	if f.Channel != 0 {
		add("channel = ?", int(f.Channel))
	}
	if f.FlagsAll != 0 {
		add(fmt.Sprintf("(report_flags & %d) = %d", f.FlagsAll, f.FlagsAll))
	}
	if f.FlagsAny != 0 {
		add(fmt.Sprintf("(report_flags & %d) != 0", f.FlagsAny))
	}
	if f.DigitizedOK {
		add(sqlDigitizedOK)
	}
	if f.FlagsNone != 0 {
		add(fmt.Sprintf("(report_flags & %d) = 0", f.FlagsNone))
	}
	if f.IDs != nil {
		if len(f.IDs) == 0 {
			return nil, nil
		}
		ids := make([]any, len(f.IDs))
		for i, id := range f.IDs {
			ids[i] = id
		}
		add("id IN ("+placeholders(len(ids))+")", ids...)
	}
	if f.AfterID != 0 {
		add("id > ?", f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return t.dossiers(`SELECT `+dossierColumns+` FROM dossiers WHERE `+strings.Join(where, " AND ")+` ORDER BY id LIMIT ?`,
		append(args, limit)...)
}
