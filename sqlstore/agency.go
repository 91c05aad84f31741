package sqlstore

import (
	"database/sql"

	"github.com/motcua/motcua"
)

const agencyColumns = `id, code, name, level, kind, parent_id, address, phone, one_stop`

func scanAgency(sc interface{ Scan(...any) error }) (*motcua.Agency, error) {
	var a motcua.Agency
	var parent sql.NullInt64
	if err := sc.Scan(&a.ID, &a.Code, &a.Name, &a.Level, &a.Kind, &parent, &a.Address, &a.Phone, &a.OneStop); err != nil {
		return nil, err
	}
	a.ParentID = parent.Int64
	return &a, nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Agency implements motcua.AgencyStore.
func (t *tx) Agency(_ ctxT, id int64) (*motcua.Agency, error) {
	row, err := t.queryRow(`SELECT `+agencyColumns+` FROM agencies WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	a, err := scanAgency(row)
	return a, notFound(err, "agency_not_found", "Không tìm thấy cơ quan.")
}

// AgencyByCode implements motcua.AgencyStore.
func (t *tx) AgencyByCode(_ ctxT, code string) (*motcua.Agency, error) {
	row, err := t.queryRow(`SELECT `+agencyColumns+` FROM agencies WHERE code = ?`, code)
	if err != nil {
		return nil, err
	}
	a, err := scanAgency(row)
	return a, notFound(err, "agency_not_found", "Không tìm thấy cơ quan có mã "+code+".")
}

// Agencies implements motcua.AgencyStore.
func (t *tx) Agencies(_ ctxT) ([]*motcua.Agency, error) {
	rows, err := t.query(`SELECT ` + agencyColumns + ` FROM agencies ORDER BY level, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.Agency
	for rows.Next() {
		a, err := scanAgency(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CreateAgency implements motcua.AgencyStore.
func (t *tx) CreateAgency(_ ctxT, a *motcua.Agency) error {
	id, err := t.insert(`INSERT INTO agencies (code, name, level, kind, parent_id, address, phone, one_stop)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Code, a.Name, a.Level, a.Kind, nullID(a.ParentID), a.Address, a.Phone, a.OneStop)
	if err != nil {
		return conflict(err, "agency_code_exists", "Mã định danh cơ quan "+a.Code+" đã tồn tại.")
	}
	a.ID = id
	return nil
}

// UpdateAgency implements motcua.AgencyStore.
func (t *tx) UpdateAgency(_ ctxT, a *motcua.Agency) error {
	res, err := t.exec(`UPDATE agencies SET code = ?, name = ?, level = ?, kind = ?, parent_id = ?, address = ?, phone = ?, one_stop = ?
		WHERE id = ?`, a.Code, a.Name, a.Level, a.Kind, nullID(a.ParentID), a.Address, a.Phone, a.OneStop, a.ID)
	if err != nil {
		return conflict(err, "agency_code_exists", "Mã định danh cơ quan "+a.Code+" đã tồn tại.")
	}
	return mustAffect(res, "agency_not_found", "Không tìm thấy cơ quan.")
}

func mustAffect(res sql.Result, reason, msg string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return motcua.Errorf(motcua.ENOTFOUND, reason, "%s", msg)
	}
	return nil
}

const pointColumns = `id, agency_id, code, name, address`

func scanPoint(sc interface{ Scan(...any) error }) (*motcua.ReceptionPoint, error) {
	var p motcua.ReceptionPoint
	if err := sc.Scan(&p.ID, &p.AgencyID, &p.Code, &p.Name, &p.Address); err != nil {
		return nil, err
	}
	return &p, nil
}

// ReceptionPoint implements motcua.AgencyStore.
func (t *tx) ReceptionPoint(_ ctxT, id int64) (*motcua.ReceptionPoint, error) {
	row, err := t.queryRow(`SELECT `+pointColumns+` FROM reception_points WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	p, err := scanPoint(row)
	return p, notFound(err, "reception_point_not_found", "Không tìm thấy điểm tiếp nhận.")
}

// ReceptionPoints implements motcua.AgencyStore; agencyID 0 lists all.
func (t *tx) ReceptionPoints(_ ctxT, agencyID int64) ([]*motcua.ReceptionPoint, error) {
	rows, err := t.query(`SELECT `+pointColumns+` FROM reception_points WHERE CAST(? AS BIGINT) = 0 OR agency_id = ? ORDER BY code`, agencyID, agencyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.ReceptionPoint
	for rows.Next() {
		p, err := scanPoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// CreateReceptionPoint implements motcua.AgencyStore.
func (t *tx) CreateReceptionPoint(_ ctxT, p *motcua.ReceptionPoint) error {
	id, err := t.insert(`INSERT INTO reception_points (agency_id, code, name, address) VALUES (?, ?, ?, ?)`,
		p.AgencyID, p.Code, p.Name, p.Address)
	if err != nil {
		return conflict(err, "reception_point_code_exists", "Mã điểm tiếp nhận "+p.Code+" đã tồn tại.")
	}
	p.ID = id
	return nil
}
