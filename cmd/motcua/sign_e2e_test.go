package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
	signsim "github.com/motcua/motcua/sign/sim"
	"github.com/motcua/motcua/sqlstore"
)

// signWorld is a motcua instance with --keys over HTTP, on a seeded
// SQLite province, and a client signed in as demo users.
type signWorld struct {
	t      *testing.T
	in     *instance
	client *http.Client
	tokens map[string]string
}

func newSignWorld(t *testing.T) *signWorld {
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
	cfg := Config{DataDir: dir}
	if err := demoKeys(&cfg, time.Now()); err != nil {
		t.Fatal(err)
	}
	tsaKey, err := sign.LoadKeyFile(filepath.Join(cfg.Keys, "tsa.pem"))
	if err != nil {
		t.Fatal(err)
	}
	tsa := httptest.NewServer(signsim.New(tsaKey))
	t.Cleanup(tsa.Close)
	in := startInstance(t, []string{"--data", dir, "--log-level", "error", "--keys", cfg.Keys, "--tsa-url", tsa.URL})
	return &signWorld{t: t, in: in, client: &http.Client{Timeout: 30 * time.Second}, tokens: map[string]string{}}
}

func (w *signWorld) token(user string) string {
	w.t.Helper()
	if tok, ok := w.tokens[user]; ok {
		return tok
	}
	b, _ := json.Marshal(map[string]string{"username": user, "password": demo.Password})
	resp, err := w.client.Post(w.in.url.String()+"/api/v1/sessions", "application/json", bytes.NewReader(b))
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	if login.Token == "" {
		w.t.Fatalf("sign-in of %s: %d", user, resp.StatusCode)
	}
	w.tokens[user] = login.Token
	return login.Token
}

// do sends a request as user ("" for none) and returns the status and
// body.
func (w *signWorld) do(user, method, path, contentType string, body io.Reader) (int, []byte) {
	w.t.Helper()
	req, _ := http.NewRequest(method, w.in.url.String()+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+w.token(user))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func multipartBody(fields map[string]string, name string, file []byte) (string, io.Reader) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != nil {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(file)
	}
	mw.Close()
	return mw.FormDataContentType(), &buf
}

func (w *signWorld) as(user string) context.Context {
	w.t.Helper()
	var u *motcua.User
	if err := w.in.app.db.Read(context.Background(), func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(context.Background(), user); return err }); err != nil {
		w.t.Fatal(err)
	}
	return motcua.NewContextWithUser(context.Background(), u)
}

// approvedDossier receives a guardianship dossier at An Phú and takes it to
// the approval through the service.
func (w *signWorld) approvedDossier(phone string) (string, []motcua.DossierComponent) {
	w.t.Helper()
	svc := w.in.app.svc
	p, err := svc.ProcedureByCode(context.Background(), "1.004837")
	if err != nil {
		w.t.Fatal(err)
	}
	a, points, err := svc.Agency(context.Background(), "H99.101")
	if err != nil {
		w.t.Fatal(err)
	}
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, CompetentAgencyID: a.ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Lê Thị Kim Oanh", IDNumber: "001193012345", Phone: phone}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	in, err := svc.ReceiveDossier(w.as("motcua.anphu"), "", n)
	if err != nil {
		w.t.Fatal(err)
	}
	code := in.Dossier.Code
	return code, in.Dossier.Components
}

func (w *signWorld) approve(code string) {
	w.t.Helper()
	for _, s := range []struct {
		user string
		a    motcua.Action
	}{{"motcua.anphu", motcua.ActTransfer}, {"cv.anphu", motcua.ActForward}, {"ct.anphu", motcua.ActApprove}} {
		if st, b := w.do(s.user, "POST", "/api/v1/dossiers/"+code+"/actions/"+string(s.a), "", nil); st != 200 {
			w.t.Fatalf("%s: %d %s", s.a, st, b)
		}
	}
}

func pdfsigValid(t *testing.T, b []byte) (bool, string) {
	t.Helper()
	bin, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_PDFTOOLS") == "1" {
			t.Fatal("pdfsig is required (MOTCUA_REQUIRE_PDFTOOLS=1): apt-get install poppler-utils")
		}
		t.Skip("pdfsig not installed (apt-get install poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "f.pdf")
	os.WriteFile(p, b, 0o600)
	out, _ := exec.Command(bin, p).CombinedOutput()
	s := string(out)
	return strings.Contains(s, "Signature is Valid.") && !strings.Contains(s, "Signature is Invalid"), s
}

