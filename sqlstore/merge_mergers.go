package sqlstore

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// The absorbed province's mergers of agencies come over with their log
// (merger_moves, ids remapped by kind), so that one can still be undone in
// the survivor — unless the database merge joined something it moved to
// the survivor's own row of the same code (an agency, a reception point, a
// procedure): undoing it would then move the survivor's row. Such mergers
// carry the list (motcua.MergerImport) and the undo is refused with it.

// planMergers lists, per absorbed merger, what it moved that the plan
// joins.
func planMergers(m *mergeMaps, s *tx) error {
	codes := map[byte]map[int64]string{'a': {}, 'r': {}, 'p': {}}
	for kind, q := range map[byte]string{'a': `SELECT id, code FROM agencies`, 'r': `SELECT id, code FROM reception_points`,
		'p': `SELECT id, code FROM procedures`} {
		rows, err := s.query(q)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var code string
			if err := rows.Scan(&id, &code); err != nil {
				rows.Close()
				return err
			}
			codes[kind][id] = code
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	joined := func(kind byte, id int64) bool {
		switch kind {
		case 'a':
			_, ok := m.st.Agencies[id]
			return ok
		case 'r':
			_, ok := m.st.Points[id]
			return ok
		case 'p':
			_, ok := m.st.Procedures[id]
			return ok
		}
		return false
	}
	label := map[byte]string{'a': "agency:", 'r': "point:", 'p': "procedure:"}
	out := map[int64][]string{}
	note := func(merger int64, kind byte, id int64) {
		if !joined(kind, id) {
			return
		}
		l := label[kind] + codes[kind][id]
		if !slices.Contains(out[merger], l) {
			out[merger] = append(out[merger], l)
		}
	}
	rows, err := s.query(`SELECT id, successor_id, data FROM mergers`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, succ int64
		var data string
		if err := rows.Scan(&id, &succ, &data); err != nil {
			rows.Close()
			return err
		}
		var d mergerData
		if err := json.Unmarshal([]byte(data), &d); err != nil {
			rows.Close()
			return fmt.Errorf("merger %d: %w", id, err)
		}
		for _, a := range append(d.Predecessors, succ) {
			note(id, 'a', a)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	byKind := map[string]byte{"point": 'r', "procedure": 'p', "parent": 'a'}
	rows, err = s.query(`SELECT merger_id, kind, row_id FROM merger_moves`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var merger, row int64
		var kind string
		if err := rows.Scan(&merger, &kind, &row); err != nil {
			return err
		}
		if k, ok := byKind[kind]; ok {
			note(merger, k, row)
		}
	}
	if len(out) > 0 {
		m.st.JoinedMergers = out
	}
	return rows.Err()
}

// fixMergers remaps a merger's ids, its predecessors (kept in its JSON)
// among them, and records that it came over with this merge.
func fixMergers(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	ts := specByName("mergers")
	id, data := col(ts, "id"), col(ts, "data")
	joined := m.st.JoinedMergers
	for _, r := range rows {
		src := r[id].(int64)
		var d mergerData
		if err := json.Unmarshal([]byte(r[data].(string)), &d); err != nil {
			return nil, fmt.Errorf("merger %d: %w", src, err)
		}
		for i, a := range d.Predecessors {
			d.Predecessors[i] = m.mapID('a', a)
		}
		d.Imported = &motcua.MergerImport{Tag: m.st.Tag, Joined: joined[src]}
		if len(joined[src]) > 0 {
			c.conflict(fmt.Sprint(src), "imported; its undo is refused", "it moved what the merge joins to the survivor's rows: "+strings.Join(joined[src], ", "))
		}
		b, err := json.Marshal(d)
		if err != nil {
			return nil, err
		}
		r[data] = string(b)
	}
	remapCols(ts, map[string]byte{"id": 'x', "successor_id": 'a', "created_by": 'u', "undone_by": 'u'})(m, rows)
	return rows, nil
}
