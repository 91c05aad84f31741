package sign_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/sign"
)

// minimalPDF writes a one-page PDF with text, its xref table computed, the
// way a simple producer writes it.
func minimalPDF(text string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	content := fmt.Sprintf("BT /F1 12 Tf 72 720 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f\r\n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n\r\n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}

// testPKI is a CA, an agency certificate and an officer certificate.
type testPKI struct {
	CA, Agency, Officer *sign.Signer
}

var now = time.Date(2026, 12, 5, 9, 30, 0, 0, time.UTC)

func mustPKI(t testing.TB, rsaBits int) testPKI {
	t.Helper()
	ca, err := sign.Issue(nil, sign.Template{CommonName: "CA thử nghiệm motcua", Organization: "UBND tỉnh Thử", IsCA: true,
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0), RSABits: rsaBits})
	if err != nil {
		t.Fatal(err)
	}
	ag, err := sign.Issue(ca, sign.Template{CommonName: "UBND xã Hòa Bình", Organization: "UBND tỉnh Thử",
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(2, 0, 0), RSABits: rsaBits})
	if err != nil {
		t.Fatal(err)
	}
	of, err := sign.Issue(ca, sign.Template{CommonName: "Nguyễn Thị Ánh", Organization: "UBND xã Hòa Bình",
		NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(2, 0, 0), RSABits: rsaBits})
	if err != nil {
		t.Fatal(err)
	}
	return testPKI{ca, ag, of}
}

// pdfsig runs poppler's pdfsig on b and returns its output; it skips the
// test when pdfsig is missing, unless MOTCUA_REQUIRE_PDFTOOLS is set.
func pdfsig(t *testing.T, b []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_PDFTOOLS") != "" {
			t.Fatal("pdfsig is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdfsig is missing (apt-get install poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, p).CombinedOutput()
	return string(out)
}

// pdfsigValid reports whether pdfsig finds n signatures, all valid.
func pdfsigValid(t *testing.T, b []byte, n int) (bool, string) {
	t.Helper()
	out := pdfsig(t, b)
	return strings.Count(out, "Signature Validation: Signature is Valid.") == n &&
		strings.Count(out, "Signature Validation:") == n, out
}
