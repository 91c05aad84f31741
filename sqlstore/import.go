package sqlstore

import (
	"fmt"

	"github.com/motcua/motcua"
)

// ImportHistory implements motcua.DossierStore: it stores a dossier whose
// Status is already the result of its whole history, and the history, in
// one go (bulk loads: demo data, moves between systems).
func (t *tx) ImportHistory(ctx ctxT, d *motcua.Dossier, events []motcua.Event) error {
	if len(events) == 0 || events[len(events)-1].Seq != d.Status.Seq {
		return fmt.Errorf("import dossier %s: history of %d events does not end at seq %d", d.Code, len(events), d.Status.Seq)
	}
	first := events[0]
	if err := t.CreateDossier(ctx, d, &first); err != nil {
		return err
	}
	for i := 1; i < len(events); i++ {
		e := events[i]
		e.DossierID = d.ID
		if err := t.insertEvent(&e); err != nil {
			return err
		}
	}
	return nil
}

// SetCodeSeq implements motcua.DossierStore.
func (t *tx) SetCodeSeq(_ ctxT, key string, n int) error {
	_, err := t.exec(`INSERT INTO code_counters (key, n) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET n = CASE WHEN code_counters.n > excluded.n THEN code_counters.n ELSE excluded.n END`, key, n)
	return err
}

// CodeSeqs implements motcua.DossierStore.
func (t *tx) CodeSeqs(_ ctxT) (map[string]int, error) {
	rows, err := t.query(`SELECT key, n FROM code_counters`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}
