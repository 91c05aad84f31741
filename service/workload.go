package service

import (
	"context"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// Workload defaults. An officer with 30 open dossiers has, at the usual
// 5–10 working days a step, more than a fortnight of work waiting; a
// dossier is "due soon" within one working day (8 working hours) of its
// deadline. Both are configurable (Config.WorkloadLimit,
// Config.WorkloadDueSoon).
const (
	DefaultWorkloadLimit   = 30
	DefaultWorkloadDueSoon = 8 * time.Hour
	// congestedShare is the share of overdue dossiers from which an
	// agency is congested (ùn tắc) whatever its staff.
	congestedShare = 0.2
	// workloadDays is the span of the received-per-day average,
	// handlingWindow that of the handling times.
	workloadDays   = 7
	handlingWindow = 30 * 24 * time.Hour
	// handlingSamples bounds the steps an officer's average is taken
	// over (the latest of the window), so that a busy officer's page
	// costs what a quiet one's does.
	handlingSamples = 200
	maxSuggestions  = 3
)

// OfficerLoad is one officer's open work at an agency and the handling
// time of the steps the officer finished in the last 30 days, at most the
// latest 200 (working time, from the history: from the event that brought
// the dossier to the step to the officer's own).
type OfficerLoad struct {
	User        *motcua.User
	Open        int
	DueSoon     int
	Overdue     int
	Handled     int
	AvgHandling time.Duration
	Overloaded  bool
	// Suggest are colleagues with the same role who could take dossiers,
	// the least loaded first (only for an overloaded officer).
	Suggest []*OfficerLoad
}

// PointLoad is the unfinished dossiers received at a reception point.
type PointLoad struct {
	Point         *motcua.ReceptionPoint
	Open, Overdue int
}

// AgencyLoad is an agency's (commune's, department's) open work and pace.
type AgencyLoad struct {
	Agency  *motcua.Agency
	Open    int // distinct dossiers held there now
	DueSoon int
	Overdue int
	// Unassigned is the open work waiting on a role, not on a person.
	Unassigned int
	// Staff is the number of people holding a role that handles dossiers
	// there (one-stop officers, specialists, heads).
	Staff      int
	PerOfficer float64
	// ReceivedToday and ReceivedPerDay (average over the last 7 days) are
	// the dossiers received for the agency (live counters).
	ReceivedToday  int64
	ReceivedPerDay float64
	// Finished and AvgHandling are the dossiers it settled in the last 30
	// days and their average handling time (working time).
	Finished    int64
	AvgHandling time.Duration
	// Overloaded: PerOfficer at or over the limit (quá tải); Congested:
	// a fifth or more of the open dossiers overdue (ùn tắc).
	Overloaded bool
	Congested  bool
}

// UnitWorkload is the workload page of one agency.
type UnitWorkload struct {
	AgencyLoad
	Limit int
	At    time.Time
	// Officers are every officer's loads, for heads, leaders and
	// supervisors; Own is the caller's own row (nil when the caller has
	// no work there).
	Officers []*OfficerLoad
	Own      *OfficerLoad
	Points   []PointLoad
}

// ProvinceWorkload is the supervisors' and leaders' view: every agency the
// caller oversees, the overloaded and congested first.
type ProvinceWorkload struct {
	Limit    int
	At       time.Time
	Agencies []*AgencyLoad
}

// workRoles are the roles whose holders carry dossiers.
var workRoles = []motcua.Role{motcua.RoleReception, motcua.RoleSpecialist, motcua.RoleHead}

// unitSight says what u may see of agency id's load: 0 nothing, 1 the
// unit's figures and u's own row, 2 every officer's row.
func (s *Service) unitSight(u *motcua.User, id int64, byID map[int64]*motcua.Agency) int {
	if u.Has(motcua.RoleHead, id) || s.holdsOver(u, motcua.RoleLeader, id, byID) || s.holdsOver(u, motcua.RoleSupervisor, id, byID) {
		return 2
	}
	for _, r := range motcua.HandlingRoles {
		if u.Has(r, id) {
			return 1
		}
	}
	return 0
}

// UnitWorkload returns the workload of an agency: its open, due-soon and
// overdue dossiers, its pace, the load of each officer with suggestions
// for the overloaded, and its reception points. An officer sees the unit's
// figures and their own row; heads, leaders and supervisors of the agency
// (or above) see every officer. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) UnitWorkload(ctx context.Context, agencyID int64) (*UnitWorkload, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	a := byID[agencyID]
	if a == nil {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "agency_not_found", "Không tìm thấy cơ quan, đơn vị.")
	}
	sight := s.unitSight(u, agencyID, byID)
	if sight == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "workload_not_yours", "Anh/chị không theo dõi khối lượng công việc của đơn vị này.")
	}
	now := s.now()
	soon := s.Calendar().AddWorking(now, s.cfg.WorkloadDueSoon)
	w := &UnitWorkload{Limit: s.cfg.WorkloadLimit, At: now}
	var counts []motcua.WorkCount
	var users []*motcua.User
	var samples []motcua.HandlingSample
	var points []*motcua.ReceptionPoint
	var pointOpen []motcua.PointOpen
	ids := []int64{agencyID}
	loads, err := s.agencyLoads(ctx, ids, byID, now, soon)
	if err != nil {
		return nil, err
	}
	w.AgencyLoad = *loads[0]
	err = s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if counts, err = tx.WorkCounts(ctx, ids, now, soon); err != nil {
			return err
		}
		if users, err = tx.Users(ctx, motcua.UserFilter{AgencyID: agencyID}); err != nil {
			return err
		}
		var uids []int64
		for _, x := range users {
			uids = append(uids, x.ID)
		}
		if samples, err = tx.HandlingSamples(ctx, uids, now.Add(-handlingWindow), now, handlingSamples); err != nil {
			return err
		}
		if points, err = tx.ReceptionPoints(ctx, agencyID); err != nil {
			return err
		}
		var pids []int64
		for _, p := range points {
			pids = append(pids, p.ID)
		}
		pointOpen, err = tx.PointsOpen(ctx, pids, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	officers := s.officerLoads(agencyID, users, counts, samples)
	for _, o := range officers {
		if o.User.ID == u.ID {
			w.Own = o
		}
	}
	if sight == 2 {
		w.Officers = officers
	}
	for _, p := range points {
		pl := PointLoad{Point: p}
		for _, o := range pointOpen {
			if o.ReceptionPointID == p.ID {
				pl.Open, pl.Overdue = o.Open, o.Overdue
			}
		}
		w.Points = append(w.Points, pl)
	}
	return w, nil
}