type fileAnswer struct {
	ID       int64  `json:"id"`
	Signer   string `json:"signer"`
	SignedAt string `json:"signed_at"`
	DocCode  string `json:"doc_code"`
}

// TestSigningOverHTTP: with --keys and a time-stamping authority (its
// simulator), the counter's scan uploaded through the
// API is signed by the officer and counts as digitized; the issuer signs
// the result in one step; the citizen-facing verification (API and page)
// finds it valid by code and by upload, a changed byte is caught, and
// poppler's pdfsig agrees on the downloaded files.
func TestSigningOverHTTP(t *testing.T) {
	w := newSignWorld(t)
	code, comps := w.approvedDossier("0912000901")
	var scan bytes.Buffer
	pdf.Result(&scan, &motcua.ResultDocument{DocCode: "scan", Agency: "Bản quét", IssuedAt: time.Now()})
	ct, body := multipartBody(map[string]string{"component_id": strconv.FormatInt(comps[0].ComponentID, 10)}, "to-khai.pdf", scan.Bytes())
	st, b := w.do("motcua.anphu", "POST", "/api/v1/dossiers/"+code+"/files", ct, body)
	var f fileAnswer
	json.Unmarshal(b, &f)
	if st != http.StatusCreated || f.Signer != "Huỳnh Thị Ngọc" || f.SignedAt == "" {
		t.Fatalf("scan upload: %d %s", st, b)
	}
	st, b = w.do("motcua.anphu", "GET", "/api/v1/dossiers/"+code+"/files/"+strconv.FormatInt(f.ID, 10), "", nil)
	if ok, out := pdfsigValid(t, b); st != 200 || !ok {
		t.Fatalf("downloaded scan: %d\n%s", st, out)
	}
	var dossier struct {
		Components []struct {
			Digitized bool `json:"digitized"`
		} `json:"components"`
	}
	st, b = w.do("motcua.anphu", "GET", "/api/v1/dossiers/"+code, "", nil)
	json.Unmarshal(b, &dossier)
	if st != 200 || len(dossier.Components) == 0 || !dossier.Components[0].Digitized {
		t.Fatalf("dossier after the signed scan: %d %s", st, b)
	}

	w.approve(code)
	st, b = w.do("motcua.anphu", "POST", "/api/v1/dossiers/"+code+"/result/sign", "", nil)
	if st != http.StatusForbidden {
		t.Fatalf("the counter signs the result: %d %s", st, b)
	}
	st, b = w.do("cv.anphu", "POST", "/api/v1/dossiers/"+code+"/result/sign", "", nil)
	var res fileAnswer
	json.Unmarshal(b, &res)
	if st != http.StatusCreated || res.DocCode != motcua.ResultCode(code) || res.Signer != "Võ Văn Tài" {
		t.Fatalf("sign result: %d %s", st, b)
	}
	st, result := w.do("motcua.anphu", "GET", "/api/v1/dossiers/"+code+"/files/"+strconv.FormatInt(res.ID, 10), "", nil)
	if ok, out := pdfsigValid(t, result); st != 200 || !ok {
		t.Fatalf("downloaded result: %d\n%s", st, out)
	}

	// Anyone verifies, without signing in.
	var v struct {
		Valid      bool   `json:"valid"`
		Changed    bool   `json:"changed"`
		Summary    string `json:"summary"`
		DossierID  any    `json:"dossier_id"`
		Signatures []struct {
			Signer      string `json:"signer"`
			Trusted     bool   `json:"trusted"`
			Timestamped bool   `json:"timestamped"`
		} `json:"signatures"`
	}
	st, b = w.do("", "GET", "/api/v1/verify/"+res.DocCode, "", nil)
	json.Unmarshal(b, &v)
	if st != 200 || !v.Valid || len(v.Signatures) != 1 || v.Signatures[0].Signer != "Võ Văn Tài" || !v.Signatures[0].Trusted || !v.Signatures[0].Timestamped {
		t.Fatalf("verify by code: %d %s", st, b)
	}
	if strings.Contains(string(b), "Lê Thị Kim Oanh") || strings.Contains(string(b), "0912000901") {
		t.Fatalf("the verification by code shows personal data: %s", b)
	}
	ct, body = multipartBody(nil, "kq.pdf", result)
	st, b = w.do("", "POST", "/api/v1/verify", ct, body)
	v.Valid = false
	json.Unmarshal(b, &v)
	if st != 200 || !v.Valid || v.Changed {
		t.Fatalf("verify upload: %d %s", st, b)
	}
	bad := bytes.Clone(result)
	i := bytes.Index(bad, []byte("/Producer"))
	bad[i+3] ^= 0x20
	ct, body = multipartBody(nil, "kq.pdf", bad)
	st, b = w.do("", "POST", "/api/v1/verify", ct, body)
	json.Unmarshal(b, &v)
	if st != 200 || v.Valid || !v.Changed || !strings.Contains(v.Summary, "thay đổi") {
		t.Fatalf("verify tampered: %d %s", st, b)
	}
	if ok, _ := pdfsigValid(t, bad); ok {
		t.Fatal("pdfsig finds the tampered result valid")
	}
	ct, body = multipartBody(nil, "x.pdf", []byte("not a pdf at all"))
	if st, b = w.do("", "POST", "/api/v1/verify", ct, body); st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "pdf_malformed") {
		t.Fatalf("verify junk: %d %s", st, b)
	}
	// The page.
	st, b = w.do("", "GET", "/xac-thuc?ma="+res.DocCode, "", nil)
	page := string(b)
	if st != 200 || !strings.Contains(page, "Hợp lệ") || !strings.Contains(page, "Võ Văn Tài") || strings.Contains(page, "Lê Thị Kim Oanh") {
		t.Fatalf("verification page: %d\n%s", st, page)
	}
	if st, _ = w.do("", "GET", "/xac-thuc", "", nil); st != 200 {
		t.Fatalf("empty verification page: %d", st)
	}

	// result_file_ref through the API: a result signed elsewhere, uploaded,
	// then named by its id.
	code2, _ := w.approvedDossier("0912000902")
	w.approve(code2)
	at := time.Now()
	ca, _ := sign.Issue(nil, sign.Template{CommonName: "CA khác", IsCA: true, NotBefore: at.AddDate(-1, 0, 0), NotAfter: at.AddDate(1, 0, 0)})
	other, _ := sign.Issue(ca, sign.Template{CommonName: "Sở Tư pháp", NotBefore: at.AddDate(-1, 0, 0), NotAfter: at.AddDate(1, 0, 0)})
	signedElsewhere, err := other.SignPDF(scan.Bytes(), sign.Options{Time: at})
	if err != nil {
		t.Fatal(err)
	}
	ct, body = multipartBody(map[string]string{"component_id": "0"}, "kq.pdf", signedElsewhere)
	st, b = w.do("cv.anphu", "POST", "/api/v1/dossiers/"+code2+"/files", ct, body)
	var up fileAnswer
	json.Unmarshal(b, &up)
	if st != http.StatusCreated || up.Signer != "Sở Tư pháp" || up.DocCode == "" {
		t.Fatalf("upload signed result: %d %s", st, b)
	}
	st, b = w.do("cv.anphu", "POST", "/api/v1/dossiers/"+code2+"/actions/issue_result", "application/json", strings.NewReader(`{"result_file_ref":"12345"}`))
	if st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "result_file_unknown") {
		t.Fatalf("unknown result_file_ref: %d %s", st, b)
	}
	st, b = w.do("cv.anphu", "POST", "/api/v1/dossiers/"+code2+"/actions/issue_result", "application/json",
		strings.NewReader(`{"result_file_ref":"`+strconv.FormatInt(up.ID, 10)+`"}`))
	if st != 200 || !strings.Contains(string(b), `"result_file_ref":"`+strconv.FormatInt(up.ID, 10)+`"`) {
		t.Fatalf("issue with result_file_ref: %d %s", st, b)
	}
}

// TestSigningConfig: a token needs its companions, the TSA an HTTP
// address.
func TestSigningConfig(t *testing.T) {
	for name, args := range map[string][]string{
		"token alone": {"--pkcs11-module", "/usr/lib/softhsm/libsofthsm2.so"},
		"tsa not url": {"--tsa-url", "tsa.local"},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if _, err := loadConfig(fs, args, env(nil)); err == nil {
			t.Errorf("%s: %v accepted", name, args)
		}
	}
}
