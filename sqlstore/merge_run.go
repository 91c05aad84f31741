package sqlstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// ErrMerged is returned by MergeDB when the absorbed database has already
// been merged into the target.
var ErrMerged = motcua.Errorf(motcua.ECONFLICT, "merge_done", "this database has already been merged into the target")

// MergeDB imports every row of the province in src (the absorbed one) into
// dst (the survivor), remapping ids and resolving conflicts by the rules
// of merge_rules.go, and verifies the result. Both must be at the same
// schema version and distinct; neither may be in use (stop their servers).
//
// With o.DryRun it only plans and reports. Otherwise it writes the small
// tables and the merge's plan in one transaction, then the dossiers and
// what hangs on them in batches (each one transaction, documents copied
// first), then the counters with the done record; an interrupted run
// (error, Ctrl+C, kill -9) is resumed by running it again, which reads the
// plan back and continues after the last committed batch. Refused before
// anything is written: another schema version, the same database, a
// document missing from the absorbed storage. It returns the report;
// after a real run an error means verification failed.
func MergeDB(ctx context.Context, src, dst *DB, o MergeOptions) (*MergeReport, error) {
	if o.Batch <= 0 {
		o.Batch = 5000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Progress == nil {
		o.Progress = func(string, int64, int64) {}
	}
	if err := checkTag(o.Tag); err != nil {
		return nil, err
	}
	for _, c := range []struct {
		db   *DB
		what string
	}{{src, "the absorbed database"}, {dst, "the target"}} {
		if err := c.db.CheckSchema(ctx); err != nil {
			return nil, motcua.Errorf(motcua.ECONFLICT, "merge_schema", "%s: %s", c.what, motcua.ErrorMessage(err))
		}
	}
	sa, _, err := src.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	da, _, err := dst.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if sa != da {
		return nil, motcua.Errorf(motcua.ECONFLICT, "merge_schema", "the absorbed database is at schema version %d, the target at %d: migrate both to the same version first", sa, da)
	}
	if same, err := SameDatabase(ctx, src, dst); err != nil {
		return nil, err
	} else if same {
		return nil, motcua.Errorf(motcua.EINVALID, "merge_same_database", "the absorbed database and the target are the same database")
	}
	fp, srcMax, err := fingerprint(ctx, src)
	if err != nil {
		return nil, err
	}
	dfp, _, err := fingerprint(ctx, dst)
	if err != nil {
		return nil, err
	}
	if fp == dfp {
		return nil, motcua.Errorf(motcua.EINVALID, "merge_same_database", "the absorbed database and the target hold the same data (a copy of one database?)")
	}
	if done, err := mergeRecord(ctx, dst, mergeDoneAction, fp); err != nil {
		return nil, err
	} else if done != "" {
		return nil, ErrMerged
	}
	if other, err := unfinishedMerge(ctx, dst, fp); err != nil {
		return nil, err
	} else if other != "" {
		return nil, motcua.Errorf(motcua.ECONFLICT, "merge_unfinished",
			"the target holds an unfinished merge of another database, or of this one before it changed (%s): finish that one first (run it again with the database as it was), or restore the target's backup", other)
	}
	rep := &MergeReport{Source: src.Path(), Target: dst.Path(), Tag: o.Tag, DryRun: o.DryRun, ConflictCounts: map[string]int{}}
	var st *mergeState
	if begun, err := mergeRecord(ctx, dst, mergeBeginAction, fp); err != nil {
		return nil, err
	} else if begun != "" {
		st = &mergeState{}
		if err := json.Unmarshal([]byte(begun), st); err != nil {
			return nil, fmt.Errorf("read the interrupted merge's plan: %w", err)
		}
		if o.Tag != "" && o.Tag != st.Tag {
			return nil, motcua.Errorf(motcua.EINVALID, "merge_tag", "the interrupted merge used the tag %q: run it again with the same tag", st.Tag)
		}
		rep.Resumed, rep.Tag = true, st.Tag
	} else {
		if o.Tag == "" {
			return nil, motcua.Errorf(motcua.EINVALID, "merge_tag", "give a tag (for example the absorbed province's code) to suffix conflicting codes with")
		}
		o.Progress("plan", 0, 0)
		if st, err = plan(ctx, src, dst, fp, srcMax, o); err != nil {
			return nil, err
		}
	}
	m := &mergeMaps{st: st}
	if err := dryPass(ctx, src, dst, m, o, rep); err != nil {
		return rep, err
	}
	if len(rep.Blocking) > 0 && !o.DryRun {
		return rep, motcua.Errorf(motcua.ECONFLICT, "merge_blocked", "%d conflicts no rule resolves (listed in the report, each with what to do): nothing was written", len(rep.Blocking))
	}
	if len(rep.MissingFiles) > 0 {
		return rep, motcua.Errorf(motcua.ECONFLICT, "merge_missing_files", "%d documents of the absorbed province are missing from its storage (listed in the report): nothing was written", len(rep.MissingFiles))
	}
	if o.DryRun {
		return rep, nil
	}
	if !rep.Resumed {
		if err := firstTx(ctx, src, dst, m, o); err != nil {
			return rep, err
		}
	}
	for _, ts := range specs() {
		if r := mergeRules[ts.name]; r.phase == 'b' {
			if err := batches(ctx, src, dst, m, ts, r, o); err != nil {
				return rep, err
			}
		}
	}
	if err := lastTx(ctx, src, dst, m, o); err != nil {
		return rep, err
	}
	rep.Verified, err = verifyMerge(ctx, src, dst, m, o)
	if err != nil {
		return rep, err
	}
	for _, c := range rep.Verified {
		if !c.OK {
			return rep, fmt.Errorf("verification failed: %s: %s", c.What, c.Note)
		}
	}
	return rep, nil
}

func checkTag(tag string) error {
	for _, r := range tag {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return motcua.Errorf(motcua.EINVALID, "merge_tag", "the tag %q may hold only letters, digits, '.' and '-'", tag)
		}
	}
	if len(tag) > 16 {
		return motcua.Errorf(motcua.EINVALID, "merge_tag", "the tag %q is longer than 16 characters", tag)
	}
	return nil
}

