package ui

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// BenchmarkRenderPages measures the CPU of writing the pages officers and
// citizens open most from their data (no store, no HTTP): the inbox with
// fifty lines and its filter, and a citizen's lookup with a timeline of
// eight steps. Run the same command on two commits to compare.
//
//	go test -run XXX -bench BenchmarkRenderPages -count 6 ./web/ui/
func BenchmarkRenderPages(b *testing.B) {
	pages, err := parsePages((&UI{}).funcs())
	if err != nil {
		b.Fatal(err)
	}
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	user := &motcua.User{ID: 7, FullName: "Trần Thị Chuyên Viên", Grants: []motcua.Grant{{Role: motcua.RoleSpecialist, AgencyID: 2}}}
	var items []service.InboxItem
	for i := range 50 {
		d := &motcua.Dossier{Code: "H99.101-261207-" + string(rune('0'+i%10)) + "001", ProcedureName: "Đăng ký khai sinh",
			Applicant: motcua.Applicant{FullName: "Nguyễn Văn Bình"}}
		d.Status.State = motcua.StateProcessing
		items = append(items, service.InboxItem{Dossier: d, DueAt: now.Add(time.Duration(i) * time.Hour), Timeliness: motcua.OnTime})
	}
	agencies := map[int64]*motcua.Agency{0: {Name: "UBND xã An Phú"}, 2: {Name: "UBND xã An Phú"}}
	opts := []option{{"", "Mọi trạng thái"}, {"received", "Đã tiếp nhận"}, {"processing", "Đang xử lý"}, {"approved", "Đã phê duyệt"}}
	inbox := &page{Title: "Hộp thư hồ sơ", Section: "inbox", User: user, Now: now, Form: newForm(url.Values{"trang-thai": {"processing"}}),
		Data: &inboxData{Agencies: agencies, States: opts, Own: opts[:2], Channels: opts, Mine: opts[:2],
			Body: inboxBody(inboxRows(items, agencies)), Next: "/hop-thu?sau=abc&trang-thai=processing"}}
	pd := &service.PublicDossier{Code: "H99.101-261207-0001", ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh",
		Agency: "UBND xã An Phú", StateLabel: "Đang xử lý", Timeliness: motcua.OnTime, ReceivedAt: now.Add(-48 * time.Hour), DueAt: now.Add(24 * time.Hour)}
	for k := range 8 {
		pd.Timeline = append(pd.Timeline, service.PublicStep{At: now.Add(-time.Duration(k) * time.Hour), Label: "Chuyển xử lý", Agency: "UBND xã An Phú", Timeliness: motcua.OnTime})
	}
	lookup := &page{Title: "Tra cứu hồ sơ", Section: "lookup", Now: now, Form: newForm(url.Values{"ma": {pd.Code}, "so": {"1234"}}),
		Data: lookupData{D: pd, Now: now}}
	for _, c := range []struct {
		name string
		p    *page
	}{{"inbox", inbox}, {"lookup", lookup}} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := writePage(&buf, pages[c.name], c.p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
