package ui

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/chart"
	"github.com/motcua/motcua/service"
)

// statsData is what the statistics pages share: the period selector and
// the period chosen.
type statsData struct {
	Choices periodOptions
	// Action is the page the selector reloads; Hidden are the page's
	// other parameters it keeps (name, value pairs).
	Action string
	Hidden []option
	// Sources, when set, offers the choice of how report 06a is computed.
	Sources []option
	// Views, when set, offers the reports' views across mergers of
	// agencies (mergerViews).
	Views  []option
	Period statPeriod
	// Shown is false when the period is wrong: the page then shows only
	// the selector with its messages.
	Shown bool
}

// dashView is a dashboard as the public and staff pages draw it: each
// chart is followed by a small table of the same figures, so that people
// who compare numbers can read them exactly.
type dashView struct {
	statsData
	Staff bool
	// Headline figures, already formatted ("96,4 %", or "—" when nothing
	// was counted).
	OnTime, OnlineShare, DigitizedShare string
	Handled, Received, Overdue          int64
	// Waiting are the dossiers waiting for a supplement, which report
	// 06a counts handled and this page does not (shown with the reason).
	Waiting int64
	Year    int

	ChannelChart, OverdueChart, MonthChart, RateChart template.HTML
	Channels                                          []figureRow
	OverdueRows                                       []figureRow
	Months                                            []monthRow
	// Links of the staff dashboard (empty on the public one).
	OnlineHref, ReceivedHref, DigitizedHref, OverdueHref string
}

// figureRow is a line of a chart's table.
type figureRow struct {
	Label string
	N     int64
	Share string
	Href  string
}

// monthRow is a month of the trends' table.
type monthRow struct {
	Label                   string
	Online, Direct, Handled int64
	Rate                    string
	OnlineHref, DirectHref  string
}

// share formats num/den as a Vietnamese percentage, "—" when den is 0 (no
// dossier: a rate of nothing is not 0 %).
func share(num, den int64) string {
	if den == 0 {
		return "—"
	}
	return chart.Number(100*float64(num)/float64(den)) + " %"
}

// rate formats a ratio in [0, 1] as a percentage, "—" when undefined.
func rate(r float64, defined bool) string {
	if !defined {
		return "—"
	}
	return chart.Number(100*r) + " %"
}

// newStatsData reads the period of a statistics page from its query.
func (u *UI) newStatsData(r *http.Request, action string) (*statsData, *form) {
	f := newForm(r.URL.Query())
	p, ok := readPeriod(f, u.srv.Service.Now())
	return &statsData{Choices: periodChoices, Action: action, Period: p, Shown: ok}, f
}

// stats is the public statistics page: the province's figures for a
// period, drawn and tabled, without login and without personal data.
func (u *UI) stats(w http.ResponseWriter, r *http.Request) {
	sd, f := u.newStatsData(r, "/thong-ke")
	u.showDashboard(w, r, "stats", "Thống kê giải quyết thủ tục hành chính", "stats", sd, f, false)
}

// showDashboard renders a dashboard page for sd's period; staff dashboards
// link their figures to the dossiers behind them.
func (u *UI) showDashboard(w http.ResponseWriter, r *http.Request, name, title, section string, sd *statsData, f *form, staff bool) {
	v := &dashView{statsData: *sd, Staff: staff}
	if !sd.Shown {
		u.render(w, r, http.StatusUnprocessableEntity, name, &page{Title: title, Section: section, Form: f, Data: v})
		return
	}
	d, err := u.srv.Service.Dashboard(r.Context(), sd.Period.Period)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	agencies, err := u.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.fillDashboard(v, d, agencies)
	u.render(w, r, http.StatusOK, name, &page{Title: title, Section: section, Form: f, Data: v})
}

// drillHref is the address of the list of dossiers behind a figure: a
// column of report 06a (col > 0) or a figure of the index, for an agency
// (0: the province) and a period.
func drillHref(p motcua.Period, agency int64, col int, figure string) string {
	q := url.Values{"tu": {isoDay(p.From)}, "den": {isoDay(p.To)}, "don-vi": {strconv.FormatInt(agency, 10)}}
	if col > 0 {
		q.Set("cot", strconv.Itoa(col))
	} else {
		q.Set("chi-tieu", figure)
	}
	return "/bao-cao/ho-so?" + q.Encode()
}

