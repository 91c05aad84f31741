package calendar

import "time"

// References to the law, shown as the source of computed days.
const (
	sourceArt112 = "Bộ luật Lao động 2019, Điều 112 khoản 1"
	sourceArt111 = "Bộ luật Lao động 2019, Điều 111 khoản 3"
)

// firstLabourCode2019Year is the first year under Labour Code 2019 (in force
// from 1 Jan 2021, Art.220(1)); it brought the second National Day day.
const firstLabourCode2019Year = 2021

// statutoryDay is a day off that Labour Code 2019 Art.112(1) fixes by its
// date (solar or lunar). The five Tết days and the second National Day day
// are also Art.112(1) days, but the Prime Minister places them (Art.112(3)),
// so they come from the year's notice or from a proposal.
type statutoryDay struct {
	date Date
	name string
}

// statutoryDays returns the Art.112(1) days of the year fixed by date, in
// date order.
func statutoryDays(year int) []statutoryDay {
	return []statutoryDay{
		{Date{year, time.January, 1}, "Tết Dương lịch"},
		{HungKings(year), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"},
		{Date{year, time.April, 30}, "Ngày Chiến thắng"},
		{Date{year, time.May, 1}, "Quốc tế Lao động"},
		{Date{year, time.September, 2}, "Quốc khánh"},
	}
}

// civilServiceRest reports whether d is a weekly rest day of the national
// civil-service calendar (Saturday or Sunday), the calendar the yearly
// notices are written for.
func civilServiceRest(d Date) bool {
	w := d.Weekday()
	return w == time.Saturday || w == time.Sunday
}
