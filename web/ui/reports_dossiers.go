package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// pageSize is the service's page of a figure's dossiers.
const pageSize = 50

// figurePart is a figure of service.Figures with its Vietnamese name.
type figurePart struct {
	ID, Label string
}

var figureLabels = map[string]string{
	"06a.4":        "Tiếp nhận trực tuyến trong kỳ",
	"06a.5":        "Tiếp nhận trực tiếp, qua dịch vụ bưu chính trong kỳ",
	"06a.6":        "Từ kỳ trước chuyển sang",
	"06a.8":        "Đã giải quyết trước hạn",
	"06a.9":        "Đã giải quyết đúng hạn",
	"06a.9w":       "Đang chờ bổ sung (tính là đúng hạn)",
	"06a.10":       "Đã giải quyết quá hạn",
	"06a.12":       "Đang giải quyết trong hạn",
	"06a.13":       "Đang giải quyết quá hạn",
	"766.2.1":      "Hồ sơ tính chỉ tiêu 2.1 (đã giải quyết trong kỳ hoặc đang giải quyết cuối kỳ)",
	"766.2.1-late": "Hồ sơ không đúng hạn theo chỉ tiêu 2.1",
	"766.4.2":      "Hồ sơ được số hóa (chỉ tiêu 4.2)",
	"766.4.3":      "Hồ sơ có tái sử dụng dữ liệu số hóa (chỉ tiêu 4.3)",
	"766.4.5b":     "Hồ sơ sử dụng dữ liệu dân cư, định danh điện tử (chỉ tiêu 4.5b)",
	"766.R":        "Hồ sơ tiếp nhận trong kỳ",
}

// columnParts are the figures a column of report 06a adds up: a total
// column lists the dossiers of each of its parts in turn.
var columnParts = map[int][]string{
	3: {"06a.4", "06a.5", "06a.6"}, 4: {"06a.4"}, 5: {"06a.5"}, 6: {"06a.6"},
	7: {"06a.8", "06a.9", "06a.9w", "06a.10"}, 8: {"06a.8"}, 9: {"06a.9", "06a.9w"}, 10: {"06a.10"},
	11: {"06a.12", "06a.13"}, 12: {"06a.12"}, 13: {"06a.13"},
}

// columnNames name the columns of report 06a in a sentence.
var columnNames = map[int]string{
	3: "tổng số hồ sơ nhận giải quyết", 4: "hồ sơ tiếp nhận trực tuyến trong kỳ", 5: "hồ sơ tiếp nhận trực tiếp, dịch vụ bưu chính trong kỳ",
	6: "hồ sơ từ kỳ trước", 7: "tổng số hồ sơ đã giải quyết", 8: "hồ sơ đã giải quyết trước hạn", 9: "hồ sơ đã giải quyết đúng hạn",
	10: "hồ sơ đã giải quyết quá hạn", 11: "tổng số hồ sơ đang giải quyết", 12: "hồ sơ đang giải quyết trong hạn", 13: "hồ sơ đang giải quyết quá hạn",
}

// drillData is a page of the dossiers behind a figure.
type drillData struct {
	Title      string
	AgencyName string
	Period     statPeriod
	// Figure is the figure's value as the report gives it (first page
	// only: the report is not recomputed for every page); HasFigure says
	// whether it was computed.
	Figure    int64
	HasFigure bool
	Parts     []figurePart
	Rows      []drillRow
	// First is the number of the first row (rows before it were on the
	// previous pages).
	First int
	Next  string
	Back  string
}

// drillRow is one dossier of the list, without personal data.
type drillRow struct {
	N                              int
	Part                           string
	Code, ProcedureCode, Procedure string
	State                          string
	ReceivedAt, DueAt, FinishedAt  time.Time
	Verdict                        motcua.Timeliness
	Supplements                    int
}

