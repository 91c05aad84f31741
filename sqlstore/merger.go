package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// mergerData is the part of a merger kept as JSON: what is read whole.
type mergerData struct {
	Predecessors     []int64 `json:"predecessors"`
	SuccessorCreated bool    `json:"successor_created,omitempty"`
	OldCode          string  `json:"old_code,omitempty"`
	Decision         string  `json:"decision"`
	// Imported is written by MergeDB (fixMergers) only.
	Imported *motcua.MergerImport `json:"merge_db,omitempty"`
}

// CreateMerger implements motcua.MergerStore.
func (t *tx) CreateMerger(_ ctxT, m *motcua.Merger) error {
	data, err := json.Marshal(mergerData{Predecessors: m.Predecessors, SuccessorCreated: m.SuccessorCreated, OldCode: m.OldCode, Decision: m.Decision})
	if err != nil {
		return fmt.Errorf("encode merger: %w", err)
	}
	id, err := t.insert(`INSERT INTO mergers (successor_id, effective_at, created_by, created_at, undone_by, undone_at, data)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, m.SuccessorID, m.EffectiveAt.UnixMilli(), m.CreatedBy, m.CreatedAt.UnixMilli(),
		m.UndoneBy, ms(m.UndoneAt), string(data))
	if err != nil {
		return err
	}
	m.ID = id
	return nil
}

const mergerColumns = `id, successor_id, effective_at, created_by, created_at, undone_by, undone_at, data`

func scanMerger(sc interface{ Scan(...any) error }) (*motcua.Merger, error) {
	var m motcua.Merger
	var eff, created int64
	var undone sql.NullInt64
	var data string
	if err := sc.Scan(&m.ID, &m.SuccessorID, &eff, &m.CreatedBy, &created, &m.UndoneBy, &undone, &data); err != nil {
		return nil, err
	}
	var d mergerData
	if err := json.Unmarshal([]byte(data), &d); err != nil {
		return nil, fmt.Errorf("decode merger %d: %w", m.ID, err)
	}
	m.Predecessors, m.SuccessorCreated, m.OldCode, m.Decision, m.Imported = d.Predecessors, d.SuccessorCreated, d.OldCode, d.Decision, d.Imported
	m.EffectiveAt, m.CreatedAt, m.UndoneAt = time.UnixMilli(eff).UTC(), time.UnixMilli(created).UTC(), fromMS(undone)
	return &m, nil
}

// Merger implements motcua.MergerStore.
func (t *tx) Merger(_ ctxT, id int64) (*motcua.Merger, error) {
	row, err := t.queryRow(`SELECT `+mergerColumns+` FROM mergers WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	m, err := scanMerger(row)
	return m, notFound(err, "merger_not_found", "Không tìm thấy đợt sáp nhập.")
}

// Mergers implements motcua.MergerStore.
func (t *tx) Mergers(_ ctxT) ([]*motcua.Merger, error) {
	rows, err := t.query(`SELECT ` + mergerColumns + ` FROM mergers ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.Merger
	for rows.Next() {
		m, err := scanMerger(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkMergerUndone implements motcua.MergerStore.
func (t *tx) MarkMergerUndone(_ ctxT, id, by int64, at time.Time) error {
	res, err := t.exec(`UPDATE mergers SET undone_by = ?, undone_at = ? WHERE id = ? AND undone_at IS NULL`, by, at.UnixMilli(), id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return motcua.Errorf(motcua.ECONFLICT, "merger_already_undone", "Đợt sáp nhập này đã được hoàn tác hoặc không tồn tại.")
	}
	return nil
}

// AddMergerMoves implements motcua.MergerStore.
func (t *tx) AddMergerMoves(_ ctxT, moves []motcua.MergerMove) error {
	for _, m := range moves {
		if _, err := t.exec(`INSERT INTO merger_moves (merger_id, seq, kind, row_id, role, from_agency_id, to_agency_id, ref,
			reception_from, reception_to, holder_from, holder_to) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.MergerID, m.Seq, string(m.Kind), m.RowID, string(m.Role), m.From, m.To, m.Ref,
			m.ReceptionFrom, m.ReceptionTo, m.HolderFrom, m.HolderTo); err != nil {
			return fmt.Errorf("merger log row %d: %w", m.Seq, err)
		}
	}
	return nil
}

