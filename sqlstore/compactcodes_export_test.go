package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/motcua/motcua"
)

// Migration 0036 made, on PostgreSQL, the events' action, states and
// timeliness enums, replaced their key (dossier_id, seq) by an index on
// dossier_id, the dossiers' agency ids by INTEGERs and their index by
// procedure and time by one by procedure and version, and on both engines
// cut the usual values from the facts documents; its undo puts back the
// schema of 0030–0032 and writes the documents as 0030–0035 did.
func init() {
	migrationUndoFuncs[36] = func(t *tx) error {
		// The schema first: a statement of writeFacts35 prepared before a
		// column's type changed could not run again after.
		if t.pgtx == nil {
			return writeFacts35(t)
		}
		for _, q := range []string{
			`DROP INDEX dossier_events_returned`,
			`DROP INDEX dossier_events_dossier`,
			`ALTER TABLE dossier_events
				ALTER COLUMN action TYPE TEXT USING action::text,
				ALTER COLUMN from_state TYPE TEXT USING from_state::text,
				ALTER COLUMN to_state TYPE TEXT USING to_state::text,
				ALTER COLUMN timeliness DROP DEFAULT,
				ALTER COLUMN timeliness TYPE TEXT USING timeliness::text,
				ALTER COLUMN timeliness SET DEFAULT '',
				ADD CONSTRAINT dossier_events_pkey PRIMARY KEY (dossier_id, seq)`,
			`CREATE INDEX dossier_events_returned ON dossier_events (actor_id, (at / 86400000)) WHERE action = 'return'`,
			`DROP TYPE event_action, dossier_state, event_timeliness`,
			`DROP INDEX dossiers_procedure`,
			`CREATE INDEX dossiers_procedure ON dossiers (procedure_id, created_at)`,
			`ALTER TABLE dossiers ALTER COLUMN procedure_id TYPE BIGINT, ALTER COLUMN reception_point_id TYPE BIGINT,
				ALTER COLUMN reception_agency_id TYPE BIGINT, ALTER COLUMN competent_agency_id TYPE BIGINT,
				ALTER COLUMN holder_agency_id TYPE BIGINT, ALTER COLUMN assignee_id TYPE BIGINT`,
		} {
			if _, err := t.exec(q); err != nil {
				return err
			}
		}
		return writeFacts35(t)
	}
}

// EnumLabels returns the labels of the PostgreSQL enum type name, in their
// order (the schema's own types, found on the search path).
func (db *DB) EnumLabels(ctx context.Context, name string) ([]string, error) {
	var out []string
	err := db.Read(ctx, func(mt motcua.Tx) error {
		rows, err := mt.(*tx).query(`SELECT enumlabel FROM pg_enum WHERE enumtypid = CAST(? AS regtype) ORDER BY enumsortorder`, name)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			out = append(out, s)
		}
		return rows.Err()
	})
	return out, err
}

// writeFacts35 writes every facts document in the form of migrations
// 0030–0035: the applicant's kind and ID kind and the return method always
// named.
func writeFacts35(t *tx) error {
	type applicant35 struct {
		motcua.Applicant
		IDNumber string `json:"id_number,omitempty"`
		FullName string `json:"full_name,omitempty"`
	}
	type facts35 struct {
		Applicant    applicant35       `json:"applicant"`
		Assisted     bool              `json:"assisted,omitempty"`
		Content      string            `json:"content,omitempty"`
		ReturnMethod string            `json:"return_method"`
		Components   []storedComponent `json:"components"`
		Fees         []storedFee       `json:"fees,omitempty"`
		LookupSecret string            `json:"lookup_secret,omitempty"`
	}
	dossiers, err := t.dossiers(`SELECT ` + dossierColumns + ` FROM dossiers ORDER BY id`)
	if err != nil {
		return err
	}
	for _, d := range dossiers {
		a := d.Applicant
		a.IDNumber, a.FullName = "", ""
		f := facts35{Applicant: applicant35{Applicant: a}, Assisted: d.Assisted, Content: d.Content, ReturnMethod: d.ReturnMethod,
			Components: storeComponents(d.Components), LookupSecret: d.LookupSecret}
		for _, x := range d.Fees {
			f.Fees = append(f.Fees, storedFee{Name: x.Name, Amount: x.Amount})
		}
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE dossiers SET facts = ? WHERE id = ?`, string(b), d.ID); err != nil {
			return err
		}
	}
	return nil
}
