package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// MergeOptions control MergeDB.
type MergeOptions struct {
	// Tag is appended to a code or username of the absorbed province that
	// the survivor already uses (e.g. "H02"); letters, digits, '.', '-'.
	Tag string
	// DryRun plans and reports, writing nothing.
	DryRun bool
	// Batch is the number of rows of a resumable batch (default 5000).
	Batch int
	// From and Into are the two provinces' document storages (From may be
	// nil only when the absorbed province holds no file).
	From, Into motcua.BlobStore
	// AuditHead is the absorbed province's verified audit chain head (nil
	// when nothing is sealed there); the caller verifies the chain.
	AuditHead *motcua.AuditLink
	// Progress is told how far the merge has come (may be nil).
	Progress func(stage string, done, total int64)
	// OnConflict receives every conflict found (the report keeps the
	// first 1000 of each table).
	OnConflict func(MergeConflict)
	// Now is the time of the merge's audit entries.
	Now func() time.Time
}

// MergeReport says what a merge moves, what conflicts and how each is
// resolved, and what changes in which figure; after a real run, what was
// verified.
type MergeReport struct {
	Source         string          `json:"source"`
	Target         string          `json:"target"`
	Tag            string          `json:"tag"`
	DryRun         bool            `json:"dry_run"`
	Resumed        bool            `json:"resumed"`
	Tables         []MergeTable    `json:"tables"`
	ConflictCounts map[string]int  `json:"conflict_counts"`
	Conflicts      []MergeConflict `json:"conflicts"`
	Figures        []MergeFigure   `json:"figures"`
	MissingFiles   []string        `json:"missing_files,omitempty"`
	// Blocking lists the conflicts no rule resolves: the merge is refused
	// until the operator resolves them (each says how).
	Blocking []string     `json:"blocking,omitempty"`
	Verified []MergeCheck `json:"verified,omitempty"`
	// Years are the first and last years (Vietnam time) in which either
	// province created a dossier: the period of the figures to compare.
	Years [2]int `json:"years"`
	// Counters is what the merge changes in the survivor's reports (06a,
	// QĐ 766), filled by the caller (service.MergeDBFigures).
	Counters json.RawMessage `json:"counters,omitempty"`
	// AgencyMap and ProcedureMap say where each absorbed agency and
	// procedure id goes in the survivor (joined or numbered after its
	// rows).
	AgencyMap    map[int64]int64 `json:"-"`
	ProcedureMap map[int64]int64 `json:"-"`
}

// noteIDs records, from the absorbed rows of the dry pass, where agencies
// and procedures go and the years the dossiers were created in.
func noteIDs(m *mergeMaps, rep *MergeReport, ts tableSpec, rows [][]any) {
	switch ts.name {
	case "agencies", "procedures":
		kind, to := byte('a'), &rep.AgencyMap
		if ts.name == "procedures" {
			kind, to = 'p', &rep.ProcedureMap
		}
		if *to == nil {
			*to = map[int64]int64{}
		}
		for _, r := range rows {
			id := r[col(ts, "id")].(int64)
			(*to)[id] = m.mapID(kind, id)
		}
	case "dossiers":
		ci := col(ts, "created_at")
		for _, r := range rows {
			rep.noteYear(r[ci].(int64))
		}
	}
}

func (rep *MergeReport) noteYear(ms int64) {
	y := time.UnixMilli(ms).In(motcua.VietnamTime).Year()
	if rep.Years[0] == 0 || y < rep.Years[0] {
		rep.Years[0] = y
	}
	if y > rep.Years[1] {
		rep.Years[1] = y
	}
}

// MergeTable is what moves of one table.
type MergeTable struct {
	Table  string `json:"table"`
	Rule   string `json:"rule"`
	Source int64  `json:"source_rows"`
	Moved  int64  `json:"moved_rows"` // rows added (or, for counters, combined)
}

// MergeConflict is one conflict and the rule applied to it.
type MergeConflict struct {
	Table  string `json:"table"`
	Key    string `json:"key"`
	Reason string `json:"reason"`
	Rule   string `json:"rule"`
}

// MergeFigure is how the dossiers an agency settles change.
type MergeFigure struct {
	Agency string `json:"agency"`
	Name   string `json:"name"`
	Before int64  `json:"before"`
	Added  int64  `json:"added"`
}

// MergeCheck is one verification of the result.
type MergeCheck struct {
	What string `json:"what"`
	OK   bool   `json:"ok"`
	Note string `json:"note"`
}

