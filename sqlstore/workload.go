package sqlstore

import (
	"time"

	"github.com/motcua/motcua"
)

// inIDs is " AND col IN (?, …)" with its arguments, or nothing for nil
// (every row); an empty non-nil list selects nothing (ok false).
func inIDs(col string, ids []int64) (cond string, args []any, ok bool) {
	if ids == nil {
		return "", nil, true
	}
	if len(ids) == 0 {
		return "", nil, false
	}
	for _, id := range ids {
		args = append(args, id)
	}
	return " AND " + col + " IN (" + placeholders(len(ids)) + ")", args, true
}

// WorkCounts implements motcua.WorkloadStore: one pass over the agencies'
// ranges of dossier_work's primary key, which holds only open work.
func (t *tx) WorkCounts(_ ctxT, agencyIDs []int64, now, soon time.Time) ([]motcua.WorkCount, error) {
	cond, in, ok := inIDs("agency_id", agencyIDs)
	if !ok {
		return nil, nil
	}
	args := append([]any{now.UnixMilli(), now.UnixMilli(), soon.UnixMilli()}, in...)
	rows, err := t.query(`SELECT agency_id, role, user_id, COUNT(*),
		SUM(CASE WHEN next_due_at < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN next_due_at >= ? AND next_due_at < ? THEN 1 ELSE 0 END)
		FROM dossier_work WHERE 1 = 1`+cond+` GROUP BY agency_id, role, user_id ORDER BY agency_id, role, user_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.WorkCount
	for rows.Next() {
		var c motcua.WorkCount
		if err := rows.Scan(&c.AgencyID, &c.Role, &c.UserID, &c.Open, &c.Overdue, &c.DueSoon); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AgencyWork implements motcua.WorkloadStore.
func (t *tx) AgencyWork(_ ctxT, agencyIDs []int64, now, soon time.Time) ([]motcua.WorkCount, error) {
	cond, in, ok := inIDs("agency_id", agencyIDs)
	if !ok {
		return nil, nil
	}
	args := append([]any{now.UnixMilli(), now.UnixMilli(), soon.UnixMilli()}, in...)
	rows, err := t.query(`SELECT agency_id, COUNT(*),
		SUM(CASE WHEN due < ? THEN 1 ELSE 0 END),
		SUM(CASE WHEN due >= ? AND due < ? THEN 1 ELSE 0 END)
		FROM (SELECT agency_id, dossier_id, MIN(next_due_at) AS due FROM dossier_work WHERE 1 = 1`+cond+`
		      GROUP BY agency_id, dossier_id) w
		GROUP BY agency_id ORDER BY agency_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.WorkCount
	for rows.Next() {
		var c motcua.WorkCount
		if err := rows.Scan(&c.AgencyID, &c.Open, &c.Overdue, &c.DueSoon); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// HandlingSamples implements motcua.WorkloadStore: per user, the latest
// events of the period by dossier_events_actor, each with the time of the
// event before it read by its dossier (the key (dossier_id, seq) on SQLite,
// the index on dossier_id on PostgreSQL) in a subquery. One
// bounded range per user, however busy the history. On SQLite the index
// is (actor_id, at, dossier_id, seq) and covers the query; on PostgreSQL
// it is by actor and day (handlingStartDay).
func (t *tx) HandlingSamples(_ ctxT, userIDs []int64, from, to time.Time, perUser int) ([]motcua.HandlingSample, error) {
	f, e := from.UnixMilli(), to.UnixMilli()
	var out []motcua.HandlingSample
	for _, id := range userIDs {
		if t.db.dialect != postgresDialect {
			s, _, err := t.handlingSamples(id, `SELECT e.at,
				(SELECT p.at FROM dossier_events p WHERE p.dossier_id = e.dossier_id AND p.seq = e.seq - 1)
				FROM dossier_events e WHERE e.actor_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.at DESC LIMIT ?`, id, f, e, perUser)
			if err != nil {
				return nil, err
			}
			out = append(out, s...)
			continue
		}
		first, last := f/actorDayMS, (e-1)/actorDayMS
		start, err := t.handlingStartDay(id, first, last, perUser)
		if err != nil {
			return nil, err
		}
		for {
			s, n, err := t.handlingSamples(id, `SELECT e.at,
				(SELECT p.at FROM dossier_events p WHERE p.dossier_id = e.dossier_id AND p.seq = e.seq - 1)
				FROM dossier_events e WHERE e.actor_id = ? AND `+actorDay+` >= ? AND `+actorDay+` <= ? AND e.at >= ? AND e.at < ?
				ORDER BY `+actorDay+` DESC, e.at DESC LIMIT ?`, id, start, last, f, e, perUser)
			if err != nil {
				return nil, err
			}
			if n < perUser && start > first {
				// Events of the last day at or after to (none when to is
				// now) were counted: read the whole period.
				start = first
				continue
			}
			out = append(out, s...)
			break
		}
	}
	return out, nil
}

// handlingSamples runs one user's query of HandlingSamples; n is the
// number of events it read.
func (t *tx) handlingSamples(id int64, q string, args ...any) (out []motcua.HandlingSample, n int, err error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var at int64
		var prev sqlNullInt
		if err := rows.Scan(&at, &prev); err != nil {
			return nil, 0, err
		}
		n++
		if prev.Valid { // the first event of a dossier ends no step
			out = append(out, motcua.HandlingSample{UserID: id, From: fromMS(prev), To: time.UnixMilli(at).UTC()})
		}
	}
	return out, n, rows.Err()
}

// handlingStartDay returns, on PostgreSQL, the day of the user's perUser-th
// latest event in the days first…last, read from dossier_events_actor
// alone (first when he has fewer). The index is by actor and day
// (actorDay): the query of HandlingSamples then reads the days from that
// one on, each sorted by time. Left to itself the planner may read the
// user's whole period and sort it (a bitmap scan: 27 ms for 3,000 events
// of a 100k province, against 3 ms).
func (t *tx) handlingStartDay(id, first, last int64, perUser int) (int64, error) {
	row, err := t.queryRow(`SELECT COALESCE(MIN(d), ?), COUNT(*) FROM (SELECT `+actorDay+` AS d FROM dossier_events
		WHERE actor_id = ? AND `+actorDay+` >= ? AND `+actorDay+` <= ? ORDER BY `+actorDay+` DESC LIMIT ?) AS x`, first, id, first, last, perUser)
	if err != nil {
		return 0, err
	}
	var start, n int64
	if err := row.Scan(&start, &n); err != nil {
		return 0, err
	}
	if n < int64(perUser) {
		return first, nil
	}
	return start, nil
}

// AgencyHandlingTimes implements motcua.WorkloadStore by the covering
// index dossiers_finished (finished_at first): the range of the period is
// read whole and grouped, and the agencies are picked afterwards, since a
// condition on the agency would lead the planner to an index by agency
// that covers no handling time.
func (t *tx) AgencyHandlingTimes(_ ctxT, agencyIDs []int64, from, to time.Time) ([]motcua.AgencyHandling, error) {
	if agencyIDs != nil && len(agencyIDs) == 0 {
		return nil, nil
	}
	want := map[int64]bool{}
	for _, id := range agencyIDs {
		want[id] = true
	}
	rows, err := t.query(`SELECT competent_agency_id, COUNT(*), CAST(SUM(handle_ms) AS BIGINT) FROM dossiers
		WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND finished_at >= ? AND finished_at < ?
		GROUP BY competent_agency_id ORDER BY competent_agency_id`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.AgencyHandling
	for rows.Next() {
		var h motcua.AgencyHandling
		if err := rows.Scan(&h.AgencyID, &h.Finished, &h.SumMS); err != nil {
			return nil, err
		}
		if agencyIDs == nil || want[h.AgencyID] {
			out = append(out, h)
		}
	}
	return out, rows.Err()
}

// PointsOpen implements motcua.WorkloadStore by dossiers_point_open.
func (t *tx) PointsOpen(_ ctxT, pointIDs []int64, now time.Time) ([]motcua.PointOpen, error) {
	cond, in, ok := inIDs("reception_point_id", pointIDs)
	if !ok {
		return nil, nil
	}
	args := append([]any{now.UnixMilli()}, in...)
	rows, err := t.query(`SELECT reception_point_id, COUNT(*), SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END) FROM dossiers
		WHERE received_at IS NOT NULL AND finished_at IS NULL`+cond+`
		GROUP BY reception_point_id ORDER BY reception_point_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.PointOpen
	for rows.Next() {
		var p motcua.PointOpen
		if err := rows.Scan(&p.ReceptionPointID, &p.Open, &p.Overdue); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// actorDay is the second key of PostgreSQL's dossier_events_actor and
// dossier_events_returned (migration 0030): the event's UTC day. An
// index by (actor, time) is filled in random order (every actor appends
// at his own end), so its pages stay about 60 % full, and its entries
// take 24 bytes each; by (actor, day) the events of an actor's day are
// one entry with a list of row addresses (B-tree deduplication), about
// 6 bytes an event: 306 → about 60 bytes per dossier. A query names the
// expression exactly as the index does.
const actorDay = `(at / 86400000)`

// actorDayMS is a day in milliseconds, the unit of actorDay.
const actorDayMS = 86400000
