package ui_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// FuzzQueryParams sends every GET route of the server (pages and API) an
// arbitrary query string, as nobody, a counter officer, a specialist, the
// administrator and the supervisor: whatever the parameters — periods,
// filters, page cursors, codes, formats — the answer is a clean 2xx, 3xx
// or 4xx, never a 5xx or a crash, and a page is valid UTF-8.
func FuzzQueryParams(f *testing.F) {
	e := newEnv(f)
	codes := e.dossierCodes("H99.101", motcua.StateProcessing)
	if len(codes) == 0 {
		f.Fatal("no dossier to name")
	}
	var routes []string
	for _, p := range e.srv.Patterns() {
		if strings.HasPrefix(p, "GET ") {
			routes = append(routes, strings.TrimPrefix(p, "GET "))
		}
	}
	slices.Sort(routes)
	who := []string{"", "motcua.anphu", "cv.anphu", "admin", "giamsat.tinh"}
	cookies := map[string][]*http.Cookie{}
	tokens := map[string]string{}
	for _, w := range who[1:] {
		b := e.login(w)
		u, _ := url.Parse(e.ts.URL)
		cookies[w] = b.c.Jar.Cookies(u)
		tokens[w] = e.apiToken(w)
	}
	fill := strings.NewReplacer("{code}", codes[0], "{id}", "1", "{item}", "1", "{form}", "receipt", "{action}", "transfer", "{name}", "x", "{$}", "")
	queries := []string{"", "ky=quy&nam=2025&quy=1", "ky=thang&nam=2025&thang=13", "tu=01/03/2025&den=10/03/2025",
		"tu=2025-02-30", "trang=-1&sau=zz", "format=csv", "format=xlsx", "q=khai%20sinh&linh-vuc=H%E1%BB%99", "code=" + codes[0] + "&verifier=0000",
		"from=2025-03-01&to=2025-03-10&figure=06a.5&agency_id=1", "after=99999999999999999999", "in=1&co-quan=%00", "nam=9999",
		"ky=khoang&tu=31/12/2025&den=01/01/2025", "source=x&limit=100000", "%zz", "a=%C0%AF"}
	for i := range routes { // every route with two of the queries, every query on several routes
		f.Add(uint16(i), uint8(i%len(who)), queries[i%len(queries)])
		f.Add(uint16(i), uint8((i+2)%len(who)), queries[(i+7)%len(queries)])
	}
	f.Fuzz(func(t *testing.T, route uint16, as uint8, query string) {
		path := fill.Replace(routes[int(route)%len(routes)])
		w := who[int(as)%len(who)]
		req := httptest.NewRequest("GET", "http://"+e.ts.Listener.Addr().String()+path, nil)
		req.URL.RawQuery = query
		req.RemoteAddr = "198.51.100.7:1234"
		if strings.HasPrefix(path, "/api/") && w != "" {
			req.Header.Set("Authorization", "Bearer "+tokens[w])
		}
		for _, c := range cookies[w] {
			req.AddCookie(c)
		}
		rec := httptest.NewRecorder()
		e.srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s?%s as %q: %d\n%.500s", path, query, w, rec.Code, rec.Body.String())
		}
		if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(ct, "text/") && !utf8.Valid(rec.Body.Bytes()) {
			t.Fatalf("GET %s?%s as %q: the page is not valid UTF-8", path, query, w)
		}
	})
}
