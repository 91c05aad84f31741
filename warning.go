package motcua

import (
	"context"
	"time"
)

// Clock kinds: each deadline the law sets on a dossier that someone can
// miss (see ClocksOf).
const (
	ClockAction = "action" // the counter's duty: decide on an online dossier (8 working hours), transfer a paper one
	ClockStep   = "step"   // the current step's share of the processing time
	ClockPart   = "part"   // one agency's share of a parallel inter-agency step
	ClockDue    = "due"    // the appointment for the result (hẹn trả)
)

// Warning levels, in the order they are reached. Escalations go to the head
// of the unit holding the dossier and then to the agency's leader when an
// overdue clock is still not met after the configured delays.
const (
	LevelDueSoon        = "due_soon"
	LevelOverdue        = "overdue"
	LevelEscalateHead   = "escalate_head"
	LevelEscalateLeader = "escalate_leader"
)

// ClockLabel is the Vietnamese name of a clock kind, for pages and notices.
func ClockLabel(kind string) string {
	switch kind {
	case ClockAction:
		return "Thời hạn tiếp nhận/chuyển hồ sơ"
	case ClockStep:
		return "Thời hạn của bước xử lý"
	case ClockPart:
		return "Thời hạn của cơ quan phối hợp liên thông"
	case ClockDue:
		return "Hạn trả kết quả"
	}
	return kind
}

// WarningLevelLabel is the Vietnamese name of a warning level.
func WarningLevelLabel(level string) string {
	switch level {
	case LevelDueSoon:
		return "Sắp đến hạn"
	case LevelOverdue:
		return "Quá hạn"
	case LevelEscalateHead:
		return "Quá hạn — báo trưởng phòng"
	case LevelEscalateLeader:
		return "Quá hạn — báo lãnh đạo"
	}
	return level
}

// Clock is one running deadline of a dossier: its kind, the agency whose
// duty it is, when it started (zero when unknown) and when it ends.
type Clock struct {
	Kind     string    `json:"kind"`
	AgencyID int64     `json:"agency_id"`
	StartAt  time.Time `json:"start_at,omitzero"`
	DueAt    time.Time `json:"due_at"`
}

// ClocksOf returns the deadlines running on a dossier in status s: none
// when it is finished or waiting for a supplement (its clock is paused),
// else the counter's pending duty (ActionDueAt), the current step's share,
// each unfinished part of a parallel step, and the appointment.
func ClocksOf(s *Status) []Clock { return appendClocks(nil, s) }

// appendClocks appends ClocksOf(s) to out: WorstClock, which runs for
// every row of every inbox page, passes an array on its stack.
func appendClocks(out []Clock, s *Status) []Clock {
	if s.State == StateNone || s.State.Terminal() || s.State.Finished() || s.State == StateAwaitingSupplement {
		return out
	}
	if !s.ActionDueAt.IsZero() {
		out = append(out, Clock{Kind: ClockAction, AgencyID: s.AgencyID, DueAt: s.ActionDueAt})
	}
	if !s.StepDueAt.IsZero() {
		out = append(out, Clock{Kind: ClockStep, AgencyID: s.AgencyID, StartAt: s.StepStartedAt, DueAt: s.StepDueAt})
	}
	for _, p := range s.Parts {
		if p.DoneAt.IsZero() && !p.DueAt.IsZero() {
			out = append(out, Clock{Kind: ClockPart, AgencyID: p.AgencyID, StartAt: s.StepStartedAt, DueAt: p.DueAt})
		}
	}
	if !s.DueAt.IsZero() && s.State != StateSubmitted {
		out = append(out, Clock{Kind: ClockDue, AgencyID: s.AgencyID, StartAt: s.ClockStartAt, DueAt: s.DueAt})
	}
	return out
}

// DossierWarning records one warning or escalation about one clock of a
// dossier: who was told (user ids and their names, for the history) and
// when. There is at most one per dossier, clock, agency, level and due
// time, however many instances run the scheduler: a new due time (an
// extension, a new step) is warned about afresh.
type DossierWarning struct {
	ID        int64     `json:"id"`
	DossierID int64     `json:"dossier_id"`
	Code      string    `json:"code"`
	Clock     string    `json:"clock"`
	AgencyID  int64     `json:"agency_id"`
	Level     string    `json:"level"`
	DueAt     time.Time `json:"due_at"`
	At        time.Time `json:"at"`
	UserIDs   []int64   `json:"user_ids"`
	Names     []string  `json:"names"`
}

// StaffNotification is one entry of a staff member's in-app notification
// list (the bell on every staff page).
type StaffNotification struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	DossierID int64     `json:"dossier_id"`
	Code      string    `json:"code"`
	Level     string    `json:"level"`
	Text      string    `json:"text"`
	At        time.Time `json:"at"`
	ReadAt    time.Time `json:"read_at,omitzero"`
}

