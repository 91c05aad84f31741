// Package ui is motcua's browser interface: server-rendered pages in
// Vietnamese for the one-stop counter, the staff inbox and dossier pages,
// administration, the statistics (report 06a, the QĐ 766 index, the
// dashboards, and the dossiers behind each figure), and the public pages
// (catalogue, dossier lookup, progress board, statistics). Pages are html/template files embedded in the binary, one per
// screen, parsed and checked at start; every page works without JavaScript
// (forms post to real handlers), and a small script only improves what it
// can (filling the applicant from a QR scan in place, live countdowns).
// Everything a page does goes through the service, which checks who may do
// what for which agency.
package ui

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/web"
)

//go:embed templates/*.html
var templateFS embed.FS

// Options configure the pages.
type Options struct {
	// BaseURL is the public address of the service (no trailing slash),
	// printed on receipts and encoded in their QR codes.
	BaseURL string
	// Forms are the numbers and titles of the official forms; nil means
	// pdf.DefaultForms().
	Forms pdf.Forms
	// PortalConnected says whether the national portal is configured
	// (the synchronisation page says so when it is not).
	PortalConnected bool
	// PortalSimURL, when set, is the address of the national portal's
	// simulator the demo runs, linked from the synchronisation page.
	PortalSimURL string
}

// UI serves the pages.
type UI struct {
	srv    *web.Server
	opts   Options
	pages  map[string]*template.Template
	assets *assets
	pdf    *pdf.Renderer
}

