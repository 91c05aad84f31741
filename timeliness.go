package motcua

import "time"

// Timeliness is the verdict on a finished piece of work against its deadline
// (early, on time, late) or, for pending work, whether it is still within
// time (within time, overdue).
type Timeliness string

// Verdicts. The empty value means there was no deadline to judge against.
const (
	Early      Timeliness = "early"       // trước hạn
	OnTime     Timeliness = "on_time"     // đúng hạn
	Late       Timeliness = "late"        // quá hạn
	WithinTime Timeliness = "within_time" // đang xử lý, trong hạn
	Overdue    Timeliness = "overdue"     // đang xử lý, quá hạn
)

// Label is the Vietnamese name of the verdict.
func (t Timeliness) Label() string {
	switch t {
	case Early:
		return "Trước hạn"
	case OnTime:
		return "Đúng hạn"
	case Late:
		return "Quá hạn"
	case WithinTime:
		return "Trong hạn"
	case Overdue:
		return "Quá hạn"
	}
	return "Không có thời hạn"
}

// Judge gives the verdict on work done at done against deadline due: late
// when done is after due; early when done falls on an earlier day than due
// (in loc, i.e. Vietnam time); on time otherwise. A zero due gives "".
func Judge(done, due time.Time, loc *time.Location) Timeliness {
	if due.IsZero() || done.IsZero() {
		return ""
	}
	if done.After(due) {
		return Late
	}
	dy, dm, dd := done.In(loc).Date()
	uy, um, ud := due.In(loc).Date()
	if dy < uy || (dy == uy && (dm < um || (dm == um && dd < ud))) {
		return Early
	}
	return OnTime
}

// Pending gives the verdict on unfinished work at now: overdue when now is
// after due, within time otherwise (including when there is no deadline).
func Pending(now, due time.Time) Timeliness {
	if !due.IsZero() && now.After(due) {
		return Overdue
	}
	return WithinTime
}
