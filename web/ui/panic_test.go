package ui_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer collects log lines written from the server's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestPanicAnswersPageOrJSON makes a page and an API endpoint panic: the
// browser gets the Vietnamese error page in the site's layout, the API
// client its JSON error, both with status 500 and nothing of the panic;
// the log has the panic with the request's path.
func TestPanicAnswersPageOrJSON(t *testing.T) {
	e := newEnv(t)
	var logs lockedBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	defer slog.SetDefault(prev)
	const secret = "chi tiết nội bộ 42"
	boom := func(w http.ResponseWriter, r *http.Request) { panic(secret) }
	e.srv.HandleFunc("GET /thu-loi", boom)
	e.srv.HandleFunc("GET /api/v1/thu-loi", boom)

	for _, who := range []string{"", "cv.anphu"} {
		b := e.browser()
		if who != "" {
			b = e.login(who)
		}
		r := b.get("/thu-loi")
		if r.status != http.StatusInternalServerError {
			t.Errorf("page (%q): status %d", who, r.status)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("page (%q): Content-Type %q, want HTML", who, ct)
		}
		for _, want := range []string{`<html lang="vi"`, "Hệ thống gặp lỗi nội bộ. Vui lòng thử lại sau hoặc báo quản trị viên.", `href="/"`} {
			if !strings.Contains(r.body, want) {
				t.Errorf("page (%q) lacks %q:\n%s", who, want, r.body)
			}
		}
		if strings.Contains(r.body, secret) || strings.Contains(r.body, `"error"`) {
			t.Errorf("page (%q) shows the panic or JSON:\n%s", who, r.body)
		}
	}

	r := e.browser().get("/api/v1/thu-loi")
	var body struct{ Error, Message string }
	if r.status != http.StatusInternalServerError || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("API: status %d, Content-Type %q", r.status, r.header.Get("Content-Type"))
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil || body.Error != "internal" || strings.Contains(r.body, secret) ||
		body.Message != "Hệ thống gặp lỗi nội bộ. Vui lòng thử lại sau hoặc báo quản trị viên." {
		t.Errorf("API body %s (%v)", r.body, err)
	}

	log := logs.String()
	for _, path := range []string{"path=/thu-loi", "path=/api/v1/thu-loi"} {
		if !strings.Contains(log, "msg=panic "+path) {
			t.Errorf("no panic logged with %s:\n%s", path, log)
		}
	}
	if !strings.Contains(log, secret) {
		t.Errorf("the log lacks the panic value:\n%s", log)
	}
}

// TestCrossSiteFormGetsErrorPage: a form posted to a page from another site
// is refused with the error page, while the API keeps its JSON refusal.
func TestCrossSiteFormGetsErrorPage(t *testing.T) {
	e := newEnv(t)
	b := e.login("motcua.anphu")
	for _, path := range []string{"/dang-xuat", "/api/v1/sessions/current"} {
		method := "POST"
		if strings.HasPrefix(path, "/api/") {
			method = "DELETE"
		}
		req, _ := http.NewRequest(method, e.ts.URL+path, strings.NewReader(""))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://trang-gia-mao.example")
		r := b.do(req)
		html := strings.HasPrefix(r.header.Get("Content-Type"), "text/html")
		if r.status != http.StatusForbidden || html == strings.HasPrefix(path, "/api/") ||
			!strings.Contains(r.body, "Yêu cầu bị từ chối vì gửi từ một trang web khác") {
			t.Errorf("%s %s: %d %q\n%s", method, path, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
}
