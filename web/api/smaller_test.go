package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
	"github.com/motcua/motcua/web"
)

// TestSmallerProbeFindings re-probes the smaller findings: an upload keeps
// the extension of its content, not the client's; an oversized body is
// 413; a JSON body of the wrong shape is explained without Go's type
// names.
func TestSmallerProbeFindings(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		counter := e.login("motcua.anphu")
		code, comp := e.receive()
		png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
		pdf := append([]byte("%PDF-1.7\n"), make([]byte, 64)...)
		for _, c := range []struct {
			name string
			body []byte
			want string
		}{
			{"to-khai.html", pdf, "to-khai.pdf"},
			{"anh.png.exe", png, "anh.png"},
			{"giay-to.svg", png, "giay-to.png"},
			{"ban-sao.PDF", pdf, "ban-sao.PDF"},
			{"khong-duoi", pdf, "khong-duoi.pdf"},
		} {
			r := e.upload(code, counter, fmt.Sprint(comp), c.name, c.body)
			var f struct{ Name string }
			r.decode(t, &f)
			if r.status != http.StatusCreated || f.Name != c.want {
				t.Errorf("upload named %q: %d, stored as %q, want %q", c.name, r.status, f.Name, c.want)
			}
			c.body[len(c.body)-1]++ // distinct bytes for the next upload
		}

		post := func(body string) (int, web.ErrorBody, string) {
			t.Helper()
			req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/dossiers", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+counter)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			var b web.ErrorBody
			json.Unmarshal(raw, &b)
			return res.StatusCode, b, string(raw)
		}
		// A body over 1 MB.
		if st, b, _ := post(`{"procedure_id":1,"content":"` + strings.Repeat("x", 1<<20) + `"}`); st != http.StatusRequestEntityTooLarge || b.Reason != "body_too_large" {
			t.Errorf("a 1 MB JSON body: %d %s, want 413", st, b.Reason)
		}
		// Wrong types, unknown fields, truncated JSON: named in words.
		for body, field := range map[string]string{
			`{"procedure_id":"một"}`:                      "procedure_id",
			`{"applicant":{"full_name":42}}`:              "applicant.full_name",
			`{"components":{"a":1}}`:                      "components",
			`{"channel":1e99}`:                            "channel",
			`{"procedure_id":1,"mau":"đỏ"}`:               "mau",
			`{"applicant":{"full_name":"A","tuoi":"30"}}`: "tuoi",
			`{"procedure_id":1`:                           "",
			`{"procedure_id":1,}`:                         "",
		} {
			st, b, raw := post(body)
			if st != http.StatusUnprocessableEntity || b.Error != "invalid" {
				t.Errorf("%s: %d %s", body, st, raw)
			}
			for _, goish := range []string{"Go ", "unmarshal", "int64", "json:", "unexpected", "struct"} {
				if strings.Contains(raw, goish) {
					t.Errorf("%s: the error speaks Go (%q): %s", body, goish, raw)
				}
			}
			if field != "" && b.Fields[field] == "" {
				t.Errorf("%s: no message for field %q: %s", body, field, raw)
			}
		}
	})
}