// tableReport accumulates what a pass over one table finds.
type tableReport struct {
	table string
	rep   *MergeReport
	on    func(MergeConflict)
	blobs [][2]string // absorbed key → survivor key
}

func (r *tableReport) conflict(key, rule, reason string) {
	c := MergeConflict{Table: r.table, Key: key, Reason: reason, Rule: rule}
	if r.rep != nil {
		if r.rep.ConflictCounts[r.table] < 1000 {
			r.rep.Conflicts = append(r.rep.Conflicts, c)
		}
		r.rep.ConflictCounts[r.table]++
	}
	if r.on != nil {
		r.on(c)
	}
}

// SameDatabase reports whether a and b are one database (the same file,
// or the same PostgreSQL database and schema on the same server).
func SameDatabase(ctx context.Context, a, b *DB) (bool, error) {
	if a.dialect != b.dialect {
		return false, nil
	}
	if a.dialect == sqliteDialect {
		fa, err := os.Stat(a.path)
		if err != nil {
			return false, err
		}
		fb, err := os.Stat(b.path)
		if err != nil {
			return false, err
		}
		return os.SameFile(fa, fb), nil
	}
	id := func(db *DB) (string, error) {
		var s string
		err := db.pg.QueryRowContext(ctx, `SELECT current_database() || '|' || current_schema() || '|' ||
			COALESCE(host(inet_server_addr()), 'socket') || '|' || COALESCE(inet_server_port(), 0)`).Scan(&s)
		return s, err
	}
	x, err := id(a)
	if err != nil {
		return false, err
	}
	y, err := id(b)
	return x == y, err
}

// fingerprint identifies the absorbed database's content: each table's
// row count and highest id, and its audit chain head.
func fingerprint(ctx context.Context, db *DB) (string, map[string]int64, error) {
	h := sha256.New()
	maxes := map[string]int64{}
	err := db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		for _, ts := range specs() {
			var n, mx int64
			q := `SELECT COUNT(*), 0 FROM ` + ts.name
			if ts.identity() {
				q = `SELECT COUNT(*), COALESCE(MAX(id), 0) FROM ` + ts.name
			}
			row, err := t.queryRow(q)
			if err != nil {
				return err
			}
			if err := row.Scan(&n, &mx); err != nil {
				return fmt.Errorf("%s: %w", ts.name, err)
			}
			maxes[ts.name] = mx
			fmt.Fprintf(h, "%s %d %d\n", ts.name, n, mx)
		}
		// The accounts (salted password hashes) and the latest dossier
		// tell two databases with the same numbers apart.
		if err := scanTable(t, specByName("users"), func(row []byte, _ []any) error {
			h.Write(row)
			return nil
		}); err != nil {
			return err
		}
		row, err := t.queryRow(`SELECT COALESCE(MAX(created_at), 0), COALESCE(SUM(created_at % 1000003), 0) FROM dossiers`)
		if err != nil {
			return err
		}
		var mx, sum int64
		if err := row.Scan(&mx, &sum); err != nil {
			return err
		}
		fmt.Fprintf(h, "dossiers %d %d\n", mx, sum)
		head, err := t.AuditChainHead(ctx)
		if err != nil {
			return err
		}
		if head != nil {
			fmt.Fprintf(h, "head %d %s\n", head.LastID, head.Hash)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:32], maxes, err
}

const (
	mergeBeginAction = "merge.db.begin"
	mergeDoneAction  = "merge.db.done"
)

