package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	khosim "github.com/motcua/motcua/kho/sim"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	ssosim "github.com/motcua/motcua/sso/sim"
)

// citizenWorld is a motcua instance on the seeded demo province connected
// over HTTP to the simulators of the national sign-on and the national
// store.
type citizenWorld struct {
	t   *testing.T
	in  *instance
	sso *ssosim.Sim
	kho *khosim.Sim
	// ssoURL is the sign-on simulator's address.
	ssoURL string
}

const e2eBase = "http://motcua.test" // the callback is requested at the instance itself

func newCitizenWorld(t *testing.T) *citizenWorld {
	t.Helper()
	prev := slog.Default()
	setupLogging("error", io.Discard)
	t.Cleanup(func() { slog.SetDefault(prev) })
	dir := t.TempDir()
	store, err := sqlstore.Open(filepath.Join(dir, "motcua.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedDemo(t, store)
	store.Close()
	var users []ssosim.User
	for _, a := range demo.Applicants() {
		users = append(users, ssosim.User{IDNumber: a.IDNumber, FullName: a.FullName, Level: 2})
	}
	w := &citizenWorld{t: t}
	if w.sso, err = ssosim.New(ssosim.Config{ClientID: "motcua-h99", ClientSecret: "client-secret-e2e", Users: users,
		RedirectURL: e2eBase + "/cong-dan/dang-nhap/ve"}); err != nil {
		t.Fatal(err)
	}
	ssoSrv := httptest.NewServer(w.sso)
	t.Cleanup(ssoSrv.Close)
	w.ssoURL = ssoSrv.URL
	w.kho = khosim.New(khosim.Config{Secret: []byte(e2eSecret), Integration: "MOTCUA-H99"})
	khoSrv := httptest.NewServer(w.kho)
	t.Cleanup(khoSrv.Close)
	w.in = startInstance(t, []string{"--data", dir, "--log-level", "error", "--base-url", e2eBase,
		"--sso-issuer", ssoSrv.URL, "--sso-client-id", "motcua-h99", "--sso-client-secret", "client-secret-e2e",
		"--kho-url", khoSrv.URL, "--kho-integration", "MOTCUA-H99", "--kho-secret", e2eSecret, "--outbox-lease", "5s"})
	return w
}

// browser is a citizen's browser: cookies kept, redirects not followed.
type browser struct {
	t *testing.T
	c *http.Client
}

func (w *citizenWorld) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: w.t, c: &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) get(u string) (int, http.Header, string) {
	b.t.Helper()
	resp, err := b.c.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

// signIn goes through the sign-on as id and returns the callback's query
// (state and code) without following it.
func (w *citizenWorld) signIn(b *browser, id string) url.Values {
	w.t.Helper()
	st, h, _ := b.get(w.in.url.String() + "/cong-dan/dang-nhap")
	if st != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), w.ssoURL+"/oauth2/authorize?") {
		w.t.Fatalf("sign-in start: %d %s", st, h.Get("Location"))
	}
	auth, _ := url.Parse(h.Get("Location"))
	form := auth.Query()
	form.Set("so_dinh_danh", id)
	form.Set("mat_khau", w.sso.Password())
	resp, err := b.c.PostForm(w.ssoURL+"/oauth2/authorize", form)
	if err != nil {
		w.t.Fatal(err)
	}
	resp.Body.Close()
	back, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(back.String(), e2eBase+"/cong-dan/dang-nhap/ve?") {
		w.t.Fatalf("provider's answer: %d %s", resp.StatusCode, back)
	}
	return back.Query()
}

// callback returns to motcua with q.
func (w *citizenWorld) callback(b *browser, q url.Values) (int, string) {
	st, h, body := b.get(w.in.url.String() + "/cong-dan/dang-nhap/ve?" + q.Encode())
	if st == http.StatusSeeOther && h.Get("Location") != "/cong-dan" {
		w.t.Fatalf("callback went to %s", h.Get("Location"))
	}
	return st, body
}

func (w *citizenWorld) ownCodes(id string) []string {
	var codes []string
	w.in.app.db.Read(context.Background(), func(tx motcua.Tx) error {
		ds, err := tx.DossiersOfApplicant(context.Background(), id, 500)
		for _, d := range ds {
			codes = append(codes, d.Code)
		}
		return err
	})
	return codes
}