// readRows reads the rows of ts in src whose key lies in (after, upTo]
// (all rows when key is ""), normalized.
func readRows(src *tx, ts tableSpec, key string, after, upTo int64) ([][]any, error) {
	q := `SELECT ` + ts.names() + ` FROM ` + ts.source(src)
	var args []any
	if key != "" {
		q += ` WHERE ` + key + ` > ? AND ` + key + ` <= ? ORDER BY ` + key
		args = []any{after, upTo}
	}
	rows, err := src.query(q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", ts.name, err)
	}
	defer rows.Close()
	raw := make([]any, len(ts.cols))
	ptrs := make([]any, len(ts.cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out [][]any
	var buf []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var vals []any
		buf, vals, err = canonical(ts.cols, raw, buf[:0])
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", ts.name, err)
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// nextKey returns the key of the n-th row after `after`, or the largest
// key when fewer rows are left (ok false when none).
func nextKey(src *tx, table, key string, after int64, n int) (int64, bool, error) {
	row, err := src.queryRow(`SELECT `+key+` FROM `+table+` WHERE `+key+` > ? ORDER BY `+key+` LIMIT 1 OFFSET ?`, after, n-1)
	if err != nil {
		return 0, false, err
	}
	var k int64
	if err := row.Scan(&k); err == nil {
		return k, true, nil
	} else if !errors.Is(err, errNoRows) {
		return 0, false, err
	}
	row, err = src.queryRow(`SELECT COALESCE(MAX(`+key+`), 0) FROM `+table+` WHERE `+key+` > ?`, after)
	if err != nil {
		return 0, false, err
	}
	if err := row.Scan(&k); err != nil {
		return 0, false, err
	}
	return k, k > after, nil
}

// eachBatch calls fn with the source rows of a batched table, one key
// range at a time, starting after `after`.
func eachBatch(ctx context.Context, src *DB, ts tableSpec, r mergeRule, after int64, size int, fn func(rows [][]any, upTo int64) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var rows [][]any
		var upTo int64
		var more bool
		err := src.Read(ctx, func(mt motcua.Tx) (err error) {
			t := mt.(*tx)
			if upTo, more, err = nextKey(t, ts.name, r.key, after, size); err != nil || !more {
				return err
			}
			rows, err = readRows(t, ts, r.key, after, upTo)
			return err
		})
		if err != nil || !more {
			return err
		}
		if err := fn(rows, upTo); err != nil {
			return err
		}
		after = upTo
	}
}

func wholeTable(ctx context.Context, src *DB, ts tableSpec) ([][]any, error) {
	var rows [][]any
	err := src.Read(ctx, func(mt motcua.Tx) (err error) {
		rows, err = readRows(mt.(*tx), ts, "", 0, 0)
		return err
	})
	return rows, err
}

// dryPass runs every rule over the absorbed rows against the target,
// writing nothing: it fills the report (counts, conflicts, figures) and
// lists the documents missing from the absorbed storage.
func dryPass(ctx context.Context, src, dst *DB, m *mergeMaps, o MergeOptions, rep *MergeReport) error {
	added := map[int64]int64{}
	names := map[int64][2]string{}
	for _, ts := range specs() {
		r := mergeRules[ts.name]
		tr := &tableReport{table: ts.name, rep: rep, on: o.OnConflict}
		mt := MergeTable{Table: ts.name, Rule: r.rule}
		o.Progress("check "+ts.name, 0, 0)
		handle := func(rows [][]any) error {
			mt.Source += int64(len(rows))
			if r.phase == 'b' {
				o.Progress("check "+ts.name, mt.Source, 0)
			}
			if r.phase == 's' {
				return nil
			}
			return dst.Read(ctx, func(dmt motcua.Tx) error {
				c := &mergeCtx{t: dmt.(*tx), rep: tr}
				if ts.name == "agencies" { // the names of the figures, before the rows are changed
					for _, row := range rows {
						names[m.mapID('a', row[0].(int64))] = [2]string{row[1].(string), row[2].(string)}
					}
				}
				noteIDs(m, rep, ts, rows)
				out, err := r.fix(m, c, rows)
				if err != nil {
					return err
				}
				mt.Moved += int64(len(out))
				if ts.name == "dossiers" {
					ci := col(ts, "competent_agency_id")
					for _, row := range out {
						added[row[ci].(int64)]++
					}
				}
				return nil
			})
		}
		var err error
		if r.phase == 'b' {
			err = eachBatch(ctx, src, ts, r, 0, o.Batch, func(rows [][]any, _ int64) error {
				tr.blobs = tr.blobs[:0]
				if err := handle(rows); err != nil {
					return err
				}
				return checkBlobs(ctx, o.From, tr.blobs, rep)
			})
		} else {
			var rows [][]any
			if rows, err = wholeTable(ctx, src, ts); err == nil {
				err = handle(rows)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", ts.name, err)
		}
		rep.Tables = append(rep.Tables, mt)
	}
	var err error
	if err = dst.Read(ctx, func(dmt motcua.Tx) error {
		rows, err := dmt.(*tx).query(`SELECT id, code, name FROM agencies`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var code, name string
			if err := rows.Scan(&id, &code, &name); err != nil {
				return err
			}
			names[id] = [2]string{code, name}
		}
		return rows.Err()
	}); err != nil {
		return err
	}
	rep.Figures, err = figures(ctx, dst, m.st, added, names, rep)
	return err
}

func checkBlobs(ctx context.Context, from motcua.BlobStore, blobs [][2]string, rep *MergeReport) error {
	for _, b := range blobs {
		ok := false
		if from != nil {
			var err error
			if ok, err = from.Exists(ctx, b[0]); err != nil {
				return err
			}
		}
		if !ok {
			rep.MissingFiles = append(rep.MissingFiles, b[0])
		}
	}
	return nil
}

func insertSQL(ts tableSpec) string {
	ph := strings.TrimSuffix(strings.Repeat("?, ", len(ts.cols)), ", ")
	return `INSERT INTO ` + ts.name + ` (` + ts.names() + `) VALUES (` + ph + `)`
}

func insertRows(t *tx, ts tableSpec, rows [][]any) error {
	q := insertSQL(ts)
	for _, r := range rows {
		if _, err := t.exec(q, r...); err != nil {
			return fmt.Errorf("write %s: %w", ts.name, err)
		}
	}
	return nil
}

func cloneRows(rows [][]any) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = append([]any(nil), r...)
	}
	return out
}

// firstTx writes the plan (the begin entry), the small tables and, on
// PostgreSQL, moves the id sequences past the ranges the merge fills.
func firstTx(ctx context.Context, src, dst *DB, m *mergeMaps, o MergeOptions) error {
	st := m.st
	plan, err := json.Marshal(st)
	if err != nil {
		return err
	}
	srcRows := map[string][][]any{}
	for _, ts := range specs() {
		if mergeRules[ts.name].phase == 'f' {
			o.Progress("read "+ts.name, 0, 0)
			if srcRows[ts.name], err = wholeTable(ctx, src, ts); err != nil {
				return err
			}
		}
	}
	o.Progress("write the small tables", 0, 0)
	return dst.Write(ctx, func(dmt motcua.Tx) error {
		dt := dmt.(*tx)
		c := &mergeCtx{t: dt}
		var parents [][2]int64
		for _, ts := range specs() {
			r := mergeRules[ts.name]
			if r.phase != 'f' {
				continue
			}
			rows, err := r.fix(m, c, cloneRows(srcRows[ts.name]))
			if err != nil {
				return err
			}
			if ts.name == "agencies" { // parents are linked once every agency is in
				for _, row := range rows {
					if p, ok := row[5].(int64); ok {
						parents = append(parents, [2]int64{row[0].(int64), p})
						row[5] = nil
					}
				}
			}
			if err := insertRows(dt, ts, rows); err != nil {
				return err
			}
			if ts.name == "agencies" {
				for _, p := range parents {
					if _, err := dt.exec(`UPDATE agencies SET parent_id = ? WHERE id = ?`, p[1], p[0]); err != nil {
						return err
					}
				}
			}
		}
		beginID := st.Off["audit_log"] + st.SrcMax["audit_log"] + 1
		if _, err := dt.exec(`INSERT INTO audit_log (id, at, user_id, action, dossier_id, detail, ip) VALUES (?, ?, 0, ?, 0, ?, '')`,
			beginID, o.Now().UnixMilli(), mergeBeginAction, st.Source+" "+string(plan)); err != nil {
			return err
		}
		if dt.pgtx != nil {
			for _, ts := range specs() {
				if !ts.identity() {
					continue
				}
				top := st.Off[ts.name] + st.SrcMax[ts.name]
				if ts.name == "audit_log" {
					top = beginID
				}
				if top > 0 {
					if _, err := dt.exec(`SELECT setval(pg_get_serial_sequence('`+ts.name+`', 'id'), GREATEST(?, (SELECT COALESCE(MAX(id), 1) FROM `+ts.name+`)))`, top); err != nil {
						return fmt.Errorf("move the id sequence of %s: %w", ts.name, err)
					}
				}
			}
		}
		return nil
	})
}

// batches imports a batched table after its last committed batch.
func batches(ctx context.Context, src, dst *DB, m *mergeMaps, ts tableSpec, r mergeRule, o MergeOptions) error {
	kt := idKinds[r.keyOf]
	off, top := m.st.Off[kt], m.st.Off[kt]+m.st.SrcMax[kt]
	var last int64
	if err := dst.Read(ctx, func(mt motcua.Tx) error {
		row, err := mt.(*tx).queryRow(`SELECT COALESCE(MAX(`+r.key+`), 0) FROM `+ts.name+` WHERE `+r.key+` > ? AND `+r.key+` <= ?`, off, top)
		if err != nil {
			return err
		}
		return row.Scan(&last)
	}); err != nil {
		return err
	}
	after := int64(0)
	if last > off {
		after = last - off
	}
	var done int64
	return eachBatch(ctx, src, ts, r, after, o.Batch, func(rows [][]any, upTo int64) error {
		err := dst.Write(ctx, func(dmt motcua.Tx) error {
			dt := dmt.(*tx)
			tr := &tableReport{table: ts.name}
			out, err := r.fix(m, &mergeCtx{t: dt, rep: tr}, cloneRows(rows))
			if err != nil {
				return err
			}
			if err := copyBlobs(ctx, o, out, tr.blobs); err != nil {
				return err
			}
			return insertRows(dt, ts, out)
		})
		if err != nil {
			return fmt.Errorf("%s up to %s %d: %w", ts.name, r.key, upTo, err)
		}
		done += int64(len(rows))
		o.Progress(ts.name, done, 0)
		return nil
	})
}

// copyBlobs copies the documents of a batch of files into the survivor's
// storage, checking each against the hash its row records.
func copyBlobs(ctx context.Context, o MergeOptions, rows [][]any, blobs [][2]string) error {
	if len(blobs) == 0 {
		return nil
	}
	sumCol := col(specByName("dossier_files"), "sha256")
	for i, b := range blobs {
		if ok, err := o.Into.Exists(ctx, b[1]); err != nil {
			return err
		} else if ok {
			continue
		}
		// The source is hashed before anything is stored, so that a
		// document stored under the new key (which a rerun skips) is
		// always one that matched its record.
		if err := checkBlob(ctx, o.From, b[0], rows[i][sumCol].(string)); err != nil {
			return err
		}
		rc, err := o.From.Get(ctx, b[0])
		if err != nil {
			return fmt.Errorf("document %s: %w", b[0], err)
		}
		err = o.Into.Put(ctx, b[1], rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("document %s: %w", b[1], err)
		}
	}
	return nil
}

// checkBlob returns an error unless the blob's SHA-256 is want.
func checkBlob(ctx context.Context, bs motcua.BlobStore, key, want string) error {
	rc, err := bs.Get(ctx, key)
	if err != nil {
		return fmt.Errorf("document %s: %w", key, err)
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil {
		return fmt.Errorf("document %s: %w", key, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("document %s: its content's SHA-256 is %s, its record says %s", key, got, want)
	}
	return nil
}

// lastTx combines the counters and writes the done record.
func lastTx(ctx context.Context, src, dst *DB, m *mergeMaps, o MergeOptions) error {
	st := m.st
	srcRows := map[string][][]any{}
	for _, ts := range specs() {
		if mergeRules[ts.name].phase == 'z' {
			rows, err := wholeTable(ctx, src, ts)
			if err != nil {
				return err
			}
			srcRows[ts.name] = rows
		}
	}
	o.Progress("counters", 0, 0)
	return dst.Write(ctx, func(dmt motcua.Tx) error {
		dt := dmt.(*tx)
		deltas := map[string]setSum{}
		for _, ts := range specs() {
			r := mergeRules[ts.name]
			if r.phase != 'z' {
				continue
			}
			rows, err := r.fix(m, &mergeCtx{t: dt}, cloneRows(srcRows[ts.name]))
			if err != nil {
				return err
			}
			d, err := combine(dt, ts, rows)
			if err != nil {
				return err
			}
			deltas[ts.name] = d
		}
		b, err := json.Marshal(deltas)
		if err != nil {
			return err
		}
		_, err = dt.exec(`INSERT INTO audit_log (at, user_id, action, dossier_id, detail, ip) VALUES (?, 0, ?, 0, ?, '')`,
			o.Now().UnixMilli(), mergeDoneAction, st.Source+" "+string(b))
		return err
	})
}

// combine adds the absorbed counters (stat_counts: summed; code_counters:
// the higher kept) and returns the change of the table's checksum.
func combine(dt *tx, ts tableSpec, rows [][]any) (setSum, error) {
	nk := len(ts.cols) - 1 // every column but the last (n) is the key
	have := map[string]int64{}
	if err := scanTable(dt, ts, func(_ []byte, vals []any) error {
		have[keyString(vals[:nk])] = vals[nk].(int64)
		return nil
	}); err != nil {
		return setSum{}, err
	}
	var names, ph, conflict []string
	for _, c := range ts.cols {
		names = append(names, c.name)
		ph = append(ph, "?")
	}
	conflict = names[:nk]
	set := `n = ` + ts.name + `.n + excluded.n`
	if ts.name == "code_counters" {
		set = `n = CASE WHEN excluded.n > ` + ts.name + `.n THEN excluded.n ELSE ` + ts.name + `.n END`
	}
	table := ts.name
	q := `INSERT INTO ` + table + ` (` + strings.Join(names, ", ") + `) VALUES (` + strings.Join(ph, ", ") + `) ON CONFLICT (` +
		strings.Join(conflict, ", ") + `) DO UPDATE SET ` + set
	var a acc
	var buf []byte
	for _, r := range rows {
		k := keyString(r[:nk])
		n := r[nk].(int64)
		old, ok := have[k]
		next := n
		if ok {
			row := append(append([]any(nil), r[:nk]...), old)
			buf, _, _ = canonical(ts.cols, row, buf[:0])
			a.addRow(buf, -1)
			if ts.name == "code_counters" {
				next = max(n, old)
			} else {
				next = old + n
			}
		}
		row := append(append([]any(nil), r[:nk]...), next)
		buf, _, _ = canonical(ts.cols, row, buf[:0])
		a.addRow(buf, 1)
		have[k] = next
		if _, err := dt.exec(q, r...); err != nil {
			return setSum{}, fmt.Errorf("write %s: %w", table, err)
		}
	}
	return a.sum(), nil
}

func keyString(vals []any) string {
	var b strings.Builder
	for _, v := range vals {
		switch x := v.(type) {
		case int64:
			b.WriteString(strconv.FormatInt(x, 10))
		case string:
			b.WriteString(strconv.Quote(x))
		}
		b.WriteByte('|')
	}
	return b.String()
}

// unfinishedMerge returns the fingerprint of a merge begun in dst, for
// another source than fp, and never finished ("" when there is none): its
// batches would be mixed with this one's.
func unfinishedMerge(ctx context.Context, dst *DB, fp string) (string, error) {
	begun, done := map[string]bool{}, map[string]bool{}
	err := dst.Read(ctx, func(mt motcua.Tx) error {
		rows, err := mt.(*tx).query(`SELECT action, detail FROM audit_log WHERE action IN (?, ?)`, mergeBeginAction, mergeDoneAction)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var action, detail string
			if err := rows.Scan(&action, &detail); err != nil {
				return err
			}
			f, _, _ := strings.Cut(detail, " ")
			if action == mergeBeginAction {
				begun[f] = true
			} else {
				done[f] = true
			}
		}
		return rows.Err()
	})
	for f := range begun {
		if !done[f] && f != fp {
			return f, err
		}
	}
	return "", err
}
