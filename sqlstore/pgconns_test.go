package sqlstore_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// A writer holds its batch's connection and takes a second one to draw
// dossier numbers: a pool no larger than the writers would let every write
// wait for ever, so such a setting is refused at start with what to give.
func TestPGConnsMustExceedWriters(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	db, err := sqlstore.OpenURL(context.Background(), addr, sqlstore.Options{PGConns: 3, PGWriters: 2})
	if err == nil {
		db.Close()
		t.Fatal("3 connections for 2 writers accepted")
	}
	if !strings.Contains(err.Error(), "--pg-conns") || !strings.Contains(err.Error(), "at least 4") {
		t.Fatalf("error does not tell the operator what to set: %v", err)
	}
	db, err = sqlstore.OpenURL(context.Background(), addr, sqlstore.Options{PGConns: 4, PGWriters: 2})
	if err != nil {
		t.Fatalf("4 connections for 2 writers refused: %v", err)
	}
	db.Close()
}

// Without --pg-conns the pool has four connections per core, at least 8:
// more only queue requests for the cores (defaultPGConns).
func TestPGConnsDefaultFollowsTheCores(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	for _, procs := range []int{1, 2, 6} {
		prev := runtime.GOMAXPROCS(procs)
		db, err := sqlstore.OpenURL(context.Background(), addr, sqlstore.Options{})
		runtime.GOMAXPROCS(prev)
		if err != nil {
			t.Fatal(err)
		}
		got := db.PoolStats().MaxOpenConnections
		db.Close()
		if want := max(8, 4*procs); got != want {
			t.Errorf("%d cores: %d connections, want %d", procs, got, want)
		}
	}
}
