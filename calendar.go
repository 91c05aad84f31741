package motcua

import "time"

// Calendar is the working-time calendar of a province: its working periods,
// weekends, holidays, make-up days and swapped working days. Every deadline in
// the domain is computed through it, never with wall-clock arithmetic.
//
// All instants are absolute (time.Time); implementations interpret them in
// Vietnam time. Implementations must be safe for concurrent use.
type Calendar interface {
	// Due returns the instant at which limit, counted from start, ends.
	//
	//   - working hours: start moves to the next working moment, then the
	//     hours are added in working time;
	//   - working days: likewise, one working day being the length of the
	//     working periods of a day; 0 days means the end of the working day
	//     of start (or of the next working day when start is outside one);
	//   - calendar days / months: the date of start plus the amount, ending
	//     at the end of that day's working time; a due date on a non-working
	//     day moves to the end of the next working day (configurable);
	//   - a CutOff moves start to the beginning of the next working day when
	//     start is at or after the cut-off time of its day.
	Due(start time.Time, limit TimeLimit) time.Time

	// AddWorking returns the earliest instant at which d of working time
	// has elapsed since t. AddWorking(t, 0) is t.
	AddWorking(t time.Time, d time.Duration) time.Time

	// WorkingBetween returns the working time between from and to; zero
	// when to is not after from.
	WorkingBetween(from, to time.Time) time.Duration

	// NextWorkingMoment returns t if t lies inside a working period (start
	// inclusive, end exclusive), otherwise the start of the next one.
	NextWorkingMoment(t time.Time) time.Time

	// EndOfWorkingDay returns the end of the last working period of t's
	// date if that date is a working day and t is before that end;
	// otherwise the end of the next working day.
	EndOfWorkingDay(t time.Time) time.Time

	// StartOfNextWorkingDay returns the start of the first working period
	// of the first working day after t's date.
	StartOfNextWorkingDay(t time.Time) time.Time

	// IsWorkingDay reports whether t's date (in Vietnam time) is a working
	// day: not a weekend unless declared worked, not a day off.
	IsWorkingDay(t time.Time) bool

	// WorkingDayLength is the working time of one full working day.
	WorkingDayLength() time.Duration

	// Location is the time zone of the calendar (UTC+7 for Vietnam).
	Location() *time.Location
}
