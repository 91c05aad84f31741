package sqlstore

import (
	"encoding/json"
)

// Migration 0040 packed the facts documents' components and fees; its undo
// writes them back as 0030–0039 did: the components as objects under
// "components" (an empty list as []), each fee as {"name", "amount"}.
func init() {
	migrationUndoFuncs[40] = func(t *tx) error {
		rows, err := t.query(`SELECT id, facts FROM dossiers ORDER BY id`)
		if err != nil {
			return err
		}
		type doc struct {
			id    int64
			facts string
		}
		var docs []doc
		for rows.Next() {
			var d doc
			if err := rows.Scan(&d.id, &d.facts); err != nil {
				rows.Close()
				return err
			}
			docs = append(docs, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range docs {
			var f map[string]json.RawMessage
			if err := json.Unmarshal([]byte(d.facts), &f); err != nil {
				return err
			}
			cs := []storedComponent{}
			if p, ok := f["cs"]; ok {
				var s string
				if err := json.Unmarshal(p, &s); err != nil {
					return err
				}
				if cs, err = unpackComponents(s); err != nil {
					return err
				}
			} else if c, ok := f["components"]; ok {
				if err := json.Unmarshal(c, &cs); err != nil {
					return err
				}
			}
			delete(f, "cs")
			var err error
			if f["components"], err = json.Marshal(cs); err != nil {
				return err
			}
			if x, ok := f["fees"]; ok {
				var fees []packedFee
				if err := json.Unmarshal(x, &fees); err != nil {
					return err
				}
				old := make([]storedFee, len(fees))
				for i, y := range fees {
					old[i] = storedFee(y)
				}
				if f["fees"], err = json.Marshal(old); err != nil {
					return err
				}
			}
			b, err := json.Marshal(f)
			if err != nil {
				return err
			}
			if _, err := t.exec(`UPDATE dossiers SET facts = ? WHERE id = ?`, string(b), d.id); err != nil {
				return err
			}
		}
		return nil
	}
}
