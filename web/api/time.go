package api

import (
	"time"

	"github.com/motcua/motcua"
)

// parseTime accepts RFC 3339, or a date-time without offset read in
// Vietnam time ("2026-11-30T17:00").
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, motcua.VietnamTime); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, motcua.FieldError("new_due_at", "time_malformed", "Thời điểm phải theo dạng 2026-11-30T17:00:00+07:00.")
}
