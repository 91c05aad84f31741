package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestBytesBench prints the bytes per dossier of the demo province on both
// engines: the two big tables are listed with their indexes, and the total
// is the sum of the rows and indexes columns.
func TestBytesBench(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		dir := t.TempDir()
		addr := sqltest.Fresh(t, e)
		db := sqltest.OpenAt(t, addr)
		seedDemo(t, db)
		db.Close()
		var out bytes.Buffer
		if err := run(ctx, []string{"bench", "--bytes", "--db", addr, "--data", dir}, &out, io.Discard, env(nil)); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		s := out.String()
		for _, want := range []string{`(?m)^  dossier_events +\d+ +\d+ +\d+`, `(?m)^  dossiers +\d+ +\d+ +\d+`, `(?m)^      index \S+`} {
			if !regexp.MustCompile(want).MatchString(s) {
				t.Errorf("no %s in:\n%s", want, s)
			}
		}
		m := regexp.MustCompile(`(?m)^  all +(\d+) +(\d+) +(\d+) += ([\d.]+) KB/dossier`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no total:\n%s", s)
		}
		total, _ := strconv.ParseInt(m[3], 10, 64)
		kb, _ := strconv.ParseFloat(m[4], 64)
		if total <= 0 || kb <= 0 {
			t.Errorf("total %d bytes, %.2f KB per dossier:\n%s", total, kb, s)
		}
	})
}
