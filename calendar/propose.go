package calendar

import (
	"fmt"
	"time"
)

// Proposals for the part of a year that the Prime Minister decides
// (Labour Code 2019 Art.112(3)) when no notice is known. They are marked
// provisional and only stand until an administrator enters the notice.

const sourceProposal = "Đề xuất của hệ thống, chưa có thông báo (Bộ luật Lao động 2019, Điều 112 khoản 1 và khoản 3)"

// proposeTet adds the five Tết days: the last day of the ending lunar year
// (the New Year's Eve, when families prepare the feast) and mùng 1 to
// mùng 4 of the new one. The notices of 2022 and 2026 had this shape; those
// of 2021 and 2023–2025 took two days before Tết and mùng 1 to mùng 3, so a
// proposal can be off by one day at either end of the block until the
// notice is entered. Tết days on a weekly rest day are then made up under
// Art.111(3) like any Art.112(1) day (see composer.makeUp), as the 2021,
// 2023 and 2024 notices did.
func (c *composer) proposeTet() {
	tet := Tet(c.year)
	name := yearName(c.year)
	eve := tet.AddDays(-1)
	last := SolarToLunar(eve, VietnamTZ)
	c.addOff(DayOff{
		Date:        eve,
		Name:        fmt.Sprintf("Tết Âm lịch (%d tháng Chạp, cuối năm %s)", last.Day, yearName(c.year-1)),
		Kind:        KindTet,
		Source:      sourceProposal,
		Provisional: true,
	})
	for i := range 4 {
		c.addOff(DayOff{
			Date:        tet.AddDays(i),
			Name:        fmt.Sprintf("Tết Âm lịch (mùng %d Tết %s)", i+1, name),
			Kind:        KindTet,
			Source:      sourceProposal,
			Provisional: true,
		})
	}
	c.out.Proposals = append(c.out.Proposals, fmt.Sprintf(
		"05 ngày nghỉ Tết Âm lịch %s do hệ thống đề xuất: ngày cuối năm âm lịch (%s) và mùng 1 đến mùng 4 Tết (%s–%s); ngày Tết trùng ngày nghỉ hằng tuần được nghỉ bù vào ngày làm việc kế tiếp (Điều 111 khoản 3).",
		name, dmy(eve), dmy(tet), dmy(tet.AddDays(3))))
}

// proposeNationalDayAdjacent adds the second National Day day. Of the two
// days adjacent to 2 September, it keeps those that are not weekly rest
// days; if both are, it prefers the one that touches a weekly rest day on
// its other side (1 Sep after a rest day on 31 Aug, 3 Sep before one on
// 4 Sep), so that the break joins the weekend; otherwise 1 September. With
// Saturday and Sunday off this gives, by the weekday of 2 Sep: Mon → 3 Sep,
// Tue → 1 Sep, Wed → 1 Sep, Thu → 3 Sep, Fri → 1 Sep, Sat → 1 Sep,
// Sun → 3 Sep — the choice of every notice from 2021 to 2026.
func (c *composer) proposeNationalDayAdjacent() {
	before := Date{c.year, time.September, 1}
	after := Date{c.year, time.September, 3}
	pick := before
	switch okBefore, okAfter := !c.weekend.rest(before), !c.weekend.rest(after); {
	case okBefore && okAfter:
		joinsBefore := c.weekend.rest(before.AddDays(-1))
		joinsAfter := c.weekend.rest(after.AddDays(1))
		if joinsAfter && !joinsBefore {
			pick = after
		}
	case okAfter:
		pick = after
	}
	c.addOff(DayOff{
		Date:        pick,
		Name:        "Quốc khánh (ngày liền kề, đề xuất)",
		Kind:        KindNationalDayAdjacent,
		Source:      sourceProposal,
		Provisional: true,
	})
	c.out.Proposals = append(c.out.Proposals, fmt.Sprintf(
		"Ngày nghỉ Quốc khánh liền kề do hệ thống đề xuất: %s %s (chọn ngày liền kề 02/09 không trùng ngày nghỉ hằng tuần, ưu tiên ngày nối với ngày nghỉ cuối tuần).",
		WeekdayName(pick.Weekday()), dmy(pick)))
}

// proposeRecurring repeats, on the same day and month, the extra days that
// the latest earlier year's data mark as recurring (such as 24 November,
// Ngày Văn hóa Việt Nam, from 2026).
func (c *composer) proposeRecurring(recurring []DataDayOff) {
	for _, r := range recurring {
		d := Date{c.year, r.Date.Month, r.Date.Day}
		if !d.Valid() {
			continue // 29 February in a common year
		}
		c.addOff(DayOff{
			Date:        d,
			Name:        r.Name,
			Kind:        KindExtra,
			Source:      dataSource("", r.LegalBasis, r.Sources, nil),
			Provisional: true,
			Note:        joinNote(fmt.Sprintf("Đề xuất: ngày nghỉ lặp lại hằng năm, theo dữ liệu năm %d.", r.Date.Year), r.Confidence),
		})
		c.out.Proposals = append(c.out.Proposals, fmt.Sprintf("%s (%s): ngày nghỉ lặp lại hằng năm theo dữ liệu năm %d, tạm tính.", r.Name, dmy(d), r.Date.Year))
	}
}

// yearName returns the sexagenary (can chi) name of a lunar year:
// 2025 → "Ất Tỵ". The stems cycle every 10 years, the branches every 12;
// 1984 was Giáp Tý, the start of a cycle.
func yearName(year int) string {
	stems := [10]string{"Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"}
	branches := [12]string{"Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"}
	n := int(floorMod(int64(year-1984), 60))
	return stems[n%10] + " " + branches[n%12]
}
