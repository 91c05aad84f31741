package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// A PostgreSQL connection starts cold: its server process has none of the
// catalog entries of the tables and indexes it will read (they are loaded
// at the first statement that plans over them, each table with every one of
// its indexes). On the 1.6 M province the first inbox statement of a new
// connection took 3.5–4.6 ms against 0.7 ms for the next; after warmSQL
// (31–33 ms, once) it took 2.1–2.7 ms. A pool that opens its connections
// when the load asks for them, and closes them after a few idle minutes,
// opens them at the worst moment: the first minutes of a burst, the staff
// arriving at 8 o'clock after a quiet night. So a served store
// (Options.Warm) opens all its connections at start, warms each new
// connection before it serves (warmStats.hook), and keeps them open.

// hotTables are the tables the counters', inbox's and dossier pages' and
// the actions' statements read or write (by pg_stat_user_tables' scans in
// the mixed workload, most first). A table missing from the schema (an
// older one, before migration) is skipped.
var hotTables = []string{
	"dossiers", "dossier_work", "payments", "dossier_files", "dossier_events", "event_actors",
	"dossier_warnings", "portal_sync", "stat_counts", "dossier_standings", "stat_deltas",
	"user_grants", "reception_points", "agencies", "users", "procedures", "code_counters",
	"personal_results", "sessions", "staff_notifications", "procedure_versions", "audit_log",
}

// warmSQL plans a statement over each hot table in one round trip; the
// plans are thrown away, the catalog entries stay in the server process.
var warmSQL = func() string {
	q := make([]string, len(hotTables))
	for i, t := range hotTables {
		q[i] = "'" + t + "'"
	}
	return `DO $warm$ DECLARE t text; BEGIN
		FOREACH t IN ARRAY ARRAY[` + strings.Join(q, ", ") + `] LOOP
			IF to_regclass(t) IS NOT NULL THEN EXECUTE 'EXPLAIN SELECT 1 FROM ' || quote_ident(t); END IF;
		END LOOP; END $warm$`
}()

// warmStats count the connections warmed and those whose warming failed.
type warmStats struct{ warmed, failed atomic.Int64 }

// hook is pgx's AfterConnect: it warms c. A failure is counted, not
// returned: a cold connection still serves, only slower at first; unless
// the failure closed it (its context ended meanwhile), which the pool must
// not be given.
func (w *warmStats) hook(ctx context.Context, c *pgx.Conn) error {
	if _, err := c.Exec(ctx, warmSQL); err != nil {
		w.failed.Add(1)
		slog.Warn("a new PostgreSQL connection was not warmed: its first statements will load the catalog themselves", "err", err)
		if c.IsClosed() {
			return err
		}
		return nil
	}
	w.warmed.Add(1)
	return nil
}

// openAll opens n connections of pg at once (each one new, warmed by the
// hook) and gives them back to the pool, idle.
func openAll(ctx context.Context, pg *sql.DB, n int) error {
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := pg.Conn(ctx)
		if err != nil {
			return fmt.Errorf("open the connections to PostgreSQL (%d of %d open): %w", len(conns), n, err)
		}
		conns = append(conns, c)
	}
	return nil
}

// WarmConns reports how many connections were warmed when they opened, and
// how many failed to be (always 0, 0 for a store not opened with
// Options.Warm, and on SQLite).
func (db *DB) WarmConns() (warmed, failed int64) {
	if db.warm == nil {
		return 0, 0
	}
	return db.warm.warmed.Load(), db.warm.failed.Load()
}
