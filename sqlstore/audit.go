package sqlstore

import (
	"time"

	"github.com/motcua/motcua"
)

// Audit implements motcua.AuditStore. In a PostgreSQL group commit the
// INSERT is pipelined (pgpipeline.go) and e.ID is set when the write
// commits, not at once.
func (t *tx) Audit(_ ctxT, e *motcua.AuditEntry) error {
	return t.insertReturning(&e.ID, `INSERT INTO audit_log (at, user_id, action, dossier_id, detail, ip) VALUES (?, ?, ?, ?, ?, ?)`,
		e.At.UnixMilli(), e.UserID, e.Action, e.DossierID, e.Detail, e.IP)
}

// AuditEntries implements motcua.AuditStore.
func (t *tx) AuditEntries(_ ctxT, f motcua.AuditFilter) ([]*motcua.AuditEntry, error) {
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := t.query(`SELECT id, at, user_id, action, dossier_id, detail, ip FROM audit_log
		WHERE (CAST(? AS BIGINT) = 0 OR user_id = ?) AND (CAST(? AS BIGINT) = 0 OR dossier_id = ?) AND (? = '' OR action = ?)
		AND (CAST(? AS BIGINT) = 0 OR id < ?)
		ORDER BY id DESC LIMIT ?`, f.UserID, f.UserID, f.DossierID, f.DossierID, f.Action, f.Action, f.BeforeID, f.BeforeID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.AuditEntry
	for rows.Next() {
		var e motcua.AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Action, &e.DossierID, &e.Detail, &e.IP); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, &e)
	}
	return out, rows.Err()
}

// CalendarYears implements motcua.CalendarStore.
func (t *tx) CalendarYears(_ ctxT) ([]*motcua.CalendarYear, error) {
	rows, err := t.query(`SELECT year, data, updated_by, updated_at FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.CalendarYear
	for rows.Next() {
		var y motcua.CalendarYear
		var data string
		var at int64
		if err := rows.Scan(&y.Year, &data, &y.UpdatedBy, &at); err != nil {
			return nil, err
		}
		y.Data, y.UpdatedAt = []byte(data), time.UnixMilli(at).UTC()
		out = append(out, &y)
	}
	return out, rows.Err()
}

// SaveCalendarYear implements motcua.CalendarStore.
func (t *tx) SaveCalendarYear(_ ctxT, y *motcua.CalendarYear) error {
	_, err := t.exec(`INSERT INTO calendar_years (year, data, updated_by, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		y.Year, string(y.Data), y.UpdatedBy, y.UpdatedAt.UnixMilli())
	return err
}
