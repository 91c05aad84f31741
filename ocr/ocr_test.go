package ocr_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/ocr"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
)

// need skips without tesseract (with the Vietnamese model) and pdftoppm,
// unless MOTCUA_REQUIRE_OCR is set, as CI does.
func need(t *testing.T) ocr.Tesseract {
	t.Helper()
	tr := ocr.Tesseract{}
	if err := tr.Available(); err != nil {
		if os.Getenv("MOTCUA_REQUIRE_OCR") != "" {
			t.Fatalf("OCR is required (MOTCUA_REQUIRE_OCR): %v", err)
		}
		t.Skip(err)
	}
	return tr
}

// TestReadResultAndProposeMetadata: the Vietnamese text of a printed result
// (rendered, rasterized and read back) is recovered with its diacritics,
// and the metadata proposed from it has the document's number, date,
// issuer and signer.
func TestReadResultAndProposeMetadata(t *testing.T) {
	tr := need(t)
	issued := time.Date(2026, 3, 5, 10, 0, 0, 0, motcua.VietnamTime)
	var doc bytes.Buffer
	if err := pdf.Result(&doc, &motcua.ResultDocument{DocCode: "KQ-H99.101-260305-0007", DossierCode: "H99.101-260305-0007",
		Superior: "Ủy ban nhân dân tỉnh Mẫu", Agency: "Ủy ban nhân dân xã An Phú", Procedure: "Đăng ký giám hộ",
		Applicant: "Lê Thị Kim Oanh", IssuedAt: issued, Signer: "Võ Văn Tài", SignerTitle: "Công chức"}); err != nil {
		t.Fatal(err)
	}
	text, err := tr.ReadText(context.Background(), doc.Bytes(), "application/pdf")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"giải quyết", "Đăng ký giám hộ", "Lê Thị Kim Oanh"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	m := service.ProposeMetadata(text)
	if m.NumberSymbol != "KQ-H99.101-260305-0007" || !m.IssuedOn.Equal(time.Date(2026, 3, 5, 0, 0, 0, 0, motcua.VietnamTime)) ||
		!strings.Contains(m.Issuer, "ỦY BAN NHÂN DÂN") || m.Signer != "Võ Văn Tài" {
		t.Errorf("proposed %+v from:\n%s", m, text)
	}
	if _, err := tr.ReadText(context.Background(), []byte("GIF89a"), "image/gif"); motcua.ErrorCode(err) != motcua.EINVALID {
		t.Errorf("a GIF: %v", err)
	}
}
