package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/chart"
)

// indexData is the QĐ 766 index page: every unit's total, and the groups
// and indicators of the unit chosen.
type indexData struct {
	statsData
	// AsOf and Replica are as in report06aData.
	AsOf     string
	Replica  bool
	Units    []unitSummary
	Unit     unitDetail
	Averages []motcua.ProcedureAverage
	// Province says the chosen unit is the province, for which the
	// averages of indicator 2.2 (computed province-wide) are shown.
	Province  bool
	XLSX, CSV string
}

// unitSummary is a unit's line in the table of all units.
type unitSummary struct {
	ID                int64
	Name, Level       string
	Points, Available string
	Href              string
	Current           bool
}

// unitDetail is the chosen unit's index.
type unitDetail struct {
	Name              string
	Points, Available string
	Groups            []groupView
}

// groupView is a group of indicators with the points it earned of its
// maximum.
type groupView struct {
	N                 int
	Name              string
	Max               string
	Points, Available string
	Indicators        []indicatorView
}

// indicatorView is one indicator: its figures (linked to the dossiers
// behind them where such a list exists), ratio, points and scoring rule,
// or the reason it has no figure.
type indicatorView struct {
	ID, Name, Rule   string
	Status, Reason   string
	Num, Den         int64
	NumHref, DenHref string
	// Late is, for 2.1, the dossiers not on time (Den − Num).
	Late     int64
	LateHref string
	Ratio    string
	Points   string
	Max      string
}

// figure766 names the figure ids of the dossiers behind an indicator's
// numerator and denominator (service.Figures); "" where no list exists.
var figure766 = map[string][2]string{
	"3.3":  {"", "766.R"},
	"4.2":  {"766.4.2", "766.R"},
	"4.3":  {"766.4.3", "766.R"},
	"4.5b": {"766.4.5b", "766.R"},
	"2.1":  {"", "766.2.1"},
}

// index766 shows the QĐ 766 index of a period for the province, each
// agency and each commune with dossiers in the period.
func (u *UI) index766(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	sd, f := u.newStatsData(r, "/bao-cao/chi-so-766")
	sd.Views = mergerViews
	d := &indexData{statsData: *sd}
	const title = "Chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ (QĐ 766)"
	show := func(status int) {
		u.render(w, r, status, "index766", &page{Title: title, Section: "reports", Form: f, Data: d})
	}
	chosen, err := strconv.ParseInt(strings.TrimSpace(f.Get("don-vi")), 10, 64)
	if f.Get("don-vi") == "" {
		chosen, err = 0, nil
	}
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.EINVALID, "agency_malformed", "Mã đơn vị cần xem không hợp lệ."))
		return
	}
	d.Hidden = []option{{"don-vi", strconv.FormatInt(chosen, 10)}}
	if !sd.Shown {
		show(http.StatusUnprocessableEntity)
		return
	}
	rep, err := u.srv.Service.Index766View(r.Context(), sd.Period.Period, mergerView(f))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	agencies, err := u.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := sd.Period.Period
	name := func(id int64) (string, string) {
		if id == 0 {
			return "Toàn tỉnh", "Tỉnh"
		}
		if a, ok := agencies[id]; ok {
			return a.Name, a.Level.Label()
		}
		return "Đơn vị " + strconv.FormatInt(id, 10), ""
	}
	var unit *motcua.IndexResult
	for i := range rep.Units {
		res := &rep.Units[i]
		n, level := name(res.AgencyID)
		q := url.Values{"tu": {isoDay(p.From)}, "den": {isoDay(p.To)}, "don-vi": {strconv.FormatInt(res.AgencyID, 10)}}
		s := unitSummary{ID: res.AgencyID, Name: n, Level: level, Points: decimal(res.Points), Available: decimal(res.Available),
			Href: "/bao-cao/chi-so-766?" + q.Encode() + "#chi-tiet", Current: res.AgencyID == chosen}
		if res.AgencyID == chosen {
			unit = res
		}
		if res.AgencyID == 0 { // the province first
			d.Units = append([]unitSummary{s}, d.Units...)
		} else {
			d.Units = append(d.Units, s)
		}
	}
	if unit == nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "unit_not_in_index",
			"Đơn vị này không có trong chỉ số của kỳ đã chọn (không phát sinh hồ sơ trong kỳ)."))
		return
	}
	d.Unit = u.unitDetail(rep.Config, unit, p)
	d.Unit.Name, _ = name(unit.AgencyID)
	d.Province = unit.AgencyID == 0
	if d.Province {
		d.Averages = rep.Averages
	}
	q := url.Values{"from": {isoDay(p.From)}, "to": {isoDay(p.To)}, "view": {mergerView(f)}}
	q.Set("format", "xlsx")
	d.XLSX = "/api/v1/reports/index766?" + q.Encode()
	d.AsOf, d.Replica = motcua.FormatDateTime(rep.AsOf), rep.FromReplica
	q.Set("format", "csv")
	d.CSV = "/api/v1/reports/index766?" + q.Encode()
	show(http.StatusOK)
}

