package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/motcua/motcua"
)

func init() { migrationUndoFuncs[30] = undoCompactFacts }

// undoCompactFacts writes every facts document back in the form of before
// migration 30: the applicant's ID number and name repeated from the
// columns, every stored fee with its (false) paid flags. The first
// dossier's applicant_name column is then changed, so that its document
// and its column differ, as in a row no version of this program wrote.
func undoCompactFacts(t *tx) error {
	type oldFacts struct {
		Applicant    motcua.Applicant    `json:"applicant"`
		Assisted     bool                `json:"assisted,omitempty"`
		Content      string              `json:"content,omitempty"`
		ReturnMethod string              `json:"return_method"`
		Components   []storedComponent   `json:"components"`
		Fees         []motcua.DossierFee `json:"fees,omitempty"`
		LookupSecret string              `json:"lookup_secret,omitempty"`
	}
	dossiers, err := t.dossiers(`SELECT ` + dossierColumns + ` FROM dossiers ORDER BY id`)
	if err != nil {
		return err
	}
	for i, d := range dossiers {
		var fees []motcua.DossierFee
		for _, f := range d.Fees {
			fees = append(fees, motcua.DossierFee{Name: f.Name, Amount: f.Amount})
		}
		b, err := json.Marshal(oldFacts{Applicant: d.Applicant, Assisted: d.Assisted, Content: d.Content, ReturnMethod: d.ReturnMethod,
			Components: storeComponents(d.Components), Fees: fees, LookupSecret: d.LookupSecret})
		if err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE dossiers SET facts = ? WHERE id = ?`, string(b), d.ID); err != nil {
			return err
		}
		if i == 0 {
			if _, err := t.exec(`UPDATE dossiers SET applicant_name = ? WHERE id = ?`, "Tên khác trong cột", d.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// Facts returns the stored facts document of a dossier.
func (db *DB) Facts(id int64) (string, error) { return db.dossierDocument(id, "facts") }

// Status returns the stored status document of a dossier.
func (db *DB) Status(id int64) (string, error) { return db.dossierDocument(id, "status") }

// dossierDocument returns a dossier's stored text in column (a name of
// this package's tests, never outside input).
func (db *DB) dossierDocument(id int64, column string) (string, error) {
	var s string
	err := db.Read(context.Background(), func(mt motcua.Tx) error {
		row, err := mt.(*tx).queryRow(`SELECT `+column+` FROM dossiers WHERE id = ?`, id)
		if err != nil {
			return err
		}
		return row.Scan(&s)
	})
	return s, err
}
