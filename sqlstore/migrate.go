package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

//go:embed migrations
var migrationFS embed.FS

// migration is one numbered, forward-only schema change.
type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(dialect string) ([]migration, error) {
	dir := "migrations/" + dialect
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("migration file %s: want NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(migrationFS, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: strings.TrimSuffix(name, ".sql"), sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	// Numbers are handed out to changes made in parallel, so a build may
	// lack one (0009 without 0007): numbers must be distinct and positive,
	// and Migrate refuses a database that applied a later number but not
	// an earlier one this build has.
	for i, m := range out {
		if m.version < 1 || (i > 0 && m.version == out[i-1].version) {
			return nil, fmt.Errorf("migration %s: numbers must be distinct and start at 1", m.name)
		}
	}
	return out, nil
}

// latestVersion is the highest migration number, 0 when there is none.
func latestVersion(ms []migration) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrationSteps are the parts of migrations that only the program can do
// (folding text, reading processes): each runs right after its migration's
// SQL, in the same transaction.
var migrationSteps = map[int]func(ctx context.Context, c *sql.Conn, d dialect) error{
	4: backfillDuties,
	5: refoldSearchText,
	// 30: the facts documents without what the row's columns hold
	// (facts.go); on both engines.
	30: func(ctx context.Context, c *sql.Conn, d dialect) error { return compactFacts(ctx, c, d, "") },
	// 36: the facts documents without the usual applicant kind, ID kind
	// and return method (facts.go); on SQLite (PostgreSQL's migration cuts
	// them in its rewrite of the table).
	36: func(ctx context.Context, c *sql.Conn, d dialect) error {
		if d == postgresDialect {
			return nil
		}
		return compactFacts(ctx, c, d, "")
	},
	// 40: the facts documents with their components and fees packed
	// (facts_packed.go); on both engines. On PostgreSQL, whose migration
	// packed them in its rewrite of the table, only the documents that
	// still hold component objects or a fee object are read: a list with
	// text, which stays, or a form the SQL did not match.
	40: func(ctx context.Context, c *sql.Conn, d dialect) error {
		if d == postgresDialect {
			return compactFacts(ctx, c, d, `strpos(facts, '"components":') > 0 OR strpos(facts, '{"name":') > 0`)
		}
		return compactFacts(ctx, c, d, "")
	},
	// 41: the appraiser and the result's number out of the status
	// documents into their columns (status_columns.go); on both engines.
	41: moveStatusColumns,
}

const migrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT    NOT NULL,
	applied_at BIGINT  NOT NULL)`

func appliedVersion(ctx context.Context, c *sql.Conn) (int, error) {
	if _, err := c.ExecContext(ctx, migrationsTable); err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	var v sql.NullInt64
	if err := c.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Migrate applies the migrations not yet applied, each in its own
// transaction, reporting each through progress (which may be nil). It stops
// at the first failure, leaving the schema at the last applied version.
func (db *DB) Migrate(ctx context.Context, progress func(version int, name string)) error {
	ms, err := loadMigrations(db.dialect.String())
	if err != nil {
		return err
	}
	applied := false
	defer func() {
		if applied && db.dialect == postgresDialect {
			db.forgetStatements()
		}
	}()
	return db.schemaConn(ctx, func(c *sql.Conn) error {
		cur, err := appliedVersion(ctx, c)
		if err != nil {
			return err
		}
		if cur > latestVersion(ms) {
			return fmt.Errorf("database schema version %d is newer than this program knows (%d): use a newer motcua", cur, latestVersion(ms))
		}
		for _, m := range ms {
			if m.version <= cur {
				if err := db.checkApplied(ctx, c, m); err != nil {
					return err
				}
				continue
			}
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("migration interrupted before %s: %w", m.name, err)
			}
			if progress != nil {
				progress(m.version, m.name)
			}
			applied = true
			if err := db.applyMigration(ctx, c, m); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) applyMigration(ctx context.Context, c *sql.Conn, m migration) (err error) {
	begin, insert := "BEGIN IMMEDIATE", `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`
	if db.dialect == postgresDialect {
		begin, insert = "BEGIN", rebind(insert)
	}
	if _, err := c.ExecContext(ctx, begin); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	defer func() {
		if err != nil {
			c.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	if _, err := c.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("migration %s: %w", m.name, err)
	}
	if step, ok := migrationSteps[m.version]; ok {
		if err := step(ctx, c, db.dialect); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	if _, err := c.ExecContext(ctx, insert,
		m.version, m.name, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("migration %s: record: %w", m.name, err)
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("migration %s: commit: %w", m.name, err)
	}
	return nil
}

// SchemaVersion returns the applied and the latest known schema versions.
func (db *DB) SchemaVersion(ctx context.Context) (applied, latest int, err error) {
	ms, err := loadMigrations(db.dialect.String())
	if err != nil {
		return 0, 0, err
	}
	err = db.schemaConn(ctx, func(c *sql.Conn) error {
		applied, err = appliedVersion(ctx, c)
		return err
	})
	return applied, latestVersion(ms), err
}

// checkApplied returns an error when migration m, numbered below the
// database's version, was never applied: the database was migrated by a
// build that lacked it and must not silently go on without it.
func (db *DB) checkApplied(ctx context.Context, c *sql.Conn, m migration) error {
	q := `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`
	if db.dialect == postgresDialect {
		q = rebind(q)
	}
	var n int
	if err := c.QueryRowContext(ctx, q, m.version).Scan(&n); err != nil {
		return fmt.Errorf("read schema_migrations: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("migration %s was never applied to this database, which has later ones: restore a backup made before them or apply it by hand", m.name)
	}
	return nil
}

// CheckSchema returns an error telling the operator what to do when the
// schema is not exactly the one this program expects.
func (db *DB) CheckSchema(ctx context.Context) error {
	applied, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	switch {
	case applied < latest:
		return motcua.Errorf(motcua.ECONFLICT, "schema_outdated",
			"The database schema is at version %d but this program needs %d: run `motcua migrate` first (make a backup before).", applied, latest)
	case applied > latest:
		return motcua.Errorf(motcua.ECONFLICT, "schema_newer",
			"The database schema is at version %d, newer than this program (%d): run a newer motcua.", applied, latest)
	}
	return nil
}

// forgetStatements closes the idle PostgreSQL connections, and with them
// the statements pgx prepared and cached on them: a migration that changes
// a column's type (0036) makes the server refuse a statement prepared
// before it whose result has that column ("cached plan must not change
// result type"). Called after migrating, when the connections are idle.
func (db *DB) forgetStatements() {
	n := db.pg.Stats().MaxOpenConnections
	db.pg.SetMaxIdleConns(-1)
	db.pg.SetMaxIdleConns(n)
}

// schemaConn runs fn on a connection reserved for schema work: SQLite's
// writer connection outside any batch, or on PostgreSQL a connection holding
// an advisory lock, so that instances starting together migrate one after
// the other.
func (db *DB) schemaConn(ctx context.Context, fn func(*sql.Conn) error) error {
	if db.dialect == sqliteDialect {
		return db.exclusive(ctx, func(pc *pconn) error { return fn(pc.c) })
	}
	c, err := db.pg.Conn(ctx)
	if err != nil {
		return fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer c.Close()
	const lockKey = 0x6d6f74637561 // "motcua"
	if _, err := c.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, lockKey); err != nil {
		return fmt.Errorf("take the migration lock: %w", err)
	}
	defer c.ExecContext(context.Background(), `SELECT pg_advisory_unlock($1)`, lockKey)
	return fn(c)
}
