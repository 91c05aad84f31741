package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/motcua/motcua/web"
)

// TestPanicWithoutPages: a server without the pages registered still
// answers a panic on a page path with a plain Vietnamese HTML page, and on
// the API with JSON.
func TestPanicWithoutPages(t *testing.T) {
	srv, err := web.New(nil, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv.HandleFunc("GET /trang", func(http.ResponseWriter, *http.Request) { panic("bí mật") })
	srv.HandleFunc("GET /api/v1/x", func(http.ResponseWriter, *http.Request) { panic("bí mật") })
	ts := httptest.NewServer(srv)
	defer ts.Close()
	get := func(path string) (int, string, string) {
		t.Helper()
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), string(b)
	}
	status, ct, body := get("/trang")
	if status != 500 || !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, `<html lang="vi">`) ||
		!strings.Contains(body, "Hệ thống gặp lỗi nội bộ.") || strings.Contains(body, "bí mật") {
		t.Errorf("page: %d %q\n%s", status, ct, body)
	}
	status, ct, body = get("/api/v1/x")
	if status != 500 || !strings.HasPrefix(ct, "application/json") || !strings.Contains(body, `"error":"internal"`) || strings.Contains(body, "bí mật") {
		t.Errorf("API: %d %q\n%s", status, ct, body)
	}
}
