package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/xlsx"
)

// period reads from= and to= (YYYY-MM-DD, Vietnam time); both default to
// the current month up to today.
func (a *API) period(r *http.Request) (motcua.Period, error) {
	q := r.URL.Query()
	now := a.srv.Service.Now().In(motcua.VietnamTime)
	p := motcua.Period{From: motcua.DayOf(time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, motcua.VietnamTime)), To: motcua.DayOf(now)}
	for _, x := range []struct {
		name string
		dst  *motcua.Day
	}{{"from", &p.From}, {"to", &p.To}} {
		if s := q.Get(x.name); s != "" {
			t, err := time.ParseInLocation("2006-01-02", s, motcua.VietnamTime)
			if err != nil {
				return p, motcua.FieldError(x.name, "date_malformed", "Ngày phải theo dạng 2025-03-31.")
			}
			*x.dst = motcua.DayOf(t.Add(12 * time.Hour))
		}
	}
	return p, p.Validate()
}

type agencyNames map[int64]string

func (a *API) names(r *http.Request) (agencyNames, map[int64]*motcua.Agency, error) {
	byID, err := a.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		return nil, nil, err
	}
	n := agencyNames{}
	for id, ag := range byID {
		n[id] = ag.Name
	}
	return n, byID, nil
}

// header is the title block of exported reports: the province reports to
// the Government Office.
func header(byID map[int64]*motcua.Agency) xlsx.Header {
	h := xlsx.Header{Reporter: "Ủy ban nhân dân tỉnh", Receiver: "Văn phòng Chính phủ"}
	for _, ag := range byID {
		if ag.ParentID == 0 && ag.Level == motcua.LevelProvince { // not a vertical agency without a parent
			h.Reporter = ag.Name
		}
	}
	return h
}

