package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
	"github.com/xuri/excelize/v2"
)

// TestReportEndpoints fetches report 06a and the index in every format on
// the demo province: the figures agree between formats and sources, the
// dossiers behind a figure are listed to staff only.
func TestReportEndpoints(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		const q = "?from=2025-02-01&to=2025-03-10"
		var base, live struct {
			Source string
			Rows   []struct {
				Agency struct {
					ID   int64
					Code string
				}
				Columns map[string]int64
			}
			Total struct{ Columns map[string]int64 }
		}
		e.call("GET", "/reports/06a"+q, "", nil, nil).decode(t, &base)
		e.call("GET", "/reports/06a"+q+"&source=live", "", nil, nil).decode(t, &live)
		if base.Source != "base" || live.Source != "live" || len(base.Rows) == 0 {
			t.Fatalf("sources %q %q, %d rows", base.Source, live.Source, len(base.Rows))
		}
		for k, v := range base.Total.Columns {
			if live.Total.Columns[k] != v {
				t.Errorf("column %s: base %d, live %d", k, v, live.Total.Columns[k])
			}
		}
		tc := base.Total.Columns
		if tc["3"] == 0 || tc["3"] != tc["4"]+tc["5"]+tc["6"] || tc["3"] != tc["7"]+tc["11"] || tc["7"] != tc["8"]+tc["9"]+tc["10"] {
			t.Errorf("total columns do not add up: %v", tc)
		}

		r := e.call("GET", "/reports/06a"+q+"&format=csv", "", nil, nil)
		recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil || len(recs) != len(base.Rows)+2 || recs[len(recs)-1][1] != "Tổng cộng" {
			t.Fatalf("csv: %v %v", recs, err)
		}
		if got := recs[len(recs)-1][2]; got != itoa(tc["3"]) {
			t.Errorf("csv total column 3 = %s, want %d", got, tc["3"])
		}
		r = e.call("GET", "/reports/06a"+q+"&format=xlsx", "", nil, nil)
		if ct := r.header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") || !strings.Contains(r.header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("xlsx headers %v", r.header)
		}
		book, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatalf("xlsx unreadable: %v", err)
		}
		// The reporting unit is the province's people's committee (not a
		// vertical agency, which has no parent either).
		rows, _ := book.GetRows(book.GetSheetName(0))
		var title string
		for _, row := range rows[:min(len(rows), 6)] {
			title += strings.Join(row, " ")
		}
		if !strings.Contains(title, "Đơn vị báo cáo: Ủy ban nhân dân tỉnh Mẫu") {
			t.Errorf("title block %q does not name the province as reporter", title)
		}
		expectError(t, e.call("GET", "/reports/06a?from=2025-03-10&to=2025-03-01", "", nil, nil), 422, "period_reversed")
		expectError(t, e.call("GET", "/reports/06a?from=10/03/2025", "", nil, nil), 422, "date_malformed")

		var idx struct {
			Units []struct {
				Agency *struct{ ID int64 }
				Values []struct {
					ID, Status, Reason string
					Num, Den           int64
				}
			}
		}
		e.call("GET", "/reports/index766"+q, "", nil, nil).decode(t, &idx)
		province := idx.Units[len(idx.Units)-1]
		if province.Agency != nil {
			t.Fatalf("the province should come last: %+v", province.Agency)
		}
		for _, v := range province.Values {
			if v.ID == "2.1" && (v.Status != "ok" || v.Den != tc["3"]) {
				t.Errorf("2.1 over the province: %+v, scope should be column 3 = %d", v, tc["3"])
			}
			if v.ID == "1.4" && (v.Status != "no_data" || !strings.HasPrefix(v.Reason, "Chưa có dữ liệu")) {
				t.Errorf("1.4: %+v", v)
			}
		}
		// A period of whole months comes from either source with the same
		// figures; the live counters cannot answer for other periods.
		var fromBase, fromLive struct {
			Source string
			Units  json.RawMessage
		}
		const months = "?from=2025-01-01&to=2025-03-31"
		e.call("GET", "/reports/index766"+months+"&source=base", "", nil, nil).decode(t, &fromBase)
		e.call("GET", "/reports/index766"+months, "", nil, nil).decode(t, &fromLive)
		if fromBase.Source != "base" || fromLive.Source != "live" || !bytes.Equal(fromBase.Units, fromLive.Units) {
			t.Errorf("index from %q and %q differ:\n%s\n%s", fromBase.Source, fromLive.Source, fromBase.Units, fromLive.Units)
		}
		expectError(t, e.call("GET", "/reports/index766"+q+"&source=live", "", nil, nil), 422, "period_not_whole_months")
		r = e.call("GET", "/reports/index766"+q+"&format=csv", "", nil, nil)
		if !strings.Contains(string(r.body), "Toàn tỉnh,2.1,ok,") {
			t.Errorf("index csv lacks the province's 2.1 line:\n%s", r.body)
		}

		// Drill-down: staff of the commune see the overdue dossiers of their
		// commune; the public does not; a leader of another commune neither.
		an := e.agencyID("H99.101")
		var page struct {
			Items []struct{ Code, State string }
		}
		path := "/reports/dossiers" + q + "&figure=06a.13&agency_id=" + itoa(an)
		e.call("GET", path, e.login("motcua.anphu"), nil, nil).decode(t, &page)
		var want int64
		for _, row := range base.Rows {
			if row.Agency.ID == an {
				want = row.Columns["13"]
			}
		}
		if int64(len(page.Items)) != want {
			t.Errorf("drill-down lists %d overdue dossiers, column 13 says %d", len(page.Items), want)
		}
		expectError(t, e.call("GET", path, "", nil, nil), http.StatusUnauthorized, "not_signed_in")
		expectError(t, e.call("GET", path, e.login("ct.hoabinh"), nil, nil), http.StatusForbidden, "not_permitted")
		expectError(t, e.call("GET", "/reports/dossiers"+q+"&figure=everything", e.login("motcua.anphu"), nil, nil), 422, "figure_unknown")
	})
}

func itoa(n int64) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
