package web

import (
	"html/template"
	"net/http"
)

// homePage is the landing page until the staff and public pages (web/ui)
// take over "/": it says what the server is and where the API is.
var homePage = template.Must(template.New("home").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>motcua – Hệ thống giải quyết thủ tục hành chính</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5">
<h1>Hệ thống giải quyết thủ tục hành chính</h1>
<p>Máy chủ motcua đang hoạt động.</p>
<ul>
<li><a href="/api/v1/procedures">Danh mục thủ tục hành chính (JSON)</a></li>
<li><a href="/api/v1/openapi.json">Tài liệu API (OpenAPI)</a></li>
</ul>
<p>Tra cứu hồ sơ: <code>/api/v1/lookup?code=MÃ_HỒ_SƠ&amp;verifier=4_SỐ_CUỐI_ĐIỆN_THOẠI</code></p>
</body></html>`))

// HandleHome serves the landing page at "/" (exactly).
func (s *Server) HandleHome() {
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		homePage.Execute(w, nil)
	})
}
