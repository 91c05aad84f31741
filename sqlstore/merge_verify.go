package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/motcua/motcua"
)

var errNoRows = sql.ErrNoRows

// verifyMerge checks the target after a merge: every table's count and
// additive checksum equal the survivor's before the merge plus the
// absorbed rows as the rules turn them (plus the counters' recorded
// changes and the merge's two audit entries); the live counters equal a
// recount from the dossiers; the absorbed audit chain, rebuilt from the
// imported entries, ends at the head recorded when it was verified; every
// imported document is in the survivor's storage.
func verifyMerge(ctx context.Context, src, dst *DB, m *mergeMaps, o MergeOptions) ([]MergeCheck, error) {
	st := m.st
	var out []MergeCheck
	o.Progress("verify", 0, 0)
	doneDetail, err := mergeRecord(ctx, dst, mergeDoneAction, st.Source)
	if err != nil {
		return nil, err
	}
	deltas := map[string]setSum{}
	if err := json.Unmarshal([]byte(doneDetail), &deltas); err != nil {
		return nil, fmt.Errorf("read the merge's done record: %w", err)
	}
	after, err := setSums(ctx, dst, "verify: sum ", o.Progress)
	if err != nil {
		return nil, err
	}
	var missing []string
	for _, ts := range specs() {
		r := mergeRules[ts.name]
		var a acc
		a.addSum(st.Before[ts.name])
		var buf []byte
		add := func(rows [][]any) error {
			for _, row := range rows {
				var err error
				if buf, _, err = canonical(ts.cols, row, buf[:0]); err != nil {
					return err
				}
				a.addRow(buf, 1)
			}
			return nil
		}
		turn := func(rows [][]any) error {
			return dst.Read(ctx, func(dmt motcua.Tx) error {
				tr := &tableReport{table: ts.name}
				out, err := r.fix(m, &mergeCtx{t: dmt.(*tx), rep: tr}, rows)
				if err != nil {
					return err
				}
				for _, b := range tr.blobs {
					if ok, err := o.Into.Exists(ctx, b[1]); err != nil {
						return err
					} else if !ok {
						missing = append(missing, b[1])
					}
				}
				return add(out)
			})
		}
		switch r.phase {
		case 'f':
			rows, err := wholeTable(ctx, src, ts)
			if err == nil {
				err = turn(rows)
			}
			if err != nil {
				return nil, err
			}
		case 'b':
			var n int64
			if err := eachBatch(ctx, src, ts, r, 0, o.Batch, func(rows [][]any, _ int64) error {
				n += int64(len(rows))
				o.Progress("verify "+ts.name, n, 0)
				return turn(rows)
			}); err != nil {
				return nil, err
			}
		case 'z':
			a.addSum(deltas[ts.name])
		}
		if ts.name == "audit_log" {
			if err := dst.Read(ctx, func(mt motcua.Tx) error {
				rows, err := readWhere(mt.(*tx), ts, `action IN (?, ?) AND detail LIKE ?`, mergeBeginAction, mergeDoneAction, st.Source+" %")
				if err != nil {
					return err
				}
				return add(rows)
			}); err != nil {
				return nil, err
			}
		}
		want, got := a.sum(), after[ts.name]
		out = append(out, MergeCheck{What: "table " + ts.name, OK: want == got,
			Note: fmt.Sprintf("%d rows (checksum %.12s), expected %d (%.12s)", got.Rows, got.Sum, want.Rows, want.Sum)})
	}
	out = append(out, MergeCheck{What: "documents", OK: len(missing) == 0, Note: fmt.Sprintf("%d imported documents missing from the survivor's storage %v", len(missing), first(missing, 5))})
	ok, note, err := RecountStats(ctx, dst)
	if err != nil {
		return nil, err
	}
	out = append(out, MergeCheck{What: "live counters = recount", OK: ok, Note: note})
	ok, note, err = verifySegment(ctx, dst, m)
	if err != nil {
		return nil, err
	}
	out = append(out, MergeCheck{What: "absorbed audit chain", OK: ok, Note: note})
	return out, nil
}

func first(s []string, n int) []string { return s[:min(n, len(s))] }