// officerLoads builds the officers' rows of an agency, with suggestions.
func (s *Service) officerLoads(agencyID int64, users []*motcua.User, counts []motcua.WorkCount, samples []motcua.HandlingSample) []*OfficerLoad {
	cal := s.Calendar()
	var out []*OfficerLoad
	for _, x := range users {
		if x.Disabled || !slices.ContainsFunc(workRoles, func(r motcua.Role) bool { return x.Has(r, agencyID) }) {
			continue
		}
		o := &OfficerLoad{User: x}
		for _, c := range counts {
			if c.AgencyID == agencyID && c.UserID == x.ID {
				o.Open += c.Open
				o.DueSoon += c.DueSoon
				o.Overdue += c.Overdue
			}
		}
		var sum time.Duration
		for _, sm := range samples {
			if sm.UserID == x.ID {
				o.Handled++
				sum += cal.WorkingBetween(sm.From, sm.To)
			}
		}
		if o.Handled > 0 {
			o.AvgHandling = (sum / time.Duration(o.Handled)).Round(time.Minute)
		}
		o.Overloaded = o.Open >= s.cfg.WorkloadLimit
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b *OfficerLoad) int {
		if a.Open != b.Open {
			return b.Open - a.Open
		}
		return int(a.User.ID - b.User.ID)
	})
	for _, o := range out {
		if !o.Overloaded {
			continue
		}
		for i := len(out) - 1; i >= 0 && len(o.Suggest) < maxSuggestions; i-- { // least loaded first
			c := out[i]
			if c == o || c.Overloaded || !sharesRole(o.User, c.User, agencyID) {
				continue
			}
			o.Suggest = append(o.Suggest, c)
		}
	}
	return out
}

// sharesRole reports whether a and b hold a same work role at the agency:
// a dossier can pass from one to the other.
func sharesRole(a, b *motcua.User, agencyID int64) bool {
	for _, r := range workRoles {
		if a.Has(r, agencyID) && b.Has(r, agencyID) {
			return true
		}
	}
	return false
}