// TestCitizenSignsInAndSeesOwnDossiers: two demo citizens sign in through
// the sign-on simulator; each sees exactly the dossiers that carry their
// ID number, and not the other's, even by address; a staff session opens
// nothing of theirs.
func TestCitizenSignsInAndSeesOwnDossiers(t *testing.T) {
	w := newCitizenWorld(t)
	as := demo.Applicants()
	a, b := as[0], as[1]
	mineA, mineB := w.ownCodes(a.IDNumber), w.ownCodes(b.IDNumber)
	if len(mineA) == 0 || len(mineB) == 0 {
		t.Fatalf("the demo gives both citizens dossiers: %v %v", mineA, mineB)
	}
	ba := w.browser()
	if st, _ := w.callback(ba, w.signIn(ba, a.IDNumber)); st != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", st)
	}
	st, _, page := ba.get(w.in.url.String() + "/cong-dan")
	if st != 200 || !strings.Contains(page, a.FullName) {
		t.Fatalf("own page: %d", st)
	}
	for _, c := range mineA {
		if !strings.Contains(page, "/cong-dan/ho-so/"+c+`"`) {
			t.Errorf("own dossier %s not listed", c)
		}
	}
	for _, c := range mineB {
		if strings.Contains(page, c) {
			t.Errorf("the other citizen's dossier %s is listed", c)
		}
		if st, _, body := ba.get(w.in.url.String() + "/cong-dan/ho-so/" + c); st != http.StatusNotFound || strings.Contains(body, b.FullName) {
			t.Errorf("the other citizen's dossier %s by address: %d", c, st)
		}
		if st, _, _ := ba.get(w.in.url.String() + "/cong-dan/ho-so/" + c + "/ket-qua"); st != http.StatusNotFound {
			t.Errorf("the other citizen's result %s: %d", c, st)
		}
	}
	if st, _, body := ba.get(w.in.url.String() + "/cong-dan/ho-so/" + mineA[0]); st != 200 || !strings.Contains(body, "Quá trình xử lý") {
		t.Errorf("own dossier page: %d", st)
	}
	// The other citizen, in another browser, sees theirs only.
	bb := w.browser()
	w.callback(bb, w.signIn(bb, b.IDNumber))
	_, _, page = bb.get(w.in.url.String() + "/cong-dan")
	for _, c := range mineA {
		if strings.Contains(page, c) {
			t.Errorf("B sees A's dossier %s", c)
		}
	}
	// A staff member's session is no citizen session.
	staff := w.browser()
	form := url.Values{"username": {"motcua.anphu"}, "password": {demo.Password}}
	req, _ := http.NewRequest("POST", w.in.url.String()+"/dang-nhap", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", w.in.url.String())
	if resp, err := staff.c.Do(req); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("staff sign-in: %v", err)
	}
	if st, _, _ := staff.get(w.in.url.String() + "/cong-dan/ho-so/" + mineA[0]); st != http.StatusUnauthorized {
		t.Errorf("staff session on a citizen page: %d", st)
	}
}

// TestCitizenBadCallbacks: a callback with a wrong state, one whose token
// is for another client, expired, signed with another key or with another
// nonce is refused with a Vietnamese message, gives no session, and is
// written to the audit log.
func TestCitizenBadCallbacks(t *testing.T) {
	w := newCitizenWorld(t)
	id := demo.Applicants()[2].IDNumber
	cases := []struct {
		name   string
		faults ssosim.Faults
		spoil  func(url.Values)
	}{
		{"wrong state", ssosim.Faults{}, func(q url.Values) { q.Set("state", "forged-state") }},
		{"another client", ssosim.Faults{OtherClient: true}, nil},
		{"expired", ssosim.Faults{Expired: true}, nil},
		{"bad signature", ssosim.Faults{BadSignature: true}, nil},
		{"wrong nonce", ssosim.Faults{WrongNonce: true}, nil},
	}
	for _, c := range cases {
		w.sso.SetFaults(ssosim.Faults{})
		b := w.browser()
		q := w.signIn(b, id)
		w.sso.SetFaults(c.faults)
		if c.spoil != nil {
			c.spoil(q)
		}
		st, body := w.callback(b, q)
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, "đăng nhập") {
			t.Errorf("%s: %d", c.name, st)
		}
		if st, _, _ := b.get(w.in.url.String() + "/cong-dan/ho-so/x"); st != http.StatusUnauthorized {
			t.Errorf("%s left a session: %d", c.name, st)
		}
	}
	// Without the browser's cookie the callback is refused too.
	w.sso.SetFaults(ssosim.Faults{})
	b := w.browser()
	q := w.signIn(b, id)
	if st, _ := w.callback(w.browser(), q); st != http.StatusUnprocessableEntity {
		t.Errorf("callback in another browser: %d", st)
	}
	var refused int
	w.in.app.db.Read(context.Background(), func(tx motcua.Tx) error {
		es, err := tx.AuditEntries(context.Background(), motcua.AuditFilter{Action: service.AuditCitizenSignInRefused, Limit: 100})
		refused = len(es)
		return err
	})
	if refused != len(cases)+1 {
		t.Errorf("%d refusals in the audit log, want %d", refused, len(cases)+1)
	}
}