// Register parses every template (failing on the first error, so that a
// broken page never reaches a user), and mounts the pages on srv. The UI
// owns "/".
func Register(srv *web.Server, opts Options) (*UI, error) {
	if opts.Forms == nil {
		opts.Forms = pdf.DefaultForms()
	}
	if err := opts.Forms.Validate(); err != nil {
		return nil, err
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	u := &UI{srv: srv, opts: opts, assets: a}
	u.pdf = &pdf.Renderer{Forms: opts.Forms, LookupURL: u.lookupURL}
	if u.pages, err = parsePages(u.funcs()); err != nil {
		return nil, err
	}
	routes := u.routes()
	routes = append(routes, u.feedbackRoutes()...)
	routes = append(routes, u.citizenRoutes()...)
	for _, rt := range routes {
		srv.Handle(rt.pattern, u.secure(rt.handler))
	}
	// A panic or a refused request on a page shows the error page, not
	// the API's JSON.
	srv.SetPageErrors(u.fail)
	srv.Handle("GET "+assetPrefix+"{name}", http.HandlerFunc(u.assets.serve))
	// Browsers ask for /favicon.ico on every page whatever the page says:
	// answer with the site's icon rather than a 404 in every log.
	srv.Handle("GET /favicon.ico", http.HandlerFunc(u.assets.favicon))
	return u, nil
}

type route struct {
	pattern string
	handler http.HandlerFunc
}

// routes is the table of every page and action.
func (u *UI) routes() []route {
	return []route{
		{"GET /{$}", u.home},
		{"GET /dang-nhap", u.loginPage},
		{"POST /dang-nhap", u.login},
		{"GET /dang-nhap/xac-thuc", u.loginCodePage},
		{"POST /dang-nhap/xac-thuc", u.loginCode},
		{"POST /dang-xuat", u.logout},
		{"GET /thu-tuc", u.catalogue},
		{"GET /thu-tuc/{id}", u.procedure},
		{"GET /tra-cuu", u.lookup},
		{"GET /xac-thuc", u.verify},
		{"POST /xac-thuc", u.verify},
		{"POST /tra-cuu/thanh-toan", u.lookupPay},
		{"POST /tra-cuu/ket-qua", u.lookupResult},
		{"GET /tra-cuu/ket-qua", u.lookupResult},
		{"GET /thanh-toan/ket-qua", u.paymentReturn},
		{"GET /bang-tien-do", u.board},
		{"GET /thong-ke", u.stats},
		{"GET /bao-cao", u.reports},
		{"GET /bao-cao/06a", longRead(u.report06a)},
		{"GET /bao-cao/chi-so-766", longRead(u.index766)},
		{"GET /bao-cao/ho-so", longRead(u.reportDossiers)},
		{"GET /tiep-nhan", u.counter},
		{"POST /tiep-nhan", u.receive},
		{"POST /tiep-nhan/quet", u.scan},
		{"POST /tiep-nhan/tra-cuu-dan-cu", u.popLookup},
		{"GET /hop-thu", u.inbox},
		{"GET /ho-so/{code}", u.dossier},
		{"POST /ho-so/{code}/thao-tac", u.act},
		{"GET /ho-so/{code}/in/{form}", u.print},
		{"POST /ho-so/{code}/tai-lieu", u.attach},
		{"POST /ho-so/{code}/ky-ket-qua", u.signResult},
		{"GET /ky-so-ket-qua", u.signBatch},
		{"POST /ky-so-ket-qua", u.signBatch},
		{"GET /ho-so/{code}/tai-lieu/{id}", u.download},
		{"GET /ho-so/{code}/tai-lieu/{id}/van-ban", u.scanText},
		{"POST /ho-so/{code}/tai-lieu/{id}/van-ban", u.confirmMetadata},
		{"GET /tim-ban-quet", u.scanSearch},
		{"POST /ho-so/{code}/thu-phi", u.recordCash},
		{"GET /so-theo-doi", u.book},
		{"GET /tai-khoan", u.account},
		{"GET /nhat-ky-truy-cap", u.accessLog},
		{"POST /tai-khoan/mat-khau", u.changePassword},
		{"POST /tai-khoan/phien/{id}", u.endSession},
		{"POST /tai-khoan/xac-thuc-hai-lop", u.startTwoFactor},
		{"POST /tai-khoan/xac-thuc-hai-lop/xac-nhan", u.confirmTwoFactor},
		{"GET /quan-tri", u.adminHome},
		{"GET /quan-tri/co-quan", u.adminAgencies},
		{"POST /quan-tri/co-quan", u.adminCreateAgency},
		{"GET /quan-tri/co-quan/{id}", u.adminAgency},
		{"POST /quan-tri/co-quan/{id}", u.adminUpdateAgency},
		{"POST /quan-tri/co-quan/{id}/diem-tiep-nhan", u.adminCreatePoint},
		{"GET /quan-tri/tai-khoan", u.adminUsers},
		{"POST /quan-tri/tai-khoan", u.adminCreateUser},
		{"GET /quan-tri/tai-khoan/{id}", u.adminUser},
		{"POST /quan-tri/tai-khoan/{id}", u.adminUpdateUser},
		{"POST /quan-tri/tai-khoan/{id}/xac-thuc-hai-lop", u.adminRemoveTwoFactor},
		{"GET /quan-tri/thu-tuc", u.adminProcedures},
		{"GET /quan-tri/thu-tuc/{id}", u.adminProcedure},
		{"POST /quan-tri/thu-tuc/{id}", u.adminSaveProcedure},
		{"GET /quan-tri/thu-tuc/{id}/phien-ban", u.adminProcedureVersions},
		{"GET /quan-tri/sap-nhap", u.adminMergers},
		{"POST /quan-tri/sap-nhap/chay-thu", u.adminPlanMerger},
		{"POST /quan-tri/sap-nhap", u.adminStartMerger},
		{"GET /quan-tri/sap-nhap/tien-do", u.adminMergerProgress},
		{"POST /quan-tri/sap-nhap/{id}/hoan-tac", u.adminUndoMerger},
		{"GET /quan-tri/lich", u.adminCalendar},
		{"POST /quan-tri/lich", u.adminSaveCalendar},
		{"GET /quan-tri/dong-bo", u.adminPortal},
		{"POST /quan-tri/dong-bo/{id}", u.adminPortalReplay},
		{"POST /quan-tri/dong-bo", u.adminPortalQueueAll},
		{"GET /quan-tri/nhap-danh-muc", u.adminImports},
		{"POST /quan-tri/nhap-danh-muc", u.adminStartImport},
		{"POST /quan-tri/nhap-danh-muc/dung", u.adminCancelImport},
		{"GET /quan-tri/nhap-danh-muc/{id}", u.adminImport},
		{"POST /quan-tri/nhap-danh-muc/{id}/muc/{item}", u.adminImportItem},
		{"POST /quan-tri/nhap-danh-muc/{id}/cap-nhat-tat-ca", u.adminPublishAccepted},
		// The counter's queue (queue.go, admin_queue.go) and the workload
		// (workload.go).
		{"GET /lay-so", u.kiosk},
		{"POST /lay-so", u.issue},
		{"GET /lay-so/ve", u.ticket},
		{"GET /goi-so", u.display},
		{"GET /quay/xep-hang", u.queuePage},
		{"POST /quay/xep-hang/goi", u.callNext},
		{"POST /quay/xep-hang/so", u.ticketAction},
		{"GET /bao-cao/xep-hang", u.queueReport},
		{"GET /quan-tri/xep-hang", u.adminQueue},
		{"POST /quan-tri/xep-hang/quay", u.adminSaveArea},
		{"POST /quan-tri/xep-hang/thiet-bi", u.adminBindDevice},
		{"GET /khoi-luong", u.workload},
		{"GET /khoi-luong/tinh", u.provinceWorkload},
		{"GET /thong-bao", u.notifications},
		{"GET /quan-tri/mau-thong-bao", u.adminNoticeTemplates},
		{"POST /quan-tri/mau-thong-bao", u.adminSaveNoticeTemplate},
		{"GET /quan-tri/thong-bao-loi", u.adminFailedNotices},
		{"POST /quan-tri/thong-bao-loi/{id}", u.adminReplayNotice},
	}
}

// parsePages parses each page with the shared partials (the layout around
// them is written in Go: writePage).
func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := path.Base(n)
		if base == "partials.html" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("template %s defines no content", base)
		}
		pages[strings.TrimSuffix(base, ".html")] = t
	}
	return pages, nil
}

