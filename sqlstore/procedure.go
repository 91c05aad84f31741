package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// procedureSearchText is what catalogue search matches: name, code and
// field, folded. The name comes first, so that "the name starts with the
// query" is a prefix of the column and the column sorts by name; the
// "Thủ tục" that begins many names moves to the end, where it is still
// found, so that a name is ranked and sorted by what it says.
func procedureSearchText(p *motcua.Procedure) string {
	name, tail := motcua.Fold(p.Name), ""
	if rest, ok := strings.CutPrefix(name, procedureWord+" "); ok {
		name, tail = rest, " "+procedureWord
	}
	return motcua.Fold(name + " " + p.Code + " " + p.FieldName + tail)
}

// procedureWord is "Thủ tục", folded.
const procedureWord = "thu tuc"

func decodeProcedure(data string) (*motcua.Procedure, error) {
	var p motcua.Procedure
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return nil, fmt.Errorf("decode procedure: %w", err)
	}
	return &p, nil
}

// Procedure implements motcua.ProcedureStore.
func (t *tx) Procedure(_ ctxT, id int64) (*motcua.Procedure, error) {
	return t.procedureWhere(`id = ?`, id)
}

// ProcedureByCode implements motcua.ProcedureStore.
func (t *tx) ProcedureByCode(_ ctxT, code string) (*motcua.Procedure, error) {
	if code == "" {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "procedure_not_found", "Không tìm thấy thủ tục.")
	}
	return t.procedureWhere(`code = ?`, code)
}

func (t *tx) procedureWhere(where string, arg any) (*motcua.Procedure, error) {
	row, err := t.queryRow(`SELECT data FROM procedures WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	var data string
	if err := row.Scan(&data); err != nil {
		return nil, notFound(err, "procedure_not_found", "Không tìm thấy thủ tục hành chính.")
	}
	return decodeProcedure(data)
}

// ProcedureVersion implements motcua.ProcedureStore.
func (t *tx) ProcedureVersion(_ ctxT, id int64, version int) (*motcua.Procedure, error) {
	row, err := t.queryRow(`SELECT data FROM procedure_versions WHERE procedure_id = ? AND version = ?`, id, version)
	if err != nil {
		return nil, err
	}
	var data string
	if err := row.Scan(&data); err != nil {
		return nil, notFound(err, "procedure_not_found", "Không tìm thấy phiên bản thủ tục.")
	}
	return decodeProcedure(data)
}

// CurrentVersion implements motcua.ProcedureStore.
func (t *tx) CurrentVersion(_ ctxT, id int64) (int, error) {
	row, err := t.queryRow(`SELECT version FROM procedures WHERE id = ?`, id)
	if err != nil {
		return 0, err
	}
	var v int
	return v, notFound(row.Scan(&v), "procedure_not_found", "Không tìm thấy thủ tục hành chính.")
}

// FindProcedures implements motcua.ProcedureStore. Every word of the folded
// query must occur in the folded code, name or field. Matches whose name
// starts with the query ("Thủ tục" aside) or whose code does come first,
// then the others, each group by folded name (then code and field) in
// byte order, which both engines share (search_text is COLLATE "C" on
// PostgreSQL, SQLite compares bytes).
func (t *tx) FindProcedures(_ ctxT, f motcua.ProcedureFilter) ([]*motcua.Procedure, error) {
	var where []string
	var args []any
	q := motcua.Fold(f.Query)
	for _, w := range strings.Fields(q) {
		where = append(where, `search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(w)+"%")
	}
	if f.Level != "" {
		where = append(where, `level = ?`)
		args = append(args, f.Level)
	}
	if f.FieldCode != "" {
		where = append(where, `field_code = ?`)
		args = append(args, f.FieldCode)
	}
	if f.PublishedOnly {
		where = append(where, `published = ?`)
		args = append(args, true)
	}
	sqlq := `SELECT data FROM procedures`
	if len(where) > 0 {
		sqlq += ` WHERE ` + strings.Join(where, ` AND `)
	}
	sqlq += ` ORDER BY CASE WHEN search_text LIKE ? ESCAPE '\' OR LOWER(code) LIKE ? ESCAPE '\' THEN 0 ELSE 1 END, search_text, id LIMIT ? OFFSET ?`
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 500
	}
	start := escapeLike(strings.TrimPrefix(q, procedureWord+" ")) + "%"
	args = append(args, start, escapeLike(q)+"%", limit, max(f.Offset, 0))
	rows, err := t.query(sqlq, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.Procedure
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		p, err := decodeProcedure(data)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// assignComponentIDs gives new components an ID unique within the
// procedure, keeping the IDs of existing ones so dossiers keep pointing at
// the right component across versions.
func assignComponentIDs(p *motcua.Procedure) {
	var top int64
	for _, c := range p.Components {
		top = max(top, c.ID)
	}
	for i := range p.Components {
		if p.Components[i].ID == 0 {
			top++
			p.Components[i].ID = top
		}
		p.Components[i].Seq = i + 1
	}
}

// CreateProcedure implements motcua.ProcedureStore.
func (t *tx) CreateProcedure(_ ctxT, p *motcua.Procedure) error {
	assignComponentIDs(p)
	p.Version = 1
	id, err := t.insert(`INSERT INTO procedures (code, name, search_text, level, field_code, agency_id, published, version, data, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?)`,
		p.Code, p.Name, procedureSearchText(p), p.Level, p.FieldCode, p.AgencyID, p.Published, p.Version, p.UpdatedAt.UnixMilli())
	if err != nil {
		return conflict(err, "procedure_code_exists", "Mã thủ tục "+p.Code+" đã có trong danh mục.")
	}
	p.ID = id
	return t.saveProcedureData(p)
}

// UpdateProcedure implements motcua.ProcedureStore.
func (t *tx) UpdateProcedure(_ ctxT, p *motcua.Procedure) error {
	assignComponentIDs(p)
	res, err := t.exec(`UPDATE procedures SET code = ?, name = ?, search_text = ?, level = ?, field_code = ?, agency_id = ?,
		published = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		p.Code, p.Name, procedureSearchText(p), p.Level, p.FieldCode, p.AgencyID, p.Published, p.UpdatedAt.UnixMilli(), p.ID, p.Version)
	if err != nil {
		return conflict(err, "procedure_code_exists", "Mã thủ tục "+p.Code+" đã có trong danh mục.")
	}
	if err := mustAffect(res, "procedure_version_conflict", "Thủ tục vừa được người khác sửa; vui lòng tải lại và sửa lại."); err != nil {
		return motcua.Errorf(motcua.ECONFLICT, "procedure_version_conflict", "%s", motcua.ErrorMessage(err))
	}
	p.Version++
	return t.saveProcedureData(p)
}

func (t *tx) saveProcedureData(p *motcua.Procedure) error {
	data, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode procedure: %w", err)
	}
	if _, err := t.exec(`UPDATE procedures SET data = ? WHERE id = ?`, string(data), p.ID); err != nil {
		return err
	}
	_, err = t.exec(`INSERT INTO procedure_versions (procedure_id, version, data, created_at) VALUES (?, ?, ?, ?)`,
		p.ID, p.Version, string(data), p.UpdatedAt.UnixMilli())
	return err
}
