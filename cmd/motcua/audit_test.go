package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestAuditVerifyCommand: "motcua audit seal" then "audit verify" pass on
// both engines; a single entry altered by someone with the database's
// owner rights (trigger dropped, over a raw connection) makes verify fail
// with exit status 2 and name the entry.
func TestAuditVerifyCommand(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		dir := t.TempDir()
		addr := sqltest.Fresh(t, e)
		db := sqltest.OpenAt(t, addr)
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour).UTC()
		for i := range 5 {
			if err := db.Write(ctx, func(tx motcua.Tx) error {
				return tx.Audit(ctx, &motcua.AuditEntry{At: old, UserID: int64(i + 1), Action: motcua.AuditLogin, IP: "192.0.2.1"})
			}); err != nil {
				t.Fatal(err)
			}
		}
		db.Close()
		var out bytes.Buffer
		if err := run(ctx, []string{"audit", "seal", "--db", addr, "--data", dir}, &out, io.Discard, env(nil)); err != nil || !strings.Contains(out.String(), "5 entries sealed") {
			t.Fatalf("seal: %v\n%s", err, out.String())
		}
		out.Reset()
		if err := run(ctx, []string{"audit", "verify", "--db", addr, "--data", dir}, &out, io.Discard, env(nil)); err != nil || !strings.Contains(out.String(), "OK:") {
			t.Fatalf("verify: %v\n%s", err, out.String())
		}

		driver, drop := "sqlite", "DROP TRIGGER audit_log_no_update"
		if e == sqltest.Postgres {
			driver, drop = "pgx", "DROP TRIGGER audit_log_no_change ON audit_log"
		}
		raw, err := sql.Open(driver, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		for _, q := range []string{drop, "UPDATE audit_log SET ip = '192.0.2.2' WHERE id = 3"} {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		raw.Close()
		out.Reset()
		err = run(ctx, []string{"audit", "verify", "--db", addr, "--data", dir}, &out, io.Discard, env(nil))
		if !errors.Is(err, errAuditChain) || !strings.Contains(out.String(), "FAILED: entry 3 altered") {
			t.Fatalf("verify after an alteration: %v\n%s", err, out.String())
		}
		if err := run(ctx, []string{"audit", "check", "--db", addr, "--data", dir}, io.Discard, io.Discard, env(nil)); err == nil {
			t.Error("an unknown audit subcommand accepted")
		}
	})
}
