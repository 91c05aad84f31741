package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A PostgreSQL index of a table whose rows are updated, or filled at many
// places at once, does not stay dense: a page split leaves two half-full
// pages, and an update that changes an indexed column adds a second entry
// that VACUUM removes later without giving the page's room back to other
// keys. On the 1.6 M province the dossiers' code index was 51 % full, the
// report indexes 68 %, the events by actor 63 % (docs/deployment.md §17,
// "Bytes per dossier, fifth pass"). Nothing in autovacuum rebuilds them;
// REINDEX CONCURRENTLY does, without stopping reads or writes.

// IndexRebuild is one index of RebuildIndexes: its size before and after
// and how long the rebuild took (After and Took are zero on a dry run).
type IndexRebuild struct {
	Table, Index  string
	Before, After int64
	Took          time.Duration
}

// ErrRebuildNotPostgres is returned by RebuildIndexes on SQLite.
var ErrRebuildNotPostgres = errors.New("index rebuild: this database is SQLite; the command rebuilds PostgreSQL's indexes")

// RebuildIndexes rebuilds, on PostgreSQL, every index of the schema of at
// least minBytes, largest first, each with REINDEX INDEX CONCURRENTLY (reads
// and writes go on; the index needs its size again on disk while it is
// built). progress, which may be nil, is called before each (with After
// zero) and after it. With dryRun it only lists them.
//
// A rebuild that is interrupted (ctx cancelled, the server stopped) leaves
// an invalid copy, named with _ccnew, behind; RebuildIndexes drops such
// leftovers before it starts and when it is interrupted, so running it
// again is always safe.
func (db *DB) RebuildIndexes(ctx context.Context, minBytes int64, dryRun bool, progress func(i, n int, r IndexRebuild)) ([]IndexRebuild, error) {
	if db.dialect != postgresDialect {
		return nil, ErrRebuildNotPostgres
	}
	c, err := db.pg.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if !dryRun {
		if err := db.dropRebuildLeftovers(ctx); err != nil {
			return nil, err
		}
	}
	list, err := indexesToRebuild(ctx, c, minBytes)
	if err != nil {
		return nil, err
	}
	if progress == nil {
		progress = func(int, int, IndexRebuild) {}
	}
	for i := range list {
		r := &list[i]
		progress(i+1, len(list), *r)
		if dryRun {
			continue
		}
		start := time.Now()
		if _, err := c.ExecContext(ctx, `REINDEX INDEX CONCURRENTLY `+quoteIdent(r.Index)); err != nil {
			if ctx.Err() != nil {
				// The cancelled statement leaves its invalid copy: drop it
				// now, on a context of its own, so that nothing is left.
				dctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if derr := db.dropRebuildLeftovers(dctx); derr != nil {
					return list[:i], fmt.Errorf("%w; dropping the interrupted copy of %s: %v (run the command again to drop it)", ctx.Err(), r.Index, derr)
				}
				return list[:i], ctx.Err()
			}
			return list[:i], fmt.Errorf("rebuild %s: %w", r.Index, err)
		}
		r.Took = time.Since(start)
		if err := c.QueryRowContext(ctx, `SELECT pg_relation_size(CAST($1 AS regclass))`, quoteIdent(r.Index)).Scan(&r.After); err != nil {
			return list[:i], err
		}
		progress(i+1, len(list), *r)
	}
	return list, nil
}

// indexesToRebuild lists the schema's valid indexes of at least minBytes,
// largest first.
//
// The sizes are measured in a materialized CTE, after the join has kept
// the schema's indexes: pg_relation_size locks the relation it measures,
// and in the WHERE clause the planner ran it in the scan of pg_class, on
// every index of the database, so that a rebuild waited for any other
// schema (another province, another test) that held an index of its own
// in ACCESS EXCLUSIVE mode, as a migration does.
func indexesToRebuild(ctx context.Context, c *sql.Conn, minBytes int64) ([]IndexRebuild, error) {
	rows, err := c.QueryContext(ctx, `WITH s AS MATERIALIZED (
			SELECT t.relname AS tab, i.relname AS idx, pg_relation_size(i.oid) AS bytes
			FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
			JOIN pg_namespace n ON n.oid = i.relnamespace AND n.nspname = current_schema()
			WHERE x.indisvalid)
		SELECT tab, idx, bytes FROM s WHERE bytes >= $1
		ORDER BY 3 DESC, 2`, minBytes)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IndexRebuild
	for rows.Next() {
		var r IndexRebuild
		if err := rows.Scan(&r.Table, &r.Index, &r.Before); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// dropRebuildLeftovers drops the invalid indexes an interrupted REINDEX
// CONCURRENTLY leaves in the schema (named <index>_ccnew, _ccnew1, …; an
// interruption in its last phase leaves the old one as _ccold), on a
// connection of its own: the driver gives up a connection whose statement
// was cancelled.
func (db *DB) dropRebuildLeftovers(ctx context.Context) error {
	c, err := db.pg.Conn(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	rows, err := c.QueryContext(ctx, `SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_namespace n ON n.oid = i.relnamespace AND n.nspname = current_schema()
		WHERE NOT x.indisvalid AND (i.relname LIKE '%\_ccnew%' OR i.relname LIKE '%\_ccold%')`)
	if err != nil {
		return err
	}
	var names []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		names = append(names, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, s := range names {
		if _, err := c.ExecContext(ctx, `DROP INDEX CONCURRENTLY IF EXISTS `+quoteIdent(s)); err != nil {
			return fmt.Errorf("drop the leftover index %s: %w", s, err)
		}
	}
	return nil
}

// quoteIdent quotes a name for SQL, as PostgreSQL's quote_ident does.
func quoteIdent(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
