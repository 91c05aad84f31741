package service

import (
	"context"
	"encoding/json"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// CalendarYearView is one year of the working calendar: the days off and
// worked weekend days in force, and the year's data an administrator edits.
type CalendarYearView struct {
	Year int
	// Days is the year as deadlines use it (statutory days computed from
	// the law, the notices' days, proposals for years without a notice).
	Days calendar.YearCalendar
	// Data is the year's data in force: saved by an administrator, else
	// shipped with the system, else an empty provisional year.
	Data calendar.YearData
	// Saved is the administrator's version, nil when none was saved.
	Saved *motcua.CalendarYear
	// Builtin reports whether the system ships data for the year.
	Builtin bool
}

// CalendarYear returns a year of the working calendar to any signed-in
// staff member (deadlines depend on it, so everyone may read it).
func (s *Service) CalendarYear(ctx context.Context, year int) (*CalendarYearView, error) {
	if _, err := actor(motcua.UserFromContext(ctx)); err != nil {
		return nil, err
	}
	cal, ok := s.Calendar().(*calendar.Calendar)
	if !ok {
		return nil, motcua.Errorf(motcua.EINTERNAL, "calendar_not_editable", "Lịch làm việc đang dùng không hỗ trợ xem theo năm.")
	}
	if year < 2021 || year > 2199 {
		return nil, motcua.FieldError("year", "year_out_of_range", "Năm phải từ 2021 đến 2199.")
	}
	v := &CalendarYearView{Year: year, Days: cal.Year(year), Data: calendar.YearData{Year: year, Provisional: true}}
	builtin, err := calendar.BuiltinYears()
	if err != nil {
		return nil, err
	}
	for _, y := range builtin {
		if y.Year == year {
			v.Data, v.Builtin = y, true
		}
	}
	var saved []*motcua.CalendarYear
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { saved, err = tx.CalendarYears(ctx); return err }); err != nil {
		return nil, err
	}
	for _, y := range saved {
		if y.Year == year {
			d, err := calendar.ParseYearData(y.Data)
			if err != nil {
				return nil, err
			}
			v.Data, v.Saved = d, y
		}
	}
	return v, nil
}

// SaveCalendarYear validates a year's data (calendar.YearData as JSON, or
// as a value), stores it as the administrator's version of the year and
// puts the rebuilt calendar in force for deadlines computed from now on
// (deadlines already computed are kept: they are recorded in the events).
// Only administrators of a top agency (the province) may, since the
// calendar is the province's. Errors: EFORBIDDEN; EINVALID with Fields
// keyed by the JSON path of each problem.
func (s *Service) SaveCalendarYear(ctx context.Context, y calendar.YearData) (*CalendarYearView, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if !s.isRootAdmin(u, byID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Chỉ quản trị viên cấp tỉnh mới được sửa lịch ngày nghỉ.")
	}
	if err := y.Validate(); err != nil {
		return nil, err
	}
	data, err := json.MarshalIndent(y, "", "  ")
	if err != nil {
		return nil, err
	}
	old, ok := s.Calendar().(*calendar.Calendar)
	if !ok {
		return nil, motcua.Errorf(motcua.EINTERNAL, "calendar_not_editable", "Lịch làm việc đang dùng không hỗ trợ sửa theo năm.")
	}
	rec := &motcua.CalendarYear{Year: y.Year, Data: data, UpdatedBy: u.ID, UpdatedAt: s.now()}
	var saved []*motcua.CalendarYear
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.SaveCalendarYear(ctx, rec); err != nil {
			return err
		}
		saved, err = tx.CalendarYears(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	cal, err := calendar.WithSaved(old.Config(), saved)
	if err != nil {
		return nil, err
	}
	s.SetCalendar(cal)
	s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheCalendar})
	return s.CalendarYear(ctx, y.Year)
}

// reloadCalendar reads the saved years again and rebuilds the calendar, for
// a change saved through another instance. A calendar not built from years
// (a test's) is kept.
func (s *Service) reloadCalendar(ctx context.Context) error {
	old, ok := s.Calendar().(*calendar.Calendar)
	if !ok {
		return nil
	}
	var saved []*motcua.CalendarYear
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { saved, err = tx.CalendarYears(ctx); return err }); err != nil {
		return err
	}
	cal, err := calendar.WithSaved(old.Config(), saved)
	if err != nil {
		return err
	}
	s.SetCalendar(cal)
	return nil
}
