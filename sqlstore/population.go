package sqlstore

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

const lookupColumns = `id, at, user_id, agency_id, id_number, purpose, dossier_code, outcome, citizen, token_hash, dossier_id`

// storedCitizen is the stored answer of a lookup: the citizen's fields
// and, when asked for, the household.
type storedCitizen struct {
	*motcua.Citizen
	Household *motcua.Household `json:"household,omitempty"`
}

// SavePopulationLookup implements motcua.PopulationLookupStore.
func (t *tx) SavePopulationLookup(_ ctxT, l *motcua.PopulationLookup) error {
	citizen := ""
	if l.Citizen != nil {
		// The household, when asked for, travels inside the citizen's
		// JSON (a "household" key), so that earlier rows read the same.
		b, err := json.Marshal(storedCitizen{l.Citizen, l.Household})
		if err != nil {
			return err
		}
		citizen = string(b)
	}
	id, err := t.insert(`INSERT INTO population_lookups (at, user_id, agency_id, id_number, purpose, dossier_code, outcome, citizen,
		token_hash, dossier_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		l.At.UnixMilli(), l.UserID, l.AgencyID, l.IDNumber, l.Purpose, l.DossierCode, l.Outcome, citizen,
		hex.EncodeToString(l.TokenHash), l.DossierID)
	if err != nil {
		return err
	}
	l.ID = id
	return nil
}

func scanLookup(sc interface{ Scan(...any) error }) (*motcua.PopulationLookup, error) {
	var l motcua.PopulationLookup
	var at int64
	var citizen, token string
	if err := sc.Scan(&l.ID, &at, &l.UserID, &l.AgencyID, &l.IDNumber, &l.Purpose, &l.DossierCode, &l.Outcome, &citizen,
		&token, &l.DossierID); err != nil {
		return nil, err
	}
	l.At = time.UnixMilli(at).UTC()
	if citizen != "" {
		sc := storedCitizen{Citizen: new(motcua.Citizen)}
		if err := json.Unmarshal([]byte(citizen), &sc); err != nil {
			return nil, fmt.Errorf("population lookup %d: %w", l.ID, err)
		}
		l.Citizen, l.Household = sc.Citizen, sc.Household
	}
	var err error
	if l.TokenHash, err = hex.DecodeString(token); err != nil {
		return nil, fmt.Errorf("population lookup %d token: %w", l.ID, err)
	}
	return &l, nil
}

// PopulationLookup implements motcua.PopulationLookupStore.
func (t *tx) PopulationLookup(_ ctxT, id int64) (*motcua.PopulationLookup, error) {
	row, err := t.queryRow(`SELECT `+lookupColumns+` FROM population_lookups WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	l, err := scanLookup(row)
	if err != nil {
		return nil, notFound(err, "population_lookup_not_found", "Không tìm thấy lượt tra cứu cơ sở dữ liệu dân cư.")
	}
	return l, nil
}

// LinkPopulationLookup implements motcua.PopulationLookupStore.
func (t *tx) LinkPopulationLookup(_ ctxT, id, dossierID int64) error {
	res, err := t.exec(`UPDATE population_lookups SET dossier_id = ? WHERE id = ? AND (dossier_id = 0 OR dossier_id = ?)`, dossierID, id, dossierID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return motcua.Errorf(motcua.ECONFLICT, "population_lookup_used",
			"Kết quả tra cứu cơ sở dữ liệu dân cư này đã được dùng cho một hồ sơ khác; vui lòng tra cứu lại.")
	}
	return nil
}

// PopulationLookups implements motcua.PopulationLookupStore.
func (t *tx) PopulationLookups(_ ctxT, idNumber string, limit int) ([]*motcua.PopulationLookup, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	rows, err := t.query(`SELECT `+lookupColumns+` FROM population_lookups WHERE (? = '' OR id_number = ?) ORDER BY id DESC LIMIT ?`,
		idNumber, idNumber, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.PopulationLookup
	for rows.Next() {
		l, err := scanLookup(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// PopulationLookupCounts implements motcua.PopulationLookupStore.
func (t *tx) PopulationLookupCounts(_ ctxT, from, to time.Time) (motcua.LookupCounts, error) {
	var c motcua.LookupCounts
	row, err := t.queryRow(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN outcome = ? THEN 1 ELSE 0 END), 0) FROM population_lookups
		WHERE at >= ? AND at < ?`, motcua.LookupFound, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return c, err
	}
	err = row.Scan(&c.Lookups, &c.Found)
	return c, err
}

// DossiersOfApplicant implements motcua.ApplicantDossierStore (on the
// dossiers_applicant index).
func (t *tx) DossiersOfApplicant(_ ctxT, idNumber string, limit int) ([]*motcua.Dossier, error) {
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	return t.dossiers(`SELECT `+dossierColumns+` FROM dossiers WHERE applicant_id_number = ? ORDER BY id DESC LIMIT ?`, idNumber, limit)
}