// mergeRecord returns the detail of the target's merge entry of action for
// the source fingerprint fp ("" when there is none).
func mergeRecord(ctx context.Context, db *DB, action, fp string) (string, error) {
	var detail string
	err := db.Read(ctx, func(mt motcua.Tx) error {
		rows, err := mt.(*tx).query(`SELECT detail FROM audit_log WHERE action = ? AND detail LIKE ? ORDER BY id DESC`, action, fp+" %")
		if err != nil {
			return err
		}
		defer rows.Close()
		if rows.Next() {
			if err := rows.Scan(&detail); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	_, rest, _ := strings.Cut(detail, " ")
	return rest, err
}

func maxIDs(t *tx) (map[string]int64, error) {
	out := map[string]int64{}
	for _, ts := range specs() {
		if !ts.identity() {
			continue
		}
		row, err := t.queryRow(`SELECT COALESCE(MAX(id), 0) FROM ` + ts.name)
		if err != nil {
			return nil, err
		}
		var n int64
		if err := row.Scan(&n); err != nil {
			return nil, err
		}
		out[ts.name] = n
	}
	return out, nil
}

func queryPairs(t *tx, q string) (map[string]int64, error) {
	rows, err := t.query(q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

// versionContent is a version's data without what numbers it.
func versionContent(doc string) (string, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return "", err
	}
	delete(obj, "id")
	delete(obj, "version")
	delete(obj, "updated_at") // when it was saved, not what it says
	b, err := json.Marshal(obj)
	return string(b), err
}

// plan fixes the maps of a new merge from both databases as they are.
func plan(ctx context.Context, src, dst *DB, fp string, srcMax map[string]int64, o MergeOptions) (*mergeState, error) {
	st := &mergeState{Source: fp, Tag: o.Tag, SrcMax: srcMax, Agencies: map[int64]int64{}, Points: map[int64]int64{},
		Procedures: map[int64]int64{}, Versions: map[string]versionMap{}, SkipYears: map[int64]bool{}, SkipMessages: map[string]bool{}}
	if o.AuditHead != nil {
		st.AuditHeadID, st.AuditHeadHash = o.AuditHead.LastID, o.AuditHead.Hash
	}
	m := &mergeMaps{st: st}
	err := dst.Read(ctx, func(dmt motcua.Tx) error {
		dt := dmt.(*tx)
		var err error
		if st.Off, err = maxIDs(dt); err != nil {
			return err
		}
		return src.Read(ctx, func(smt motcua.Tx) error {
			s := smt.(*tx)
			dAg, err := queryPairs(dt, `SELECT code, id FROM agencies`)
			if err != nil {
				return err
			}
			sAg, err := queryPairs(s, `SELECT code, id FROM agencies`)
			if err != nil {
				return err
			}
			for code, id := range sAg {
				if to, ok := dAg[code]; ok {
					st.Agencies[id] = to
				}
			}
			dPt, err := queryPairs(dt, `SELECT code || '|' || agency_id, id FROM reception_points`)
			if err != nil {
				return err
			}
			rows, err := s.query(`SELECT id, code, agency_id FROM reception_points`)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id, ag int64
				var code string
				if err := rows.Scan(&id, &code, &ag); err != nil {
					rows.Close()
					return err
				}
				if to, ok := dPt[code+"|"+strconv.FormatInt(m.mapID('a', ag), 10)]; ok {
					st.Points[id] = to
				}
			}
			rows.Close()
			if err := planAreas(m, s, dt); err != nil {
				return err
			}
			dPr, err := queryPairs(dt, `SELECT code, id FROM procedures WHERE code <> ''`)
			if err != nil {
				return err
			}
			sPr, err := queryPairs(s, `SELECT code, id FROM procedures WHERE code <> ''`)
			if err != nil {
				return err
			}
			for code, id := range sPr {
				if to, ok := dPr[code]; ok {
					st.Procedures[id] = to
				}
			}
			if err := planVersions(m, s, dt); err != nil {
				return err
			}
			dYears, err := queryPairs(dt, `SELECT data, year FROM calendar_years`)
			if err != nil {
				return err
			}
			byYear := map[int64]string{}
			for d, y := range dYears {
				byYear[y] = d
			}
			sYears, err := queryPairs(s, `SELECT data, year FROM calendar_years`)
			if err != nil {
				return err
			}
			for d, y := range sYears {
				if dd, ok := byYear[y]; ok {
					st.SkipYears[y] = dd == d
				}
			}
			msgs, err := queryPairs(s, `SELECT message_id, 0 FROM portal_messages`)
			if err != nil {
				return err
			}
			var ids []string
			for id := range msgs {
				ids = append(ids, id)
			}
			c := &mergeCtx{t: dt}
			tk, err := c.taken("portal_messages", "message_id", "0", 0, ids)
			if err != nil {
				return err
			}
			for id := range tk {
				st.SkipMessages[id] = true
			}
			devs, err := queryPairs(s, `SELECT token_hash, 0 FROM queue_devices`)
			if err != nil {
				return err
			}
			var hashes []string
			for h := range devs {
				hashes = append(hashes, h)
			}
			// Not numbered: every survivor row counts ("0 <= 0").
			if tk, err = c.taken("queue_devices", "token_hash", "0", 0, hashes); err != nil {
				return err
			}
			for h := range tk {
				if st.SkipDevices == nil {
					st.SkipDevices = map[string]bool{}
				}
				st.SkipDevices[h] = true
			}
			return planMergers(m, s)
		})
	})
	if err != nil {
		return nil, err
	}
	st.Before, err = setSums(ctx, dst, "plan: sum ", o.Progress)
	return st, err
}

func planVersions(m *mergeMaps, s, dt *tx) error {
	for from, to := range m.st.Procedures {
		have := map[string]int64{}
		var top int64
		rows, err := dt.query(`SELECT version, data FROM procedure_versions WHERE procedure_id = ?`, to)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int64
			var d string
			if err := rows.Scan(&v, &d); err != nil {
				rows.Close()
				return err
			}
			c, err := versionContent(d)
			if err != nil {
				rows.Close()
				return err
			}
			have[c], top = v, max(top, v)
		}
		rows.Close()
		rows, err = s.query(`SELECT version, data FROM procedure_versions WHERE procedure_id = ? ORDER BY version`, from)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int64
			var d string
			if err := rows.Scan(&v, &d); err != nil {
				rows.Close()
				return err
			}
			d, err = m.remapJSON(d, 'p')
			if err == nil {
				d, err = versionContent(d)
			}
			if err != nil {
				rows.Close()
				return err
			}
			if w, ok := have[d]; ok {
				m.st.Versions[versionKey(from, v)] = versionMap{To: w, Join: true}
			} else {
				top++
				m.st.Versions[versionKey(from, v)] = versionMap{To: top}
			}
		}
		rows.Close()
	}
	return nil
}

// setSums returns every table's count and additive checksum, telling
// progress (stage prefix + table) every 50,000 rows.
func setSums(ctx context.Context, db *DB, prefix string, progress func(string, int64, int64)) (map[string]setSum, error) {
	out := map[string]setSum{}
	err := db.Read(ctx, func(mt motcua.Tx) error {
		for _, ts := range specs() {
			var a acc
			if err := scanTable(mt.(*tx), ts, func(row []byte, _ []any) error {
				a.addRow(row, 1)
				if a.n%50000 == 0 {
					progress(prefix+ts.name, a.n, 0)
				}
				return ctx.Err()
			}); err != nil {
				return err
			}
			out[ts.name] = a.sum()
		}
		return nil
	})
	return out, err
}

// figures lists, per agency of the survivor that gains dossiers, how many
// it settles before and how many the merge adds.
func figures(ctx context.Context, dst *DB, st *mergeState, added map[int64]int64, names map[int64][2]string, rep *MergeReport) ([]MergeFigure, error) {
	before := map[int64]int64{}
	err := dst.Read(ctx, func(mt motcua.Tx) error {
		row, err := mt.(*tx).queryRow(`SELECT COUNT(*), COALESCE(MIN(created_at), 0), COALESCE(MAX(created_at), 0) FROM dossiers WHERE id <= ?`, st.Off["dossiers"])
		if err != nil {
			return err
		}
		var n, lo, hi int64
		if err := row.Scan(&n, &lo, &hi); err != nil {
			return err
		}
		if n > 0 {
			rep.noteYear(lo)
			rep.noteYear(hi)
		}
		rows, err := mt.(*tx).query(`SELECT competent_agency_id, COUNT(*) FROM dossiers WHERE id <= ? GROUP BY competent_agency_id`, st.Off["dossiers"])
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a, n int64
			if err := rows.Scan(&a, &n); err != nil {
				return err
			}
			before[a] = n
		}
		return rows.Err()
	})
	var out []MergeFigure
	for a, n := range added {
		nm := names[a]
		out = append(out, MergeFigure{Agency: nm[0], Name: nm[1], Before: before[a], Added: n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Agency < out[j].Agency })
	return out, err
}

// planAreas finds the queue areas of a joined reception point whose
// prefix the survivor's point uses too: both queues' past tickets carry
// the same numbers, so one province must rename its area's prefix first.
func planAreas(m *mergeMaps, s, dt *tx) error {
	have, err := queryPairs(dt, `SELECT reception_point_id || '|' || prefix, id FROM queue_areas`)
	if err != nil {
		return err
	}
	rows, err := s.query(`SELECT id, reception_point_id, prefix FROM queue_areas`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, pt int64
		var prefix string
		if err := rows.Scan(&id, &pt, &prefix); err != nil {
			return err
		}
		if _, joined := m.st.Points[pt]; !joined {
			continue
		}
		if to, ok := have[strconv.FormatInt(m.mapID('r', pt), 10)+"|"+prefix]; ok {
			if m.st.AreaClashes == nil {
				m.st.AreaClashes = map[int64]int64{}
			}
			m.st.AreaClashes[id] = to
		}
	}
	return rows.Err()
}
