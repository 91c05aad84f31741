package sqlstore

import (
	"time"

	"github.com/motcua/motcua"
)

// ProcedureVersionUses implements motcua.ProcedureVersionStore.
func (t *tx) ProcedureVersionUses(_ ctxT, procedureID int64) ([]motcua.VersionUse, error) {
	rows, err := t.query(`SELECT v.version, v.created_at, COALESCE(d.n, 0) FROM procedure_versions v
		LEFT JOIN (SELECT procedure_version, COUNT(*) AS n FROM dossiers WHERE procedure_id = ? GROUP BY procedure_version) d
		ON d.procedure_version = v.version WHERE v.procedure_id = ? ORDER BY v.version`, procedureID, procedureID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.VersionUse
	for rows.Next() {
		var v motcua.VersionUse
		var at int64
		if err := rows.Scan(&v.Version, &at, &v.Dossiers); err != nil {
			return nil, err
		}
		v.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, v)
	}
	return out, rows.Err()
}

// DossiersOfVersion implements motcua.ProcedureVersionStore.
func (t *tx) DossiersOfVersion(_ ctxT, procedureID int64, version, limit int) ([]motcua.VersionDossier, error) {
	rows, err := t.query(`SELECT code, state, created_at FROM dossiers WHERE procedure_id = ? AND procedure_version = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, procedureID, version, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.VersionDossier
	for rows.Next() {
		var d motcua.VersionDossier
		var at int64
		if err := rows.Scan(&d.Code, &d.State, &at); err != nil {
			return nil, err
		}
		d.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}