func readWhere(t *tx, ts tableSpec, where string, args ...any) ([][]any, error) {
	rows, err := t.query(`SELECT `+ts.names()+` FROM `+ts.name+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	raw := make([]any, len(ts.cols))
	ptrs := make([]any, len(ts.cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out [][]any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		_, vals, err := canonical(ts.cols, raw, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// verifySegment rebuilds the absorbed province's audit chain from the
// imported entries (ids and the users and dossiers they name mapped back)
// and compares its end with the head verified before the merge.
func verifySegment(ctx context.Context, dst *DB, m *mergeMaps) (bool, string, error) {
	st := m.st
	if st.AuditHeadID == 0 {
		return true, "the absorbed province had no sealed audit entry", nil
	}
	off := st.Off["audit_log"]
	prev, next := "", int64(1)
	n := 0
	err := dst.Read(ctx, func(mt motcua.Tx) error {
		for after := off; ; {
			es, err := mt.(*tx).AuditAfter(ctx, after, 5000)
			if err != nil {
				return err
			}
			for _, e := range es {
				if e.ID > off+st.AuditHeadID {
					return nil
				}
				o := *e
				o.ID, o.UserID, o.DossierID = e.ID-off, m.unmapID('u', e.UserID), m.unmapID('d', e.DossierID)
				if o.ID > next {
					prev = motcua.AuditGapHash(prev, next, o.ID-1)
				}
				prev, next = motcua.AuditEntryHash(prev, &o), o.ID+1
				n++
				after = e.ID
			}
			if len(es) < 5000 {
				return nil
			}
		}
	})
	if err != nil {
		return false, "", err
	}
	if prev != st.AuditHeadHash {
		return false, fmt.Sprintf("rebuilt from %d imported entries, the chain ends at %.16s…, the absorbed head was %.16s…", n, prev, st.AuditHeadHash), nil
	}
	return true, fmt.Sprintf("%d imported entries rebuild the absorbed chain up to its head %d (%.16s…)", n, st.AuditHeadID, st.AuditHeadHash), nil
}

// RecountStats recounts the live counters from the dossiers and compares
// them with the stored ones: the flow counters (receptions, finishes) for
// every day, month and year; the stock counters by their totals over all
// periods per agency and scale (a dossier's standing now), since a stock's
// daily changes follow its history.
func RecountStats(ctx context.Context, db *DB) (bool, string, error) {
	want := map[motcua.StatKey]int64{}
	err := db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		for after := int64(0); ; {
			rows, err := t.query(`SELECT `+dossierColumns+` FROM dossiers WHERE id > ? ORDER BY id LIMIT 5000`, after)
			if err != nil {
				return err
			}
			n := 0
			for rows.Next() {
				d, err := scanDossier(rows)
				if err != nil {
					rows.Close()
					return err
				}
				var none motcua.Status
				ds := motcua.FlowDeltas(d.CompetentAgencyID, d.ProcedureID, d.Channel, &none, &d.Status)
				ds = append(ds, motcua.StockDeltas(d.CompetentAgencyID, &none, &d.Status, d.Status.ReceivedAt)...)
				motcua.Rollup(ds, want)
				after = d.ID
				n++
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if n < 5000 {
				return ctx.Err()
			}
		}
	})
	if err != nil {
		return false, "", err
	}
	have := map[motcua.StatKey]int64{}
	err = db.Read(ctx, func(mt motcua.Tx) error {
		return scanTable(mt.(*tx), specByName("stat_counts"), func(_ []byte, v []any) error {
			have[motcua.StatKey{Scale: motcua.Scale(v[0].(int64)), Metric: motcua.Metric(v[1].(int64)), Period: v[2].(int64),
				AgencyID: v[3].(int64), ProcedureID: v[4].(int64)}] += v[5].(int64)
			return nil
		})
	})
	if err != nil {
		return false, "", err
	}
	fold := func(m map[motcua.StatKey]int64) map[motcua.StatKey]int64 {
		out := map[motcua.StatKey]int64{}
		for k, n := range m {
			if isStock(k.Metric) {
				k.Period = 0
			}
			if n != 0 {
				out[k] += n
			}
		}
		for k, n := range out {
			if n == 0 {
				delete(out, k)
			}
		}
		return out
	}
	w, h := fold(want), fold(have)
	var diffs []string
	for k, n := range w {
		if h[k] != n {
			diffs = append(diffs, fmt.Sprintf("%+v: stored %d, recount %d", k, h[k], n))
		}
	}
	for k, n := range h {
		if _, ok := w[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%+v: stored %d, recount 0", k, n))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		return false, fmt.Sprintf("%d counters differ from the recount, e.g. %v", len(diffs), first(diffs, 3)), nil
	}
	return true, fmt.Sprintf("%d counters equal the recount of the dossiers", len(w)), nil
}

func isStock(m motcua.Metric) bool {
	for _, s := range motcua.StockMetrics {
		if s == m {
			return true
		}
	}
	return false
}
