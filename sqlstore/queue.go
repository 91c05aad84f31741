package sqlstore

import (
	"encoding/hex"
	"strings"

	"github.com/motcua/motcua"
)

const areaColumns = `id, reception_point_id, prefix, name, active`

func scanArea(sc interface{ Scan(...any) error }) (*motcua.ServiceArea, error) {
	var a motcua.ServiceArea
	if err := sc.Scan(&a.ID, &a.ReceptionPointID, &a.Prefix, &a.Name, &a.Active); err != nil {
		return nil, err
	}
	return &a, nil
}

// ServiceAreas implements motcua.QueueStore.
func (t *tx) ServiceAreas(_ ctxT, pointID int64) ([]*motcua.ServiceArea, error) {
	q, args := `SELECT `+areaColumns+` FROM queue_areas ORDER BY reception_point_id, prefix`, []any{}
	if pointID != 0 {
		q, args = `SELECT `+areaColumns+` FROM queue_areas WHERE reception_point_id = ? ORDER BY prefix`, []any{pointID}
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.ServiceArea
	for rows.Next() {
		a, err := scanArea(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ServiceArea implements motcua.QueueStore.
func (t *tx) ServiceArea(_ ctxT, id int64) (*motcua.ServiceArea, error) {
	row, err := t.queryRow(`SELECT `+areaColumns+` FROM queue_areas WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	a, err := scanArea(row)
	if err != nil {
		return nil, notFound(err, "area_not_found", "Không tìm thấy quầy (lĩnh vực) xếp hàng.")
	}
	return a, nil
}

// SaveServiceArea implements motcua.QueueStore.
func (t *tx) SaveServiceArea(_ ctxT, a *motcua.ServiceArea) error {
	const taken = "Ký hiệu quầy này đã được dùng tại điểm tiếp nhận."
	if a.ID == 0 {
		id, err := t.insert(`INSERT INTO queue_areas (reception_point_id, prefix, name, active) VALUES (?, ?, ?, ?)`,
			a.ReceptionPointID, a.Prefix, a.Name, a.Active)
		if err != nil {
			return conflict(err, "area_prefix_taken", taken)
		}
		a.ID = id
		return nil
	}
	res, err := t.exec(`UPDATE queue_areas SET prefix = ?, name = ?, active = ? WHERE id = ?`, a.Prefix, a.Name, a.Active, a.ID)
	if err != nil {
		return conflict(err, "area_prefix_taken", taken)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return motcua.Errorf(motcua.ENOTFOUND, "area_not_found", "Không tìm thấy quầy (lĩnh vực) xếp hàng.")
	}
	return nil
}

// CreateQueueDevice implements motcua.QueueStore.
func (t *tx) CreateQueueDevice(_ ctxT, d *motcua.QueueDevice) error {
	_, err := t.exec(`INSERT INTO queue_devices (token_hash, reception_point_id, name, created_by, created_at, revoked) VALUES (?, ?, ?, ?, ?, ?)`,
		hex.EncodeToString(d.TokenHash), d.ReceptionPointID, d.Name, d.CreatedBy, d.CreatedAt.UnixMilli(), d.Revoked)
	return err
}

const deviceColumns = `token_hash, reception_point_id, name, created_by, created_at, revoked`

func scanDevice(sc interface{ Scan(...any) error }) (*motcua.QueueDevice, error) {
	var d motcua.QueueDevice
	var h string
	var at sqlNullInt
	if err := sc.Scan(&h, &d.ReceptionPointID, &d.Name, &d.CreatedBy, &at, &d.Revoked); err != nil {
		return nil, err
	}
	d.TokenHash, _ = hex.DecodeString(h)
	d.CreatedAt = fromMS(at)
	return &d, nil
}

// QueueDevice implements motcua.QueueStore.
func (t *tx) QueueDevice(_ ctxT, tokenHash []byte) (*motcua.QueueDevice, error) {
	row, err := t.queryRow(`SELECT `+deviceColumns+` FROM queue_devices WHERE token_hash = ?`, hex.EncodeToString(tokenHash))
	if err != nil {
		return nil, err
	}
	d, err := scanDevice(row)
	if err != nil {
		return nil, notFound(err, "device_not_found", "Thiết bị chưa được quản trị viên gắn với điểm tiếp nhận.")
	}
	return d, nil
}

// QueueDevices implements motcua.QueueStore.
func (t *tx) QueueDevices(_ ctxT, pointID int64) ([]*motcua.QueueDevice, error) {
	rows, err := t.query(`SELECT `+deviceColumns+` FROM queue_devices WHERE reception_point_id = ? ORDER BY created_at DESC`, pointID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.QueueDevice
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RevokeQueueDevice implements motcua.QueueStore.
func (t *tx) RevokeQueueDevice(_ ctxT, tokenHash []byte) error {
	res, err := t.exec(`UPDATE queue_devices SET revoked = ? WHERE token_hash = ?`, true, hex.EncodeToString(tokenHash))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return motcua.Errorf(motcua.ENOTFOUND, "device_not_found", "Không tìm thấy thiết bị.")
	}
	return nil
}

const ticketColumns = `id, area_id, reception_point_id, day, number, issued_at, state, first_called_at, called_at, called_by, counter, recalls, done_at, dossier_id`

func scanTicket(sc interface{ Scan(...any) error }) (*motcua.Ticket, error) {
	var k motcua.Ticket
	var issued int64
	var first, called, done sqlNullInt
	if err := sc.Scan(&k.ID, &k.AreaID, &k.ReceptionPointID, &k.Day, &k.Number, &issued, &k.State, &first, &called,
		&k.CalledBy, &k.Counter, &k.Recalls, &done, &k.DossierID); err != nil {
		return nil, err
	}
	k.IssuedAt = fromMS(sqlNullInt{Int64: issued, Valid: true})
	k.FirstCalledAt, k.CalledAt, k.DoneAt = fromMS(first), fromMS(called), fromMS(done)
	return &k, nil
}

// CreateTicket implements motcua.QueueStore.
func (t *tx) CreateTicket(_ ctxT, k *motcua.Ticket) error {
	id, err := t.insert(`INSERT INTO queue_tickets (area_id, reception_point_id, day, number, issued_at, state, first_called_at, called_at,
		called_by, counter, recalls, done_at, dossier_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.AreaID, k.ReceptionPointID, int64(k.Day), k.Number, k.IssuedAt.UnixMilli(), string(k.State), ms(k.FirstCalledAt), ms(k.CalledAt),
		k.CalledBy, k.Counter, k.Recalls, ms(k.DoneAt), k.DossierID)
	if err != nil {
		return conflict(err, "ticket_number_taken", "Số thứ tự này đã được cấp; vui lòng lấy số lại.")
	}
	k.ID = id
	return nil
}

// Ticket implements motcua.QueueStore.
func (t *tx) Ticket(_ ctxT, id int64) (*motcua.Ticket, error) {
	row, err := t.queryRow(`SELECT `+ticketColumns+` FROM queue_tickets WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	k, err := scanTicket(row)
	if err != nil {
		return nil, notFound(err, "ticket_not_found", "Không tìm thấy số thứ tự.")
	}
	return k, nil
}

// UpdateTicket implements motcua.QueueStore.
func (t *tx) UpdateTicket(_ ctxT, k *motcua.Ticket, from motcua.TicketState) error {
	res, err := t.exec(`UPDATE queue_tickets SET state = ?, first_called_at = ?, called_at = ?, called_by = ?, counter = ?, recalls = ?,
		done_at = ?, dossier_id = ? WHERE id = ? AND state = ?`,
		string(k.State), ms(k.FirstCalledAt), ms(k.CalledAt), k.CalledBy, k.Counter, k.Recalls, ms(k.DoneAt), k.DossierID, k.ID, string(from))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return motcua.Errorf(motcua.ECONFLICT, "ticket_changed", "Số thứ tự này vừa được người khác gọi hoặc kết thúc; vui lòng tải lại trang.")
	}
	return nil
}

// Tickets implements motcua.QueueStore.
func (t *tx) Tickets(_ ctxT, f motcua.TicketFilter) ([]*motcua.Ticket, error) {
	var where []string
	var args []any
	if f.ReceptionPointID != 0 {
		where, args = append(where, "reception_point_id = ?"), append(args, f.ReceptionPointID)
	}
	if f.AreaIDs != nil {
		if len(f.AreaIDs) == 0 {
			return nil, nil
		}
		where = append(where, "area_id IN ("+placeholders(len(f.AreaIDs))+")")
		for _, id := range f.AreaIDs {
			args = append(args, id)
		}
	}
	if len(f.States) == 1 && f.States[0] == motcua.TicketWaiting {
		where = append(where, "state = 'waiting'") // the partial index's condition, literally
	} else if len(f.States) > 0 {
		where = append(where, "state IN ("+placeholders(len(f.States))+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	if !f.IssuedFrom.IsZero() {
		where, args = append(where, "issued_at >= ?"), append(args, f.IssuedFrom.UnixMilli())
	}
	if !f.IssuedTo.IsZero() {
		where, args = append(where, "issued_at < ?"), append(args, f.IssuedTo.UnixMilli())
	}
	if !f.CalledSince.IsZero() {
		where, args = append(where, "called_at IS NOT NULL AND called_at >= ?"), append(args, f.CalledSince.UnixMilli())
	}
	if f.CalledBy != 0 {
		where, args = append(where, "called_by = ?"), append(args, f.CalledBy)
	}
	q := `SELECT ` + ticketColumns + ` FROM queue_tickets`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.ByLatestCall {
		q += " ORDER BY called_at DESC, id DESC"
	} else {
		q += " ORDER BY issued_at, id"
	}
	if f.Limit > 0 {
		q += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.Ticket
	for rows.Next() {
		k, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}
