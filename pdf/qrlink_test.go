package pdf_test

import (
	"bytes"
	"testing"

	"github.com/motcua/motcua/pdf"
)

// TestReceiptLinksWithTheSecret: the receipt asks for the lookup address
// with the dossier's long lookup secret, never the four-digit verifier
// (a check that needs no PDF tools; TestReceiptTextAndQR reads the QR
// code itself where they are installed).
func TestReceiptLinksWithTheSecret(t *testing.T) {
	d := sample()
	var gotCode, gotSecret string
	r := &pdf.Renderer{Forms: pdf.DefaultForms(), LookupURL: func(code, secret string) string {
		gotCode, gotSecret = code, secret
		return "https://motcua.example.vn/tra-cuu?ma=" + code + "&k=" + secret
	}}
	var buf bytes.Buffer
	if err := r.Receipt(&buf, d); err != nil {
		t.Fatal(err)
	}
	if gotCode != d.Code || gotSecret != d.LookupSecret || gotSecret == d.Verifier || len(gotSecret) < 22 {
		t.Errorf("the receipt linked with code %q and secret %q (verifier %q)", gotCode, gotSecret, d.Verifier)
	}
}
