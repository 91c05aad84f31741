package ocr_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	_ "image/png"
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

// TestImageBombRefused: an image whose header claims more than MaxPixels
// is refused before tesseract sees it.
func TestImageBombRefused(t *testing.T) {
	tr := need(t)
	// A PNG signature and a valid IHDR (checksum right) of 100000 × 100000
	// grey pixels: image.DecodeConfig reads it, the size is refused.
	ihdr := []byte("IHDR\x00\x01\x86\xa0\x00\x01\x86\xa0\x08\x00\x00\x00\x00")
	bomb := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...)
	bomb = binary.BigEndian.AppendUint32(bomb, crc32.ChecksumIEEE(ihdr))
	if _, _, err := image.DecodeConfig(bytes.NewReader(bomb)); err != nil {
		t.Fatalf("the test's header does not parse: %v", err)
	}
	if _, err := tr.ReadText(context.Background(), bomb, "image/png"); motcua.ErrorCode(err) != motcua.EINVALID {
		t.Fatalf("a pixel bomb: %v", err)
	}
}
