package sqlstore_test

import (
	"context"
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
