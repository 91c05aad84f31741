package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// insertDuty4 writes an inbox row as migration 4 made the table; migration
// 34 fills the columns added since from the dossiers.
const insertDuty4 = `INSERT INTO dossier_work (agency_id, role, user_id, next_due_at, dossier_id) VALUES (?, ?, ?, ?, ?)`

// backfillDuties writes the inbox rows (dossier_work) of the dossiers still
// open when migration 4 runs, from each one's status and the process of the
// procedure version it was received under, as motcua.DutiesOf says. Later
// changes keep the rows themselves (see saveDuties).
func backfillDuties(ctx context.Context, c *sql.Conn, d dialect) error {
	q := func(s string) string {
		if d == postgresDialect {
			return rebind(s)
		}
		return s
	}
	var open []any
	for _, st := range motcua.AllStates {
		if !st.Terminal() {
			open = append(open, string(st))
		}
	}
	list := `SELECT id, reception_agency_id, competent_agency_id, procedure_id, procedure_version, next_due_at, status
		FROM dossiers WHERE id > ? AND state IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(open)), ", ") + `) ORDER BY id LIMIT 1000`
	type openDossier struct {
		d    motcua.Dossier
		next int64
	}
	procs := map[[2]int64]*motcua.Procedure{}
	for after := int64(0); ; {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows, err := c.QueryContext(ctx, q(list), append([]any{after}, open...)...)
		if err != nil {
			return fmt.Errorf("list open dossiers: %w", err)
		}
		var batch []openDossier
		for rows.Next() {
			var o openDossier
			var status string
			if err := rows.Scan(&o.d.ID, &o.d.ReceptionAgencyID, &o.d.CompetentAgencyID, &o.d.ProcedureID, &o.d.ProcedureVersion, &o.next, &status); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal([]byte(status), &o.d.Status); err != nil {
				rows.Close()
				return fmt.Errorf("decode dossier %d status: %w", o.d.ID, err)
			}
			batch = append(batch, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, o := range batch {
			key := [2]int64{o.d.ProcedureID, int64(o.d.ProcedureVersion)}
			p, ok := procs[key]
			if !ok {
				var data string
				if err := c.QueryRowContext(ctx, q(`SELECT data FROM procedure_versions WHERE procedure_id = ? AND version = ?`),
					key[0], key[1]).Scan(&data); err != nil {
					return fmt.Errorf("procedure %d version %d of dossier %d: %w", key[0], key[1], o.d.ID, err)
				}
				if p, err = decodeProcedure(data); err != nil {
					return err
				}
				procs[key] = p
			}
			for _, w := range motcua.DutiesOf(&o.d, p) {
				if _, err := c.ExecContext(ctx, q(insertDuty4), w.AgencyID, string(w.Role), w.UserID, o.next, o.d.ID); err != nil {
					return fmt.Errorf("inbox rows of dossier %d: %w", o.d.ID, err)
				}
			}
		}
		if len(batch) < 1000 {
			return nil
		}
		after = batch[len(batch)-1].d.ID
	}
}
