package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
)

// TestLookupOffersSignedResult: once the result is signed and issued, the
// public lookup shows "Tải kết quả điện tử" with the result's code and
// nothing personal; the form sends the signed PDF as an attachment; a
// wrong verifier brings the lookup page back with the message and no file.
func TestLookupOffersSignedResult(t *testing.T) {
	keys := t.TempDir()
	if err := sign.EnsureDemo(keys, testNow, "Tỉnh Mẫu", []sign.DemoHolder{
		{Username: "cv.anphu", Name: "Võ Văn Tài", Organization: "UBND xã An Phú"},
	}); err != nil {
		t.Fatal(err)
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, func(c *service.Config) { c.Signer, c.RenderResult = ring, pdf.Result })
	code, _ := e.receiveGuardianship()
	as := func(name string) *motcua.User {
		var u *motcua.User
		e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, name); return err })
		return u
	}
	for _, s := range []struct {
		user string
		a    motcua.Action
	}{{"motcua.anphu", motcua.ActTransfer}, {"cv.anphu", motcua.ActForward}, {"ct.anphu", motcua.ActApprove}} {
		if _, err := e.svc.Act(motcua.NewContextWithUser(ctx, as(s.user)), code, service.ActInput{Action: s.a}); err != nil {
			t.Fatal(err)
		}
	}
	pub := e.browser()
	lookup := "/tra-cuu?" + url.Values{"ma": {code}, "so": {"0888"}}.Encode()
	if r := pub.get(lookup); r.status != 200 || strings.Contains(r.body, "Tải kết quả điện tử") {
		t.Fatalf("an approved dossier offers a result: %d", r.status)
	}
	if _, err := e.svc.SignResult(motcua.NewContextWithUser(ctx, as("cv.anphu")), code); err != nil {
		t.Fatal(err)
	}
	r := pub.get(lookup)
	if r.status != 200 || !strings.Contains(r.body, "Tải kết quả điện tử") || !strings.Contains(r.body, motcua.ResultCode(code)) ||
		strings.Contains(r.body, "Lê Thị Kim Oanh") || strings.Contains(r.body, "001193012345") {
		t.Fatalf("the lookup after signing: %d\n%s", r.status, r.body)
	}
	r = pub.post("/tra-cuu/ket-qua", url.Values{"ma": {code}, "so": {"0888"}})
	if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") ||
		!strings.HasPrefix(r.body, "%PDF-") {
		t.Fatalf("download: %d %v", r.status, r.header)
	}
	// The link the national portal carries: the dossier's long secret.
	var d *motcua.Dossier
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err }); err != nil {
		t.Fatal(err)
	}
	r = pub.get("/tra-cuu/ket-qua?" + url.Values{"ma": {code}, "k": {d.LookupSecret}}.Encode())
	if r.status != 200 || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-") {
		t.Fatalf("download by the portal's link: %d %v", r.status, r.header)
	}
	// A short verifier is never accepted in an address.
	if r = pub.get("/tra-cuu/ket-qua?" + url.Values{"ma": {code}, "k": {"0888"}}.Encode()); r.status != http.StatusNotFound || strings.HasPrefix(r.body, "%PDF-") {
		t.Fatalf("download by a short verifier in the address: %d", r.status)
	}
	r = pub.post("/tra-cuu/ket-qua", url.Values{"ma": {code}, "so": {"0999"}})
	if r.status != http.StatusNotFound || strings.HasPrefix(r.body, "%PDF-") || !strings.Contains(r.body, "Không tìm thấy hồ sơ") {
		t.Fatalf("download with a wrong verifier: %d\n%s", r.status, r.body)
	}
}
