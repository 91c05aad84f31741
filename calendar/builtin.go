package calendar

import (
	"embed"
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
