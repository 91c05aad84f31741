package sign_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sign"
	"github.com/motcua/motcua/sign/sim"
)

// TestRevokedCertificate: the demo CA revokes an officer's certificate;
// from then on signing as that officer is refused with a Vietnamese
// message, a signature claimed after the revocation does not verify
// (pdfsig is not asked: it has no access to our list), one made before it
// still does, and the other officer signs on. The list is fetched from
// the simulator's /crl as the demo does.
func TestRevokedCertificate(t *testing.T) {
	dir := t.TempDir()
	holders := []sign.DemoHolder{{Username: "cv.anphu", Name: "Võ Văn Tài", Organization: "UBND xã An Phú"},
		{Username: "ct.anphu", Name: "Đinh Văn Phúc", Organization: "UBND xã An Phú"}}
	if err := sign.EnsureDemo(dir, now, "Tỉnh Thử", holders); err != nil {
		t.Fatal(err)
	}
	if err := sign.EnsureDemoCRL(dir, now); err != nil {
		t.Fatal(err)
	}
	tsaKey, err := sign.LoadKeyFile(filepath.Join(dir, "tsa.pem"))
	if err != nil {
		t.Fatal(err)
	}
	tsa := sim.New(tsaKey)
	tsa.CRLPath = filepath.Join(dir, "crl.pem")
	srv := httptest.NewServer(tsa)
	defer srv.Close()
	ring, err := sign.OpenKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	ring.Revocation = &sign.Revocation{Source: sign.CRLURL{URL: srv.URL + "/crl"}, MaxAge: time.Nanosecond}
	ctx := context.Background()
	cv := motcua.Signatory{Username: "cv.anphu"}
	before, err := ring.SignPDF(ctx, minimalPDF("truoc khi thu hoi"), cv, now, "Số hóa")
	if err != nil {
		t.Fatal(err)
	}
	revokedAt := now.Add(time.Hour)
	if err := sign.RevokeDemo(dir, "cv.anphu", revokedAt); err != nil {
		t.Fatal(err)
	}
	_, err = ring.SignPDF(ctx, minimalPDF("sau"), cv, revokedAt.Add(time.Minute), "Số hóa")
	if motcua.ErrorReason(err) != "cert_revoked" || !strings.Contains(motcua.ErrorMessage(err), "đã bị thu hồi") {
		t.Fatalf("signing with a revoked certificate: %v", err)
	}
	if _, err := ring.SignPDF(ctx, minimalPDF("nguoi khac"), motcua.Signatory{Username: "ct.anphu"}, revokedAt.Add(time.Minute), "Số hóa"); err != nil {
		t.Fatalf("the other officer: %v", err)
	}
	if c, err := ring.VerifyPDF(ctx, before); err != nil || !c.Valid {
		t.Fatalf("a signature made before the revocation: %+v %v", c, err)
	}
	// The key itself still signs outside the keyring: a signature claimed
	// after the revocation is refused by the verifier.
	s, err := sign.LoadKeyFile(filepath.Join(dir, "users", "cv.anphu.pem"))
	if err != nil {
		t.Fatal(err)
	}
	after, err := s.SignPDF(minimalPDF("gia mao"), sign.Options{Time: revokedAt.Add(2 * time.Hour), Reason: "x"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ring.VerifyPDF(ctx, after)
	if err != nil || c.Valid || !strings.Contains(c.Signatures[0].Problem, "thu hồi") {
		t.Fatalf("a signature after the revocation: %+v %v", c, err)
	}
	// A list the CA did not sign is not believed: nothing is signed.
	other := t.TempDir()
	if err := sign.EnsureDemo(other, now, "Tỉnh Khác", nil); err != nil {
		t.Fatal(err)
	}
	if err := sign.EnsureDemoCRL(other, now); err != nil {
		t.Fatal(err)
	}
	forged, _ := os.ReadFile(filepath.Join(other, "crl.pem"))
	if err := os.WriteFile(filepath.Join(dir, "crl.pem"), forged, 0o644); err != nil {
		t.Fatal(err)
	}
	fresh, _ := sign.OpenKeyring(dir)
	fresh.Revocation = &sign.Revocation{Source: sign.CRLFile(filepath.Join(dir, "crl.pem"))}
	if _, err := fresh.SignPDF(ctx, minimalPDF("x"), motcua.Signatory{Username: "ct.anphu"}, now, "x"); motcua.ErrorReason(err) != "revocation_unknown" {
		t.Fatalf("signing with a forged list: %v", err)
	}
}
