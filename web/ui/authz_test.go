package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
)

// principals of the authorization matrix: nobody, and demo accounts for
// each role at the dossier's own agency (the commune of An Phú), at the
// province above it (administrator, national portal, supervisor), and at
// foreign agencies (the commune of Hòa Bình, the police).
var principals = []string{"", "motcua.anphu", "cv.anphu", "ct.anphu", "admin", "dvcqg", "giamsat.tinh", "motcua.hoabinh", "ct.hoabinh", "tp.congan"}

// as returns a context signed in as the demo account who.
func (e *env) as(who string) context.Context {
	e.t.Helper()
	var u *motcua.User
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, who); return err }); err != nil {
		e.t.Fatal(err)
	}
	return motcua.NewContextWithUser(ctx, u)
}

// apiToken signs who in through the API.
func (e *env) apiToken(who string) string {
	e.t.Helper()
	res, err := http.Post(e.ts.URL+"/api/v1/sessions", "application/json",
		strings.NewReader(`{"username":"`+who+`","password":"`+demo.Password+`"}`))
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	json.NewDecoder(res.Body).Decode(&out)
	if out.Token == "" {
		e.t.Fatalf("API sign-in of %s: %d", who, res.StatusCode)
	}
	return out.Token
}

// matrixRequest sends the matrix's request for route pattern as who: the
// path values filled from vals, a body that changes nothing (empty or
// invalid) unless the route needs a valid one to reach its check.
func (e *env) matrixRequest(pattern, query, who string, vals map[string]string, bodies map[string]func() (string, []byte)) resp {
	e.t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok { // a pattern for every method
		method, path = "GET", pattern
	}
	path = strings.TrimSuffix(path, "{$}")
	for k, v := range vals {
		path = strings.ReplaceAll(path, "{"+k+"}", v)
	}
	ctype, body := "application/x-www-form-urlencoded", []byte(nil)
	if strings.HasPrefix(path, "/api/") && method != "GET" {
		ctype, body = "application/json", []byte(`{}`)
	}
	if mk, ok := bodies[pattern]; ok {
		ctype, body = mk()
	}
	req, _ := http.NewRequest(method, e.ts.URL+path+query, bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Origin", e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	b := e.browser()
	if who != "" {
		if strings.HasPrefix(path, "/api/") {
			req.Header.Set("Authorization", "Bearer "+e.apiToken(who))
		} else {
			b = e.login(who)
		}
	}
	return b.do(req)
}

// refused reports whether r refuses the caller: 401, 403, 404 or the
// sign-in page.
func refused(r resp) bool {
	switch r.status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound:
		return true
	case http.StatusSeeOther, http.StatusFound:
		return strings.HasPrefix(r.header.Get("Location"), "/dang-nhap")
	}
	return false
}

// Kinds of entries of the matrix besides lists of principals.
const (
	anyone = "*"     // everyone, without a session
	staff  = "staff" // every signed-in account
	nobody = "-"     // no one (the API's answer for an unknown address)
)

var (
	ownHandlers = []string{"motcua.anphu", "cv.anphu", "ct.anphu"}
	dossierSeen = append(ownHandlers, "giamsat.tinh")
)

// scanSearchers may search scans' text: every account that handles or
// supervises dossiers somewhere.
var scanSearchers = append(slices.Clone(dossierSeen), "motcua.hoabinh", "ct.hoabinh", "tp.congan")

