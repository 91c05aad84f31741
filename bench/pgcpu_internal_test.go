package bench

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// The server's CPU counts PostgreSQL's processes only: a process id the
// server names that is not a PostgreSQL process here (the server on
// another machine) is not counted.
func TestPGServerCPUCountsOnlyPostgres(t *testing.T) {
	if _, err := serverTicks(os.Getpid()); err == nil {
		t.Error("the test's own process was taken for PostgreSQL's")
	}
	sqltest.RequirePostgres(t)
	ctx := context.Background()
	work, err := sql.Open("pgx", sqltest.PostgresDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer work.Close()
	work.SetMaxOpenConns(1)
	if err := work.PingContext(ctx); err != nil { // its backend is listed from now on
		t.Fatal(err)
	}
	cpu, ok := PGServerCPU(ctx, sqltest.PostgresDSN())
	if !ok {
		t.Fatal("PostgreSQL on this machine, and its CPU was not read")
	}
	c0 := cpu()
	var n int64
	if err := work.QueryRowContext(ctx, `SELECT count(*) FROM generate_series(1, 3000000)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if c1 := cpu(); c1 <= c0 {
		t.Errorf("a backend counted 3 million rows and the server's CPU stayed at %v (then %v)", c0, c1)
	}
}
