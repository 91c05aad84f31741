package sqlstore

import (
	"context"
	"database/sql"

	"github.com/motcua/motcua"
)

// DayKey names a count of dossier_days: a Vietnam day, an agency, a kind.
type DayKey struct {
	Day       motcua.Day
	AgencyID  int64
	Kind      int
	Finishing bool // a finish's kind (else a reception's channel)
}

// DayCounts reads report 06a's counts per day (PostgreSQL), the folded
// ones and the changes not folded yet added up, zeros left out.
func (db *DB) DayCounts(ctx context.Context) (map[DayKey]int64, error) {
	out := map[DayKey]int64{}
	err := db.Read(ctx, func(mt motcua.Tx) error {
		rows, err := mt.(*tx).query(`SELECT day, agency_id, kind, CAST(SUM(n) AS BIGINT) FROM (
			SELECT day, agency_id, kind, n FROM dossier_days UNION ALL SELECT day, agency_id, kind, n FROM dossier_day_deltas) AS c
			GROUP BY day, agency_id, kind HAVING SUM(n) <> 0`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var k DayKey
			var n int64
			if err := rows.Scan(&k.Day, &k.AgencyID, &k.Kind, &n); err != nil {
				return err
			}
			k.Finishing = k.Kind >= dayFinishKinds
			out[k] = n
		}
		return rows.Err()
	})
	return out, err
}

// RecountDays counts the dossiers per day, agency and kind in Go from
// their columns, as dossier_days must hold them.
func (db *DB) RecountDays(ctx context.Context) (map[DayKey]int64, error) {
	out := map[DayKey]int64{}
	err := db.Read(ctx, func(mt motcua.Tx) error {
		rows, err := mt.(*tx).query(`SELECT received_at, finished_at, competent_agency_id, channel, finish_class, ontime_766 FROM dossiers`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var recv, fin sql.NullInt64
			var agency int64
			var channel int
			var class string
			var ok bool
			if err := rows.Scan(&recv, &fin, &agency, &channel, &class, &ok); err != nil {
				return err
			}
			if !recv.Valid {
				continue
			}
			out[DayKey{Day: motcua.DayOf(fromMS(recv)), AgencyID: agency, Kind: channel}]++
			if !fin.Valid {
				continue
			}
			kind := dayFinishKinds
			for i, c := range dayClasses {
				if string(c) == class {
					kind += 2 * i
				}
			}
			if ok {
				kind++
			}
			out[DayKey{Day: motcua.DayOf(fromMS(fin)), AgencyID: agency, Kind: kind, Finishing: true}]++
		}
		return rows.Err()
	})
	return out, err
}

// DayDeltaRows counts the changes not folded into dossier_days yet.
func (db *DB) DayDeltaRows(ctx context.Context) (n int64, err error) {
	err = db.Read(ctx, func(mt motcua.Tx) error {
		n, err = mt.(*tx).count(`SELECT COUNT(*) FROM dossier_day_deltas`)
		return err
	})
	return n, err
}

// SetDayCounts sets whether whole-day periods are summed from
// dossier_days (PostgreSQL) and returns the function restoring it.
func SetDayCounts(on bool) func() {
	old := useDayCounts
	useDayCounts = on
	return func() { useDayCounts = old }
}

// Migration 0038 (PostgreSQL only) added report 06a's counts per day with
// their triggers; SQLite's 0038 changed nothing.
func init() {
	migrationUndoFuncs[38] = func(t *tx) error {
		if t.pgtx == nil {
			return nil
		}
		for _, q := range []string{
			`DROP TRIGGER dossier_days_insert ON dossiers`, `DROP TRIGGER dossier_days_delete ON dossiers`,
			`DROP TRIGGER dossier_days_update ON dossiers`, `DROP FUNCTION dossier_days_rows()`, `DROP FUNCTION dossier_days_update()`,
			`DROP FUNCTION dossier_finish_kind(TEXT, BOOLEAN)`, `DROP FUNCTION dossier_day(BIGINT)`,
			`DROP TABLE dossier_day_deltas`, `DROP TABLE dossier_days`, `DROP INDEX dossiers_long`,
		} {
			if _, err := t.exec(q); err != nil {
				return err
			}
		}
		return nil
	}
}
