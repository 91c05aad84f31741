package sign_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sign"
)

func mustSign(t *testing.T, s *sign.Signer, doc []byte) []byte {
	t.Helper()
	out, err := s.SignPDF(doc, sign.Options{Time: now, Reason: "Ký kết quả giải quyết thủ tục hành chính", Location: "UBND xã Hòa Bình"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustVerify(t *testing.T, doc []byte, roots *x509.CertPool) *motcua.SignatureCheck {
	t.Helper()
	c, err := sign.Verify(doc, roots)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignPDFValidByPdfsig(t *testing.T) {
	for _, bits := range []int{0, 2048, 3072} {
		pki := mustPKI(t, bits)
		doc := minimalPDF("Ket qua giai quyet")
		signed := mustSign(t, pki.Officer, doc)
		if !bytes.HasPrefix(signed, doc) {
			t.Fatal("the signature is not an incremental update: the original bytes changed")
		}
		if ok, out := pdfsigValid(t, signed, 1); !ok {
			t.Fatalf("rsa bits %d: pdfsig does not find one valid signature:\n%s", bits, out)
		} else if !strings.Contains(out, "Nguyễn Thị Ánh") || !strings.Contains(out, "Total document signed") || !strings.Contains(out, "ETSI.CAdES.detached") {
			t.Fatalf("pdfsig output lacks the signer, the coverage or the PAdES subfilter:\n%s", out)
		}
		roots := x509.NewCertPool()
		roots.AddCert(pki.CA.Cert)
		c := mustVerify(t, signed, roots)
		if !c.Valid || c.Changed || len(c.Signatures) != 1 {
			t.Fatalf("verify: %+v", c)
		}
		s := c.Signatures[0]
		if s.Signer != "Nguyễn Thị Ánh" || s.Organization != "UBND xã Hòa Bình" || !s.Trusted || !s.WholeDocument || !s.SignedAt.Equal(now) {
			t.Fatalf("signature info: %+v", s)
		}
		// Without the CA among the roots the signature is still valid,
		// but not trusted.
		if c := mustVerify(t, signed, x509.NewCertPool()); !c.Valid || c.Signatures[0].Trusted {
			t.Fatalf("untrusted root: %+v", c)
		}
	}
}

// TestTamperedInvalidForBoth changes one byte at places across the signed
// file: pdfsig and Verify must both call the signature invalid.
func TestTamperedInvalidForBoth(t *testing.T) {
	pki := mustPKI(t, 0)
	doc := minimalPDF("Ket qua giai quyet")
	signed := mustSign(t, pki.Officer, doc)
	cAt := bytes.Index(signed, []byte("/Contents <")) + len("/Contents <")
	cEnd := cAt + bytes.IndexByte(signed[cAt:], '>')
	// The CMS ends with the signature value; the zeros after it pad.
	sigAt := cAt + len(bytes.TrimRight(signed[cAt:cEnd], "0")) - 10
	places := map[string]int{
		"page text":        bytes.Index(signed, []byte("Ket qua")),
		"first byte":       1,
		"signing time":     bytes.Index(signed, []byte("/M (D:")) + 8,
		"signature bytes":  sigAt,
		"xref of update":   bytes.LastIndex(signed, []byte("startxref")) + 11,
		"catalog of first": bytes.Index(signed, []byte("/Type /Catalog")) + 7,
	}
	for name, at := range places {
		b := bytes.Clone(signed)
		if b[at] == '0' {
			b[at] = '1'
		} else {
			b[at] = '0'
		}
		ok, out := pdfsigValid(t, b, 1)
		if ok {
			t.Errorf("%s: pdfsig still finds the signature valid", name)
		}
		c, err := sign.Verify(b, nil)
		if err != nil {
			// Only a file that no longer parses may be refused.
			if motcua.ErrorCode(err) != motcua.EINVALID {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		if c.Valid {
			t.Errorf("%s: Verify finds the tampered file valid (pdfsig: %s)", name, out)
		}
		if name != "signature bytes" && !c.Changed {
			t.Errorf("%s: Verify does not say the file was changed: %+v", name, c)
		}
	}
}

// TestAppendedUpdateIsChange: content added after the signature (an
// incremental update that could hide what was signed) leaves the signature
// itself valid but the document changed.
func TestAppendedUpdateIsChange(t *testing.T) {
	pki := mustPKI(t, 0)
	signed := mustSign(t, pki.Officer, minimalPDF("Ket qua"))
	b := append(bytes.Clone(signed), []byte("6 0 obj\n(hidden)\nendobj\n")...)
	c := mustVerify(t, b, nil)
	if c.Valid || !c.Changed || !c.Signatures[0].Valid || c.Signatures[0].WholeDocument {
		t.Fatalf("appended content: %+v", c)
	}
	out := pdfsig(t, b)
	if strings.Contains(out, "Total document signed") {
		t.Fatalf("pdfsig calls the appended file wholly signed:\n%s", out)
	}
}

// TestCounterSignature: a second signature (the leader's after the
// officer's) keeps the first valid; both tools agree.
func TestCounterSignature(t *testing.T) {
	pki := mustPKI(t, 0)
	once := mustSign(t, pki.Officer, minimalPDF("Ket qua"))
	twice := mustSign(t, pki.Agency, once)
	if ok, out := pdfsigValid(t, twice, 2); !ok {
		t.Fatalf("pdfsig:\n%s", out)
	}
	c := mustVerify(t, twice, nil)
	if !c.Valid || len(c.Signatures) != 2 || c.Signatures[0].WholeDocument || !c.Signatures[1].WholeDocument {
		t.Fatalf("two signatures: %+v", c)
	}
}

func TestCertificateChecks(t *testing.T) {
	pki := mustPKI(t, 0)
	doc := minimalPDF("x")
	for _, tc := range []struct {
		at     time.Time
		reason string
	}{
		{now.AddDate(3, 0, 0), "cert_expired"},
		{now.AddDate(-2, 0, 0), "cert_not_yet_valid"},
	} {
		_, err := pki.Officer.SignPDF(doc, sign.Options{Time: tc.at})
		if motcua.ErrorReason(err) != tc.reason || !strings.Contains(motcua.ErrorMessage(err), "Nguyễn Thị Ánh") {
			t.Errorf("sign at %v: %v, want %s", tc.at, err, tc.reason)
		}
	}
	weak, err := sign.Issue(pki.CA, sign.Template{CommonName: "Yếu", NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(1, 0, 0), RSABits: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := weak.SignPDF(doc, sign.Options{Time: now}); motcua.ErrorReason(err) != "cert_weak_key" {
		t.Errorf("1024-bit key: %v", err)
	}
	// A CA certificate without the signing usages may not sign documents.
	caOnly := *pki.CA
	cert := *pki.CA.Cert
	cert.KeyUsage = x509.KeyUsageCertSign
	caOnly.Cert = &cert
	if _, err := caOnly.SignPDF(doc, sign.Options{Time: now}); motcua.ErrorReason(err) != "cert_key_usage" {
		t.Errorf("cert-sign-only usage: %v", err)
	}
}

func TestBadPDFs(t *testing.T) {
	pki := mustPKI(t, 0)
	good := minimalPDF("x")
	enc := bytes.Replace(good, []byte("/Root 1 0 R >>"), []byte("/Root 1 0 R /Encrypt << /Filter /Standard >> >>"), 1)
	for name, tc := range map[string]struct {
		doc    []byte
		reason string
	}{
		"not a pdf":   {[]byte("GIF89a not a pdf"), "pdf_malformed"},
		"truncated":   {good[:len(good)/2], "pdf_malformed"},
		"encrypted":   {enc, "pdf_encrypted"},
		"oversized":   {append(bytes.Clone(good), make([]byte, sign.MaxPDFSize)...), "pdf_too_large"},
		"empty":       {nil, "pdf_malformed"},
		"xref stream": {bytes.Replace(good, []byte("xref\n0 6"), []byte("7 0 obj"), 1), "pdf_unsupported"},
	} {
		_, err := pki.Officer.SignPDF(tc.doc, sign.Options{Time: now})
		if motcua.ErrorReason(err) != tc.reason || motcua.ErrorMessage(err) == "" {
			t.Errorf("%s: sign: %v, want %s", name, err, tc.reason)
		}
	}
	for name, doc := range map[string][]byte{"not a pdf": []byte("hello"), "encrypted": enc, "oversized": make([]byte, sign.MaxPDFSize+1)} {
		if _, err := sign.Verify(doc, nil); motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("%s: verify: %v", name, err)
		}
	}
	// An unsigned PDF verifies as "no signature", not an error.
	if c := mustVerify(t, good, nil); c.Valid || len(c.Signatures) != 0 || c.Summary == "" {
		t.Errorf("unsigned: %+v", c)
	}
}

func TestKeyFileRoundTrip(t *testing.T) {
	pki := mustPKI(t, 0)
	pemBytes, err := pki.Officer.PEM()
	if err != nil {
		t.Fatal(err)
	}
	s, err := sign.ParseKeyPEM(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Cert.Equal(pki.Officer.Cert) || len(s.Chain) != 1 || !s.Chain[0].Equal(pki.CA.Cert) {
		t.Fatal("key file does not round-trip the certificate chain")
	}
	other, _ := pki.Agency.PEM()
	mixed := append(bytes.Clone(other[:bytes.Index(other, []byte("-----BEGIN CERTIFICATE"))]), pemBytes[bytes.Index(pemBytes, []byte("-----BEGIN CERTIFICATE")):]...)
	if _, err := sign.ParseKeyPEM(mixed); motcua.ErrorReason(err) != "key_cert_mismatch" {
		t.Errorf("key of another certificate: %v", err)
	}
	if _, err := sign.ParseKeyPEM([]byte("junk")); motcua.ErrorReason(err) != "key_file" {
		t.Errorf("junk: %v", err)
	}
}

func TestKeyringDemo(t *testing.T) {
	dir := t.TempDir()
	holders := []sign.DemoHolder{
		{Username: "canbo1", Name: "Trần Văn Bình", Organization: "UBND xã Hòa Bình"},
		{AgencyCode: "H01.151", Name: "UBND xã Hòa Bình", Organization: "UBND tỉnh Thử"},
		{Username: "../evil", Name: "x"},
	}
	if err := sign.EnsureDemo(dir, now, "Tỉnh Thử", holders); err != nil {
		t.Fatal(err)
	}
	// A second run keeps the CA and the keys already made.
	ca1, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err := sign.EnsureDemo(dir, now, "Tỉnh Thử", holders); err != nil {
		t.Fatal(err)
	}
	if ca2, _ := os.ReadFile(filepath.Join(dir, "ca.pem")); !bytes.Equal(ca1, ca2) {
		t.Fatal("the demo CA was made again")
	}
	k, err := sign.OpenKeyring(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, who := range []motcua.Signatory{{Username: "canbo1"}, {AgencyCode: "H01.151"}} {
		signed, err := k.SignPDF(ctx, minimalPDF("x"), who, now, "Số hóa")
		if err != nil {
			t.Fatal(err)
		}
		c, err := k.VerifyPDF(ctx, signed)
		if err != nil || !c.Valid || !c.Signatures[0].Trusted {
			t.Fatalf("%+v: %+v %v", who, c, err)
		}
		if ok, out := pdfsigValid(t, signed, 1); !ok {
			t.Fatal(out)
		}
	}
	for _, who := range []motcua.Signatory{{Username: "nobody"}, {Username: "../evil"}, {AgencyCode: "../ca-key"}, {}} {
		if k.CanSign(who) {
			t.Errorf("%+v can sign", who)
		}
		if _, err := k.SignPDF(ctx, minimalPDF("x"), who, now, ""); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("%+v: %v", who, err)
		}
	}
}
