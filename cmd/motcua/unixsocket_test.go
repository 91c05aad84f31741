package main

import (
	"bytes"
	"context"
	"database/sql"
	"flag"
	"io"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPostgresOverUnixSocket migrates a database through the server's Unix
// socket, as a one-machine deployment connects (postgres://u@/db?host=
// /var/run/postgresql), and checks that the connection did not go over
// TCP. The address without any host is still refused.
func TestPostgresOverUnixSocket(t *testing.T) {
	addr := sqltest.FreshSchema(t)
	dir, port := os.Getenv("MOTCUA_TEST_POSTGRES_DIR"), os.Getenv("MOTCUA_TEST_POSTGRES_PORT")
	if dir == "" || port == "" {
		const msg = "MOTCUA_TEST_POSTGRES_DIR or _PORT is not set: start the server with .ci/postgres start, which says where its socket is"
		if os.Getenv("MOTCUA_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("host", dir)
	q.Set("port", port)
	q.Del("sslmode") // no TLS on a socket
	u.Host, u.RawQuery = "", q.Encode()
	sock := u.String()
	if !strings.HasPrefix(sock, "postgres://postgres@/") {
		t.Fatalf("socket address %s", sock)
	}

	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate", "--db", sock, "--data", t.TempDir()}, &out, io.Discard, env(nil)); err != nil {
		t.Fatalf("migrate over the socket: %v\n%s", err, out.String())
	}
	db, err := sql.Open("pgx", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var tcp bool
	var tables int
	if err := db.QueryRow(`SELECT inet_server_addr() IS NOT NULL,
		(SELECT count(*) FROM pg_tables WHERE schemaname = current_schema())`).Scan(&tcp, &tables); err != nil {
		t.Fatal(err)
	}
	if tcp || tables < 10 {
		t.Errorf("over TCP %v, %d tables migrated into the schema", tcp, tables)
	}

	for _, bad := range []string{"postgres:///motcua", "postgres://u@/motcua?port=5432", "postgres://u@/?host=/run/postgresql"} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if _, err := loadConfig(fs, []string{"--db", bad}, env(nil)); err == nil || !strings.Contains(err.Error(), "host=/var/run/postgresql") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
