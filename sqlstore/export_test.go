package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Hooks for the black-box tests of this package (package sqlstore_test).

// ExplainFindDossiers returns the plan the engine chooses for the query of
// FindDossiers(f): EXPLAIN QUERY PLAN's lines on SQLite, EXPLAIN's on
// PostgreSQL.
func (db *DB) ExplainFindDossiers(ctx context.Context, f motcua.DossierFilter) ([]string, error) {
	q, args, ok := findDossiersQuery(f)
	if !ok {
		return nil, nil
	}
	var out []string
	err := db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		if db.dialect == postgresDialect {
			var err error
			out, err = t.pgExplain(q, args...)
			return err
		}
		rows, err := t.query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, notUsed int
			var detail string
			if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
				return err
			}
			out = append(out, fmt.Sprintf("%d %d %s", id, parent, detail))
		}
		return rows.Err()
	})
	return out, err
}

// pgExplain returns the lines of PostgreSQL's EXPLAIN of q.
func (t *tx) pgExplain(q string, args ...any) ([]string, error) {
	rows, err := t.query("EXPLAIN "+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return nil, err
		}
		plan = append(plan, line)
	}
	return plan, rows.Err()
}

// Analyze refreshes the planner's statistics of the store's tables, as
// PostgreSQL's autovacuum does on a live database.
//
// On PostgreSQL it names the tables of the store's schema. A bare ANALYZE
// examines every table of the database, and the tests share one: each has
// a schema of its own, and the packages run at once. In this transaction
// it held a lock on each table it had analysed until the commit, so a test
// of another package that migrated its fresh schema meanwhile, locking
// that schema's tables in another order, deadlocked with it ("migration
// 0036_compact_codes: ERROR: deadlock detected"; TestAnalyzeStaysInItsSchema).
func (db *DB) Analyze(ctx context.Context) error {
	return db.Write(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		if db.dialect != postgresDialect {
			_, err := t.exec("ANALYZE")
			return err
		}
		row, err := t.queryRow(`SELECT COALESCE(string_agg(format('%I.%I', schemaname, tablename), ', '), '')
			FROM pg_tables WHERE schemaname = current_schema()`)
		if err != nil {
			return err
		}
		var tables string
		if err := row.Scan(&tables); err != nil {
			return err
		}
		if tables == "" {
			return nil
		}
		_, err = t.exec("ANALYZE " + tables)
		return err
	})
}

// Rewind puts the schema back to before migration version, as a database
// made by an earlier program: undo runs first, then the migrations from
// version on are no longer recorded.
func (db *DB) Rewind(ctx context.Context, version int, undo ...string) error {
	return db.Write(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		// The migrations after those the tests rewind to undo themselves
		// here, newest first, so that each test names only the undo of the
		// migration it is about.
		for v := 99; v >= version; v-- {
			for _, q := range migrationUndo[v] {
				if _, err := t.exec(q); err != nil {
					return err
				}
			}
			if f := migrationUndoFuncs[v]; f != nil {
				if err := f(t); err != nil {
					return err
				}
			}
		}
		for _, q := range undo {
			if _, err := t.exec(q); err != nil {
				return err
			}
		}
		// Columns the program reads on every dossier go last, when no
		// undo reads dossiers any more.
		for v := 99; v >= version; v-- {
			for _, q := range migrationUndoLast[v] {
				if _, err := t.exec(q); err != nil {
					return err
				}
			}
		}
		_, err := t.exec("DELETE FROM schema_migrations WHERE version >= ?", version)
		return err
	})
}

// migrationUndoLast undoes, after every other undo, what the program's
// reads of dossiers need (an undo function reads them through the current
// columns).
var migrationUndoLast = map[int][]string{
	41: {"ALTER TABLE dossiers DROP COLUMN appraiser_id", "ALTER TABLE dossiers DROP COLUMN result_number"},
}

// migrationUndo undoes the migrations after the sixth, by version.
var migrationUndo = map[int][]string{
	7:  {"DROP TABLE portal_messages", "DROP TABLE portal_sync", "DROP INDEX outbox_key_pending", "ALTER TABLE outbox DROP COLUMN okey"},
	8:  {"DROP TABLE payments"},
	9:  {"DROP TABLE catalogue_import_items", "DROP TABLE catalogue_import_runs"},
	11: {"DROP TABLE population_lookups"},
	12: {"DROP INDEX dossier_files_doc_code", "ALTER TABLE dossier_files DROP COLUMN signed_at",
		"ALTER TABLE dossier_files DROP COLUMN signer", "ALTER TABLE dossier_files DROP COLUMN doc_code"},
	13: {"DROP TABLE heartbeat"},
	14: {"DROP TABLE signin_challenges", "DROP TABLE recovery_codes", "DROP TABLE user_totp", "DROP TABLE audit_chain"},
	16: {"DROP INDEX dossier_events_returned", "DROP TABLE feedback", "DROP TABLE dossier_ratings"},
	17: {"DROP INDEX dossiers_point_open", "DROP INDEX dossier_events_actor", "DROP TABLE queue_tickets", "DROP TABLE queue_devices", "DROP TABLE queue_areas"},
	18: {"DROP TABLE personal_results", "DROP TABLE citizen_sessions"},
	15: {"DROP INDEX dossiers_next_due", "DROP TABLE notice_templates", "DROP TABLE staff_notifications", "DROP TABLE dossier_warnings"},
	20: {"DROP TABLE agency_successors", "DROP TABLE merger_moves", "DROP TABLE mergers"},
	26: {"DROP INDEX dossiers_received", `CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags, finished_at)
    WHERE received_at IS NOT NULL`},
	27: {"DROP TABLE file_metadata", "DROP TABLE scan_texts"},
	29: {"DROP INDEX IF EXISTS dossiers_period"}, // SQLite only
	31: {"DROP INDEX IF EXISTS dossiers_long"},   // SQLite only
	34: {"DROP INDEX dossier_work_procedure", "DROP INDEX dossier_work_state", "ALTER TABLE dossier_work DROP COLUMN channel",
		"ALTER TABLE dossier_work DROP COLUMN procedure_id", "ALTER TABLE dossier_work DROP COLUMN state"},
	35: {"DROP TABLE dossier_standings"},
	39: {"DROP INDEX dossiers_holder", "CREATE INDEX dossiers_holder ON dossiers (holder_agency_id, next_due_at, id)"}, // and migrationUndoFuncs[39]
}

