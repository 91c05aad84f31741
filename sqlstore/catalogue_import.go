package sqlstore

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// CreateImportRun implements motcua.CatalogueImportStore. The run and its
// items are written in the caller's transaction, so that a failed or
// cancelled import leaves no part of them.
func (t *tx) CreateImportRun(_ ctxT, r *motcua.ImportRun, items []*motcua.ImportItem) error {
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("encode import run: %w", err)
	}
	id, err := t.insert(`INSERT INTO catalogue_import_runs (started_at, finished_at, started_by, data) VALUES (?, ?, ?, ?)`,
		r.StartedAt.UnixMilli(), r.FinishedAt.UnixMilli(), r.StartedBy, string(data))
	if err != nil {
		return err
	}
	r.ID = id
	for i, it := range items {
		it.RunID, it.Seq = id, i+1
		data, err := json.Marshal(it)
		if err != nil {
			return fmt.Errorf("encode import item: %w", err)
		}
		if it.ID, err = t.insert(`INSERT INTO catalogue_import_items (run_id, seq, kind, code, status, data) VALUES (?, ?, ?, ?, ?, ?)`,
			id, it.Seq, it.Kind, it.Code, it.Status, string(data)); err != nil {
			return err
		}
	}
	return nil
}

func scanImportRun(sc interface{ Scan(...any) error }) (*motcua.ImportRun, error) {
	var id, started, finished, by int64
	var data string
	if err := sc.Scan(&id, &started, &finished, &by, &data); err != nil {
		return nil, err
	}
	var r motcua.ImportRun
	if err := json.Unmarshal([]byte(data), &r); err != nil {
		return nil, fmt.Errorf("decode import run %d: %w", id, err)
	}
	r.ID, r.StartedBy = id, by
	r.StartedAt, r.FinishedAt = time.UnixMilli(started).UTC(), time.UnixMilli(finished).UTC()
	return &r, nil
}

const importRunColumns = `id, started_at, finished_at, started_by, data`

// ImportRuns implements motcua.CatalogueImportStore.
func (t *tx) ImportRuns(_ ctxT, limit int) ([]*motcua.ImportRun, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	rows, err := t.query(`SELECT `+importRunColumns+` FROM catalogue_import_runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.ImportRun
	for rows.Next() {
		r, err := scanImportRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ImportRun implements motcua.CatalogueImportStore.
func (t *tx) ImportRun(_ ctxT, id int64) (*motcua.ImportRun, error) {
	row, err := t.queryRow(`SELECT `+importRunColumns+` FROM catalogue_import_runs WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	r, err := scanImportRun(row)
	if err != nil {
		return nil, notFound(err, "import_run_not_found", "Không tìm thấy lần nhập danh mục.")
	}
	return r, nil
}

func scanImportItem(sc interface{ Scan(...any) error }) (*motcua.ImportItem, error) {
	var id, run int64
	var status, data string
	if err := sc.Scan(&id, &run, &status, &data); err != nil {
		return nil, err
	}
	var it motcua.ImportItem
	if err := json.Unmarshal([]byte(data), &it); err != nil {
		return nil, fmt.Errorf("decode import item %d: %w", id, err)
	}
	it.ID, it.RunID, it.Status = id, run, motcua.ImportItemStatus(status)
	return &it, nil
}

// ImportItems implements motcua.CatalogueImportStore.
func (t *tx) ImportItems(_ ctxT, runID int64, kind motcua.ImportKind) ([]*motcua.ImportItem, error) {
	q, args := `SELECT id, run_id, status, data FROM catalogue_import_items WHERE run_id = ?`, []any{runID}
	if kind != "" {
		q += ` AND kind = ?`
		args = append(args, kind)
	}
	rows, err := t.query(q+` ORDER BY seq`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.ImportItem
	for rows.Next() {
		it, err := scanImportItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// ImportItem implements motcua.CatalogueImportStore.
func (t *tx) ImportItem(_ ctxT, runID, id int64) (*motcua.ImportItem, error) {
	row, err := t.queryRow(`SELECT id, run_id, status, data FROM catalogue_import_items WHERE run_id = ? AND id = ?`, runID, id)
	if err != nil {
		return nil, err
	}
	it, err := scanImportItem(row)
	if err != nil {
		return nil, notFound(err, "import_item_not_found", "Không tìm thấy thủ tục trong lần nhập.")
	}
	return it, nil
}

// UpdateImportItem implements motcua.CatalogueImportStore.
func (t *tx) UpdateImportItem(_ ctxT, it *motcua.ImportItem) error {
	data, err := json.Marshal(it)
	if err != nil {
		return fmt.Errorf("encode import item: %w", err)
	}
	res, err := t.exec(`UPDATE catalogue_import_items SET status = ?, data = ? WHERE run_id = ? AND id = ?`,
		it.Status, string(data), it.RunID, it.ID)
	if err != nil {
		return err
	}
	return mustAffect(res, "import_item_not_found", "Không tìm thấy thủ tục trong lần nhập.")
}