// authz is the one table of who passes each route's authorization, for the
// requests TestAuthorizationMatrix sends (on a dossier received at An Phú,
// its file, An Phú's agency, account, book and report lists). Every route
// registered on the server must have an entry: a route added without one
// fails the test.
var authz = map[string][]string{
	"GET /healthz": {anyone}, "GET /readyz": {anyone}, "GET /tai-nguyen/{name}": {anyone}, "GET /favicon.ico": {anyone},
	// The API.
	"POST /api/v1/sessions": {anyone}, "DELETE /api/v1/sessions/current": {anyone}, "GET /api/v1/me": {staff},
	"GET /api/v1/agencies": {anyone}, "GET /api/v1/agencies/{code}": {anyone},
	"GET /api/v1/procedures": {anyone}, "GET /api/v1/procedures/{id}": {anyone},
	"GET /api/v1/users":                             {"admin", "ct.anphu"}, // An Phú's accounts: its administrators, heads and leaders (to assign)
	"POST /api/v1/dossiers":                         {"motcua.anphu"},      // a reception at An Phú's counter
	"GET /api/v1/dossiers/{code}":                   dossierSeen,
	"POST /api/v1/dossiers/{code}/actions/{action}": dossierSeen,                  // which action, the transition table decides
	"POST /api/v1/dossiers/{code}/files":            {"motcua.anphu", "ct.anphu"}, // those acting on it now
	"GET /api/v1/dossiers/{code}/files":             dossierSeen,
	"GET /api/v1/dossiers/{code}/files/{id}":        dossierSeen,
	"GET /api/v1/inbox":                             {staff}, // one's own inbox
	"GET /api/v1/lookup":                            {anyone},
	"GET /api/v1/reports/06a":                       {anyone},
	"GET /api/v1/reports/index766":                  {anyone},
	"GET /api/v1/reports/dossiers":                  append(ownHandlers, "admin", "giamsat.tinh"), // no personal data; staff of An Phú and above
	"POST /api/v1/population/lookups":               {"motcua.anphu", "motcua.hoabinh"},           // reception officers, before a reception
	"GET /api/v1/population/lookups":                {"ct.anphu", "ct.hoabinh", "giamsat.tinh"},
	"GET /api/v1/results/earlier":                   {"motcua.anphu", "motcua.hoabinh"},
	// No signing key in the matrix's province: signing and verifying by
	// code answer "signing off" to everyone; who may sign is tested with
	// keys in service/signing_test.go (TestSignResult) and web/ui/signing_test.go.
	"POST /api/v1/dossiers/{code}/result/sign":   {nobody},
	"POST /api/v1/results/sign":                  {staff},
	"POST /api/v1/verify":                        {anyone},
	"GET /api/v1/verify/{doc_code}":              {nobody},
	"GET /api/v1/outbox/failed":                  {"admin"},
	"GET /api/v1/dossiers/{code}/payments":       dossierSeen,
	"POST /api/v1/dossiers/{code}/payments/cash": {"motcua.anphu"},
	// The matrix's province has no payment platform and no national
	// portal: these answer "not connected" to everyone. Who may pay and
	// what a callback or a portal message must carry (MaXacThuc, the
	// portal's signature) are tested where they are connected:
	// web/api/payments_test.go, cmd/motcua/portal_e2e_test.go.
	"POST /api/v1/dossiers/{code}/payments/online":             {nobody},
	"POST /api/v1/payments/callback":                           {nobody},
	"POST /api/v1/dvcqg/messages":                              {nobody},
	"GET /api/v1/dvcqg/sync":                                   {"admin"},
	"POST /api/v1/dvcqg/sync/{id}/replay":                      {"admin"},
	"GET /api/v1/catalogue/imports":                            {"admin"},
	"POST /api/v1/catalogue/imports":                           {"admin"},
	"DELETE /api/v1/catalogue/imports/current":                 {"admin"},
	"GET /api/v1/catalogue/imports/{id}":                       {"admin"},
	"POST /api/v1/catalogue/imports/{id}/items/{item}/review":  {"admin"},
	"POST /api/v1/catalogue/imports/{id}/items/{item}/publish": {"admin"},
	"POST /api/v1/catalogue/imports/{id}/publish":              {"admin"},
	"GET /api/v1/openapi.json":                                 {anyone},
	"GET /api/v1/notifications":                                {staff},
	"/api/v1/":                                                 {nobody},
	// The pages.
	"GET /{$}": {anyone}, "GET /dang-nhap": {anyone}, "POST /dang-nhap": {anyone}, "POST /dang-xuat": {anyone},
	"GET /thu-tuc": {anyone}, "GET /thu-tuc/{id}": {anyone}, "GET /tra-cuu": {anyone}, "GET /bang-tien-do": {anyone},
	"GET /thong-ke": {anyone},
	"GET /bao-cao":  {staff}, "GET /bao-cao/06a": {staff}, "GET /bao-cao/chi-so-766": {staff},
	"GET /bao-cao/ho-so":             append(ownHandlers, "admin", "giamsat.tinh"),
	"GET /tiep-nhan":                 {"motcua.anphu", "motcua.hoabinh"},
	"POST /tiep-nhan":                {"motcua.anphu", "motcua.hoabinh"},
	"POST /tiep-nhan/tra-cuu-dan-cu": {"motcua.anphu", "motcua.hoabinh"},
	"GET /xac-thuc":                  {anyone}, "POST /xac-thuc": {anyone},
	"POST /ho-so/{code}/ky-ket-qua":           {nobody}, // no signing key here (see the API's entry)
	"GET /ky-so-ket-qua":                      {nobody}, // the page says signing is off (web/ui/signing_batch_test.go signs)
	"POST /ky-so-ket-qua":                     {nobody},
	"POST /tiep-nhan/quet":                    {"motcua.anphu", "motcua.hoabinh"},
	"GET /hop-thu":                            {staff},
	"GET /ho-so/{code}":                       dossierSeen,
	"POST /ho-so/{code}/thao-tac":             dossierSeen,
	"GET /ho-so/{code}/in/{form}":             dossierSeen,
	"POST /ho-so/{code}/tai-lieu":             {"motcua.anphu", "ct.anphu"},
	"GET /ho-so/{code}/tai-lieu/{id}":         dossierSeen,
	"GET /ho-so/{code}/tai-lieu/{id}/van-ban": dossierSeen,
	"GET /so-theo-doi":                        dossierSeen, // An Phú's book: its staff who work on dossiers, and the supervisor
	"GET /tai-khoan":                          {staff}, "POST /tai-khoan/mat-khau": {staff}, "POST /tai-khoan/phien/{id}": {staff},
	"POST /tai-khoan/xac-thuc-hai-lop": {staff}, "POST /tai-khoan/xac-thuc-hai-lop/xac-nhan": {staff},
	// The second step of a sign-in needs the half-signed-in cookie that
	// only a right password gives: without it, back to the password.
	"GET /dang-nhap/xac-thuc": {nobody}, "POST /dang-nhap/xac-thuc": {nobody},
	"GET /nhat-ky-truy-cap": {"giamsat.tinh"},
	"GET /quan-tri":         {"admin"},
	"GET /quan-tri/co-quan": {"admin"}, "POST /quan-tri/co-quan": {"admin"}, // a new agency under An Phú
	"GET /quan-tri/co-quan/{id}": {"admin"}, "POST /quan-tri/co-quan/{id}": {"admin"},
	"POST /quan-tri/co-quan/{id}/diem-tiep-nhan": {"admin"},
	"GET /quan-tri/tai-khoan":                    {"admin"}, "POST /quan-tri/tai-khoan": {"admin"},
	"GET /quan-tri/tai-khoan/{id}": {"admin"}, "POST /quan-tri/tai-khoan/{id}": {"admin"},
	"POST /quan-tri/tai-khoan/{id}/xac-thuc-hai-lop": {"admin"},
	// The catalogue and the calendar are public information: every
	// account may read their administration pages; only administrators
	// change them.
	"GET /quan-tri/thu-tuc": {staff}, "GET /quan-tri/thu-tuc/{id}": {staff}, "POST /quan-tri/thu-tuc/{id}": {"admin"},
	"GET /quan-tri/lich": {staff}, "POST /quan-tri/lich": {"admin"},
	"POST /tra-cuu/thanh-toan":   {nobody}, // no payment platform (see the API's entries)
	"POST /tra-cuu/ket-qua":      {nobody}, // needs a dossier's code and verifier; tested in lookup_result_test.go
	"GET /tra-cuu/ket-qua":       {nobody}, // needs a dossier's code and lookup secret; tested in lookup_result_test.go
	"GET /thanh-toan/ket-qua":    {nobody}, // the return page of a payment the platform names; none here
	"POST /ho-so/{code}/thu-phi": {"motcua.anphu"},
	"GET /quan-tri/dong-bo":      {"admin"}, "POST /quan-tri/dong-bo/{id}": {"admin"}, "POST /quan-tri/dong-bo": {"admin"},
	"GET /quan-tri/nhap-danh-muc": {"admin"}, "POST /quan-tri/nhap-danh-muc": {"admin"}, "POST /quan-tri/nhap-danh-muc/dung": {"admin"},
	"GET /quan-tri/nhap-danh-muc/{id}": {"admin"}, "POST /quan-tri/nhap-danh-muc/{id}/muc/{item}": {"admin"},
	"POST /quan-tri/nhap-danh-muc/{id}/cap-nhat-tat-ca": {"admin"},
	// Rating and complaints (feedback.go, rating.go): the matrix's dossier
	// is not returned, so a rating with the right verifier reaches the
	// state check (409) for anyone; the complaint is about An Phú's dossier.
	"POST /tra-cuu/danh-gia": {anyone}, "POST /api/v1/dossiers/{code}/rating": {anyone},
	"GET /api/v1/dossiers/{code}/rating": {nobody}, // not rated: 404 to all; tested in feedback_test.go
	"GET /quay/danh-gia":                 {"motcua.anphu", "motcua.hoabinh"}, "POST /quay/danh-gia": {"motcua.anphu", "motcua.hoabinh"},
	"GET /api/v1/counter/rating": {"motcua.anphu", "motcua.hoabinh"}, "POST /api/v1/counter/rating": {"motcua.anphu", "motcua.hoabinh"},
	"GET /phan-anh": {anyone}, "POST /phan-anh": {anyone}, "GET /phan-anh/tra-cuu": {anyone}, "POST /phan-anh/tra-cuu/danh-gia": {anyone},
	"GET /phan-anh/da-tra-loi": {anyone}, "POST /api/v1/public-feedback": {anyone}, "GET /api/v1/public-feedback": {anyone},
	"GET /api/v1/public-feedback/status": {anyone}, "POST /api/v1/public-feedback/status/rating": {anyone},
	"GET /quan-ly/phan-anh": feedbackReaders, "GET /api/v1/feedback": feedbackReaders,
	"GET /quan-ly/phan-anh/moi": handlingStaff, "POST /quan-ly/phan-anh/moi": handlingStaff, "POST /api/v1/feedback": handlingStaff,
	"GET /quan-ly/phan-anh/{code}": dossierSeen, "GET /api/v1/feedback/{code}": dossierSeen,
	"POST /quan-ly/phan-anh/{code}/phan-cong": {"ct.anphu"}, "POST /quan-ly/phan-anh/{code}/tra-loi": {"ct.anphu"},
	"POST /quan-ly/phan-anh/{code}/cong-khai": {"ct.anphu"}, "POST /api/v1/feedback/{code}/assign": {"ct.anphu"},
	"POST /api/v1/feedback/{code}/answer": {"ct.anphu"}, "POST /api/v1/feedback/{code}/publish": {"ct.anphu"},
	"GET /quan-tri/thu-tuc/{id}/phien-ban": {"admin"}, // versions, their diff, dossiers by version
	// The queue: the kiosk's and the display's pages answer only a device
	// an administrator bound (its cookie; no session opens them: tested in
	// queue_test.go); calling and acting on tickets are the point's
	// one-stop officers' (the ticket is motcua.anphu's own), its
	// configuration its administrators'.
	"GET /lay-so": {nobody}, "POST /lay-so": {nobody}, "GET /lay-so/ve": {nobody}, "GET /goi-so": {nobody},
	"GET /quay/xep-hang":           {"motcua.anphu", "motcua.hoabinh"},
	"POST /quay/xep-hang/goi":      {"motcua.anphu"},
	"POST /quay/xep-hang/so":       {"motcua.anphu"},
	"GET /bao-cao/xep-hang":        dossierSeen,
	"GET /quan-tri/xep-hang":       {"admin"},
	"POST /quan-tri/xep-hang/quay": {"admin"}, "POST /quan-tri/xep-hang/thiet-bi": {"admin"},
	// Workload: an agency's to its staff who carry dossiers and those who
	// oversee it; the province's view to leaders and supervisors (each
	// sees the agencies under them).
	"GET /khoi-luong": dossierSeen, "GET /api/v1/workload": dossierSeen, "GET /api/v1/queue/stats": dossierSeen,
	"GET /khoi-luong/tinh": {"ct.anphu", "giamsat.tinh", "ct.hoabinh"}, "GET /api/v1/workload/province": {"ct.anphu", "giamsat.tinh", "ct.hoabinh"},
	// The citizen's own pages: a staff session is no citizen session,
	// and no sign-on is configured here (TestCitizen* sign in through the
	// simulator).
	"GET /cong-dan": {anyone}, "POST /cong-dan/dang-xuat": {anyone},
	"GET /cong-dan/dang-nhap": {nobody}, "GET /cong-dan/dang-nhap/ve": {nobody},
	"GET /cong-dan/ho-so/{code}": {nobody}, "GET /cong-dan/ho-so/{code}/ket-qua": {nobody},
	"GET /thong-bao": {staff}, "GET /quan-tri/mau-thong-bao": {"admin"}, "POST /quan-tri/mau-thong-bao": {"admin"},
	"GET /quan-tri/thong-bao-loi": {"admin"}, "POST /quan-tri/thong-bao-loi/{id}": {"admin"},
	"GET /quan-tri/sap-nhap": {"admin"}, "POST /quan-tri/sap-nhap/chay-thu": {"admin"}, "POST /quan-tri/sap-nhap": {"admin"},
	"GET /quan-tri/sap-nhap/tien-do": {"admin"}, "POST /quan-tri/sap-nhap/{id}/hoan-tac": {"admin"},
	// Confirming a scan's metadata: those who handle the dossier, not its
	// supervisor (who reads it). Searching scans: whoever handles or
	// supervises dossiers somewhere (each in their own).
	"POST /ho-so/{code}/tai-lieu/{id}/van-ban": ownHandlers, "PUT /api/v1/dossiers/{code}/files/{id}/metadata": ownHandlers,
	"GET /tim-ban-quet": scanSearchers, "GET /api/v1/scans/search": scanSearchers,
}

