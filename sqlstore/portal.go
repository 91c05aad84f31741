package sqlstore

import (
	"database/sql"
	"time"

	"github.com/motcua/motcua"
)

// QueuePortalSync implements motcua.PortalSyncStore.
func (t *tx) QueuePortalSync(_ ctxT, dossierID int64, nationalCode string, forwarded bool, seq int) error {
	res, err := t.exec(`UPDATE portal_sync SET queued_seq = ? WHERE dossier_id = ? AND queued_seq < ?`, seq, dossierID, seq)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	var have int
	row, err := t.queryRow(`SELECT COUNT(*) FROM portal_sync WHERE dossier_id = ?`, dossierID)
	if err != nil {
		return err
	}
	if err := row.Scan(&have); err != nil || have > 0 {
		return err
	}
	_, err = t.exec(`INSERT INTO portal_sync (dossier_id, national_code, forwarded, queued_seq) VALUES (?, ?, ?, ?)`,
		dossierID, nationalCode, forwarded, seq)
	return conflict(err, "national_code_taken", "Mã hồ sơ trên Cổng Dịch vụ công quốc gia "+nationalCode+" đã gắn với một hồ sơ khác.")
}

const portalSyncColumns = `dossier_id, national_code, forwarded, queued_seq, synced_seq, first_synced_at, synced_at, last_error, last_error_at`

func scanPortalSync(row interface{ Scan(...any) error }) (*motcua.PortalSyncState, error) {
	var s motcua.PortalSyncState
	var first, synced, errAt sql.NullInt64
	if err := row.Scan(&s.DossierID, &s.NationalCode, &s.Forwarded, &s.QueuedSeq, &s.SyncedSeq, &first, &synced, &s.LastError, &errAt); err != nil {
		return nil, notFound(err, "portal_sync_not_found", "Hồ sơ chưa được đưa vào đồng bộ với Cổng Dịch vụ công quốc gia.")
	}
	s.FirstSyncedAt, s.SyncedAt, s.LastErrorAt = fromMS(first), fromMS(synced), fromMS(errAt)
	return &s, nil
}

// PortalSync implements motcua.PortalSyncStore.
func (t *tx) PortalSync(_ ctxT, dossierID int64) (*motcua.PortalSyncState, error) {
	row, err := t.queryRow(`SELECT `+portalSyncColumns+` FROM portal_sync WHERE dossier_id = ?`, dossierID)
	if err != nil {
		return nil, err
	}
	return scanPortalSync(row)
}

// PortalSyncByNationalCode implements motcua.PortalSyncStore.
func (t *tx) PortalSyncByNationalCode(_ ctxT, code string) (*motcua.PortalSyncState, error) {
	row, err := t.queryRow(`SELECT `+portalSyncColumns+` FROM portal_sync WHERE national_code = ?`, code)
	if err != nil {
		return nil, err
	}
	return scanPortalSync(row)
}

// PortalSynced implements motcua.PortalSyncStore.
func (t *tx) PortalSynced(_ ctxT, dossierID int64, seq int, at time.Time) error {
	res, err := t.exec(`UPDATE portal_sync SET synced_seq = CASE WHEN synced_seq < ? THEN ? ELSE synced_seq END,
		first_synced_at = COALESCE(first_synced_at, ?), synced_at = ?, last_error = '', last_error_at = NULL
		WHERE dossier_id = ?`, seq, seq, at.UnixMilli(), at.UnixMilli(), dossierID)
	if err != nil {
		return err
	}
	return mustAffect(res, "portal_sync_not_found", "Hồ sơ chưa được đưa vào đồng bộ với Cổng Dịch vụ công quốc gia.")
}

// PortalSyncFailed implements motcua.PortalSyncStore.
func (t *tx) PortalSyncFailed(_ ctxT, dossierID int64, errText string, at time.Time) error {
	if len(errText) > 1000 {
		errText = errText[:1000]
	}
	_, err := t.exec(`UPDATE portal_sync SET last_error = ?, last_error_at = ? WHERE dossier_id = ?`, errText, at.UnixMilli(), dossierID)
	return err
}

