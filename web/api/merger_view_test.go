package api_test

import (
	"net/http"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestReportViews asks reports 06a and 766 in both views across mergers
// (the same figures as without a view while nothing was merged) and with
// an unknown view (refused with a machine code).
func TestReportViews(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		const q = "?from=2025-02-01&to=2025-03-10"
		type rep struct {
			Total struct{ Columns map[string]int64 }
		}
		var plain rep
		e.call("GET", "/reports/06a"+q, "", nil, nil).decode(t, &plain)
		for _, v := range []string{"units", "successor"} {
			var got rep
			e.call("GET", "/reports/06a"+q+"&view="+v, "", nil, nil).decode(t, &got)
			for k, n := range plain.Total.Columns {
				if got.Total.Columns[k] != n {
					t.Errorf("view %s: column %s = %d, without a view %d", v, k, got.Total.Columns[k], n)
				}
			}
			if r := e.call("GET", "/reports/index766"+q+"&view="+v, "", nil, nil); r.status != http.StatusOK {
				t.Errorf("index 766 by %s: %d", v, r.status)
			}
		}
		for _, path := range []string{"/reports/06a", "/reports/index766"} {
			r := e.call("GET", path+q+"&view=other", "", nil, nil)
			if r.status != http.StatusBadRequest && r.status != http.StatusUnprocessableEntity || r.errorBody(t).Reason != "view_unknown" {
				t.Errorf("%s with an unknown view: %d %s", path, r.status, r.body)
			}
		}
	})
}
