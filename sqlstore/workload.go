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
// events of the period by dossier_events_actor (on PostgreSQL (actor_id,
// at) only, migration 0030: the rows returned are read for their
// dossier_id and seq), each with the time of the event before it read by
// the (dossier_id, seq) key in a subquery. One bounded range per user,
// however busy the history.
func (t *tx) HandlingSamples(_ ctxT, userIDs []int64, from, to time.Time, perUser int) ([]motcua.HandlingSample, error) {
	var out []motcua.HandlingSample
	for _, id := range userIDs {
		rows, err := t.query(`SELECT e.at,
			(SELECT p.at FROM dossier_events p WHERE p.dossier_id = e.dossier_id AND p.seq = e.seq - 1)
			FROM dossier_events e WHERE e.actor_id = ? AND e.at >= ? AND e.at < ? ORDER BY e.at DESC LIMIT ?`,
			id, from.UnixMilli(), to.UnixMilli(), perUser)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var at int64
			var prev sqlNullInt
			if err := rows.Scan(&at, &prev); err != nil {
				rows.Close()
				return nil, err
			}
			if prev.Valid { // the first event of a dossier ends no step
				out = append(out, motcua.HandlingSample{UserID: id, From: fromMS(prev), To: time.UnixMilli(at).UTC()})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
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
