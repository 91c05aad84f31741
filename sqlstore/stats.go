package sqlstore

import (
	"strings"

	"github.com/motcua/motcua"
)

// AddStats implements motcua.ReportStore. Inside a group commit the changes
// are only added up in memory (the batch's intakes mostly touch the same
// few counters) and written once, just before the commit (flushStats);
// elsewhere they are written at once, in a fixed order of rows.
//
// On PostgreSQL the changes are appended to stat_deltas, which takes no row
// lock that another transaction could wait for, and FoldStats moves them
// into the counters later.
func (t *tx) AddStats(_ ctxT, deltas []motcua.StatDelta) error {
	if t.stats != nil {
		motcua.Rollup(deltas, t.stats)
		return nil
	}
	m := map[motcua.StatKey]int64{}
	motcua.Rollup(deltas, m)
	if t.pgtx != nil {
		return t.appendStats(m)
	}
	return t.writeStats(m)
}

// statAppend is the statement appending n changes on PostgreSQL.
var statAppend = map[int]string{}

func (t *tx) appendStats(m map[motcua.StatKey]int64) error {
	return t.putStats(m, statAppend)
}

// FoldStats implements motcua.ReportStore: on PostgreSQL it moves the
// appended changes into the counters in one statement, and those of
// report 06a's counts per day (dossier_day_deltas) into dossier_days in
// another (so that a reader's
// snapshot sees each change in exactly one of the two tables); several
// instances may run it at once, a row being moved by whichever deletes it.
// On SQLite there is nothing to fold.
func (t *tx) FoldStats(_ ctxT) (int64, error) {
	if t.pgtx == nil {
		return 0, nil
	}
	res, err := t.exec(`WITH moved AS (DELETE FROM stat_deltas RETURNING scale, metric, period, agency_id, procedure_id, n)
		INSERT INTO stat_counts (scale, metric, period, agency_id, procedure_id, n)
		SELECT scale, metric, period, agency_id, procedure_id, SUM(n) FROM moved
		GROUP BY scale, metric, period, agency_id, procedure_id
		ORDER BY scale, metric, period, agency_id, procedure_id
		ON CONFLICT (scale, metric, period, agency_id, procedure_id) DO UPDATE SET n = stat_counts.n + excluded.n`)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	// Report 06a's counts per day (migration 0038), kept the same way.
	res, err = t.exec(foldDaysSQL)
	if err != nil {
		return 0, err
	}
	days, err := res.RowsAffected()
	return n + days, err
}

// flushStats writes the counters added up during a group commit: into the
// counters on SQLite, appended to stat_deltas on PostgreSQL.
func (t *tx) flushStats() error {
	if len(t.stats) == 0 {
		return nil
	}
	var err error
	if t.pgtx != nil {
		err = t.appendStats(t.stats)
	} else {
		err = t.writeStats(t.stats)
	}
	clear(t.stats)
	return err
}

// statUpsert is the statement adding n rows of changes, for the few sizes
// used (so that the prepared statements stay few).
var statUpsert = map[int]string{}

func init() {
	for _, n := range []int{1, 8, 32} {
		values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", n), ", ")
		statUpsert[n] = `INSERT INTO stat_counts (scale, metric, period, agency_id, procedure_id, n) VALUES ` + values +
			` ON CONFLICT (scale, metric, period, agency_id, procedure_id) DO UPDATE SET n = stat_counts.n + excluded.n`
		statAppend[n] = `INSERT INTO stat_deltas (scale, metric, period, agency_id, procedure_id, n) VALUES ` + values
	}
}

func (t *tx) writeStats(m map[motcua.StatKey]int64) error {
	return t.putStats(m, statUpsert)
}

// putStats writes the changes with the statements of the given sizes.
func (t *tx) putStats(m map[motcua.StatKey]int64, stmts map[int]string) error {
	keys := motcua.SortedKeys(m)
	args := make([]any, 0, 32*6)
	for len(keys) > 0 {
		n := 1
		switch {
		case len(keys) >= 32:
			n = 32
		case len(keys) >= 8:
			n = 8
		}
		args = args[:0]
		for _, k := range keys[:n] {
			args = append(args, int(k.Scale), int(k.Metric), k.Period, k.AgencyID, k.ProcedureID, m[k])
		}
		keys = keys[n:]
		// A copy of the arguments: a pipeline sends them later.
		if err := t.execLater(-1, stmts[n], append([]any(nil), args...)...); err != nil {
			return err
		}
	}
	return nil
}

// SumStats implements motcua.ReportStore. Each segment is one query over
// ranges of the primary key (one per metric), summed by the database: a
// span of days returns one row per agency and metric, not one per day.
func (t *tx) SumStats(_ ctxT, segs []motcua.Segment, metrics []motcua.Metric) ([]motcua.StatTotal, error) {
	type key struct {
		agency, procedure int64
		metric            motcua.Metric
	}
	sums := map[key]int64{}
	var order []key
	read := func(rows rowsScanner) error {
		for rows.Next() {
			var k key
			var m int
			var n int64
			if err := rows.Scan(&m, &k.agency, &k.procedure, &n); err != nil {
				return err
			}
			k.metric = motcua.Metric(m)
			if _, ok := sums[k]; !ok {
				order = append(order, k)
			}
			sums[k] += n
		}
		return nil
	}
	// One statement per segment, sent together (one round trip on
	// PostgreSQL).
	var steps []readStep
	for _, sg := range segs {
		var ms []any
		for _, m := range metrics {
			if m.PerProcedure() && sg.Scale == motcua.ScaleDay {
				continue // not kept by day
			}
			ms = append(ms, int(m))
		}
		if len(ms) == 0 {
			continue
		}
		where := `scale = ? AND metric IN (` + placeholders(len(ms)) + `) AND period >= ? AND period <= ?`
		args := append(append([]any{int(sg.Scale)}, ms...), sg.From, sg.To)
		q := `SELECT metric, agency_id, procedure_id, SUM(n) FROM stat_counts WHERE ` + where +
			` GROUP BY metric, agency_id, procedure_id`
		if t.pgtx != nil { // with the changes not folded yet
			q = `SELECT metric, agency_id, procedure_id, CAST(SUM(n) AS BIGINT) FROM (
				SELECT metric, agency_id, procedure_id, n FROM stat_counts WHERE ` + where + `
				UNION ALL
				SELECT metric, agency_id, procedure_id, n FROM stat_deltas WHERE ` + where + `) AS c
				GROUP BY metric, agency_id, procedure_id`
			args = append(args, args...)
		}
		steps = append(steps, readStep{q, args, read})
	}
	if err := t.readSteps(steps); err != nil {
		return nil, err
	}
	out := make([]motcua.StatTotal, 0, len(order))
	for _, k := range order {
		if n := sums[k]; n != 0 {
			out = append(out, motcua.StatTotal{AgencyID: k.agency, ProcedureID: k.procedure, Metric: k.metric, N: n})
		}
	}
	return out, nil
}
