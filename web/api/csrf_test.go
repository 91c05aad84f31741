package api_test

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestCrossSiteRequestsRefused checks the protection against request
// forgery: a state-changing request sent by a browser from another site is
// refused even with a valid session cookie; the same request from the
// site itself, or from a program (no browser headers), goes through.
func TestCrossSiteRequestsRefused(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		token := e.login("motcua.anphu")
		try := func(header map[string]string) int {
			req, _ := http.NewRequest("DELETE", e.ts.URL+"/api/v1/sessions/current", bytes.NewReader(nil))
			req.AddCookie(&http.Cookie{Name: "motcua_session", Value: token})
			for k, v := range header {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		if s := try(map[string]string{"Sec-Fetch-Site": "cross-site"}); s != http.StatusForbidden {
			t.Errorf("cross-site (Sec-Fetch-Site): %d", s)
		}
		if s := try(map[string]string{"Origin": "https://evil.example"}); s != http.StatusForbidden {
			t.Errorf("cross-site (Origin): %d", s)
		}
		if s := try(map[string]string{"Sec-Fetch-Site": "same-origin"}); s != http.StatusNoContent {
			t.Errorf("same origin: %d", s)
		}
	})
}
