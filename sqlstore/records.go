package sqlstore

import (
	"database/sql"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// DossierTimings implements motcua.DossierStore. It reads plain columns
// only (no personal data, no JSON), so a full pass over a year of dossiers
// stays cheap.
func (t *tx) DossierTimings(_ ctxT, from, to time.Time) ([]motcua.DossierTiming, error) {
	rows, err := t.query(`SELECT procedure_id, competent_agency_id, reception_agency_id, state, received_at, due_at, finished_at
		FROM dossiers WHERE received_at IS NOT NULL AND received_at < ? AND (finished_at IS NULL OR finished_at >= ?)`,
		to.UnixMilli(), from.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.DossierTiming
	for rows.Next() {
		var d motcua.DossierTiming
		var received, due, finished sql.NullInt64
		if err := rows.Scan(&d.ProcedureID, &d.CompetentAgencyID, &d.ReceptionAgencyID, &d.State, &received, &due, &finished); err != nil {
			return nil, err
		}
		d.ReceivedAt, d.DueAt, d.FinishedAt = fromMS(received), fromMS(due), fromMS(finished)
		out = append(out, d)
	}
	return out, rows.Err()
}

// DossierBook implements motcua.DossierStore.
func (t *tx) DossierBook(_ ctxT, f motcua.BookFilter) ([]*motcua.Dossier, error) {
	if len(f.ReceptionAgencyIDs) == 0 {
		return nil, nil
	}
	ph := make([]string, len(f.ReceptionAgencyIDs))
	var args []any
	for i, id := range f.ReceptionAgencyIDs {
		ph[i] = "?"
		args = append(args, id)
	}
	q := `SELECT ` + dossierColumns + ` FROM dossiers WHERE reception_agency_id IN (` + strings.Join(ph, ", ") + `)
		AND created_at >= ? AND created_at < ?`
	args = append(args, f.From.UnixMilli(), f.To.UnixMilli())
	if f.AfterID != 0 {
		q += ` AND (created_at > ? OR (created_at = ? AND id > ?))`
		at := f.AfterCreatedAt.UnixMilli()
		args = append(args, at, at, f.AfterID)
	}
	limit := f.Limit
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	q += ` ORDER BY created_at, id LIMIT ?`
	args = append(args, limit)
	return t.dossiers(q, args...)
}