// MergerMoves implements motcua.MergerStore.
func (t *tx) MergerMoves(_ ctxT, mergerID int64) ([]motcua.MergerMove, error) {
	rows, err := t.query(`SELECT merger_id, seq, kind, row_id, role, from_agency_id, to_agency_id, ref,
		reception_from, reception_to, holder_from, holder_to FROM merger_moves WHERE merger_id = ? ORDER BY seq`, mergerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.MergerMove
	for rows.Next() {
		var m motcua.MergerMove
		var kind, role string
		if err := rows.Scan(&m.MergerID, &m.Seq, &kind, &m.RowID, &role, &m.From, &m.To, &m.Ref,
			&m.ReceptionFrom, &m.ReceptionTo, &m.HolderFrom, &m.HolderTo); err != nil {
			return nil, err
		}
		m.Kind, m.Role = motcua.MoveKind(kind), motcua.Role(role)
		out = append(out, m)
	}
	return out, rows.Err()
}

// SetSuccession implements motcua.MergerStore.
func (t *tx) SetSuccession(_ ctxT, s motcua.Succession) error {
	_, err := t.exec(`INSERT INTO agency_successors (agency_id, successor_id, merger_id, effective_at) VALUES (?, ?, ?, ?)`,
		s.AgencyID, s.SuccessorID, s.MergerID, s.EffectiveAt.UnixMilli())
	return conflict(err, "agency_already_merged", "Cơ quan này đã được sáp nhập vào một cơ quan khác.")
}

// DeleteSuccessions implements motcua.MergerStore.
func (t *tx) DeleteSuccessions(_ ctxT, mergerID int64) error {
	_, err := t.exec(`DELETE FROM agency_successors WHERE merger_id = ?`, mergerID)
	return err
}

// Successions implements motcua.MergerStore.
func (t *tx) Successions(_ ctxT) (motcua.Successors, error) {
	rows, err := t.query(`SELECT agency_id, successor_id, merger_id, effective_at FROM agency_successors`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := motcua.Successors{}
	for rows.Next() {
		var s motcua.Succession
		var eff int64
		if err := rows.Scan(&s.AgencyID, &s.SuccessorID, &s.MergerID, &eff); err != nil {
			return nil, err
		}
		s.EffectiveAt = time.UnixMilli(eff).UTC()
		out[s.AgencyID] = s
	}
	return out, rows.Err()
}

// SetReceptionPointAgency implements motcua.MergerStore.
func (t *tx) SetReceptionPointAgency(_ ctxT, pointID, agencyID int64) error {
	res, err := t.exec(`UPDATE reception_points SET agency_id = ? WHERE id = ?`, agencyID, pointID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return motcua.Errorf(motcua.ENOTFOUND, "reception_point_not_found", "Không tìm thấy điểm tiếp nhận.")
	}
	return nil
}

// SetDossierAgencies implements motcua.MergerStore.
func (t *tx) SetDossierAgencies(_ ctxT, id, receptionAgencyID, competentAgencyID int64) error {
	res, err := t.exec(`UPDATE dossiers SET reception_agency_id = ?, competent_agency_id = ? WHERE id = ?`,
		receptionAgencyID, competentAgencyID, id)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ.")
	}
	return nil
}

// terminalStates are the states a merger leaves where they are.
var terminalStates = []motcua.State{motcua.StateReturned, motcua.StateWithdrawn, motcua.StateStopped, motcua.StateClosed, motcua.StateRejected}

// OpenDossierIDs implements motcua.MergerStore.
func (t *tx) OpenDossierIDs(_ ctxT, agencyIDs []int64) ([]int64, error) {
	if len(agencyIDs) == 0 {
		return nil, nil
	}
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(agencyIDs)), ", ")
	sph := strings.TrimSuffix(strings.Repeat("?, ", len(terminalStates)), ", ")
	var args []any
	for range 3 {
		for _, id := range agencyIDs {
			args = append(args, id)
		}
	}
	for _, s := range terminalStates {
		args = append(args, string(s))
	}
	rows, err := t.query(`SELECT id FROM dossiers WHERE (competent_agency_id IN (`+ph+`) OR reception_agency_id IN (`+ph+`)
		OR holder_agency_id IN (`+ph+`)) AND state NOT IN (`+sph+`) ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// DossiersCreatedSince implements motcua.MergerStore.
func (t *tx) DossiersCreatedSince(_ ctxT, agencyID int64, at time.Time) (int64, error) {
	row, err := t.queryRow(`SELECT COUNT(*) FROM dossiers WHERE competent_agency_id = ? AND created_at >= ?`, agencyID, at.UnixMilli())
	if err != nil {
		return 0, err
	}
	var n int64
	return n, row.Scan(&n)
}

// DossierMoves implements motcua.MergerStore.
func (t *tx) DossierMoves(_ ctxT) ([]motcua.DossierMove, error) {
	rows, err := t.query(`SELECT v.row_id, v.from_agency_id, v.to_agency_id, m.effective_at FROM merger_moves v
		JOIN mergers m ON m.id = v.merger_id WHERE v.kind = ? AND m.undone_at IS NULL AND v.from_agency_id <> v.to_agency_id
		ORDER BY m.effective_at, m.id, v.seq`, string(motcua.MoveDossier))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []motcua.DossierMove
	for rows.Next() {
		var m motcua.DossierMove
		var eff int64
		if err := rows.Scan(&m.DossierID, &m.From, &m.To, &eff); err != nil {
			return nil, err
		}
		m.EffectiveAt = time.UnixMilli(eff).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}