// agencyLoads computes the agencies' rows (in the order of ids).
func (s *Service) agencyLoads(ctx context.Context, ids []int64, byID map[int64]*motcua.Agency, now, soon time.Time) ([]*AgencyLoad, error) {
	var work, roles []motcua.WorkCount
	var handling []motcua.AgencyHandling
	var users []*motcua.User
	var today, week []motcua.StatTotal
	day := motcua.DayOf(now)
	metrics := []motcua.Metric{motcua.MetricReceivedOnline, motcua.MetricReceivedDirect}
	filter := ids
	if len(ids) > 50 {
		filter = nil // the whole province: one pass rather than a long IN list
	}
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if work, err = tx.AgencyWork(ctx, filter, now, soon); err != nil {
			return err
		}
		if roles, err = tx.WorkCounts(ctx, filter, now, soon); err != nil {
			return err
		}
		if handling, err = tx.AgencyHandlingTimes(ctx, filter, now.Add(-handlingWindow), now); err != nil {
			return err
		}
		if users, err = tx.Users(ctx, motcua.UserFilter{}); err != nil {
			return err
		}
		if today, err = tx.SumStats(ctx, []motcua.Segment{{Scale: motcua.ScaleDay, From: int64(day), To: int64(day)}}, metrics); err != nil {
			return err
		}
		segs, _ := motcua.Segments(day-workloadDays, day-1, false)
		week, err = tx.SumStats(ctx, segs, metrics)
		return err
	})
	if err != nil {
		return nil, err
	}
	rows := make(map[int64]*AgencyLoad, len(ids))
	var out []*AgencyLoad
	for _, id := range ids {
		r := &AgencyLoad{Agency: byID[id]}
		rows[id] = r
		out = append(out, r)
	}
	for _, w := range work {
		if r := rows[w.AgencyID]; r != nil {
			r.Open, r.DueSoon, r.Overdue = w.Open, w.DueSoon, w.Overdue
		}
	}
	for _, c := range roles {
		if r := rows[c.AgencyID]; r != nil && c.UserID == 0 {
			r.Unassigned += c.Open
		}
	}
	for _, h := range handling {
		if r := rows[h.AgencyID]; r != nil && h.Finished > 0 {
			r.Finished = h.Finished
			r.AvgHandling = (time.Duration(h.SumMS/h.Finished) * time.Millisecond).Round(time.Minute)
		}
	}
	for _, x := range users {
		if x.Disabled {
			continue
		}
		for _, id := range x.AgencyIDs() {
			if r := rows[id]; r != nil && slices.ContainsFunc(workRoles, func(role motcua.Role) bool { return x.Has(role, id) }) {
				r.Staff++
			}
		}
	}
	for _, t := range today {
		if r := rows[t.AgencyID]; r != nil && t.ProcedureID == 0 {
			r.ReceivedToday += t.N
		}
	}
	for _, t := range week {
		if r := rows[t.AgencyID]; r != nil && t.ProcedureID == 0 {
			r.ReceivedPerDay += float64(t.N) / workloadDays
		}
	}
	for _, r := range out {
		if r.Staff > 0 {
			r.PerOfficer = float64(r.Open) / float64(r.Staff)
		} else if r.Open > 0 {
			r.PerOfficer = float64(r.Open) // nobody to carry it
		}
		r.Overloaded = r.PerOfficer >= float64(s.cfg.WorkloadLimit)
		r.Congested = r.Open >= 10 && float64(r.Overdue) >= congestedShare*float64(r.Open)
	}
	return out, nil
}

// ProvinceWorkload returns the load of every agency the caller oversees as
// leader or supervisor (there or above): the province's view of which
// communes are overloaded (quá tải) or congested (ùn tắc). Errors:
// EUNAUTHORIZED, EFORBIDDEN (no leader or supervisor role).
func (s *Service) ProvinceWorkload(ctx context.Context) (*ProvinceWorkload, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, list, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, a := range list {
		if s.holdsOver(u, motcua.RoleLeader, a.ID, byID) || s.holdsOver(u, motcua.RoleSupervisor, a.ID, byID) {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_overseer", "Chỉ lãnh đạo và người giám sát mới xem được khối lượng công việc toàn tỉnh.")
	}
	now := s.now()
	loads, err := s.agencyLoads(ctx, ids, byID, now, s.Calendar().AddWorking(now, s.cfg.WorkloadDueSoon))
	if err != nil {
		return nil, err
	}
	rank := func(r *AgencyLoad) int {
		switch {
		case r.Overloaded && r.Congested:
			return 0
		case r.Overloaded || r.Congested:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(loads, func(a, b *AgencyLoad) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if a.PerOfficer != b.PerOfficer {
			if a.PerOfficer > b.PerOfficer {
				return -1
			}
			return 1
		}
		return int(a.Agency.ID - b.Agency.ID)
	})
	return &ProvinceWorkload{Limit: s.cfg.WorkloadLimit, At: now, Agencies: loads}, nil
}

// AssigneeLoads returns the open dossiers each person carries at an agency
// (by user ID), for the assignee picker. The caller must be allowed to see
// the agency's officers (UnitWorkload's rule for every row).
func (s *Service) AssigneeLoads(ctx context.Context, agencyID int64) (map[int64]int, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if s.unitSight(u, agencyID, byID) < 2 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "workload_not_yours", "Anh/chị không theo dõi khối lượng công việc của đơn vị này.")
	}
	now := s.now()
	var counts []motcua.WorkCount
	err = s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		counts, err = tx.WorkCounts(ctx, []int64{agencyID}, now, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := map[int64]int{}
	for _, c := range counts {
		if c.UserID != 0 {
			out[c.UserID] += c.Open
		}
	}
	return out, nil
}

// WorkloadLimit is the overload threshold in force.
func (s *Service) WorkloadLimit() int { return s.cfg.WorkloadLimit }