func attachment(w http.ResponseWriter, name, contentType string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

type row06aJSON struct {
	Agency  *agencyRef       `json:"agency,omitempty"` // absent on the total
	Columns map[string]int64 `json:"columns"`
}

func columns06a(r motcua.Row06a) map[string]int64 {
	m := map[string]int64{}
	for c := 3; c <= 13; c++ {
		m[strconv.Itoa(c)] = r.Col(c)
	}
	m["9_waiting"] = r.Waiting
	return m
}

func (a *API) report06a(w http.ResponseWriter, r *http.Request) {
	p, err := a.period(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	var rep *motcua.Report06a
	if view := r.URL.Query().Get("view"); view != "" {
		rep, err = a.srv.Service.Report06aView(r.Context(), p, r.URL.Query().Get("source"), view)
	} else {
		rep, err = a.srv.Service.Report06a(r.Context(), p, r.URL.Query().Get("source"))
	}
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	names, byID, err := a.names(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	file := exportName("bao-cao-06a", p)
	switch r.URL.Query().Get("format") {
	case "xlsx":
		attachment(w, file+".xlsx", xlsxType)
		if err := xlsx.Report06a(w, rep, names, header(byID)); err != nil {
			web.LogError(r, err)
		}
	case "csv":
		attachment(w, file+".csv", "text/csv; charset=utf-8")
		cw := newCSV(w)
		// Column headings as on the form: "(3) Số hồ sơ nhận giải quyết –
		// Tổng số", the column number first so that the CSV maps to it.
		head := []string{"Mã định danh cơ quan", "Đơn vị"}
		for _, c := range motcua.Columns06a[2:] {
			head = append(head, "("+strconv.Itoa(c.N)+") "+c.Group+" – "+c.Heading)
		}
		cw.Write(head)
		write := func(code, name string, r motcua.Row06a) {
			rec := []string{code, name}
			for c := 3; c <= 13; c++ {
				rec = append(rec, strconv.FormatInt(r.Col(c), 10))
			}
			cw.Write(rec)
		}
		for _, row := range rep.Rows {
			code := ""
			if ag := byID[row.AgencyID]; ag != nil {
				code = ag.Code
			}
			write(code, names[row.AgencyID], row)
		}
		write("", "Tổng cộng", rep.Total)
		cw.Flush()
	case "", "json":
		out := struct {
			Period string       `json:"period"`
			From   string       `json:"from"`
			To     string       `json:"to"`
			Source string       `json:"source"`
			Rows   []row06aJSON `json:"rows"`
			Total  row06aJSON   `json:"total"`

			// AsOf: every change up to it is counted (a replica may lag).
			AsOf        time.Time `json:"as_of"`
			FromReplica bool      `json:"from_replica"`
		}{Period: p.String(), From: dateOf(p.From), To: dateOf(p.To), Source: rep.Source, Rows: []row06aJSON{},
			Total: row06aJSON{Columns: columns06a(rep.Total)}, AsOf: rep.AsOf, FromReplica: rep.FromReplica}
		for _, row := range rep.Rows {
			out.Rows = append(out.Rows, row06aJSON{Agency: refOf(byID, row.AgencyID), Columns: columns06a(row)})
		}
		web.WriteJSON(w, http.StatusOK, out)
	default:
		web.WriteError(w, r, motcua.FieldError("format", "format_unknown", "Định dạng phải là json, csv hoặc xlsx."))
	}
}

// exportName names an export of a report for period p, without extension:
// prefix-yyyymmdd-yyyymmdd.
func exportName(prefix string, p motcua.Period) string {
	day := func(d motcua.Day) string { return d.Start().In(motcua.VietnamTime).Format("20060102") }
	return prefix + "-" + day(p.From) + "-" + day(p.To)
}

func dateOf(d motcua.Day) string { return d.Start().In(motcua.VietnamTime).Format("2006-01-02") }

type unitJSON struct {
	Agency    *agencyRef              `json:"agency,omitempty"` // absent for the province
	Points    float64                 `json:"points"`
	Available float64                 `json:"available"`
	Values    []motcua.IndicatorValue `json:"values"`
}

func (a *API) index766(w http.ResponseWriter, r *http.Request) {
	p, err := a.period(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	var rep *motcua.IndexReport
	if view := r.URL.Query().Get("view"); view != "" {
		rep, err = a.srv.Service.Index766ViewFrom(r.Context(), p, r.URL.Query().Get("source"), view)
	} else if source := r.URL.Query().Get("source"); source != "" {
		rep, err = a.srv.Service.Index766From(r.Context(), p, source)
	} else {
		rep, err = a.srv.Service.Index766(r.Context(), p)
	}
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	names, byID, err := a.names(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	file := exportName("chi-so-766", p)
	switch r.URL.Query().Get("format") {
	case "xlsx":
		attachment(w, file+".xlsx", xlsxType)
		if err := xlsx.Index766(w, rep, names, header(byID)); err != nil {
			web.LogError(r, err)
		}
	case "csv":
		attachment(w, file+".csv", "text/csv; charset=utf-8")
		cw := newCSV(w)
		cw.Write([]string{"Mã định danh cơ quan", "Đơn vị", "Chỉ số", "Tình trạng", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm đạt", "Điểm tối đa", "Lý do"})
		for _, u := range rep.Units {
			code, name := "", "Toàn tỉnh"
			if ag := byID[u.AgencyID]; ag != nil {
				code, name = ag.Code, ag.Name
			}
			for _, v := range u.Values {
				cw.Write([]string{code, name, v.ID, v.Status, strconv.FormatInt(v.Num, 10), strconv.FormatInt(v.Den, 10),
					strconv.FormatFloat(v.Ratio, 'f', 4, 64), strconv.FormatFloat(v.Points, 'f', 4, 64),
					strconv.FormatFloat(v.MaxPoints, 'f', 2, 64), v.Reason})
			}
			// The unit's total: points reached of the points the
			// indicators with data can give.
			cw.Write([]string{code, name, "Tổng cộng", "", "", "", "", strconv.FormatFloat(u.Points, 'f', 4, 64),
				strconv.FormatFloat(u.Available, 'f', 2, 64), ""})
		}
		cw.Flush()
	case "", "json":
		out := struct {
			Period     string                    `json:"period"`
			From       string                    `json:"from"`
			To         string                    `json:"to"`
			Source     string                    `json:"source"`
			Groups     []motcua.IndexGroup       `json:"groups"`
			Indicators []motcua.Indicator        `json:"indicators"`
			Units      []unitJSON                `json:"units"`
			Averages   []motcua.ProcedureAverage `json:"averages"`

			AsOf        time.Time `json:"as_of"`
			FromReplica bool      `json:"from_replica"`
		}{Period: p.String(), From: dateOf(p.From), To: dateOf(p.To), Source: rep.Source, Groups: rep.Config.Groups, Indicators: rep.Config.Indicators,
			Units: []unitJSON{}, Averages: rep.Averages, AsOf: rep.AsOf, FromReplica: rep.FromReplica}
		if out.Averages == nil {
			out.Averages = []motcua.ProcedureAverage{}
		}
		for _, u := range rep.Units {
			j := unitJSON{Agency: refOf(byID, u.AgencyID), Points: u.Points, Available: u.Available, Values: u.Values}
			out.Units = append(out.Units, j)
		}
		web.WriteJSON(w, http.StatusOK, out)
	default:
		web.WriteError(w, r, motcua.FieldError("format", "format_unknown", "Định dạng phải là json, csv hoặc xlsx."))
	}
}

type figureDossierJSON struct {
	Code          string            `json:"code"`
	ProcedureCode string            `json:"procedure_code"`
	ProcedureName string            `json:"procedure_name"`
	Agency        *agencyRef        `json:"agency"`
	State         motcua.State      `json:"state"`
	StateLabel    string            `json:"state_label"`
	ReceivedAt    time.Time         `json:"received_at,omitzero"`
	DueAt         time.Time         `json:"due_at,omitzero"`
	FinishedAt    time.Time         `json:"finished_at,omitzero"`
	Timeliness    motcua.Timeliness `json:"timeliness,omitempty"`
	Supplements   int               `json:"supplements"`
}

func (a *API) reportDossiers(w http.ResponseWriter, r *http.Request) {
	p, err1 := a.period(r)
	agency, err2 := queryInt(r, "agency_id")
	after, err3 := queryInt(r, "after")
	if err := firstErr(err1, err2, err3); err != nil {
		web.WriteError(w, r, err)
		return
	}
	page, err := a.srv.Service.ReportDossiers(r.Context(), p, agency, r.URL.Query().Get("figure"), after)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	_, byID, err := a.names(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]figureDossierJSON, 0, len(page.Dossiers))
	for _, d := range page.Dossiers {
		st := &d.Status
		items = append(items, figureDossierJSON{Code: d.Code, ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName,
			Agency: refOf(byID, d.CompetentAgencyID), State: st.State, StateLabel: st.State.Label(), ReceivedAt: vn(st.ReceivedAt),
			DueAt: vn(st.DueAt), FinishedAt: vn(st.FinishedAt), Timeliness: st.Result(a.srv.Service.Now(), motcua.VietnamTime),
			Supplements: len(st.Supplements)})
	}
	next := ""
	if page.Next != 0 {
		next = strconv.FormatInt(page.Next, 10)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next": next})
}
