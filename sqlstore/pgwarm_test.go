package sqlstore_test

import (
	"net/url"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPGWarmPool: a served store opens all its connections at start, each
// warmed by planning over the hot tables before it serves, on a migrated
// schema and on an empty one (whose missing tables are skipped, not an
// error); a store not opened warm opens no more than it needs.
func TestPGWarmPool(t *testing.T) {
	sqltest.RequirePostgres(t)
	migrated := sqltest.FreshSchema(t)
	openMigrated(t, migrated, sqlstore.Options{}).Close()
	admin := pgAdmin(t, migrated)
	// The warm-up skips a table the schema lacks (an older schema), so a
	// misspelt or renamed one would go cold unnoticed: every one must be
	// in a migrated schema.
	u, err := url.Parse(migrated)
	if err != nil {
		t.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	for _, table := range sqlstore.HotTables {
		var found bool
		if err := admin.QueryRow(`SELECT to_regclass(quote_ident($1) || '.' || quote_ident($2)) IS NOT NULL`, schema, table).Scan(&found); err != nil {
			t.Fatal(err)
		}
		if !found {
			t.Errorf("hot table %s is not in the migrated schema %s", table, schema)
		}
	}
	for _, c := range []struct {
		name  string
		base  string
		conns int
	}{{"migrated", migrated, 5}, {"empty", sqltest.FreshSchema(t), 4}} {
		addr, app := appAddress(t, c.base, "motcua_warm_"+c.name)
		db := sqltest.OpenAtWith(t, addr, sqlstore.Options{Warm: true, PGConns: c.conns, PGWriters: 1})
		if warmed, failed := db.WarmConns(); warmed != int64(c.conns) || failed != 0 {
			t.Errorf("%s: %d connections warmed, %d failed; want %d, 0", c.name, warmed, failed, c.conns)
		}
		if open := backends(t, admin, app); open != c.conns {
			t.Errorf("%s: %d server processes at start, want %d", c.name, open, c.conns)
		}
		if c.name == "migrated" {
			if err := db.Read(ctx, func(tx motcua.Tx) error {
				_, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 5})
				return err
			}); err != nil {
				t.Errorf("a read on the warm store: %v", err)
			}
		}
		db.Close()
	}

	addr, app := appAddress(t, migrated, "motcua_cold")
	cold := sqltest.OpenAtWith(t, addr, sqlstore.Options{PGConns: 5, PGWriters: 1})
	if warmed, _ := cold.WarmConns(); warmed != 0 || backends(t, admin, app) > 1 {
		t.Errorf("a store not opened warm: %d warmed, %d server processes", warmed, backends(t, admin, app))
	}
}
