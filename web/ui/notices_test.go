package ui_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// TestNoticeTemplateEditRefusedWhenInvalid edits the reception's e-mail
// template as the province's administrator: a template that does not
// parse, and one that names a field a dossier does not have, are refused
// with the reason, the text kept in the form, and nothing stored; a good
// one is stored and shown; an SMS too long on the sample is refused; an
// officer may not edit at all.
func TestNoticeTemplateEditRefusedWhenInvalid(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin")
	page := admin.get("/quan-tri/mau-thong-bao")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ") {
		t.Fatalf("templates page: %d", page.status)
	}
	save := func(b *browser, event, channel, subject, body string) resp {
		return b.post("/quan-tri/mau-thong-bao", url.Values{"event": {event}, "channel": {channel}, "subject": {subject}, "body": {body}})
	}
	cases := []struct{ name, subject, body, want string }{
		{"parse", "Hồ sơ {{.Code}}", "Kính gửi {{.ApplicantName}", "không đúng cú pháp mẫu"},
		{"unknown field", "Hồ sơ {{.Code}}", "Hạn: {{.Deadline}}", "không hiển thị được trên hồ sơ mẫu"},
		{"empty subject", " ", "Hồ sơ {{.Code}}", "Tiêu đề thư không được để trống"},
	}
	for _, c := range cases {
		r := save(admin, "received", "email", c.subject, c.body)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: status %d", c.name, r.status)
		}
		body := html.UnescapeString(r.body)
		if !strings.Contains(body, c.want) {
			t.Fatalf("%s: the page does not say %q", c.name, c.want)
		}
		if !strings.Contains(body, c.body) {
			t.Fatalf("%s: the refused text is not kept in the form", c.name)
		}
	}
	long := strings.Repeat("Hồ sơ {{.Code}} ", 20)
	if r := save(admin, "received", "sms", "", long); r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), "quá 268 ký tự") {
		t.Fatalf("long SMS: %d", r.status)
	}
	// Nothing was stored: the page still shows the built-in template.
	ts, err := e.svc.NoticeTemplates(e.as("admin"))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range ts {
		if !x.UpdatedAt.IsZero() {
			t.Fatalf("a refused template was stored: %+v", x)
		}
	}
	// A good one is stored and used.
	good := "Kính gửi {{.ApplicantName}}, hồ sơ {{.Code}} hẹn trả {{.DueDate}}."
	if r := save(admin, "received", "email", "Đã nhận hồ sơ {{.Code}}", good); r.status != http.StatusSeeOther {
		t.Fatalf("good template: %d\n%s", r.status, r.body)
	}
	if p := html.UnescapeString(admin.get("/quan-tri/mau-thong-bao").body); !strings.Contains(p, good) || !strings.Contains(p, "Sửa lần cuối") {
		t.Fatal("the saved template is not shown")
	}
	// An officer may not.
	if r := save(e.login("motcua.anphu"), "received", "email", "x", good); r.status != http.StatusForbidden {
		t.Fatalf("officer's edit: %d", r.status)
	}
}

// TestBellAndNotificationsPage runs the warning job past a dossier's
// transfer deadline: the officer's pages show the bell with a count, the
// notifications page lists the warning, and the count is gone once read;
// the inbox shows the badge and the dossier page the warning's row.
func TestBellAndNotificationsPage(t *testing.T) {
	e := newEnv(t)
	in, err := e.svc.ReceiveDossier(e.as("motcua.anphu"), "", anPhuDossier(e))
	if err != nil {
		t.Fatal(err)
	}
	e.set(in.Dossier.Status.ActionDueAt.Add(time.Minute))
	if _, err := e.svc.WarnClocks(ctx); err != nil {
		t.Fatal(err)
	}
	b := e.login("motcua.anphu")
	home := b.get("/hop-thu")
	if !strings.Contains(home.body, `class="badge"`) {
		t.Fatal("no unread count on the bell")
	}
	if !strings.Contains(home.body, "warn-overdue") {
		t.Fatal("the inbox shows no overdue badge")
	}
	list := html.UnescapeString(b.get("/thong-bao").body)
	if !strings.Contains(list, in.Dossier.Code) || !strings.Contains(list, motcua.WarningLevelLabel(motcua.LevelOverdue)) {
		t.Fatal("the notifications page does not list the warning")
	}
	if strings.Contains(b.get("/hop-thu").body, `class="badge"`) {
		t.Fatal("the count stays after reading")
	}
	page := html.UnescapeString(b.get("/ho-so/" + in.Dossier.Code).body)
	if !strings.Contains(page, "Cảnh báo thời hạn đã gửi") || !strings.Contains(page, "Huỳnh Thị Ngọc") {
		t.Fatal("the dossier page shows no warning row with its recipient")
	}
}

// TestCounterRecordsNoticeChoice: at the counter, SMS notices without a
// phone number are refused next to the choice; with one, the dossier
// records the choice and its page shows it.
func TestCounterRecordsNoticeChoice(t *testing.T) {
	e := newEnv(t)
	anPhu, points, _ := e.svc.Agency(ctx, "H99.101")
	p, _ := e.svc.ProcedureByCode(ctx, "1.004837")
	v := url.Values{"thu-tuc": {fmt.Sprint(p.ID)}, "idem": {"k-notify"}, "reception_point_id": {fmt.Sprint(points[0].ID)},
		"competent_agency_id": {fmt.Sprint(anPhu.ID)}, "channel": {"1"}, "return_method": {"counter"}, "decision": {"receive"},
		"applicant.id_kind": {"personal_id"}, "applicant.id_number": {"001193012345"}, "applicant.full_name": {"Lê Văn An"},
		"applicant.source": {"typed"}, "applicant.notify": {"sms"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			v.Add("nop", fmt.Sprint(c.ID))
		}
	}
	b := e.login("motcua.anphu")
	r := b.post("/tiep-nhan", v)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.body), "Muốn nhận tin nhắn SMS cần có số điện thoại") {
		t.Fatalf("SMS without a phone: %d", r.status)
	}
	if !strings.Contains(r.body, `<option value="sms" selected>`) {
		t.Fatal("the choice is not kept in the form")
	}
	v.Set("applicant.phone", "0912345678")
	r = b.post("/tiep-nhan", v)
	if r.status != http.StatusSeeOther {
		t.Fatalf("reception: %d\n%s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	code := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], "/ho-so/")
	page := html.UnescapeString(b.get("/ho-so/" + code).body)
	if !strings.Contains(page, "Nhận thông báo qua</dt><dd>Tin nhắn SMS") {
		t.Fatalf("the dossier page (%s) does not show the choice", loc)
	}
}