// reportDossiers lists the dossiers behind a figure of report 06a (cot=3…13)
// or of the index (chi-tieu=766.…), for an agency (don-vi, 0 for the
// province) and a period, fifty at a time. The service decides who may see
// which agency's list; its refusal is shown as it words it.
func (u *UI) reportDossiers(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	f := newForm(q)
	sp, ok := readPeriod(f, u.srv.Service.Now())
	if !ok {
		u.fail(w, r, motcua.Errorf(motcua.EINVALID, "period_invalid", "Kỳ thống kê không hợp lệ: %s", firstMessage(f)))
		return
	}
	p := sp.Period
	agency, err := strconv.ParseInt(q.Get("don-vi"), 10, 64)
	if err != nil || agency < 0 {
		u.fail(w, r, motcua.Errorf(motcua.EINVALID, "agency_malformed", "Mã đơn vị cần xem không hợp lệ."))
		return
	}
	d := &drillData{Period: sp}
	col := 0
	var parts []string
	if s := q.Get("cot"); s != "" {
		col, err = strconv.Atoi(s)
		if parts = columnParts[col]; err != nil || parts == nil {
			u.fail(w, r, motcua.Errorf(motcua.EINVALID, "column_unknown", "Cột cần xem chi tiết phải là một số từ 3 đến 13 của biểu 06a."))
			return
		}
		d.Title = "Danh sách " + columnNames[col] + " (cột " + s + " biểu 06a)"
	} else {
		fig := q.Get("chi-tieu")
		if !slices.Contains(service.Figures, fig) || !strings.HasPrefix(fig, "766.") {
			u.fail(w, r, motcua.Errorf(motcua.EINVALID, "figure_unknown", "Chỉ tiêu cần xem chi tiết không hợp lệ."))
			return
		}
		parts = []string{fig}
		d.Title = figureLabels[fig]
	}
	for _, id := range parts {
		d.Parts = append(d.Parts, figurePart{id, figureLabels[id]})
	}
	part, _ := strconv.Atoi(q.Get("phan"))
	after, _ := strconv.ParseInt(q.Get("sau"), 10, 64)
	d.First, _ = strconv.Atoi(q.Get("stt"))
	if part < 0 || part >= len(parts) || after < 0 {
		part, after = 0, 0
	}
	if d.First < 1 {
		d.First = 1
	}
	agencies, err := u.srv.Service.AgencyIndex(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d.AgencyName = "Toàn tỉnh"
	if a, ok := agencies[agency]; ok {
		d.AgencyName = a.Name
	}

	// Fill the page from the parts in turn, continuing where the previous
	// page stopped: a part's list continues after any dossier of it, so a
	// cut part continues after the last dossier shown.
	now := u.srv.Service.Now()
	nextPart, nextAfter := -1, int64(0)
	for k := part; k < len(parts) && nextPart < 0; k++ {
		a := int64(0)
		if k == part {
			a = after
		}
		for {
			pg, err := u.srv.Service.ReportDossiers(ctx, p, agency, parts[k], a)
			if err != nil {
				u.fail(w, r, err)
				return
			}
			room := pageSize - len(d.Rows)
			ds := pg.Dossiers
			if len(ds) > room {
				ds = ds[:room]
			}
			for _, x := range ds {
				st := &x.Status
				d.Rows = append(d.Rows, drillRow{N: d.First + len(d.Rows), Part: figureLabels[parts[k]], Code: x.Code, ProcedureCode: x.ProcedureCode,
					Procedure: x.ProcedureName, State: st.State.Label(), ReceivedAt: st.ReceivedAt, DueAt: st.DueAt, FinishedAt: st.FinishedAt,
					Verdict: st.Result(now, motcua.VietnamTime), Supplements: len(st.Supplements)})
			}
			full := len(d.Rows) == pageSize
			switch {
			case len(ds) < len(pg.Dossiers): // cut: continue this part after the last shown
				nextPart, nextAfter = k, ds[len(ds)-1].ID
			case pg.Next != 0 && full:
				nextPart, nextAfter = k, pg.Next
			case pg.Next != 0:
				a = pg.Next
				continue
			case full && k+1 < len(parts):
				// The page ends with this part: the next page starts
				// with the next part that has dossiers, if any (no
				// empty last page).
				for j := k + 1; j < len(parts) && nextPart < 0; j++ {
					pg, err := u.srv.Service.ReportDossiers(ctx, p, agency, parts[j], 0)
					if err != nil {
						u.fail(w, r, err)
						return
					}
					if len(pg.Dossiers) > 0 {
						nextPart = j
					}
				}
				if nextPart < 0 {
					nextPart = len(parts) // nothing left: stop the outer loop
				}
			}
			break
		}
	}
	if nextPart == len(parts) {
		nextPart = -1
	}
	if nextPart >= 0 {
		nq := cloneQuery(q)
		nq.Set("phan", strconv.Itoa(nextPart))
		nq.Set("sau", strconv.FormatInt(nextAfter, 10))
		nq.Set("stt", strconv.Itoa(d.First+len(d.Rows)))
		d.Next = "/bao-cao/ho-so?" + nq.Encode()
	}
	if d.First == 1 && part == 0 && after == 0 {
		if err := u.figureValue(r, d, p, agency, col, parts[0]); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	back := url.Values{"tu": {isoDay(p.From)}, "den": {isoDay(p.To)}}
	if col > 0 {
		d.Back = "/bao-cao/06a?" + back.Encode()
	} else {
		back.Set("don-vi", strconv.FormatInt(agency, 10))
		d.Back = "/bao-cao/chi-so-766?" + back.Encode()
	}
	u.render(w, r, http.StatusOK, "reportdossiers", &page{Title: d.Title, Section: "reports", Data: d})
}

// figureValue puts on the first page the figure as the report gives it, so
// that the reader can check the list against it.
func (u *UI) figureValue(r *http.Request, d *drillData, p motcua.Period, agency int64, col int, fig string) error {
	if col > 0 {
		rep, err := u.srv.Service.Report06a(r.Context(), p, service.SourceBase)
		if err != nil {
			return err
		}
		row := rep.Total
		if agency != 0 {
			row = motcua.Row06a{}
			for _, x := range rep.Rows {
				if x.AgencyID == agency {
					row = x
				}
			}
		}
		d.Figure, d.HasFigure = row.Col(col), true
		return nil
	}
	rep, err := u.srv.Service.Index766(r.Context(), p)
	if err != nil {
		return err
	}
	for _, res := range rep.Units {
		if res.AgencyID != agency {
			continue
		}
		for _, v := range res.Values {
			if v.Status != "ok" {
				continue
			}
			switch {
			case fig == "766.2.1" && v.ID == "2.1":
				d.Figure, d.HasFigure = v.Den, true
			case fig == "766.2.1-late" && v.ID == "2.1":
				d.Figure, d.HasFigure = v.Den-v.Num, true
			case fig == "766.R" && v.ID == "4.2":
				d.Figure, d.HasFigure = v.Den, true
			case fig == "766."+v.ID:
				d.Figure, d.HasFigure = v.Num, true
			}
		}
	}
	return nil
}

func cloneQuery(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// firstMessage returns a message recorded on f.
func firstMessage(f *form) string {
	for _, k := range []string{"ky", "nam", "quy", "thang", "tu", "den"} {
		if m := f.Err(k); m != "" {
			return m
		}
	}
	return f.Message
}