// RecordPortalMessage implements motcua.PortalSyncStore.
func (t *tx) RecordPortalMessage(_ ctxT, m *motcua.PortalMessage) error {
	_, err := t.exec(`INSERT INTO portal_messages (message_id, kind, national_code, received_at, dossier_id, outcome) VALUES (?, ?, ?, ?, ?, ?)`,
		m.MessageID, m.Kind, m.NationalCode, m.ReceivedAt.UnixMilli(), m.DossierID, m.Outcome)
	return conflict(err, "message_replayed", "Thông điệp "+m.MessageID+" đã được nhận trước đó.")
}

// PortalMessage implements motcua.PortalSyncStore.
func (t *tx) PortalMessage(_ ctxT, id string) (*motcua.PortalMessage, error) {
	row, err := t.queryRow(`SELECT message_id, kind, national_code, received_at, dossier_id, outcome FROM portal_messages WHERE message_id = ?`, id)
	if err != nil {
		return nil, err
	}
	var m motcua.PortalMessage
	var at int64
	if err := row.Scan(&m.MessageID, &m.Kind, &m.NationalCode, &at, &m.DossierID, &m.Outcome); err != nil {
		return nil, notFound(err, "portal_message_not_found", "Không có thông điệp này.")
	}
	m.ReceivedAt = time.UnixMilli(at).UTC()
	return &m, nil
}

// PortalMessages implements motcua.PortalSyncStore.
func (t *tx) PortalMessages(_ ctxT, limit int) ([]*motcua.PortalMessage, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := t.query(`SELECT message_id, kind, national_code, received_at, dossier_id, outcome FROM portal_messages
		ORDER BY received_at DESC, message_id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.PortalMessage
	for rows.Next() {
		var m motcua.PortalMessage
		var at int64
		if err := rows.Scan(&m.MessageID, &m.Kind, &m.NationalCode, &at, &m.DossierID, &m.Outcome); err != nil {
			return nil, err
		}
		m.ReceivedAt = time.UnixMilli(at).UTC()
		out = append(out, &m)
	}
	return out, rows.Err()
}

// DossiersWithoutPortalSync implements motcua.PortalSyncStore.
func (t *tx) DossiersWithoutPortalSync(_ ctxT, afterID int64, limit int) ([]int64, error) {
	rows, err := t.query(`SELECT d.id FROM dossiers d WHERE d.id > ?
		AND NOT EXISTS (SELECT 1 FROM portal_sync p WHERE p.dossier_id = d.id) ORDER BY d.id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// PortalSyncedIn implements motcua.PortalSyncStore.
func (t *tx) PortalSyncedIn(_ ctxT, from, to time.Time) ([]motcua.PortalSyncAgg, error) {
	rows, err := t.query(`SELECT d.competent_agency_id, COUNT(*), COUNT(p.dossier_id) FROM dossiers d
		LEFT JOIN portal_sync p ON p.dossier_id = d.id AND p.synced_seq > 0
		WHERE d.received_at IS NOT NULL AND d.received_at >= ? AND d.received_at < ?
		GROUP BY d.competent_agency_id ORDER BY d.competent_agency_id`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.PortalSyncAgg
	for rows.Next() {
		var a motcua.PortalSyncAgg
		if err := rows.Scan(&a.AgencyID, &a.Received, &a.Synced); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PortalSyncHeld implements motcua.PortalSyncStore.
func (t *tx) PortalSyncHeld(_ ctxT) (bool, error) {
	row, err := t.queryRow(`SELECT COUNT(*) FROM (SELECT 1 FROM portal_sync WHERE synced_seq > 0 LIMIT 1) x`)
	if err != nil {
		return false, err
	}
	var n int
	if err := row.Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
