package ui

import (
	"bytes"
	"net/url"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
)

// BenchmarkRenderPages measures the CPU of writing the pages officers and
// citizens open most from their data (no store, no HTTP): the inbox with
// fifty lines and its filter, a citizen's lookup with a timeline of
// eight steps, and a dossier as the specialist appraising it sees it. Run the same command on two commits to compare.
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
	// A dossier at an appraisal step as its specialist sees it: four
	// actions, five components, eight events, three forms to print.
	x := &motcua.Dossier{Code: pd.Code, ProcedureName: pd.ProcedureName, ProcedureCode: pd.ProcedureCode,
		Applicant: motcua.Applicant{FullName: "Nguyễn Văn Bình", IDNumber: "001090012345", Phone: "0912345678", Address: "Thôn 3, xã An Phú"}}
	// No due date: its working time left needs the service's calendar.
	x.Status.State, x.Status.ReceivedAt = motcua.StateProcessing, now.Add(-48*time.Hour)
	var missing []motcua.Component
	for k := range 5 {
		x.Components = append(x.Components, motcua.DossierComponent{ComponentID: int64(k + 1), Name: "Tờ khai đăng ký khai sinh", Provided: k%2 == 0})
		missing = append(missing, motcua.Component{ID: int64(k + 1), Name: "Tờ khai đăng ký khai sinh"})
	}
	v := &service.DossierView{Dossier: x, Agencies: agencies,
		Allowed: []motcua.Action{motcua.ActForward, motcua.ActRequestSupplement, motcua.ActExtend, motcua.ActRefuse}}
	for k := range 8 {
		v.Events = append(v.Events, motcua.Event{Seq: k + 1, At: now.Add(-time.Duration(8-k) * time.Hour), Action: motcua.ActForward,
			FromState: motcua.StateProcessing, ToState: motcua.StateProcessing, ActorName: "Trần Thị Chuyên Viên"})
	}
	dossier := &page{Title: "Hồ sơ " + x.Code, Section: "inbox", User: user, Now: now, Form: newForm(nil),
		Data: &dossierData{V: v, D: x, Now: now, Step: &motcua.Step{Name: "Thẩm định", Kind: motcua.StepAppraise},
			Forms: []pdf.Form{pdf.FormReceipt, pdf.FormControl, pdf.FormSupplement}, Missing: missing, MaxFile: 20 << 20}}
	for _, c := range []struct {
		name string
		p    *page
	}{{"inbox", inbox}, {"lookup", lookup}, {"dossier", dossier}} {
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
