package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestAnalyzeStaysInItsSchema checks that the tests' Analyze locks the
// tables of its own store only. Every test has a schema of its own in one
// database, and the packages run at once: a bare ANALYZE examined every
// table of the database, holding a lock on each until the end of its
// transaction, and deadlocked with another package's test that migrated
// its fresh schema meanwhile ("migration 0036_compact_codes: ERROR:
// deadlock detected"), which locks its tables in another order. Here a
// table of another schema is held by a transaction of its own: Analyze
// must neither wait for it nor touch it.
func TestAnalyzeStaysInItsSchema(t *testing.T) {
	sqltest.RequirePostgres(t)
	db := sqltest.Open(t, sqltest.Postgres)
	release := lockTableElsewhere(t, false)
	done := make(chan error, 1)
	go func() { done <- db.Analyze(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		release()
		<-done
		t.Fatal("Analyze waited for a table of another test's schema")
	}
}

// lockTableElsewhere creates a table (with an index, if indexed) in a
// schema of its own and holds it in ACCESS EXCLUSIVE mode, as a migration
// of another schema does, until the test ends or release is called.
func lockTableElsewhere(t *testing.T, indexed bool) (release func()) {
	t.Helper()
	other := pgAdmin(t, sqltest.FreshSchema(t))
	mustExec(t, other, `CREATE TABLE busy (k INTEGER)`)
	if indexed {
		mustExec(t, other, `CREATE INDEX busy_k ON busy (k)`)
	}
	hold, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	release = func() { hold.Rollback() } // a second call does nothing
	t.Cleanup(release)
	if _, err := hold.Exec(`LOCK TABLE busy IN ACCESS EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	return release
}
