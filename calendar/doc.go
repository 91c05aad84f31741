// Package calendar implements motcua.Calendar for Vietnam: working periods
// and weekly rest days, the statutory holidays of the Labour Code 2019
// (Bộ luật Lao động 2019, Điều 111–112), the yearly notices of the Ministry
// (Tết block, second National Day day, swapped working days) and the
// Vietnamese lunisolar calendar needed to place Tết and Giỗ Tổ Hùng Vương.
//
// Deadlines are computed on every dossier intake, so the hot path (a day
// lookup, Due, AddWorking) works on precomputed per-year tables and does not
// allocate once a year has been composed.
//
// Everything is interpreted in Vietnam time, UTC+7 without daylight saving
// (see Vietnam); the package never depends on the tz database.
//
// The holiday calendar is data: each year's notices live in a YearData
// (embedded for 2021–2027, see BuiltinYears), overlaid on the days the law
// fixes. A year without data is composed from the law plus a proposal for
// the notice's part, and is marked provisional.
package calendar