// unitDetail lays a unit's indicators out by group, in the configuration's
// order.
func (u *UI) unitDetail(cfg motcua.IndexConfig, res *motcua.IndexResult, p motcua.Period) unitDetail {
	out := unitDetail{Points: decimal(res.Points), Available: decimal(res.Available)}
	values := map[string]motcua.IndicatorValue{}
	for _, v := range res.Values {
		values[v.ID] = v
	}
	for _, g := range cfg.Groups {
		gv := groupView{N: g.N, Name: g.Name, Max: decimal(g.Points)}
		var pts, avail float64
		for _, ind := range cfg.Indicators {
			if ind.Group != g.N {
				continue
			}
			v, ok := values[ind.ID]
			if !ok {
				continue
			}
			iv := indicatorView{ID: ind.ID, Name: ind.Name, Rule: ruleText(ind), Status: v.Status, Reason: v.Reason,
				Num: v.Num, Den: v.Den, Max: decimal(ind.Points)}
			if v.Status == "ok" {
				iv.Ratio = chart.Number(100*v.Ratio) + " %"
				iv.Points = decimal(v.Points)
				pts += v.Points
				avail += v.MaxPoints
				if f, ok := figure766[ind.ID]; ok {
					if f[0] != "" {
						iv.NumHref = drillHref(p, res.AgencyID, 0, f[0])
					}
					if f[1] != "" {
						iv.DenHref = drillHref(p, res.AgencyID, 0, f[1])
					}
				}
				if ind.ID == "2.1" {
					iv.Late = v.Den - v.Num
					iv.LateHref = drillHref(p, res.AgencyID, 0, "766.2.1-late")
				}
			}
			gv.Indicators = append(gv.Indicators, iv)
		}
		gv.Points, gv.Available = decimal(pts), decimal(avail)
		out.Groups = append(out.Groups, gv)
	}
	return out
}

// ruleText states how an indicator's points follow from its ratio
// (motcua.Indicator.Score), in Vietnamese.
func ruleText(ind motcua.Indicator) string {
	switch {
	case ind.DisplayOnly:
		return "Chỉ hiển thị, không tính điểm."
	case ind.Points == 0:
		s := "Chưa tính điểm: số điểm của chỉ tiêu chưa được xác nhận."
		if ind.Threshold > 0 {
			s += " Ngưỡng " + decimal(100*ind.Threshold) + " %."
		}
		return s
	case ind.Threshold > 0 && ind.Threshold < 1:
		t, p := decimal(100*ind.Threshold), decimal(ind.Points)
		return "Tỷ lệ từ " + t + " % trở lên: " + p + " điểm; thấp hơn: tỷ lệ × " + p + " ÷ " + t + " %."
	}
	p := decimal(ind.Points)
	return "Điểm = tỷ lệ × " + p + " (đủ " + p + " điểm khi đạt 100 %)."
}

// decimal writes x with at most two decimals, Vietnamese style ("19,87").
func decimal(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return strings.Replace(s, ".", ",", 1)
}
