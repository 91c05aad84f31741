package ui_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
)

// codeAt is RFC 6238's 6-digit code of secret at t, computed here
// independently of the service.
func codeAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	s := m.Sum(nil)
	o := s[19] & 15
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(s[o:])&0x7fffffff)%1000000)
}

var secretRe = regexp.MustCompile(`Khóa bí mật: <code>([A-Z2-7]+)</code>`)

func secretOf(t *testing.T, body string) string {
	t.Helper()
	m := secretRe.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "<svg") {
		t.Fatalf("no secret and QR code on the page:\n%s", body)
	}
	return m[1]
}

// TestTwoFactorSignInPages: with the setting on, an administrator is sent
// to enrol at sign-in (secret as text and QR code, confirmed by a code,
// recovery codes shown once) without JavaScript; from then on the password
// leads to a second step; a wrong code is refused with a message; the step
// cannot be reached without the password; a staff member enrols from their
// own page.
func TestTwoFactorSignInPages(t *testing.T) {
	e := newEnvWith(t, func(c *service.Config) {
		c.LoginSlowdown = -1
		c.RequireTwoFactor = []motcua.Role{motcua.RoleAdmin, motcua.RoleLeader}
	})
	b := e.browser()
	r := b.post("/dang-nhap", url.Values{"username": {"admin"}, "password": {demo.Password}, "tiep": {"/quan-tri"}})
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/dang-nhap/xac-thuc") {
		t.Fatalf("password step: %d %q", r.status, r.header.Get("Location"))
	}
	if r := b.get("/quan-tri"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/dang-nhap?") {
		t.Fatalf("half signed in reached a page: %d %q", r.status, r.header.Get("Location"))
	}
	page := b.get(r.header.Get("Location"))
	if page.status != http.StatusOK {
		t.Fatalf("second step: %d", page.status)
	}
	secret := secretOf(t, page.body)
	wrong := b.post("/dang-nhap/xac-thuc", url.Values{"code": {"12345"}, "tiep": {"/quan-tri"}})
	if wrong.status != http.StatusUnauthorized || !strings.Contains(wrong.body, "Mã xác thực không đúng") || secretOf(t, wrong.body) != secret {
		t.Fatalf("wrong code: %d\n%s", wrong.status, wrong.body)
	}
	done := b.post("/dang-nhap/xac-thuc", url.Values{"code": {codeAt(t, secret, testNow)}, "tiep": {"/quan-tri"}})
	if done.status != http.StatusOK || !strings.Contains(done.body, "Mã khôi phục") || strings.Count(done.body, "<li><code>") != 10 ||
		!strings.Contains(done.body, `href="/quan-tri"`) {
		t.Fatalf("enrolment: %d\n%s", done.status, done.body)
	}
	if r := b.get("/quan-tri"); r.status != http.StatusOK {
		t.Fatalf("signed in after enrolment: %d", r.status)
	}

	// Next time: password, then the code only (no secret shown again).
	e.set(testNow.Add(time.Minute))
	b2 := e.browser()
	r = b2.post("/dang-nhap", url.Values{"username": {"admin"}, "password": {demo.Password}})
	step := b2.get(r.header.Get("Location"))
	if step.status != http.StatusOK || strings.Contains(step.body, "Khóa bí mật") || strings.Contains(step.body, secret) {
		t.Fatalf("the second step shows the secret again: %d", step.status)
	}
	r = b2.post("/dang-nhap/xac-thuc", url.Values{"code": {codeAt(t, secret, testNow.Add(time.Minute))}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/hop-thu" {
		t.Fatalf("second step: %d %q", r.status, r.header.Get("Location"))
	}

	// No password, no second step.
	if r := e.browser().get("/dang-nhap/xac-thuc"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/dang-nhap?") {
		t.Fatalf("second step without a password: %d %q", r.status, r.header.Get("Location"))
	}

	// A specialist (not required) enrols from their page.
	me := e.login("cv.anphu")
	if acc := me.get("/tai-khoan"); !strings.Contains(acc.body, "Chưa bật") {
		t.Fatalf("account page:\n%s", acc.body)
	}
	start := me.post("/tai-khoan/xac-thuc-hai-lop", url.Values{})
	mine := secretOf(t, start.body)
	if r := me.post("/tai-khoan/xac-thuc-hai-lop/xac-nhan", url.Values{"code": {"000000x"}}); r.status != http.StatusUnprocessableEntity || secretOf(t, r.body) != mine {
		t.Fatalf("wrong confirmation: %d", r.status)
	}
	ok := me.post("/tai-khoan/xac-thuc-hai-lop/xac-nhan", url.Values{"code": {codeAt(t, mine, testNow.Add(time.Minute))}})
	if ok.status != http.StatusOK || strings.Count(ok.body, "<li><code>") != 10 {
		t.Fatalf("confirmation: %d\n%s", ok.status, ok.body)
	}
	if acc := me.get("/tai-khoan"); !strings.Contains(acc.body, "Đang bật") || !strings.Contains(acc.body, "Còn 10 mã khôi phục") {
		t.Fatalf("account page after enrolment:\n%s", acc.body)
	}
	r = e.browser().post("/dang-nhap", url.Values{"username": {"cv.anphu"}, "password": {demo.Password}})
	if !strings.HasPrefix(r.header.Get("Location"), "/dang-nhap/xac-thuc") {
		t.Fatalf("the specialist's next sign-in: %d %q", r.status, r.header.Get("Location"))
	}

	// The specialist lost phone and codes: the administrator removes the
	// second factor (not their own), and the password alone works again.
	var cv, adm *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) {
		if cv, err = tx.UserByUsername(ctx, "cv.anphu"); err != nil {
			return err
		}
		adm, err = tx.UserByUsername(ctx, "admin")
		return err
	})
	if page := b.get(fmt.Sprintf("/quan-tri/tai-khoan/%d", cv.ID)); !strings.Contains(page.body, "Gỡ xác thực hai lớp") {
		t.Fatalf("the administrator's page of the account:\n%s", page.body)
	}
	if r := b.post(fmt.Sprintf("/quan-tri/tai-khoan/%d/xac-thuc-hai-lop", adm.ID), url.Values{}); r.status != http.StatusForbidden {
		t.Fatalf("an administrator removed their own second factor: %d", r.status)
	}
	if r := b.post(fmt.Sprintf("/quan-tri/tai-khoan/%d/xac-thuc-hai-lop", cv.ID), url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("removal: %d %s", r.status, r.body)
	}
	r = e.browser().post("/dang-nhap", url.Values{"username": {"cv.anphu"}, "password": {demo.Password}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/hop-thu" {
		t.Fatalf("sign-in after the removal: %d %q", r.status, r.header.Get("Location"))
	}
}
