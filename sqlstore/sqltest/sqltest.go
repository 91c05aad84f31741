// Package sqltest gives tests a fresh, migrated store on every engine under
// test: SQLite always, PostgreSQL when MOTCUA_TEST_POSTGRES holds the
// address of a server (postgres://…) on which the tests may create and drop
// schemas. When MOTCUA_REQUIRE_POSTGRES=1 (as in CI), a missing address
// fails the tests instead of skipping them.
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/motcua/motcua/sqlstore"
)

// Engine is an engine the tests run on.
type Engine string

// The engines.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Run runs fn as one subtest per engine, named after it. The PostgreSQL
// subtest skips, saying why, when no server is configured (and fails when
// one is required).
func Run(t *testing.T, fn func(t *testing.T, e Engine)) {
	t.Helper()
	for _, e := range []Engine{SQLite, Postgres} {
		t.Run(string(e), func(t *testing.T) {
			if e == Postgres {
				RequirePostgres(t)
			}
			fn(t, e)
		})
	}
}

// PostgresDSN returns the configured server address, or "".
func PostgresDSN() string { return os.Getenv("MOTCUA_TEST_POSTGRES") }

// RequirePostgres skips t (or fails it, when MOTCUA_REQUIRE_POSTGRES=1) if
// no PostgreSQL server is configured.
func RequirePostgres(t testing.TB) {
	t.Helper()
	if PostgresDSN() != "" {
		return
	}
	const msg = "MOTCUA_TEST_POSTGRES is not set: set it to postgres://user@127.0.0.1:port/db of a server where the tests may create schemas (.ci/run starts one)"
	if os.Getenv("MOTCUA_REQUIRE_POSTGRES") == "1" {
		t.Fatal(msg + "; MOTCUA_REQUIRE_POSTGRES=1 makes this a failure")
	}
	t.Skip(msg)
}

// Open returns a fresh, migrated, empty store on e, closed (and on
// PostgreSQL dropped) when t ends.
func Open(t testing.TB, e Engine) *sqlstore.DB {
	t.Helper()
	db := OpenEmpty(t, e)
	if err := db.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// OpenEmpty is Open without the migrations.
func OpenEmpty(t testing.TB, e Engine) *sqlstore.DB {
	t.Helper()
	return OpenAt(t, Fresh(t, e))
}

// Fresh returns the address of a new, empty database on e: a SQLite file
// path or a postgres:// URL.
func Fresh(t testing.TB, e Engine) string {
	t.Helper()
	switch e {
	case SQLite:
		return filepath.Join(t.TempDir(), "test.db")
	case Postgres:
		return FreshSchema(t)
	}
	t.Fatalf("unknown engine %q", e)
	return ""
}

// OpenAt opens the store at addr (as returned by Fresh), closed when t
// ends. Opening one address twice gives two independent handles, as two
// instances of motcua would have.
func OpenAt(t testing.TB, addr string) *sqlstore.DB {
	t.Helper()
	return OpenAtWith(t, addr, sqlstore.Options{})
}

// OpenAtWith is OpenAt with options.
func OpenAtWith(t testing.TB, addr string, opts sqlstore.Options) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.OpenURL(context.Background(), addr, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenWith is Open with options.
func OpenWith(t testing.TB, e Engine, opts sqlstore.Options) *sqlstore.DB {
	t.Helper()
	db := OpenAtWith(t, Fresh(t, e), opts)
	if err := db.Migrate(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return db
}

// FreshSchema creates an empty schema on the configured PostgreSQL server
// and returns an address whose connections use it (search_path); the schema
// is dropped when t ends. Schemas rather than databases keep tests fast.
func FreshSchema(t testing.TB) string {
	t.Helper()
	RequirePostgres(t)
	dsn := PostgresDSN()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "motcua_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema on %s: %v", dsn, err)
	}
	t.Cleanup(func() { dropSchema(t, dsn, schema) })
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("MOTCUA_TEST_POSTGRES is not a postgres:// URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// dropSchema drops a test's schema and everything in it. A schema left
// behind is a failure of the test that made it: it means a connection
// still held its tables (a database not closed) or the server refused,
// and such schemas pile up in the shared test database, each making every
// later catalogue query slower. A deadlock with another package's test is
// retried: it says nothing about this test.
func dropSchema(t testing.TB, dsn, schema string) {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for try := 1; ; try++ {
		_, err = admin.ExecContext(ctx, `DROP SCHEMA `+schema+` CASCADE`)
		var pgErr *pgconn.PgError
		if err == nil || try == 3 || !errors.As(err, &pgErr) || pgErr.Code != "40P01" {
			break
		}
	}
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}
