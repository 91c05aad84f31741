package pdf_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/motcua/motcua/pdf"
)

// FuzzFastReceiptText: whatever the applicant's name, address and
// request hold (any script, control characters, invalid UTF-8, very long
// words), the fast writer either writes the whole receipt or gives up
// with ErrGlyphs having written nothing (Receipt then goes to fpdf, whose
// path TestFastWriterFallsBackToFpdf covers); it never panics.
func FuzzFastReceiptText(f *testing.F) {
	f.Add("Nguyễn Thị Thanh Hà", "Ấp Trung, xã An Phú", "Đăng ký giám hộ")
	f.Add("Νίκος", "a\tb\nc\r\n", "\xff\xfe")
	f.Add("₫ № “x” – — …", "", "ＡＢＣ")
	f.Add("Nguyen\u0303", "x\u00a0y", "w"+string(make([]byte, 300)))
	r := renderer()
	f.Fuzz(func(t *testing.T, name, address, content string) {
		d := sample()
		d.Applicant.FullName, d.Applicant.Address, d.Content = name, address, content
		var b bytes.Buffer
		err := r.RenderWith(&b, pdf.FormReceipt, d, true)
		if errors.Is(err, pdf.ErrGlyphs) {
			if b.Len() != 0 {
				t.Fatalf("gave up after writing %d bytes", b.Len())
			}
			return
		}
		if err != nil {
			t.Fatalf("receipt: %v", err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) || !bytes.HasSuffix(b.Bytes(), []byte("%%EOF\n")) {
			t.Fatalf("not a whole PDF: %q … %q", b.Bytes()[:min(16, b.Len())], b.Bytes()[max(0, b.Len()-16):])
		}
	})
}