// ExecRaw runs q in a write transaction, as a statement from outside the
// program would (tests of what the schema itself refuses).
func (db *DB) ExecRaw(ctx context.Context, q string) error {
	return db.Write(ctx, func(mt motcua.Tx) error {
		_, err := mt.(*tx).exec(q)
		return err
	})
}

// PeriodSplits returns how many period passes were read in two halves.
func PeriodSplits() int64 { return periodSplits.Load() }

// PeriodPackSQL is the packed expression of index dossiers_period.
var PeriodPackSQL = periodPackSQL

// PeriodPassPlan returns SQLite's plan of the period pass.
func (db *DB) PeriodPassPlan(ctx context.Context) (string, error) {
	var plan []string
	err := db.Read(ctx, func(mt motcua.Tx) error {
		rows, err := mt.(*tx).query("EXPLAIN QUERY PLAN "+periodPassSQL, int64(2), int64(1), int64(2))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return err
			}
			plan = append(plan, detail)
		}
		return rows.Err()
	})
	return strings.Join(plan, "; "), err
}

// ReceptionsWhere counts per agency and procedure the dossiers received
// in [from, to) matching cond, by a plain GROUP BY over the table (the
// tests' reference for the packed reads).
func (db *DB) ReceptionsWhere(ctx context.Context, from, to time.Time, cond string) (map[[2]int64]int64, error) {
	out := map[[2]int64]int64{}
	err := db.Read(ctx, func(mt motcua.Tx) error {
		notIndexed := " NOT INDEXED"
		if db.dialect == postgresDialect {
			notIndexed = ""
		}
		rows, err := mt.(*tx).query(`SELECT competent_agency_id, procedure_id, COUNT(*) FROM dossiers`+notIndexed+`
			WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ? AND `+cond+`
			GROUP BY competent_agency_id, procedure_id`, from.UnixMilli(), to.UnixMilli())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var a, p, n int64
			if err := rows.Scan(&a, &p, &n); err != nil {
				return err
			}
			out[[2]int64{a, p}] = n
		}
		return rows.Err()
	})
	return out, err
}

// IDsWhere lists the ids of the dossiers matching cond (arguments args),
// read from the table itself: the reference of the tests of PendingAt.
func (db *DB) IDsWhere(ctx context.Context, cond string, args ...any) ([]int64, error) {
	return db.ColumnWhere(ctx, "id", cond, args...)
}

// ColumnWhere lists an integer column of the dossiers matching cond, by
// id (NULL read as 0).
func (db *DB) ColumnWhere(ctx context.Context, column, cond string, args ...any) ([]int64, error) {
	var out []int64
	err := db.Read(ctx, func(mt motcua.Tx) error {
		notIndexed := " NOT INDEXED"
		if db.dialect == postgresDialect {
			notIndexed = ""
		}
		rows, err := mt.(*tx).query(`SELECT COALESCE(`+column+`, 0) FROM dossiers`+notIndexed+` WHERE `+cond+` ORDER BY id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			out = append(out, id)
		}
		return rows.Err()
	})
	return out, err
}

// LongDossierMS is the span from which a finished dossier is in index
// dossiers_long, and LongDossierSQL its condition.
const LongDossierMS = longDossierMS

var LongDossierSQL = longDossierSQL

// SetFewFinishedAfter sets how many finishes since a moment are few
// enough to be read instead of the receptions before it (see
// fewFinishedSince) until the returned function restores it.
func SetFewFinishedAfter(n int) func() {
	old := fewFinishedAfter
	fewFinishedAfter = n
	return func() { fewFinishedAfter = old }
}

// WarmVersionNames puts every procedure version's name in db's cache, as
// reads of their dossiers would in time: the dossiers written next then
// store ” for a name equal to their version's whatever the timing of the
// background loads (procedureNameOf), so that two stores written alike can
// be compared row by row.
func (db *DB) WarmVersionNames(ctx context.Context) error {
	return db.Read(ctx, func(mt motcua.Tx) error {
		t := mt.(*tx)
		rows, err := t.query(`SELECT procedure_id, version FROM procedure_versions`)
		if err != nil {
			return err
		}
		var keys [][2]int64
		for rows.Next() {
			var k [2]int64
			if err := rows.Scan(&k[0], &k[1]); err != nil {
				rows.Close()
				return err
			}
			keys = append(keys, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := t.versionName(k[0], int(k[1])); err != nil {
				return err
			}
		}
		return nil
	})
}

// AuditSealLock is the advisory lock key LockAuditChain takes on
// PostgreSQL.
const AuditSealLock int64 = auditSealLock

// DriverPoolWaits returns how often database/sql's own pool made a caller
// wait for a PostgreSQL connection (PoolStats adds the reads' turns).
func (db *DB) DriverPoolWaits() int64 { return db.pg.Stats().WaitCount }
