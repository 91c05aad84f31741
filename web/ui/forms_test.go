package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
)

// fieldError is what a bad form must show: the message next to the field
// (element id+"-m" of class err, in Vietnamese, containing says), the
// field marked invalid, and what was typed kept (value "" skips that
// check, for passwords and checkbox groups).
type fieldError struct {
	id, says, value string
}

// TestBadInputShowsVietnameseMessageNextToFieldAndKeepsInput posts bad
// input to every kind of form and checks each answer.
func TestBadInputShowsVietnameseMessageNextToFieldAndKeepsInput(t *testing.T) {
	e := newEnv(t)
	guardianship := fmt.Sprint(e.procedureID("1.004837"))
	anPhu, _, _ := e.svc.Agency(ctx, "H99.101")
	_, points, _ := e.svc.Agency(ctx, "H99.101")
	counter := func(over map[string]string, extra url.Values) url.Values {
		code := "1.004837"
		if c, ok := over["procedure"]; ok {
			code = c
			delete(over, "procedure")
		}
		p, _ := e.svc.ProcedureByCode(ctx, code)
		v := url.Values{"thu-tuc": {fmt.Sprint(p.ID)}, "idem": {"k-" + fmt.Sprint(len(over))}, "reception_point_id": {fmt.Sprint(points[0].ID)},
			"competent_agency_id": {fmt.Sprint(anPhu.ID)}, "channel": {"1"}, "return_method": {"counter"}, "decision": {"receive"},
			"applicant.id_kind": {"personal_id"}, "applicant.id_number": {"089186001234"}, "applicant.full_name": {"Lê Văn An"},
			"applicant.phone": {"0912345678"}, "applicant.source": {"typed"}}
		for _, c := range p.Components {
			if !c.FromNationalDB {
				v.Add("nop", fmt.Sprint(c.ID))
			}
		}
		for k, x := range over {
			v.Set(k, x)
		}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	// The household business dossier waits for a supplement asked at
	// reception, where the counter may still refuse it.
	var waiting []string
	for _, c := range e.dossierCodes("H99.101", motcua.StateAwaitingSupplement) {
		if strings.HasPrefix(c, "H99.101-") {
			waiting = append(waiting, c)
		}
	}
	building := e.dossierCodes("000.00.13.H99", motcua.StateProcessing)
	if len(waiting) == 0 || len(building) == 0 {
		t.Fatal("demo dossiers missing")
	}
	decomposed := norm.NFD.String("Nguyễn Văn Ấn")
	cases := []struct {
		name   string
		user   string
		path   string
		get    bool
		form   url.Values
		status int
		want   []fieldError
	}{
		{name: "login", path: "/dang-nhap", form: url.Values{"username": {"motcua.anphu"}, "password": {"sai-mat-khau"}},
			status: http.StatusUnauthorized, want: []fieldError{{id: "", says: "Tên đăng nhập hoặc mật khẩu không đúng."}}},
		{name: "counter: ID number and phone", user: "motcua.anphu", path: "/tiep-nhan",
			form:   counter(map[string]string{"applicant.id_number": "12345", "applicant.phone": "09-abc", "applicant.full_name": decomposed}, nil),
			status: http.StatusUnprocessableEntity,
			want: []fieldError{{"f-applicant-id-number", "12 chữ số", "12345"}, {"f-applicant-phone", "bắt đầu bằng số 0", "09-abc"},
				{"", "", ""}}},
		{name: "counter: date of birth", user: "motcua.anphu", path: "/tiep-nhan",
			form:   counter(map[string]string{"applicant.date_of_birth": "31/02/1990"}, nil),
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-applicant-date-of-birth", "Ngày sinh không hợp lệ", "31/02/1990"}}},
		{name: "counter: date of birth format", user: "motcua.anphu", path: "/tiep-nhan",
			form:   counter(map[string]string{"applicant.date_of_birth": "1990-02-03"}, nil),
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-applicant-date-of-birth", "ngày/tháng/năm", "1990-02-03"}}},
		{name: "counter: missing component", user: "motcua.anphu", path: "/tiep-nhan",
			// Birth registration requires the birth certificate.
			form:   counter(map[string]string{"procedure": "1.001193"}, url.Values{"nop": nil}),
			status: http.StatusUnprocessableEntity, want: []fieldError{{"components", "còn thiếu thành phần bắt buộc", ""}}},
		{name: "counter: refusal without reason", user: "motcua.anphu", path: "/tiep-nhan",
			form:   counter(map[string]string{"decision": "refuse", "applicant.address": "Ấp Trung"}, nil),
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-reason", "lý do từ chối", ""}, {"f-applicant-address", "", "Ấp Trung"}}},
		{name: "counter: QR scan", user: "motcua.anphu", path: "/tiep-nhan/quet",
			form:   url.Values{"thu-tuc": {guardianship}, "cccd_qr": {"089186001234|Nguyễn Thị Thanh Hà"}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-cccd-qr", "dữ liệu quét được có 2 trường", "089186001234|Nguyễn Thị Thanh Hà"}}},
		{name: "dossier: refusal without reason", user: "motcua.anphu", path: "/ho-so/" + waiting[0] + "/thao-tac",
			form:   url.Values{"action": {"refuse"}, "reason": {"  "}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"refuse-reason", "Vui lòng ghi rõ lý do từ chối.", ""}}},
		{name: "dossier: extension date", user: "ld.xaydung", path: "/ho-so/" + building[0] + "/thao-tac",
			form:   url.Values{"action": {"extend"}, "new_due_at": {"32/13/2025"}, "reason": {"Chậm do xác minh."}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"extend-new-due", "ngày/tháng/năm", "32/13/2025"}, {"extend-reason", "", "Chậm do xác minh."}}},
		{name: "dossier: extension on a day off", user: "ld.xaydung", path: "/ho-so/" + building[0] + "/thao-tac",
			form:   url.Values{"action": {"extend"}, "new_due_at": {"30/04/2025"}, "reason": {"Chậm do xác minh."}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"extend-new-due", "không phải ngày làm việc", "30/04/2025"}}},
		{name: "lookup", path: "/tra-cuu?ma=" + waiting[0] + "&so=0000", get: true,
			status: http.StatusNotFound, want: []fieldError{{"f-ma", "Không tìm thấy hồ sơ", waiting[0]}}},
		{name: "inbox filter", user: "cv.anphu", path: "/hop-thu?thu-tuc=9.999999", get: true,
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-thu-tuc", "Không có thủ tục", "9.999999"}}},
		{name: "tracking book", user: "cv.anphu", path: "/so-theo-doi?in=1&co-quan=" + fmt.Sprint(anPhu.ID) + "&tu=1/3&den=10/03/2025", get: true,
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-tu", "ngày/tháng/năm", "1/3"}}},
		{name: "admin: agency", user: "admin", path: fmt.Sprintf("/quan-tri/co-quan/%d", anPhu.ID),
			form:   url.Values{"code": {"H99.101"}, "name": {""}, "level": {"commune"}, "kind": {"commune_committee"}, "parent_id": {fmt.Sprint(anPhu.ParentID)}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-name", "Chưa nhập tên cơ quan.", ""}, {"f-code", "", "H99.101"}}},
		{name: "admin: agency code", user: "admin", path: fmt.Sprintf("/quan-tri/co-quan/%d", anPhu.ID),
			form:   url.Values{"code": {"xã An Phú"}, "name": {"UBND xã An Phú"}, "level": {"commune"}, "kind": {"commune_committee"}, "parent_id": {fmt.Sprint(anPhu.ParentID)}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-code", "không đúng cấu trúc", "xã An Phú"}}},
		{name: "admin: new account", user: "admin", path: "/quan-tri/tai-khoan",
			form:   url.Values{"username": {"Cán Bộ"}, "full_name": {"Trần Văn Mới"}, "password": {"ngan"}, "grant_agency": {fmt.Sprint(anPhu.ID)}, "grant_role": {"specialist"}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-username", "chữ thường không dấu", "Cán Bộ"}, {"f-password", "ít nhất 10 ký tự", ""}, {"f-full-name", "", "Trần Văn Mới"}}},
		{name: "admin: procedure", user: "admin", path: "/quan-tri/thu-tuc/moi",
			form: url.Values{"name": {"Thủ tục thử"}, "level": {"commune"}, "agency_id": {"0"}, "tl_value": {"ba"}, "tl_unit": {"working_days"},
				"c0.name": {"Giấy khai sinh"}, "c0.national": {"1"}, "c0.mandatory": {"1"}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"f-tl-value", "số không âm", "ba"}}},
		{name: "admin: procedure rule", user: "admin", path: "/quan-tri/thu-tuc/moi",
			form: url.Values{"name": {"Thủ tục thử"}, "level": {"commune"}, "agency_id": {"0"}, "tl_value": {"3"}, "tl_unit": {"working_days"},
				"c0.name": {"Giấy khai sinh"}, "c0.national": {"1"}, "c0.mandatory": {"1"}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"components", "cơ sở dữ liệu quốc gia", ""}, {"f-c0-name", "", "Giấy khai sinh"}}},
		{name: "admin: calendar", user: "admin", path: "/quan-tri/lich",
			form:   url.Values{"op": {"dayoff"}, "nam": {"2025"}, "date": {"31/09/2025"}, "kind": {"extra"}, "name": {"Nghỉ thử"}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"d-date", "ngày/tháng/năm", "31/09/2025"}, {"d-name", "", "Nghỉ thử"}}},
		{name: "admin: calendar rule", user: "admin", path: "/quan-tri/lich",
			form:   url.Values{"op": {"swap"}, "nam": {"2025"}, "off": {"19/03/2025"}, "worked": {"20/03/2025"}, "name": {"Hoán đổi thử"}},
			status: http.StatusUnprocessableEntity, want: []fieldError{{"s-worked", "Thứ Bảy", "20/03/2025"}}},
	}
	browsers := map[string]*browser{"": e.browser()}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, ok := browsers[tc.user]
			if !ok {
				b = e.login(tc.user)
				browsers[tc.user] = b
			}
			var r resp
			if tc.get {
				r = b.get(tc.path)
			} else {
				r = b.post(tc.path, tc.form)
			}
			if r.status != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.status, tc.status, r.body)
			}
			doc, err := html.Parse(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			byID := map[string]*html.Node{}
			walk(doc, func(n *html.Node) {
				if id := attr(n, "id"); id != "" {
					byID[id] = n
				}
			})
			for _, w := range tc.want {
				switch {
				case w.id == "" && w.says == "":
					// The decomposed name comes back precomposed.
					if n := byID["f-applicant-full-name"]; n == nil || attr(n, "value") != "Nguyễn Văn Ấn" {
						t.Errorf("full name not kept as NFC: %q", attr(n, "value"))
					}
				case w.id == "":
					if !strings.Contains(r.body, w.says) {
						t.Errorf("message %q missing", w.says)
					}
				default:
					checkFieldError(t, byID, w)
				}
			}
		})
	}
}

func checkFieldError(t *testing.T, byID map[string]*html.Node, w fieldError) {
	t.Helper()
	if w.says != "" {
		m := byID[w.id+"-m"]
		if m == nil || !strings.Contains(attr(m, "class"), "err") {
			t.Errorf("no error message next to %s", w.id)
			return
		}
		msg := text(m)
		if !strings.Contains(msg, w.says) || !nonASCII(msg) {
			t.Errorf("%s: message %q does not say %q", w.id, msg, w.says)
		}
	}
	n := byID[w.id]
	if n == nil {
		if w.value != "" || !strings.HasPrefix(w.id, "components") {
			t.Errorf("no field %s", w.id)
		}
		return
	}
	if w.says != "" && attr(n, "aria-invalid") != "true" {
		t.Errorf("%s is not marked invalid", w.id)
	}
	if w.value != "" {
		got := attr(n, "value")
		if n.Data == "textarea" {
			got = text(n)
		}
		if got != w.value {
			t.Errorf("%s: typed %q, shown again %q", w.id, w.value, got)
		}
	}
}

func text(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return strings.TrimSpace(b.String())
}

func nonASCII(s string) bool {
	for _, r := range s {
		if r > 127 {
			return true
		}
	}
	return false
}
