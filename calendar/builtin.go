package calendar

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"

	"github.com/motcua/motcua"
)

// builtinData holds the year data shipped with the package, one file per
// year, derived from the official notices (see each file's sources).
//
//go:embed data/*.json
var builtinData embed.FS

// BuiltinYears returns the embedded year data (2021–2027, 2027 provisional)
// in year order, each parsed and validated. Pass them to New, with the
// administrator's own years in their place where entered.
func BuiltinYears() ([]YearData, error) {
	names, err := fs.Glob(builtinData, "data/*.json")
	if err != nil {
		return nil, motcua.Errorf(motcua.EINTERNAL, "calendar_builtin", "Không đọc được dữ liệu ngày nghỉ đi kèm hệ thống.")
	}
	years := make([]YearData, 0, len(names))
	for _, name := range names {
		b, err := builtinData.ReadFile(name)
		if err != nil {
			return nil, motcua.Errorf(motcua.EINTERNAL, "calendar_builtin", "Không đọc được tệp dữ liệu ngày nghỉ %s.", name)
		}
		y, err := ParseYearData(b)
		if err != nil {
			return nil, err
		}
		years = append(years, y)
	}
	slices.SortFunc(years, func(a, b YearData) int { return a.Year - b.Year })
	return years, nil
}

// Default returns a Calendar with DefaultConfig and the built-in years.
func Default() (*Calendar, error) {
	years, err := BuiltinYears()
	if err != nil {
		return nil, err
	}
	return New(DefaultConfig(), years)
}

// WithSaved builds the calendar of cfg from the built-in years, each
// replaced (or completed) by the year an administrator saved, as stored in
// the database. A saved year that does not parse is an error naming it.
func WithSaved(cfg Config, saved []*motcua.CalendarYear) (*Calendar, error) {
	years, err := BuiltinYears()
	if err != nil {
		return nil, err
	}
	for _, sy := range saved {
		yd, err := ParseYearData(sy.Data)
		if err != nil {
			return nil, fmt.Errorf("calendar year %d saved in the database: %s", sy.Year, motcua.ErrorMessage(err))
		}
		if i := slices.IndexFunc(years, func(b YearData) bool { return b.Year == yd.Year }); i >= 0 {
			years[i] = yd
		} else {
			years = append(years, yd)
		}
	}
	return New(cfg, years)
}
