package service_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestFindProceduresRanksNameStarts searches the demo catalogue through the
// store's search (the API's /procedures): procedures whose name starts
// with the query — "Thủ tục" aside, which begins many names — come first,
// in the order of their names, before those that merely contain every word
// of it somewhere (name, code or field). Names are ordered by their folded
// words without "Thủ tục" ("kết" before "khai": e before h). The expected
// lists are read off demo/catalogue.json by hand. Both engines must give
// the very same lists.
func TestFindProceduresRanksNameStarts(t *testing.T) {
	var mu sync.Mutex
	lists := map[sqltest.Engine]map[string][]string{}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		find := func(q string) []string {
			t.Helper()
			ps, err := f.svc.FindProcedures(f.as("admin"), motcua.ProcedureFilter{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, p := range ps {
				codes = append(codes, p.Code)
			}
			return codes
		}
		cases := []struct {
			q string
			// first are the names starting with the query, in name
			// order; later ones only contain its words, after them.
			first, later []string
		}{
			{"cấp giấy", []string{
				"2.001283", // Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ LPG chai
				"1.010833", // Cấp giấy xác nhận thân nhân của người có công
				"1.004873", // Thủ tục cấp Giấy xác nhận tình trạng hôn nhân
			}, []string{
				"2.000635", // Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh
				"2.000575", // Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh, …
				"1.013978", // Đăng ký đất đai, …, cấp Giấy chứng nhận quyền sử dụng đất, …
				"1.001699", // Xác định, … và cấp Giấy xác nhận khuyết tật
			}},
			{"dang ky", []string{
				"1.013978", // Đăng ký đất đai, tài sản gắn liền với đất, …
				"1.004837", // Thủ tục đăng ký giám hộ
				"1.000894", // Thủ tục đăng ký kết hôn
				"2.000806", // … kết hôn có yếu tố nước ngoài
				"1.000593", // … kết hôn lưu động
				"1.001193", // Thủ tục đăng ký khai sinh
				"1.004772", // … khai sinh cho người đã có hồ sơ, giấy tờ cá nhân
				"2.000528", // … khai sinh có yếu tố nước ngoài
				"1.000689", // … khai sinh kết hợp đăng ký nhận cha, mẹ, con
				"1.000656", // Thủ tục đăng ký khai tử
				"1.004746", // Thủ tục đăng ký lại kết hôn
				"1.004884", // Thủ tục đăng ký lại khai sinh
				"1.005461", // Đăng ký lại khai tử
				"1.001612", // Đăng ký thành lập hộ kinh doanh
				"2.000720", // Đăng ký thay đổi nội dung đăng ký hộ kinh doanh
			}, []string{
				"2.000575", // Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh, …
				"1.001266", // Chấm dứt hoạt động hộ kinh doanh (field Đăng ký hộ kinh doanh)
				"1.001570", // Tạm ngừng kinh doanh, … (same field)
			}},
			// Typing "Thủ tục" changes nothing.
			{"thủ tục đăng ký kết hôn", []string{"1.000894", "2.000806", "1.000593"}, nil},
		}
		got := map[string][]string{}
		for _, c := range cases {
			codes := find(c.q)
			got[c.q] = codes
			if len(codes) < len(c.first) || !slices.Equal(codes[:len(c.first)], c.first) {
				t.Errorf("%q: first %v, want %v", c.q, codes[:min(len(codes), len(c.first))], c.first)
				continue
			}
			for _, code := range c.later {
				if !slices.Contains(codes[len(c.first):], code) {
					t.Errorf("%q: %s not listed after the names starting with it: %v", c.q, code, codes)
				}
			}
		}
		mu.Lock()
		lists[e] = got
		mu.Unlock()
	})
	if pg, ok := lists[sqltest.Postgres]; ok {
		for q, l := range lists[sqltest.SQLite] {
			if !slices.Equal(l, pg[q]) {
				t.Errorf("%q: SQLite and PostgreSQL differ:\n%v\n%v", q, l, pg[q])
			}
		}
	}
}