// Who works on complaints in the matrix: handling staff anywhere (their
// own agency's), and the province's supervisor (all).
var (
	handlingStaff   = []string{"motcua.anphu", "cv.anphu", "ct.anphu", "motcua.hoabinh", "ct.hoabinh", "tp.congan"}
	feedbackReaders = append(slices.Clone(handlingStaff), "giamsat.tinh")
)

// TestAuthorizationMatrix sends a request to every route registered on the
// server (pages and API) as nobody and as each principal — the own agency,
// the province above it, foreign agencies — and checks each answer against
// authz: refused (401, 403, 404 or the sign-in page) exactly where the
// table says. Requests change nothing that matters to the next ones (a
// fresh sign-in each, bodies that fail validation where the route checks
// its caller first, a valid body where it must reach its check).
func TestAuthorizationMatrix(t *testing.T) {
	src := &memCatalogue{procs: map[string]*motcua.NationalProcedure{}}
	e := newEnvWith(t, func(c *service.Config) { c.Catalogue, c.PortalSync = src, true })
	in, err := e.svc.ReceiveDossier(e.as("motcua.anphu"), "", anPhuDossier(e))
	if err != nil {
		t.Fatal(err)
	}
	// A status message the portal refused, to send again; a catalogue
	// import with an item to review and publish.
	if _, err := e.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{
		motcua.TopicPortalSync: e.svc.PortalDeliverer(refusingPortal{})}}); err != nil {
		t.Fatal(err)
	}
	portal, err := e.svc.PortalOverview(e.as("admin"), false)
	if err != nil || len(portal.Pending) != 1 {
		t.Fatalf("the refused message: %+v %v", portal, err)
	}
	copyOf, _ := e.svc.ProcedureByCode(ctx, "2.000635")
	changed := motcua.NationalProcedure{Procedure: *copyOf}
	changed.Procedure.Name += " (sửa đổi)"
	src.procs[copyOf.Code], src.order = &changed, []string{copyOf.Code}
	run, err := e.svc.ImportCatalogue(e.as("admin"), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, items, err := e.svc.ImportRun(e.as("admin"), run.ID, motcua.ImportChanged)
	if err != nil || len(items) != 1 {
		t.Fatalf("the import's changed items: %v %v", items, err)
	}
	// A merger of two new communes, undone: undoing it again reaches the
	// caller's check and is then refused as done already.
	merged := e.emptyMerger()
	d := in.Dossier
	code, comp := d.Code, d.Components[0].ComponentID
	fb, err := e.svc.SubmitFeedback(ctx, service.FeedbackInput{Name: "Người Phản Ánh", Contact: "0912000111",
		Content: "Hồ sơ chậm, cán bộ hẹn nhiều lần.", DossierCode: code}, "192.0.2.200")
	if err != nil {
		t.Fatal(err)
	}
	file, err := e.svc.AttachFile(e.as("motcua.anphu"), code, comp, "a.pdf", strings.NewReader("%PDF-1.7\n%%EOF"))
	if err != nil {
		t.Fatal(err)
	}
	anPhu, points, _ := e.svc.Agency(ctx, "H99.101")
	proc, _ := e.svc.ProcedureByCode(ctx, "1.004837")
	var cv *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { cv, err = tx.UserByUsername(ctx, "cv.anphu"); return err })
	asset := regexp.MustCompile(`/tai-nguyen/([^"]+)`).FindStringSubmatch(e.browser().get("/").body)
	if asset == nil {
		t.Fatal("no asset on the home page")
	}
	ag := fmt.Sprint(anPhu.ID)
	pt := fmt.Sprint(points[0].ID)
	ticket := calledTicket(e, points[0].ID)
	query := map[string]string{
		"GET /api/v1/lookup":                 "?code=" + code + "&verifier=" + d.Verifier,
		"GET /api/v1/users":                  "?agency_id=" + ag,
		"GET /api/v1/reports/dossiers":       "?from=2025-03-01&to=2025-03-10&figure=06a.5&agency_id=" + ag,
		"GET /bao-cao/ho-so":                 "?cot=3&tu=2025-03-01&den=2025-03-10&don-vi=" + ag,
		"GET /so-theo-doi":                   "?in=1&tu=01/03/2025&den=10/03/2025&co-quan=" + ag,
		"GET /nhat-ky-truy-cap":              "?ma=" + code,
		"GET /api/v1/public-feedback/status": "?code=" + fb.Code + "&secret=" + fb.Secret,
		"GET /api/v1/dossiers/{code}/rating": "?verifier=" + d.Verifier,
		"GET /bao-cao/xep-hang":              "?diem=" + pt, "GET /api/v1/queue/stats": "?reception_point_id=" + pt,
		"GET /khoi-luong": "?don-vi=" + ag, "GET /api/v1/workload": "?agency_id=" + ag,
		"GET /tim-ban-quet": "?q=giay+khai+sinh", "GET /api/v1/scans/search": "?q=giay+khai+sinh",
	}
	vals := func(pattern string) map[string]string {
		v := map[string]string{"code": code, "form": "receipt", "action": "fly", "name": asset[1], "id": fmt.Sprint(proc.ID)}
		switch {
		case strings.Contains(pattern, "phan-anh/{code}"), strings.Contains(pattern, "/feedback/{code}"):
			v["code"] = fb.Code
		case strings.Contains(pattern, "/co-quan/"):
			v["id"] = ag
		case strings.Contains(pattern, "/tai-khoan/{id}"):
			v["id"] = fmt.Sprint(cv.ID)
		case strings.Contains(pattern, "tai-lieu/{id}"), strings.Contains(pattern, "files/{id}"):
			v["id"] = fmt.Sprint(file.ID)
		case strings.Contains(pattern, "/phien/"):
			v["id"] = "khac"
		case strings.Contains(pattern, "/agencies/"):
			v["code"] = "H99.101"
		case strings.Contains(pattern, "/dong-bo/"), strings.Contains(pattern, "/dvcqg/sync/"), strings.Contains(pattern, "/thong-bao-loi/"):
			v["id"] = fmt.Sprint(portal.Pending[0].Message.ID)
		case strings.Contains(pattern, "/sap-nhap/"):
			v["id"] = fmt.Sprint(merged)
		case strings.Contains(pattern, "/nhap-danh-muc/"), strings.Contains(pattern, "/catalogue/imports/"):
			v["id"], v["item"] = fmt.Sprint(run.ID), fmt.Sprint(items[0].ID)
		}
		return v
	}
	form := func(v url.Values) func() (string, []byte) {
		return func() (string, []byte) { return "application/x-www-form-urlencoded", []byte(v.Encode()) }
	}
	bodies := map[string]func() (string, []byte){
		"POST /ho-so/{code}/tai-lieu": upload(comp), "POST /api/v1/dossiers/{code}/files": upload(comp),
		"POST /api/v1/dossiers": func() (string, []byte) {
			b, _ := json.Marshal(service.NewDossier{ProcedureID: proc.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
				Decision: service.DecisionRefuse, Reason: "Không thuộc thẩm quyền (kiểm tra phân quyền)",
				Applicant: motcua.Applicant{FullName: "Người Thử", IDNumber: "001193012345"}})
			return "application/json", b
		},
		// The calendar's form is read before the caller is checked: a
		// valid notice reaches the check.
		"POST /quan-tri/lich": form(url.Values{"op": {"notice"}, "nam": {"2025"}, "number": {"01/TB-KT"}, "issuer": {"Kiểm tra"}}),
		// An agency under An Phú, without a name: refused as invalid
		// once the caller may create it.
		"POST /quan-tri/co-quan":                                  form(url.Values{"parent_id": {ag}}),
		"POST /api/v1/catalogue/imports/{id}/items/{item}/review": func() (string, []byte) { return "application/json", []byte(`{"accept":true}`) },
		"POST /quan-tri/nhap-danh-muc/{id}/muc/{item}":            form(url.Values{"thao-tac": {"chap-nhan"}}),
		// The queue's forms name An Phú's point (and the ticket
		// motcua.anphu serves) without the rest: refused as invalid once
		// the caller may act.
		"POST /quay/xep-hang/goi":          form(url.Values{"diem": {pt}}),
		"POST /quay/xep-hang/so":           form(url.Values{"ticket_id": {fmt.Sprint(ticket)}}),
		"POST /quan-tri/xep-hang/quay":     form(url.Values{"diem": {pt}}),
		"POST /quan-tri/xep-hang/thiet-bi": form(url.Values{"diem": {pt}}),
		// Sign-in with nothing: refused for bad credentials, which is
		// not an authorization refusal.
		"POST /dang-nhap": form(url.Values{"username": {"khach"}, "password": {"x"}}),
		// A rating with the right verifier reaches the dossier's state.
		"POST /tra-cuu/danh-gia": form(url.Values{"ma": {code}, "so": {d.Verifier}}),
		"POST /api/v1/dossiers/{code}/rating": func() (string, []byte) {
			return "application/json", []byte(`{"verifier":"` + d.Verifier + `","level":5,"attitude":5,"trips":0}`)
		},
	}
	patterns := e.srv.Patterns()
	for _, pat := range patterns {
		want, ok := authz[pat]
		if !ok {
			t.Errorf("route %q has no entry in the authorization table", pat)
			continue
		}
		for _, who := range principals {
			allowed := slices.Contains(want, anyone) || (who != "" && slices.Contains(want, staff)) || slices.Contains(want, who)
			if slices.Contains(want, nobody) {
				allowed = false
			}
			r := e.matrixRequest(pat, query[pat], who, vals(pat), bodies)
			if pat == "POST /dang-nhap" || pat == "POST /api/v1/sessions" {
				// Public, but a wrong password is 401 and many are 429.
				if r.status == http.StatusForbidden || r.status >= 500 {
					t.Errorf("%s as %q: %d", pat, who, r.status)
				}
				continue
			}
			if refused(r) == allowed || r.status >= 500 {
				t.Errorf("%s as %q: %d (location %q), want %s", pat, name(who), r.status, r.header.Get("Location"), verdict(allowed))
			}
		}
	}
	for pat := range authz {
		if !slices.Contains(patterns, pat) {
			t.Errorf("the authorization table names %q, which is not a route", pat)
		}
	}
}

func name(who string) string {
	if who == "" {
		return "(no session)"
	}
	return who
}

func verdict(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "refused"
}

// upload is a multipart upload of an HTML page as a scan of component: it
// reaches the dossier's checks and is then refused for its content.
func upload(component int64) func() (string, []byte) {
	return func() (string, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("component_id", fmt.Sprint(component))
		w, _ := mw.CreateFormFile("file", "x.html")
		w.Write([]byte("<html>not a scan</html>"))
		mw.Close()
		return mw.FormDataContentType(), buf.Bytes()
	}
}

// anPhuDossier is a valid reception of Đăng ký giám hộ at An Phú.
func anPhuDossier(e *env) service.NewDossier {
	e.t.Helper()
	p, err := e.svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		e.t.Fatal(err)
	}
	a, points, err := e.svc.Agency(ctx, "H99.101")
	if err != nil {
		e.t.Fatal(err)
	}
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, CompetentAgencyID: a.ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Lê Thị Kim Oanh", IDNumber: "001193012345", Phone: "0912000999"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	return n
}
