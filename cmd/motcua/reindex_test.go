package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestReindexCommand rebuilds the demo province's indexes on PostgreSQL,
// printing each one's size before and after and the total; a dry run lists
// them; a negative size is refused; on SQLite it says what to do instead.
func TestReindexCommand(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		dir := t.TempDir()
		addr := sqltest.Fresh(t, e)
		db := sqltest.OpenAt(t, addr)
		seedDemo(t, db)
		db.Close()
		var out bytes.Buffer
		err := run(ctx, []string{"reindex", "--db", addr, "--data", dir, "--min-mb", "0"}, &out, io.Discard, env(nil))
		if e == sqltest.SQLite {
			if err == nil || !strings.Contains(err.Error(), "VACUUM") {
				t.Errorf("SQLite: %v\n%s", err, out.String())
			}
			return
		}
		if err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		s := out.String()
		for _, want := range []string{`(?m)^\[1/\d+\] \S+ \(\S+\): [\d.]+ MB, rebuilding…$`, `(?m)^\[1/\d+\] \S+: [\d.]+ MB → [\d.]+ MB in [\d.]+ s$`,
			`(?m)^\d+ indexes rebuilt: [\d.]+ MB → [\d.]+ MB$`, `dossiers_pkey`} {
			if !regexp.MustCompile(want).MatchString(s) {
				t.Errorf("no %s in:\n%s", want, s)
			}
		}
		out.Reset()
		if err := run(ctx, []string{"reindex", "--db", addr, "--data", dir, "--min-mb", "0", "--dry-run"}, &out, io.Discard, env(nil)); err != nil ||
			!strings.Contains(out.String(), "(nothing changed: --dry-run)") || strings.Contains(out.String(), "rebuilding") {
			t.Errorf("dry run: %v\n%s", err, out.String())
		}
		if err := run(ctx, []string{"reindex", "--db", addr, "--data", dir, "--min-mb", "-1"}, io.Discard, io.Discard, env(nil)); err == nil {
			t.Error("a negative size accepted")
		}
	})
}