// secure sets the headers every page carries: no framing, no sniffing, no
// referrer outside the site (lookup addresses carry a verifier), scripts
// and styles from the site only.
func (u *UI) secure(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		h(w, r)
	})
}

// page is what every template receives.
type page struct {
	Title string
	User  *motcua.User
	// Section marks the current menu entry.
	Section string
	CSS, JS string
	Flash   string
	Form    *form
	Data    any
	// Path is the request path, for the login link's return address.
	Path string
	// Now is the service's clock: the script's countdowns tick only when
	// the browser's clock agrees with it.
	Now time.Time
	// Unread counts the signed-in staff member's unread notifications
	// (the bell on every staff page).
	Unread int
}

// render writes a page with status.
func (u *UI) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := u.pages[name]
	if !ok {
		panic("ui: no page " + name)
	}
	p.User = motcua.UserFromContext(r.Context())
	p.CSS, p.JS = u.assets.url("style.css"), u.assets.url("app.js")
	p.Path = r.URL.RequestURI()
	p.Now = u.srv.Service.Now()
	if p.Form == nil {
		p.Form = newForm(nil)
	}
	if p.User != nil {
		// A failed count leaves the bell empty rather than the page.
		p.Unread, _ = u.srv.Service.UnreadNotifications(r.Context())
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := writePage(buf, t, p); err != nil {
		slog.Error("render page", "page", name, "err", err)
		http.Error(w, "Lỗi hiển thị trang.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// pageBuffers hold pages while they are rendered (a page is written only
// once whole, so that a template error is an error page, not half a page).
// An inbox page is about 60 KB: a fresh buffer grew to it through a dozen
// copies, allocated at every page and collected soon after.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// putPageBuffer returns buf to pageBuffers unless it grew past what a page
// usually needs (a rare long page's buffer is left to the collector
// rather than held by the pool).
func putPageBuffer(buf *bytes.Buffer) {
	if buf.Cap() > 256<<10 {
		return
	}
	buf.Reset()
	pageBuffers.Put(buf)
}

// fail shows err: a sign-in page for EUNAUTHORIZED, otherwise an error page
// with the Vietnamese message and the status of web's table.
func (u *UI) fail(w http.ResponseWriter, r *http.Request, err error) {
	if motcua.ErrorCode(err) == motcua.EUNAUTHORIZED && r.Method == http.MethodGet {
		http.Redirect(w, r, "/dang-nhap?tiep="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	web.LogError(r, err)
	web.SetRetryAfter(w, err)
	u.render(w, r, web.Status(err), "error", &page{Title: "Không thực hiện được", Data: motcua.ErrorMessage(err)})
}

// staff returns the signed-in user, or sends the browser to the sign-in
// page and returns nil.
func (u *UI) staff(w http.ResponseWriter, r *http.Request) *motcua.User {
	usr := motcua.UserFromContext(r.Context())
	if usr == nil {
		u.fail(w, r, motcua.Errorf(motcua.EUNAUTHORIZED, "not_signed_in", "Vui lòng đăng nhập để tiếp tục."))
		return nil
	}
	return usr
}

// seeOther redirects after a successful post (the browser then gets the
// page with GET, so reloading does not post again).
func seeOther(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// lookupURL is the public lookup address of a dossier, as the receipt's QR
// code holds it: the code and the dossier's long lookup secret (k), never
// the four digits a person types, which are guessable.
func (u *UI) lookupURL(code, secret string) string {
	q := url.Values{"ma": {code}}
	if secret != "" {
		q.Set("k", secret)
	}
	return u.opts.BaseURL + "/tra-cuu?" + q.Encode()
}

// newKey returns a random idempotency key for a form.
func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// localPath accepts only an absolute path on this site as a return
// address, never another site. Browsers drop tabs and newlines from an
// address and read a backslash as a slash, so "/<TAB>/evil.example" or
// "/\\evil.example" would take them off-site: any byte that is not a
// visible ASCII character (a real address sends others percent-encoded),
// and any backslash, refuses the address, as does one that parses with a
// scheme or a host.
func localPath(s string) string {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || len(s) > 2048 {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return ""
		}
	}
	if u, err := url.Parse(s); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return ""
	}
	return s
}
