package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/demo"
)

// TestSessionCookieLivesByTheRealClock signs in, by the login page and by
// the API, while the service's clock is set years in the past and then in
// the future: the browser's cookie always lives the session's length
// (12 hours by default) from the real present — neither already expired
// nor lasting years — while the session itself keeps following the
// service's clock.
func TestSessionCookieLivesByTheRealClock(t *testing.T) {
	e := newEnv(t)
	const ttl = 12 * time.Hour
	for _, at := range []time.Time{vn(2020, 1, 6, 9, 0), vn(2031, 1, 6, 9, 0)} {
		e.set(at)
		for _, via := range []string{"page", "api"} {
			b := e.browser()
			before := time.Now()
			var r resp
			if via == "page" {
				r = b.post("/dang-nhap", url.Values{"username": {"cv.anphu"}, "password": {demo.Password}})
			} else {
				req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/sessions", strings.NewReader(`{"username":"cv.anphu","password":"`+demo.Password+`"}`))
				req.Header.Set("Content-Type", "application/json")
				r = b.do(req)
			}
			after := time.Now()
			var c *http.Cookie
			for _, x := range (&http.Response{Header: r.header}).Cookies() {
				if x.Name == "motcua_session" {
					c = x
				}
			}
			when := at.Format("2006") + " via " + via
			if c == nil {
				t.Fatalf("%s: no session cookie (%d)", when, r.status)
			}
			if c.MaxAge != int(ttl.Seconds()) {
				t.Errorf("%s: Max-Age %d, want %d", when, c.MaxAge, int(ttl.Seconds()))
			}
			// Expires is written to the second.
			lo, hi := before.Add(ttl).Truncate(time.Second), after.Add(ttl).Add(time.Second)
			if c.Expires.Before(lo) || c.Expires.After(hi) {
				t.Errorf("%s: cookie expires %v, want between %v and %v", when, c.Expires, lo, hi)
			}
			if r := b.get("/hop-thu"); r.status != http.StatusOK {
				t.Errorf("%s: the new session does not open the inbox: %d", when, r.status)
			}
			// The session expires by the service's clock.
			e.set(at.Add(ttl + time.Minute))
			if r := b.get("/hop-thu"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/dang-nhap") {
				t.Errorf("%s: a session past its end by the service's clock still opens the inbox: %d", when, r.status)
			}
			e.set(at)
		}
	}
}
