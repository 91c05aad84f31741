package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/motcua/motcua"
)

// Migration 0041 moved the appraiser and the result's number from the
// status documents to columns; its undo writes them back into the
// documents, in the form of 0022–0040 (the columns are dropped last:
// migrationUndoLast).
func init() {
	migrationUndoFuncs[41] = func(t *tx) error {
		type statusExtra40 struct {
			AppraiserID   int64               `json:"appraiser_id,omitempty"`
			Parts         []motcua.PartStatus `json:"parts,omitempty"`
			Supplements   []motcua.Supplement `json:"supplements,omitempty"`
			Extensions    []motcua.Extension  `json:"extensions,omitempty"`
			ResultNumber  string              `json:"result_number,omitempty"`
			ResultFileRef string              `json:"result_file_ref,omitempty"`
			ResultSigned  bool                `json:"result_signed,omitempty"`
			Duties        []motcua.Duty       `json:"duties,omitempty"`
		}
		rows, err := t.query(`SELECT id, status, appraiser_id, result_number FROM dossiers ORDER BY id`)
		if err != nil {
			return err
		}
		type row struct {
			id, appraiser int64
			status, num   string
		}
		var all []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.status, &r.appraiser, &r.num); err != nil {
				rows.Close()
				return err
			}
			all = append(all, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range all {
			var s motcua.Status
			if r.status != "" {
				if err := json.Unmarshal([]byte(r.status), &s); err != nil {
					return err
				}
			}
			b, err := json.Marshal(statusExtra40{AppraiserID: r.appraiser, Parts: s.Parts, Supplements: s.Supplements,
				Extensions: s.Extensions, ResultNumber: r.num, ResultFileRef: s.ResultFileRef, ResultSigned: s.ResultSigned, Duties: s.Duties})
			if err != nil {
				return err
			}
			doc := string(b)
			if doc == "{}" {
				doc = ""
			}
			if _, err := t.exec(`UPDATE dossiers SET status = ? WHERE id = ?`, doc, r.id); err != nil {
				return err
			}
		}
		return nil
	}
}

// SetStatusDoc writes a dossier's status document as it is given.
func (db *DB) SetStatusDoc(id int64, doc string) error {
	return db.Write(context.Background(), func(mt motcua.Tx) error {
		_, err := mt.(*tx).exec(`UPDATE dossiers SET status = ? WHERE id = ?`, doc, id)
		return err
	})
}
