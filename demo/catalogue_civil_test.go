package demo

import (
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// TestCivilStatusProceduresReceivable: the five civil-status procedures a
// commune receives most can receive in the demo, each with its legal time
// limit and the article it comes from; the national data's wording the
// limit was confirmed from ("N Khác", or prose) is kept.
func TestCivilStatusProceduresReceivable(t *testing.T) {
	procs, _, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		limit, article, national string
	}{
		"1.001193": {"trong ngày làm việc (tiếp nhận sau 15:00 tính từ ngày làm việc tiếp theo)", "Điều 16", "Ngay trong ngày tiếp nhận yêu cầu, trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo."},
		"1.000894": {"trong ngày làm việc (tiếp nhận sau 15:00 tính từ ngày làm việc tiếp theo)", "Điều 18", "1 Khác"},
		"1.000656": {"trong ngày làm việc (tiếp nhận sau 15:00 tính từ ngày làm việc tiếp theo)", "Điều 34", "1 Khác"},
		"1.004873": {"3 ngày làm việc", "Điều 22", "3 Khác"},
		"2.000635": {"trong ngày làm việc (tiếp nhận sau 15:00 tính từ ngày làm việc tiếp theo)", "Điều 64", "Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ mà không giải quyết được ngay thì trả kết quả trong ngày làm việc tiếp theo."},
	}
	at := time.Date(2026, 12, 7, 9, 0, 0, 0, motcua.VietnamTime)
	found := 0
	for _, p := range procs {
		w, ok := want[p.Code]
		if !ok {
			continue
		}
		found++
		if p.Level != motcua.LevelCommune || p.AgencyID != 0 {
			t.Errorf("%s: level %s agency %d", p.Code, p.Level, p.AgencyID)
		}
		if err := p.CanReceive(at); err != nil {
			t.Errorf("%s cannot receive: %v", p.Code, err)
			continue
		}
		if got := p.TimeLimit.String(); got != w.limit {
			t.Errorf("%s: limit %q, want %q", p.Code, got, w.limit)
		}
		if p.TimeLimitText != w.national {
			t.Errorf("%s: national wording %q, want %q", p.Code, p.TimeLimitText, w.national)
		}
		if !strings.Contains(p.Notes, w.article) {
			t.Errorf("%s: the notes do not cite %s: %q", p.Code, w.article, p.Notes)
		}
	}
	if found != len(want) {
		t.Errorf("%d of the %d procedures in the demo catalogue", found, len(want))
	}
}
