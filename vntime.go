package motcua

import "time"

// VietnamTime is Vietnam's time zone, UTC+7 without daylight saving. It is a
// fixed zone so that the binary needs no time-zone database.
var VietnamTime = time.FixedZone("ICT", 7*3600)

// FormatDate formats t as a date for people: dd/mm/yyyy in Vietnam time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(VietnamTime).Format("02/01/2006")
}

// FormatDateTime formats t for people: "HH:MM ngày dd/mm/yyyy" in Vietnam
// time, the way receipts and notices write it.
func FormatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(VietnamTime).Format("15:04 ngày 02/01/2006")
}
