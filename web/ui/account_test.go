package ui_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua/demo"
)

// TestOwnAccountPage: without script, a user changes their password on
// their account page (a mismatch and a wrong current password are shown on
// the form), which signs their other browser out; they see their sessions
// and end the others.
func TestOwnAccountPage(t *testing.T) {
	e := newEnv(t)
	here, other := e.login("cv.anphu"), e.login("cv.anphu")
	r := here.get("/tai-khoan")
	if r.status != http.StatusOK || strings.Count(r.body, `action="/tai-khoan/phien/`) != 3 || !strings.Contains(r.body, "Phiên này") {
		t.Fatalf("account page: %d\n%s", r.status, r.body)
	}
	r = here.post("/tai-khoan/mat-khau", url.Values{"current_password": {demo.Password}, "new_password": {"MatKhauMoi@2026"}, "confirm_password": {"MatKhauKhac@2026"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không khớp") {
		t.Errorf("mismatch: %d", r.status)
	}
	r = here.post("/tai-khoan/mat-khau", url.Values{"current_password": {"sai"}, "new_password": {"MatKhauMoi@2026"}, "confirm_password": {"MatKhauMoi@2026"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "Mật khẩu hiện tại không đúng") {
		t.Errorf("wrong current password: %d", r.status)
	}
	r = here.post("/tai-khoan/mat-khau", url.Values{"current_password": {demo.Password}, "new_password": {"MatKhauMoi@2026"}, "confirm_password": {"MatKhauMoi@2026"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.status, r.body)
	}
	if r := here.get("/hop-thu"); r.status != http.StatusOK {
		t.Errorf("this browser after the change: %d", r.status)
	}
	if r := other.get("/hop-thu"); r.status != http.StatusSeeOther {
		t.Errorf("the other browser after the change: %d, want the sign-in page", r.status)
	}

	third := e.browser()
	if r := third.post("/dang-nhap", url.Values{"username": {"cv.anphu"}, "password": {"MatKhauMoi@2026"}}); r.status != http.StatusSeeOther {
		t.Fatalf("sign-in with the new password: %d", r.status)
	}
	if r := here.post("/tai-khoan/phien/khac", nil); r.status != http.StatusSeeOther {
		t.Fatalf("end the others: %d", r.status)
	}
	if r := third.get("/hop-thu"); r.status != http.StatusSeeOther {
		t.Errorf("a session ended by its owner still opens the inbox: %d", r.status)
	}
	// Ending the current session signs out.
	r = here.get("/tai-khoan")
	m := regexp.MustCompile(`action="/tai-khoan/phien/([0-9a-f]{24})"`).FindStringSubmatch(r.body)
	if m == nil {
		t.Fatalf("no session on the page:\n%s", r.body)
	}
	if r := here.post("/tai-khoan/phien/"+m[1], nil); r.status != http.StatusSeeOther {
		t.Errorf("end this session: %d", r.status)
	}
	if r := here.get("/hop-thu"); r.status != http.StatusSeeOther {
		t.Errorf("signed out: %d", r.status)
	}
	// A stranger's page for this is the sign-in page.
	if r := e.browser().get("/tai-khoan"); r.status != http.StatusSeeOther {
		t.Errorf("account page without a session: %d", r.status)
	}
}
