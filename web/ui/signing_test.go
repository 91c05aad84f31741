package ui_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
)

// TestSignResultFromTheDossierPage: the issuer sees the signing form on an
// approved dossier, signs in one click, and the page lists the signed
// result with its code linking to the public verification page, which
// says it is valid and shows no applicant. The counter officer sees no
// signing form; an officer without a certificate gets a Vietnamese
// message.
func TestSignResultFromTheDossierPage(t *testing.T) {
	keys := t.TempDir()
	if err := sign.EnsureDemo(keys, testNow, "Tỉnh Mẫu", []sign.DemoHolder{
		{Username: "cv.anphu", Name: "Võ Văn Tài", Organization: "UBND xã An Phú"},
		{Username: "motcua.anphu", Name: "Huỳnh Thị Ngọc", Organization: "UBND xã An Phú"},
	}); err != nil {
		t.Fatal(err)
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, func(c *service.Config) { c.Signer, c.RenderResult = ring, pdf.Result })
	code, _ := e.receiveGuardianship()
	for _, s := range []struct {
		user string
		a    motcua.Action
	}{{"motcua.anphu", motcua.ActTransfer}, {"cv.anphu", motcua.ActForward}, {"ct.anphu", motcua.ActApprove}} {
		var u *motcua.User
		e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, s.user); return err })
		if _, err := e.svc.Act(motcua.NewContextWithUser(ctx, u), code, service.ActInput{Action: s.a}); err != nil {
			t.Fatal(err)
		}
	}
	if r := e.login("motcua.anphu").get("/ho-so/" + code); r.status != 200 || strings.Contains(r.body, "ky-ket-qua") {
		t.Fatalf("the counter's page offers signing: %d", r.status)
	}
	// The leader has no certificate: the page offers nothing.
	if r := e.login("ct.anphu").get("/ho-so/" + code); r.status != 200 || strings.Contains(r.body, "ky-ket-qua") {
		t.Fatalf("the leader without a certificate is offered signing: %d", r.status)
	}
	b := e.login("cv.anphu")
	r := b.get("/ho-so/" + code)
	if r.status != 200 || !strings.Contains(r.body, `action="/ho-so/`+code+`/ky-ket-qua"`) || !strings.Contains(r.body, motcua.ResultCode(code)) {
		t.Fatalf("the issuer's page: %d\n%s", r.status, r.body)
	}
	r = b.post("/ho-so/"+code+"/ky-ket-qua", url.Values{})
	if r.status != http.StatusSeeOther {
		t.Fatalf("sign: %d\n%s", r.status, r.body)
	}
	r = b.get("/ho-so/" + code)
	if !strings.Contains(r.body, "Đã ký số") || !strings.Contains(r.body, "/xac-thuc?ma="+motcua.ResultCode(code)) {
		t.Fatalf("the page after signing:\n%s", r.body)
	}
	pub := e.browser()
	r = pub.get("/xac-thuc?ma=" + motcua.ResultCode(code))
	if r.status != 200 || !strings.Contains(r.body, "Hợp lệ") || !strings.Contains(r.body, "Võ Văn Tài") || strings.Contains(r.body, "Lê Thị Kim Oanh") {
		t.Fatalf("public verification: %d\n%s", r.status, r.body)
	}
	r = pub.get("/xac-thuc?ma=KQ-khong-co")
	if r.status != http.StatusNotFound || !strings.Contains(r.body, "Không tìm thấy") {
		t.Fatalf("unknown code: %d\n%s", r.status, r.body)
	}
	// Upload of an unsigned PDF: no signature.
	var doc bytes.Buffer
	pdf.Result(&doc, &motcua.ResultDocument{DocCode: "x", Agency: "y", IssuedAt: time.Now()})
	r = pub.postFile("/xac-thuc", "same-origin", "", "a.pdf", doc.Bytes())
	if r.status != 200 || !strings.Contains(r.body, "không có chữ ký số") {
		t.Fatalf("unsigned upload: %d\n%s", r.status, r.body)
	}
	r = pub.postFile("/xac-thuc", "same-origin", "", "a.pdf", []byte("GIF89a"))
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "không phải là PDF") {
		t.Fatalf("junk upload: %d\n%s", r.status, r.body)
	}
}