func (u *UI) fillDashboard(v *dashView, d *service.Dashboard, agencies map[int64]*motcua.Agency) {
	p := v.Period.Period
	v.Handled, v.Received, v.Waiting = d.Handled, d.ReceivedTotal, d.Waiting
	v.OnTime = rate(d.OnTimeRate, d.Handled > 0)
	v.OnlineShare = rate(d.OnlineRate, d.ReceivedTotal > 0)
	v.DigitizedShare = rate(d.DigitizedRate, d.ReceivedTotal > 0)
	if v.Staff {
		v.OnlineHref = drillHref(p, 0, 4, "")
		v.ReceivedHref = drillHref(p, 0, 0, "766.R")
		v.DigitizedHref = drillHref(p, 0, 0, "766.4.2")
		v.OverdueHref = drillHref(p, 0, 13, "")
	}

	channels := []chart.Bar{{Label: "Trực tiếp", Value: float64(d.Counter)}, {Label: "Trực tuyến", Value: float64(d.Online)},
		{Label: "Dịch vụ bưu chính", Value: float64(d.Post)}}
	for i, c := range channels {
		row := figureRow{Label: c.Label, N: int64(c.Value), Share: share(int64(c.Value), d.ReceivedTotal)}
		if i == 1 {
			row.Href = v.OnlineHref
		}
		v.Channels = append(v.Channels, row)
	}
	v.ChannelChart = svgHTML(chart.Share("Hồ sơ tiếp nhận theo kênh nộp",
		fmt.Sprintf("%s hồ sơ tiếp nhận %s", chart.Number(float64(d.ReceivedTotal)), lower(p.String())), channels))

	var bars []chart.Bar
	for _, a := range d.Overdue {
		name := "Đơn vị " + strconv.FormatInt(a.AgencyID, 10)
		if ag, ok := agencies[a.AgencyID]; ok {
			name = ag.Name
		}
		row := figureRow{Label: name, N: a.N}
		if v.Staff {
			row.Href = drillHref(p, a.AgencyID, 13, "")
		}
		v.Overdue += a.N
		v.OverdueRows = append(v.OverdueRows, row)
		bars = append(bars, chart.Bar{Label: name, Value: float64(a.N), Href: row.Href})
	}
	if len(bars) > 0 {
		v.OverdueChart = svgHTML(chart.HBars("Hồ sơ đang giải quyết quá hạn theo đơn vị",
			"Số hồ sơ chưa giải quyết xong và đã quá hạn vào ngày "+vnDay(p.To), "hồ sơ", bars))
	}

	end := p.To.Start().In(motcua.VietnamTime)
	v.Year = end.Year()
	var cats []string
	online, direct := chart.Series{Name: "Trực tuyến"}, chart.Series{Name: "Trực tiếp, bưu chính"}
	onTime := chart.Series{Name: "Tỷ lệ đúng hạn"}
	for _, m := range d.Months {
		cat := "T" + strconv.Itoa(int(m.Month))
		cats = append(cats, cat)
		row := monthRow{Label: fmt.Sprintf("Tháng %d/%d", m.Month, v.Year), Online: m.Online, Direct: m.Direct, Handled: m.Handled,
			Rate: rate(m.OnTimeRate, m.HasHandled)}
		if v.Staff {
			// The month as the dashboard counts it: from its first day to
			// its last, or to the period's end.
			mp := motcua.Period{From: dayOf(v.Year, m.Month, 1), To: dayOf(v.Year, m.Month+1, 0)}
			if mp.To > p.To {
				mp.To = p.To
			}
			row.OnlineHref, row.DirectHref = drillHref(mp, 0, 4, ""), drillHref(mp, 0, 5, "")
		}
		v.Months = append(v.Months, row)
		online.Values = append(online.Values, float64(m.Online))
		online.Hrefs = append(online.Hrefs, row.OnlineHref)
		direct.Values = append(direct.Values, float64(m.Direct))
		direct.Hrefs = append(direct.Hrefs, row.DirectHref)
		r := math.NaN() // no point for a month without handled dossiers
		if m.HasHandled {
			r = 100 * m.OnTimeRate
		}
		onTime.Values = append(onTime.Values, r)
	}
	year := strconv.Itoa(v.Year)
	v.MonthChart = svgHTML(chart.Columns("Hồ sơ tiếp nhận theo tháng năm "+year, "Số hồ sơ tiếp nhận mỗi tháng, trực tuyến và trực tiếp (gồm bưu chính)",
		"hồ sơ", cats, []chart.Series{online, direct}))
	v.RateChart = svgHTML(chart.Lines("Tỷ lệ giải quyết đúng hạn theo tháng năm "+year,
		"Phần trăm hồ sơ giải quyết trước hạn hoặc đúng hạn trong số hồ sơ đã giải quyết của mỗi tháng", cats, []chart.Series{onTime}, 0))
}

// svgHTML marks a chart as safe to inline: package chart escapes every
// text it writes.
func svgHTML(b []byte) template.HTML { return template.HTML(b) }

// lower turns the period's "Từ ngày …" into "từ ngày …" for use inside a
// sentence.
func lower(s string) string {
	if len(s) > 0 && s[0] == 'T' {
		return "t" + s[1:]
	}
	return s
}