// TestCounterReusesResultFromKho: the counter's suggestion lists the
// applicant's marital-status confirmation held by the national store; a reception
// naming it records what it reused and counts it as taken from the store,
// a reception naming a document the store does not hold is refused, and a
// client's bare taken_from_store flag is not believed.
func TestCounterReusesResultFromKho(t *testing.T) {
	w := newCitizenWorld(t)
	ctx := context.Background()
	const owner = "089190004321"
	w.kho.Add(owner, "KQ.HT.XNHN", "Giấy xác nhận tình trạng hôn nhân", "15/2025/XNHN", "Ủy ban nhân dân xã Mỹ Hòa, tỉnh Đồng Tháp")
	pw := &portalWorld{t: t, in: w.in, client: &http.Client{Timeout: 20 * time.Second}, tokens: map[string]string{}}
	p, err := w.in.app.svc.ProcedureByCode(ctx, "1.004873")
	if err != nil {
		t.Fatal(err)
	}
	var out struct{ Items []motcua.EarlierResult }
	if st := pw.call("motcua.anphu", "GET", "/results/earlier?procedure_id="+itoa(p.ID)+"&id_number="+owner, nil, &out); st != 200 {
		t.Fatalf("earlier results: %d", st)
	}
	var offer *motcua.EarlierResult
	for i, e := range out.Items {
		if e.Source == motcua.EarlierFromStore && e.ResultNumber == "15/2025/XNHN" {
			offer = &out.Items[i]
		}
	}
	if offer == nil {
		t.Fatalf("no offer from the national store: %+v", out.Items)
	}
	_, points, err := w.in.app.svc.Agency(ctx, "H99.101")
	if err != nil {
		t.Fatal(err)
	}
	receive := func(ref string, bareFlag bool) (int, map[string]any) {
		var comps []service.ComponentInput
		for _, c := range p.Components {
			switch {
			case c.ID == offer.ComponentID:
				comps = append(comps, service.ComponentInput{ComponentID: c.ID, ReuseStore: ref, TakenFromStore: bareFlag, Reused: bareFlag})
			case c.Mandatory:
				comps = append(comps, service.ComponentInput{ComponentID: c.ID, Provided: true})
			}
		}
		n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter, Components: comps,
			Applicant: motcua.Applicant{Kind: motcua.ApplicantCitizen, IDKind: motcua.IDPersonal, FullName: "Võ Thị Mai", IDNumber: owner, Phone: "0912000111"}}
		var res map[string]any
		return pw.call("motcua.anphu", "POST", "/dossiers", n, &res), res
	}
	if st, res := receive(motcua.StoreReuseRef("KQ.HT.XNHN", "99/2025/XNHN"), false); st != http.StatusUnprocessableEntity || res["reason"] != "reuse_invalid" {
		t.Errorf("a document the store does not hold: %d %v", st, res)
	}
	component := func(code string) motcua.DossierComponent {
		var d *motcua.Dossier
		w.in.app.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err })
		if d == nil {
			t.Fatalf("dossier %s not stored", code)
		}
		for _, c := range d.Components {
			if c.ComponentID == offer.ComponentID {
				return c
			}
		}
		t.Fatalf("dossier %s lacks the component", code)
		return motcua.DossierComponent{}
	}
	// The component is optional here: a bare flag receives the dossier,
	// but the flag is not believed.
	if st, res := receive("", true); st != http.StatusCreated {
		t.Fatalf("bare flags: %d %v", st, res)
	} else if c := component(res["code"].(string)); c.TakenFromStore || c.Reused {
		t.Errorf("a bare taken_from_store flag was believed: %+v", c)
	}
	st, res := receive(offer.Ref(), false)
	if st != http.StatusCreated {
		t.Fatalf("reception reusing the store's document: %d %v", st, res)
	}
	code, _ := res["code"].(string)
	var d *motcua.Dossier
	w.in.app.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err })
	found := false
	for _, c := range d.Components {
		if c.ComponentID == offer.ComponentID {
			found = c.Reused && c.TakenFromStore && c.ReusedResult == "15/2025/XNHN" && c.ReusedFrom == motcua.ReuseSourceStore+"KQ.HT.XNHN"
		}
	}
	if !found || !motcua.FlagsOf(d).Has(motcua.FlagFromStore|motcua.FlagReused) {
		t.Errorf("the component does not record the reuse: %+v", d.Components)
	}
	// The store down: the suggestion falls back to motcua's results and a
	// reception naming the store's document is refused with a reason.
	w.kho.SetFaults(khosim.Faults{Down: true})
	if st, res := receive(offer.Ref(), false); st != http.StatusUnprocessableEntity || res["reason"] != "store_unavailable" {
		t.Errorf("store down: %d %v", st, res)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(bytes.TrimSpace(b)) }