// DossierWarningStore keeps warnings, escalations and staff notifications.
type DossierWarningStore interface {
	// DossiersWithClocks returns unfinished dossiers, not waiting for a
	// supplement, whose next deadline (Status.NextDueAt; with
	// byAppointment, the appointment Status.DueAt) is at or before upTo:
	// the candidates for warnings, ordered by that time then id, after
	// the cursor (zero: from the start), up to limit. Each order has its
	// index, so the job reads the dossiers near or past a deadline, not
	// the table.
	DossiersWithClocks(ctx context.Context, upTo time.Time, byAppointment bool, after DossierCursor, limit int) ([]*Dossier, error)
	// RecordDossierWarning stores w and sets w.ID; ECONFLICT when the same
	// dossier, clock, agency, level and due time was recorded already.
	RecordDossierWarning(ctx context.Context, w *DossierWarning) error
	// DossierWarningsOf lists a dossier's warnings, oldest first.
	DossierWarningsOf(ctx context.Context, dossierID int64) ([]*DossierWarning, error)
	// WarningsOfDossiers lists the warnings recorded for the dossiers.
	WarningsOfDossiers(ctx context.Context, dossierIDs []int64) ([]*DossierWarning, error)
	// AddStaffNotification stores n and sets n.ID.
	AddStaffNotification(ctx context.Context, n *StaffNotification) error
	// StaffNotifications lists a user's notifications, newest first,
	// up to limit.
	StaffNotifications(ctx context.Context, userID int64, limit int) ([]*StaffNotification, error)
	// UnreadStaffNotifications counts a user's unread notifications.
	UnreadStaffNotifications(ctx context.Context, userID int64) (int, error)
	// MarkStaffNotificationsRead marks every unread notification of the
	// user read at at; it returns how many.
	MarkStaffNotificationsRead(ctx context.Context, userID int64, at time.Time) (int, error)
}

// WarnTimes sets when warnings come, in working time: Lead before a clock
// ends (ShortLead for short clocks: the counter's duties and any clock
// whose whole span is at most twice Lead), and, once it has passed, the
// escalations to the head of the unit (HeadAfter) and to the leader
// (LeaderAfter). Zero values take the defaults of WithDefaults.
type WarnTimes struct {
	Lead        time.Duration
	ShortLead   time.Duration
	HeadAfter   time.Duration
	LeaderAfter time.Duration
}

// WithDefaults fills the zero durations: one working day of lead (day is
// the calendar's working day), two working hours for short clocks, the
// head told after four working hours overdue and the leader after one
// working day.
func (w WarnTimes) WithDefaults(day time.Duration) WarnTimes {
	if w.Lead <= 0 {
		w.Lead = day
	}
	if w.ShortLead <= 0 {
		w.ShortLead = 2 * time.Hour
	}
	if w.HeadAfter <= 0 {
		w.HeadAfter = 4 * time.Hour
	}
	if w.LeaderAfter <= 0 {
		w.LeaderAfter = day
	}
	if w.LeaderAfter < w.HeadAfter {
		w.LeaderAfter = w.HeadAfter
	}
	return w
}

// LevelsReached returns the warning levels clock c has reached at now, in
// order: nothing while it is far; LevelDueSoon within its lead; once it
// has passed, LevelOverdue, then the escalations as their delays pass
// (LevelDueSoon is left out then: it would come too late to help).
// Durations are working time by cal; w must have its defaults filled.
func LevelsReached(c Clock, now time.Time, cal Calendar, w WarnTimes) []string {
	var lv [3]string
	n := levelsReached(c, now, cal, w, &lv)
	if n == 0 {
		return nil
	}
	return append([]string(nil), lv[:n]...)
}

// levelsReached writes LevelsReached(c, now, cal, w) into lv and returns
// how many there are, without allocating.
func levelsReached(c Clock, now time.Time, cal Calendar, w WarnTimes, lv *[3]string) int {
	if now.Before(c.DueAt) {
		lead := w.Lead
		if c.Kind == ClockAction || (!c.StartAt.IsZero() && cal.WorkingBetween(c.StartAt, c.DueAt) <= 2*w.Lead) {
			lead = w.ShortLead
		}
		if cal.WorkingBetween(now, c.DueAt) <= lead {
			lv[0] = LevelDueSoon
			return 1
		}
		return 0
	}
	lv[0] = LevelOverdue
	n := 1
	late := cal.WorkingBetween(c.DueAt, now)
	if late >= w.HeadAfter {
		lv[n] = LevelEscalateHead
		n++
	}
	if late >= w.LeaderAfter {
		lv[n] = LevelEscalateLeader
		n++
	}
	return n
}

// levelRank orders the levels by urgency, 0 for none.
func levelRank(level string) int {
	switch level {
	case LevelDueSoon:
		return 1
	case LevelOverdue:
		return 2
	case LevelEscalateHead:
		return 3
	case LevelEscalateLeader:
		return 4
	}
	return 0
}

// WorstClock returns the most urgent level any running clock of s has
// reached at now and that clock (for inbox badges); "" when none is near.
//
// It runs for each row of every inbox page, so it allocates nothing: as
// LevelsReached and ClocksOf with a map of ranks it was a tenth of the
// inbox's service time (docs/deployment.md §17).
func WorstClock(s *Status, now time.Time, cal Calendar, w WarnTimes) (string, Clock) {
	best, bestClock := "", Clock{}
	var buf [4]Clock
	var lv [3]string
	for _, c := range appendClocks(buf[:0], s) {
		n := levelsReached(c, now, cal, w, &lv)
		if n == 0 {
			continue
		}
		top := lv[n-1]
		if r, b := levelRank(top), levelRank(best); r > b || (r == b && c.DueAt.Before(bestClock.DueAt)) {
			best, bestClock = top, c
		}
	}
	return best, bestClock
}
