package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// Migration 0032 (PostgreSQL only) trimmed the report indexes; its undo
// puts back those of migrations 0003 and 0026, as an older database has
// them. SQLite's 0032 changed nothing.
func init() {
	migrationUndoFuncs[32] = func(t *tx) error {
		if t.pgtx == nil {
			return nil
		}
		for _, q := range []string{
			`DROP INDEX dossiers_agency`,
			`DROP INDEX dossiers_received`,
			`CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags, finished_at, finish_class, ontime_766, handle_ms)
				WHERE received_at IS NOT NULL`,
			`DROP INDEX dossiers_finished`,
			`CREATE INDEX dossiers_finished ON dossiers (finished_at, competent_agency_id, procedure_id, finish_class, ontime_766, handle_ms, received_at)
				WHERE received_at IS NOT NULL AND finished_at IS NOT NULL`,
			`DROP INDEX dossiers_pending`,
			`CREATE INDEX dossiers_pending ON dossiers (received_at, competent_agency_id, procedure_id, state, due_at, supp_count, supp_last_at, last_event_at, finished_at)
				WHERE received_at IS NOT NULL AND finished_at IS NULL`,
			`CREATE INDEX dossiers_agency_received ON dossiers (competent_agency_id, channel, received_at) WHERE received_at IS NOT NULL`,
			`CREATE INDEX dossiers_agency_finished ON dossiers (competent_agency_id, finish_class, ontime_766, finished_at, received_at)
				WHERE received_at IS NOT NULL AND finished_at IS NOT NULL`,
		} {
			if _, err := t.exec(q); err != nil {
				return err
			}
		}
		return nil
	}
}

// Migration 0039 dropped dossiers_agency on PostgreSQL (SQLite never had
// it); its undo puts it back as 0032 made it.
func init() {
	migrationUndoFuncs[39] = func(t *tx) error {
		if t.pgtx == nil {
			return nil
		}
		_, err := t.exec(`CREATE INDEX dossiers_agency ON dossiers (competent_agency_id, channel, finish_class, ontime_766, received_at, finished_at)
			WHERE received_at IS NOT NULL`)
		return err
	}
}

// PGReportPlans returns PostgreSQL's plans, with sequential and bitmap
// scans disabled, of the reads of a period that migration 0032 means to
// be index-only, by query: the period pass, the unfinished dossiers
// pending at a moment, and each way of reading those finished since (from
// the finishes, or the receptions of 30 days and the long dossiers: their
// ids, and the carried-over counts).
func (db *DB) PGReportPlans(ctx context.Context) (map[string]string, error) {
	const f, tt = int64(1735664400000), int64(1767200400000)
	var few, short, long string
	err := db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		defer SetFewFinishedAfter(1 << 30)()
		w, _, err := t.pendingWheres(f)
		if err != nil || len(w) != 2 {
			return fmt.Errorf("%d parts of pending at, want 2 (%v)", len(w), err)
		}
		few = w[1]
		fewFinishedAfter = 0
		if w, _, err = t.pendingWheres(f); err != nil || len(w) != 3 {
			return fmt.Errorf("%d parts of pending at, want 3 (%v)", len(w), err)
		}
		short, long = w[1], w[2]
		return nil
	})
	if err != nil {
		return nil, err
	}
	queries := map[string][]any{
		pendingSelects[0] + unfinishedAtWhere:                {tt},
		pgPeriodPassSQL:                                      {tt, tt, tt, tt, tt, f, tt},
		pendingSelects[1] + few:                              {f, f},
		pendingSelects[1] + short:                            {f - longDossierMS, f, f},
		pendingSelects[1] + long:                             {f, f},
		pgCarriedSelects[1] + few + ` GROUP BY 1, 2, 3, 4`:   {tt, tt, f, f},
		pgCarriedSelects[1] + short + ` GROUP BY 1, 2, 3, 4`: {tt, tt, f - longDossierMS, f, f},
		pgCarriedSelects[1] + long + ` GROUP BY 1, 2, 3, 4`:  {tt, tt, f, f},
	}
	// The planner takes an index-only scan for what it is only when the
	// visibility map is set, as on a live database.
	if _, err := db.pg.ExecContext(ctx, `VACUUM ANALYZE dossiers`); err != nil {
		return nil, err
	}
	out := map[string]string{}
	err = db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		// SET LOCAL holds inside the read's transaction, whose BEGIN
		// waits for its first statement (pgreadbatch.go).
		if err := t.sendBegin(); err != nil {
			return err
		}
		for _, q := range []string{`SET LOCAL enable_seqscan = off`, `SET LOCAL enable_bitmapscan = off`} {
			if _, err := t.pgtx.ExecContext(t.ctx, q); err != nil {
				return err
			}
		}
		for q, args := range queries {
			plan, err := t.pgExplain(q, args...)
			if err != nil {
				return err
			}
			out[q] = strings.Join(plan, "\n")
		}
		return nil
	})
	return out, err
}
