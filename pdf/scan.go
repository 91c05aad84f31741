package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"hash/fnv"
	"io"
	"unicode/utf16"
)

// Scan is a stand-in for a paper document scanned at the counter, as the
// demo and its generator make them: one A4 page holding a small greyscale
// image of ruled "text" lines, different for every Title and Seed, with
// Title and Subject in the document information (Unicode, so Vietnamese
// names survive). It is written by hand rather than through fpdf so that a
// generator can make one per component quickly (about a kilobyte, no font
// embedded); package sign then signs it like any uploaded scan.
type Scan struct {
	Title, Subject string
	Seed           uint64
}

// scan image size in pixels (1 pixel ≈ 1.7 mm on A4).
const scanW, scanH = 120, 170

// WriteScan writes s as a PDF with a classic cross-reference table.
func WriteScan(w io.Writer, s Scan) error {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%d", s.Title, s.Subject, s.Seed)
	x := h.Sum64() | 1
	next := func() uint64 { // xorshift: a pattern, not security
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return x
	}
	pix := bytes.Repeat([]byte{0xf4}, scanW*scanH) // off-white paper
	for row := 12; row < scanH-12; row += 5 {
		if next()%9 == 0 {
			continue // a blank line between paragraphs
		}
		end := 12 + int(next()%uint64(scanW-24))
		for col := 12; col < end; col++ {
			if next()%7 != 0 { // ink of "words", with gaps
				pix[row*scanW+col] = byte(40 + next()%60)
				pix[(row+1)*scanW+col] = byte(60 + next()%60)
			}
		}
	}
	var img bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&img, zlib.BestSpeed)
	if _, err := zw.Write(pix); err != nil {
		return fmt.Errorf("compress scan: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress scan: %w", err)
	}
	content := "q 595 0 0 842 0 0 cm /Im1 Do Q\n"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
		fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
			scanW, scanH, img.Len(), img.Bytes()),
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		fmt.Sprintf("<< /Title %s /Subject %s /Creator %s >>", utf16Text(nfc(s.Title)), utf16Text(nfc(s.Subject)), utf16Text("motcua")),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, len(objs), xref)
	_, err := w.Write(b.Bytes())
	return err
}

// utf16Text is s as a PDF hexadecimal text string in UTF-16BE with its
// byte-order mark (ISO 32000-1 §7.9.2.2).
func utf16Text(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}
