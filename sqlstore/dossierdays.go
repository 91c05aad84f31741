package sqlstore

import (
	"time"

	"github.com/motcua/motcua"
)

// On PostgreSQL report 06a's receptions and finishes per agency are summed
// from dossier_days, the counts per Vietnam day, agency and kind that
// triggers keep from the dossiers' own columns (migration 0038), instead
// of reading every dossier received or finished in the period: a span of
// ten months read 1.3 M entries of each report index, about a second of
// the server's time at 1.6 M dossiers. The kinds are the channel (below
// dayFinishKinds) or dayFinishKinds + 2 × class + on time under QĐ 766.
const dayFinishKinds = 10

// dayClasses are the finish classes in the order of their kinds (0: any
// other class, which the report does not count but whose agency it lists).
var dayClasses = [4]motcua.Timeliness{"", motcua.Early, motcua.OnTime, motcua.Late}

// useDayCounts is whether whole-day periods are summed from dossier_days
// (a variable for the tests, which compare with the dossiers' count).
var useDayCounts = true

// wholeDays returns the days [from, to) covers when both are the start of
// a Vietnam day, as a report's period is.
func wholeDays(from, to time.Time) (motcua.Day, motcua.Day, bool) {
	f, t := motcua.DayOf(from), motcua.DayOf(to)
	return f, t, useDayCounts && f.Start().Equal(from) && t.Start().Equal(to)
}

// dayCountsSQL sums a range of days' counts of the kinds from ? to ?, the
// changes not folded yet included (the same snapshot sees each change in
// exactly one of the two tables).
const dayCountsSQL = `SELECT agency_id, kind, CAST(SUM(n) AS BIGINT) FROM (
	SELECT agency_id, kind, n FROM dossier_days WHERE day >= ? AND day < ? AND kind >= ? AND kind < ?
	UNION ALL
	SELECT agency_id, kind, n FROM dossier_day_deltas WHERE day >= ? AND day < ? AND kind >= ? AND kind < ?) AS c
	GROUP BY agency_id, kind HAVING SUM(n) <> 0 ORDER BY agency_id, kind`

// dayCounts calls fn with each agency's count of each kind in [lo, hi)
// over the days [from, to), agencies in order.
func (t *tx) dayCounts(from, to motcua.Day, lo, hi int, fn func(agency int64, kind int, n int64)) error {
	rows, err := t.query(dayCountsSQL, int64(from), int64(to), lo, hi, int64(from), int64(to), lo, hi)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var agency, n int64
		var kind int
		if err := rows.Scan(&agency, &kind, &n); err != nil {
			return err
		}
		fn(agency, kind, n)
	}
	return mapError(rows.Err())
}

// receivedByDays is ReceivedByAgency from dossier_days.
func (t *tx) receivedByDays(from, to motcua.Day) ([]motcua.ReceivedAgg, error) {
	var out []motcua.ReceivedAgg
	err := t.dayCounts(from, to, 0, dayFinishKinds, func(agency int64, kind int, n int64) {
		if len(out) == 0 || out[len(out)-1].AgencyID != agency {
			out = append(out, motcua.ReceivedAgg{AgencyID: agency})
		}
		a := &out[len(out)-1]
		a.Total += n
		switch motcua.Channel(kind) {
		case motcua.ChannelOnline:
			a.Online += n
		case motcua.ChannelPost:
			a.Post += n
		}
	})
	return out, err
}

// finishedByDays is FinishedByAgency from dossier_days.
func (t *tx) finishedByDays(from, to motcua.Day) ([]motcua.FinishedAgg, error) {
	var out []motcua.FinishedAgg
	err := t.dayCounts(from, to, dayFinishKinds, dayFinishKinds+2*len(dayClasses), func(agency int64, kind int, n int64) {
		if len(out) == 0 || out[len(out)-1].AgencyID != agency {
			out = append(out, motcua.FinishedAgg{AgencyID: agency})
		}
		a := &out[len(out)-1]
		k := kind - dayFinishKinds
		addFinished(a, dayClasses[k/2], k%2 == 1, n)
	})
	return out, err
}

// foldDaysSQL moves the appended day counts into dossier_days in one
// statement, as FoldStats moves stat_deltas.
const foldDaysSQL = `WITH moved AS (DELETE FROM dossier_day_deltas RETURNING day, agency_id, kind, n)
	INSERT INTO dossier_days (day, agency_id, kind, n)
	SELECT day, agency_id, kind, SUM(n) FROM moved GROUP BY day, agency_id, kind ORDER BY day, agency_id, kind
	ON CONFLICT (day, agency_id, kind) DO UPDATE SET n = dossier_days.n + excluded.n`
