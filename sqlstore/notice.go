package sqlstore

import (
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// DossiersWithClocks implements motcua.DossierWarningStore. The step,
// part and counter deadlines come at or before next_due_at (the one of
// them that runs); the appointment is due_at. Each is read through its
// partial index on unfinished dossiers (dossiers_next_due, dossiers_due).
func (t *tx) DossiersWithClocks(_ ctxT, upTo time.Time, byAppointment bool, after motcua.DossierCursor, limit int) ([]*motcua.Dossier, error) {
	col := "next_due_at"
	if byAppointment {
		col = "due_at"
	}
	return t.dossiers(`SELECT `+dossierColumns+` FROM dossiers d WHERE finished_at IS NULL AND `+col+` <= ?
		AND (`+col+` > ? OR (`+col+` = ? AND id > ?))
		AND state IN ('submitted', 'received', 'processing', 'approved')
		ORDER BY `+col+`, id LIMIT ?`,
		upTo.UnixMilli(), after.NextDueAt.UnixMilli(), after.NextDueAt.UnixMilli(), after.ID, limit)
}

// warningRecipients is how a warning's recipients are kept: ids and names
// side by side.
type warningRecipients struct {
	UserIDs []int64  `json:"ids"`
	Names   []string `json:"names"`
}

// RecordDossierWarning implements motcua.DossierWarningStore. The insert
// skips a duplicate instead of failing, so that a transaction on
// PostgreSQL stays usable; the duplicate is reported as ECONFLICT.
func (t *tx) RecordDossierWarning(_ ctxT, w *motcua.DossierWarning) error {
	rec, err := json.Marshal(warningRecipients{UserIDs: w.UserIDs, Names: w.Names})
	if err != nil {
		return err
	}
	rows, err := t.query(`INSERT INTO dossier_warnings (dossier_id, code, clock, agency_id, level, due_at, at, recipients)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
		w.DossierID, w.Code, w.Clock, w.AgencyID, w.Level, w.DueAt.UnixMilli(), w.At.UnixMilli(), string(rec))
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return motcua.Errorf(motcua.ECONFLICT, "warning_exists", "Hồ sơ %s đã được cảnh báo về thời hạn này.", w.Code)
	}
	if err := rows.Scan(&w.ID); err != nil {
		return err
	}
	return rows.Close()
}

// DossierWarningsOf implements motcua.DossierWarningStore.
func (t *tx) DossierWarningsOf(_ ctxT, dossierID int64) ([]*motcua.DossierWarning, error) {
	rows, err := t.query(`SELECT `+warningColumns+` FROM dossier_warnings WHERE dossier_id = ? ORDER BY at, id`, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanWarnings(rows)
}

// WarningsOfDossiers implements motcua.DossierWarningStore.
func (t *tx) WarningsOfDossiers(_ ctxT, ids []int64) ([]*motcua.DossierWarning, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	q := `SELECT ` + warningColumns + ` FROM dossier_warnings WHERE dossier_id IN (?` + strings.Repeat(", ?", len(ids)-1) + `) ORDER BY at, id`
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanWarnings(rows)
}

const warningColumns = `id, dossier_id, code, clock, agency_id, level, due_at, at, recipients`

// scanWarnings reads the warnings of rows (warningColumns).
func scanWarnings(rows rowsScanner) ([]*motcua.DossierWarning, error) {
	var out []*motcua.DossierWarning
	for rows.Next() {
		var w motcua.DossierWarning
		var due, at int64
		var rec string
		if err := rows.Scan(&w.ID, &w.DossierID, &w.Code, &w.Clock, &w.AgencyID, &w.Level, &due, &at, &rec); err != nil {
			return nil, err
		}
		var r warningRecipients
		if err := json.Unmarshal([]byte(rec), &r); err != nil {
			return nil, err
		}
		w.UserIDs, w.Names = r.UserIDs, r.Names
		w.DueAt, w.At = time.UnixMilli(due).UTC(), time.UnixMilli(at).UTC()
		out = append(out, &w)
	}
	return out, rows.Err()
}

// AddStaffNotification implements motcua.DossierWarningStore.
func (t *tx) AddStaffNotification(_ ctxT, n *motcua.StaffNotification) error {
	id, err := t.insert(`INSERT INTO staff_notifications (user_id, dossier_id, code, level, text, at) VALUES (?, ?, ?, ?, ?, ?)`,
		n.UserID, n.DossierID, n.Code, n.Level, n.Text, n.At.UnixMilli())
	if err != nil {
		return err
	}
	n.ID = id
	return nil
}

// StaffNotifications implements motcua.DossierWarningStore.
func (t *tx) StaffNotifications(_ ctxT, userID int64, limit int) ([]*motcua.StaffNotification, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	rows, err := t.query(`SELECT id, user_id, dossier_id, code, level, text, at, read_at FROM staff_notifications
		WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.StaffNotification
	for rows.Next() {
		var n motcua.StaffNotification
		var at int64
		var read sql.NullInt64
		if err := rows.Scan(&n.ID, &n.UserID, &n.DossierID, &n.Code, &n.Level, &n.Text, &at, &read); err != nil {
			return nil, err
		}
		n.At, n.ReadAt = time.UnixMilli(at).UTC(), fromMS(read)
		out = append(out, &n)
	}
	return out, rows.Err()
}

// UnreadStaffNotifications implements motcua.DossierWarningStore.
func (t *tx) UnreadStaffNotifications(_ ctxT, userID int64) (int, error) {
	row, err := t.queryRow(`SELECT COUNT(*) FROM staff_notifications WHERE user_id = ? AND read_at IS NULL`, userID)
	if err != nil {
		return 0, err
	}
	var n int
	return n, row.Scan(&n)
}

// MarkStaffNotificationsRead implements motcua.DossierWarningStore.
func (t *tx) MarkStaffNotificationsRead(_ ctxT, userID int64, at time.Time) (int, error) {
	res, err := t.exec(`UPDATE staff_notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, at.UnixMilli(), userID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// NoticeTemplates implements motcua.NoticeTemplateStore.
func (t *tx) NoticeTemplates(_ ctxT) ([]*motcua.NoticeTemplate, error) {
	rows, err := t.query(`SELECT event, channel, subject, body, updated_by, updated_at FROM notice_templates ORDER BY event, channel`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.NoticeTemplate
	for rows.Next() {
		var n motcua.NoticeTemplate
		var at int64
		if err := rows.Scan(&n.Event, &n.Channel, &n.Subject, &n.Body, &n.UpdatedBy, &at); err != nil {
			return nil, err
		}
		n.UpdatedAt = time.UnixMilli(at).UTC()
		out = append(out, &n)
	}
	return out, rows.Err()
}

// SaveNoticeTemplate implements motcua.NoticeTemplateStore.
func (t *tx) SaveNoticeTemplate(_ ctxT, n *motcua.NoticeTemplate) error {
	_, err := t.exec(`INSERT INTO notice_templates (event, channel, subject, body, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (event, channel) DO UPDATE SET subject = excluded.subject, body = excluded.body,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		string(n.Event), n.Channel, n.Subject, n.Body, n.UpdatedBy, n.UpdatedAt.UnixMilli())
	return err
}
