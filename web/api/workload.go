package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// loadJSON is the open work of an officer or an agency. Durations are in
// minutes (working time for handling).
type loadJSON struct {
	Open               int     `json:"open"`
	DueSoon            int     `json:"due_soon"`
	Overdue            int     `json:"overdue"`
	Overloaded         bool    `json:"overloaded"`
	AvgHandlingMinutes int     `json:"avg_handling_minutes"`
	HandledSteps       int     `json:"handled_steps,omitempty"`
	FinishedLast30Days int     `json:"finished_last_30_days,omitempty"`
	UnassignedOpen     int     `json:"unassigned,omitempty"`
	Staff              int     `json:"staff,omitempty"`
	Congested          bool    `json:"congested,omitempty"`
	ReceivedToday      int     `json:"received_today,omitempty"`
	ReceivedPerDay     float64 `json:"received_per_day,omitempty"`
}

type officerJSON struct {
	UserID   int64  `json:"user_id"`
	FullName string `json:"full_name"`
	loadJSON
	Suggest []int64 `json:"suggest,omitempty"`
}

type agencyLoadJSON struct {
	Agency *agencyRef `json:"agency"`
	loadJSON
	OpenPerOfficer float64 `json:"open_per_officer"`
}

type pointLoadJSON struct {
	ReceptionPointID int64  `json:"reception_point_id"`
	Name             string `json:"name"`
	Open             int    `json:"open"`
	Overdue          int    `json:"overdue"`
}

func mins(d time.Duration) int { return int(d.Round(time.Minute) / time.Minute) }

func agencyLoadOf(byID map[int64]*motcua.Agency, a *service.AgencyLoad) agencyLoadJSON {
	return agencyLoadJSON{Agency: refOf(byID, a.Agency.ID), OpenPerOfficer: a.PerOfficer, loadJSON: loadJSON{
		Open: a.Open, DueSoon: a.DueSoon, Overdue: a.Overdue, Overloaded: a.Overloaded, Congested: a.Congested,
		AvgHandlingMinutes: mins(a.AvgHandling), FinishedLast30Days: int(a.Finished), UnassignedOpen: a.Unassigned, Staff: a.Staff,
		ReceivedToday: int(a.ReceivedToday), ReceivedPerDay: a.ReceivedPerDay}}
}

func officerOf(o *service.OfficerLoad) officerJSON {
	j := officerJSON{UserID: o.User.ID, FullName: o.User.FullName, loadJSON: loadJSON{Open: o.Open, DueSoon: o.DueSoon, Overdue: o.Overdue,
		Overloaded: o.Overloaded, AvgHandlingMinutes: mins(o.AvgHandling), HandledSteps: o.Handled}}
	for _, s := range o.Suggest {
		j.Suggest = append(j.Suggest, s.User.ID)
	}
	return j
}

// workload answers GET /workload?agency_id=: an agency's load, with every
// officer's for those who may see them, or the caller's own row.
func (a *API) workload(w http.ResponseWriter, r *http.Request) {
	id, err := queryInt(r, "agency_id")
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	u, err := a.srv.Service.UnitWorkload(r.Context(), id)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	_, byID, err := a.names(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out := map[string]any{"at": vn(u.At), "limit": u.Limit, "agency": agencyLoadOf(byID, &u.AgencyLoad)}
	officers := []officerJSON{}
	for _, o := range u.Officers {
		officers = append(officers, officerOf(o))
	}
	out["officers"] = officers
	if u.Own != nil {
		out["own"] = officerOf(u.Own)
	}
	points := []pointLoadJSON{}
	for _, p := range u.Points {
		points = append(points, pointLoadJSON{ReceptionPointID: p.Point.ID, Name: p.Point.Name, Open: p.Open, Overdue: p.Overdue})
	}
	out["reception_points"] = points
	web.WriteJSON(w, http.StatusOK, out)
}

// provinceWorkload answers GET /workload/province.
func (a *API) provinceWorkload(w http.ResponseWriter, r *http.Request) {
	p, err := a.srv.Service.ProvinceWorkload(r.Context())
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	_, byID, err := a.names(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]agencyLoadJSON, 0, len(p.Agencies))
	for _, x := range p.Agencies {
		items = append(items, agencyLoadOf(byID, x))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"at": vn(p.At), "limit": p.Limit, "agencies": items})
}

// queueFiguresJSON are waits and services in seconds.
type queueFiguresJSON struct {
	Key               string  `json:"key,omitempty"`
	Issued            int     `json:"issued"`
	Called            int     `json:"called"`
	Served            int     `json:"served"`
	Skipped           int     `json:"skipped"`
	Dossiers          int     `json:"dossiers"`
	AvgWaitSeconds    int64   `json:"avg_wait_seconds"`
	MaxWaitSeconds    int64   `json:"max_wait_seconds"`
	AvgServiceSeconds int64   `json:"avg_service_seconds"`
	WithinTargetShare float64 `json:"within_target_share"`
	OverTarget        bool    `json:"over_target"`
}

func figuresOf(key string, f service.QueueFigures) queueFiguresJSON {
	return queueFiguresJSON{Key: key, Issued: f.Issued, Called: f.Called, Served: f.Served, Skipped: f.Skipped, Dossiers: f.Dossiers,
		AvgWaitSeconds: int64(f.AvgWait / time.Second), MaxWaitSeconds: int64(f.MaxWait / time.Second),
		AvgServiceSeconds: int64(f.AvgService / time.Second), WithinTargetShare: f.WithinShare, OverTarget: f.OverTarget}
}

// queueStats answers GET /queue/stats?reception_point_id=&from=&to=.
func (a *API) queueStats(w http.ResponseWriter, r *http.Request) {
	p, err1 := a.period(r)
	point, err2 := queryInt(r, "reception_point_id")
	if err := firstErr(err1, err2); err != nil {
		web.WriteError(w, r, err)
		return
	}
	st, err := a.srv.Service.QueueReport(r.Context(), point, p.From, p.To)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	rows := func(rs []service.QueueRow) []queueFiguresJSON {
		out := []queueFiguresJSON{}
		for _, x := range rs {
			out = append(out, figuresOf(x.Key, x.QueueFigures))
		}
		return out
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"reception_point_id": point, "target_wait_seconds": int64(st.Target / time.Second),
		"all": figuresOf("", st.All), "by_counter": rows(st.ByCounter), "by_area": rows(st.ByArea)})
}
