package api_test

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestCSVExportsOpenInExcel (issue 13, defect 6): both CSV exports start
// with a UTF-8 byte order mark (Excel garbles Vietnamese without it), name
// their columns in Vietnamese, and end with totals: report 06a's total
// row, and for each unit of the index its points reached of those
// available, equal to what the JSON says.
func TestCSVExportsOpenInExcel(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		const q = "?from=2025-01-01&to=2025-03-10"
		read := func(path string) [][]string {
			t.Helper()
			r := e.call("GET", path+q+"&format=csv", "", nil, nil)
			if r.status != 200 || !bytes.HasPrefix(r.body, []byte("\xef\xbb\xbf")) {
				t.Fatalf("%s: %d, starts %q (want the UTF-8 byte order mark)", path, r.status, r.body[:min(len(r.body), 8)])
			}
			recs, err := csv.NewReader(bytes.NewReader(r.body[3:])).ReadAll()
			if err != nil || len(recs) < 2 {
				t.Fatalf("%s: %v", path, err)
			}
			for _, h := range recs[0] {
				if strings.Contains(h, "_") || h == strings.ToLower(h) && !strings.ContainsAny(h, "àáảãạăâđèéêìíòóôơùúưỳý") {
					t.Errorf("%s: column %q is not named in Vietnamese", path, h)
				}
			}
			return recs
		}
		recs := read("/reports/06a")
		if recs[0][0] != "Mã định danh cơ quan" || !strings.HasPrefix(recs[0][2], "(3) Số hồ sơ nhận giải quyết") {
			t.Errorf("06a headings: %q", recs[0])
		}
		if last := recs[len(recs)-1]; last[1] != "Tổng cộng" {
			t.Errorf("06a ends with %q, want the total row", last)
		}

		var idx struct {
			Units []struct {
				Agency *struct {
					Code string `json:"code"`
				} `json:"agency"`
				Points float64 `json:"points"`
			} `json:"units"`
		}
		e.call("GET", "/reports/index766"+q, "", nil, nil).decode(t, &idx)
		recs = read("/reports/index766")
		totals := map[string]float64{}
		for _, rec := range recs[1:] {
			if rec[2] == "Tổng cộng" {
				totals[rec[0]], _ = strconv.ParseFloat(rec[7], 64)
			}
		}
		if len(idx.Units) == 0 || len(totals) != len(idx.Units) {
			t.Fatalf("%d total lines for %d units", len(totals), len(idx.Units))
		}
		for _, u := range idx.Units {
			code := ""
			if u.Agency != nil {
				code = u.Agency.Code
			}
			if got := totals[code]; strconv.FormatFloat(got, 'f', 4, 64) != strconv.FormatFloat(u.Points, 'f', 4, 64) {
				t.Errorf("unit %q: CSV total %v, JSON points %v", code, got, u.Points)
			}
		}
	})
}
