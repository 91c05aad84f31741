package sign

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode/utf16"

	"github.com/motcua/motcua"
)

// MaxPDFSize is the largest PDF SignPDF and Verify read, in bytes.
const MaxPDFSize = 64 << 20

// contentsSize is the room reserved for the CMS in /Contents, in bytes,
// when a timestamp is added: the signer's certificate and its issuers, the
// signature, and an RFC 3161 timestamp token (whose size the TSA decides).
const contentsSize = 16 << 10

// contentsRoom is the room reserved for the CMS of a signature with opt:
// without a timestamp, what the certificates and the signature need with
// a margin, so that a signed scan stays small (a few kilobytes, not 32).
func (s *Signer) contentsRoom(opt Options) int {
	if opt.TSA != nil {
		return contentsSize + s.chainSize()
	}
	return s.chainSize() + 3072 // signed attributes, a signature of up to 4096 bits, the structure
}

func (s *Signer) chainSize() int {
	n := len(s.Cert.Raw)
	for _, c := range s.Chain {
		n += len(c.Raw)
	}
	return n
}

// Options describes one signature.
type Options struct {
	// Time is the claimed signing time, written to /M; the certificate must
	// be valid then.
	Time time.Time
	// Reason and Location are shown by readers (e.g. "Ký kết quả giải quyết
	// TTHC", the agency's name); may be empty.
	Reason, Location string
	// TSA, when set, adds an RFC 3161 timestamp over the signature (PAdES
	// B-T); Context bounds the call (nil: none).
	TSA     Timestamper
	Context context.Context
}

// pdfError turns a reading failure into the Vietnamese error people see.
func pdfError(err error) error {
	switch {
	case errors.Is(err, errEncrypted):
		return motcua.Errorf(motcua.EINVALID, "pdf_encrypted",
			"Tệp PDF được mã hóa (đặt mật khẩu) nên không thể ký hay kiểm tra. Vui lòng gửi bản không mã hóa.")
	case errors.Is(err, errXRefStream):
		return motcua.Errorf(motcua.EINVALID, "pdf_unsupported",
			"Tệp PDF dùng bảng tham chiếu dạng nén (PDF 1.5 trở lên) mà hệ thống chưa ký được. Vui lòng in lại ra PDF bằng công cụ khác hoặc quét lại.")
	}
	return motcua.Errorf(motcua.EINVALID, "pdf_malformed",
		"Tệp không phải là PDF hợp lệ hoặc bị hỏng nên không thể ký hay kiểm tra.")
}

// tooBig is the error for a PDF over MaxPDFSize.
func tooBig(n int) error {
	return motcua.Errorf(motcua.EINVALID, "pdf_too_large",
		"Tệp PDF quá lớn (%d MB); hệ thống chỉ nhận tệp đến %d MB.", n>>20, MaxPDFSize>>20)
}

// SignPDF returns doc with a PAdES baseline-B signature by s added as an
// incremental update: the original bytes are unchanged and the signature's
// /ByteRange covers the whole result but its own /Contents. doc must be an
// unencrypted PDF with classic cross-reference tables. The certificate is
// checked at opt.Time first (CheckCertificate). Errors: EINVALID with
// reasons pdf_malformed, pdf_encrypted, pdf_unsupported, pdf_too_large and
// those of CheckCertificate.
func (s *Signer) SignPDF(doc []byte, opt Options) ([]byte, error) {
	if len(doc) > MaxPDFSize {
		return nil, tooBig(len(doc))
	}
	if err := CheckCertificate(s.Cert, opt.Time); err != nil {
		return nil, err
	}
	f, err := readFile(doc)
	if err != nil {
		return nil, pdfError(err)
	}
	out, err := s.update(f, opt)
	if err != nil {
		var e *motcua.Error
		if errors.As(err, &e) {
			return nil, err
		}
		if errors.Is(err, errSyntax) {
			return nil, pdfError(err)
		}
		return nil, err
	}
	return out, nil
}

// update writes the incremental update of f that adds the signature.
func (s *Signer) update(f *file, opt Options) ([]byte, error) {
	rootNum := f.trailer.get("Root").ref[0]
	catalog, err := f.object(rootNum)
	if err != nil {
		return nil, err
	}
	if catalog.kind != kDict {
		return nil, fmt.Errorf("%w: catalog is not a dictionary", errSyntax)
	}
	pageNum, page, err := f.firstPage(catalog)
	if err != nil {
		return nil, err
	}
	next := f.size()
	sigNum, fieldNum := next, next+1
	objs := map[int][]byte{} // object number → new body

	// The form: its fields gain the signature field.
	acro := catalog.get("AcroForm")
	acroDict, err := f.resolve(acro)
	if err != nil {
		return nil, err
	}
	if acroDict.kind != kDict {
		acroDict = value{kind: kDict, dict: map[string]value{}}
	}
	fields, err := f.resolve(acroDict.get("Fields"))
	if err != nil {
		return nil, err
	}
	fieldName := fmt.Sprintf("Signature%d", len(fields.arr)+1)
	newAcro := rewriteDict(acroDict, map[string]string{
		"Fields":   appendRef(fields, fieldNum),
		"SigFlags": "3",
	})
	if acro.kind == kRef {
		objs[acro.ref[0]] = newAcro
	} else {
		objs[rootNum] = rewriteDict(catalog, map[string]string{"AcroForm": string(newAcro)})
	}

	// The first page: its annotations gain the (invisible) widget.
	annots, err := f.resolve(page.get("Annots"))
	if err != nil {
		return nil, err
	}
	objs[pageNum] = rewriteDict(page, map[string]string{"Annots": appendRef(annots, fieldNum)})

	objs[fieldNum] = fmt.Appendf(nil, "<< /Type /Annot /Subtype /Widget /FT /Sig /T (%s) /V %d 0 R /F 132 /Rect [0 0 0 0] /P %d %d R >>",
		fieldName, sigNum, pageNum, f.gens[pageNum])

	const brPlaceholder = "[0 0000000000 0000000000 0000000000]"
	var sig bytes.Buffer
	sig.WriteString("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange " + brPlaceholder)
	sig.WriteString(" /Contents <")
	room := s.contentsRoom(opt)
	sig.Write(bytes.Repeat([]byte("0"), 2*room))
	sig.WriteString(">")
	fmt.Fprintf(&sig, " /M %s /Name %s", pdfDate(opt.Time), pdfText(s.Cert.Subject.CommonName))
	if opt.Reason != "" {
		sig.WriteString(" /Reason " + pdfText(opt.Reason))
	}
	if opt.Location != "" {
		sig.WriteString(" /Location " + pdfText(opt.Location))
	}
	sig.WriteString(" >>")
	objs[sigNum] = sig.Bytes()

	// Write the update: the objects, then a classic xref section.
	var w bytes.Buffer
	w.Grow(len(f.b) + sig.Len() + 4096)
	w.Write(f.b)
	if c := f.b[len(f.b)-1]; c != '\n' && c != '\r' {
		w.WriteByte('\n')
	}
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	offsets := map[int]int{}
	for _, n := range nums {
		offsets[n] = w.Len()
		fmt.Fprintf(&w, "%d %d obj\n", n, f.gens[n])
		w.Write(objs[n])
		w.WriteString("\nendobj\n")
	}
	xref := w.Len()
	w.WriteString("xref\n")
	for _, n := range nums {
		fmt.Fprintf(&w, "%d 1\n%010d %05d n\r\n", n, offsets[n], f.gens[n])
	}
	w.WriteString("trailer\n<< /Size " + strconv.Itoa(next+2) + " /Root " + string(f.trailer.get("Root").raw))
	for _, k := range []string{"Info", "ID"} {
		if v := f.trailer.get(k); v.kind != kNull {
			w.WriteString(" /" + k + " " + string(v.raw))
		}
	}
	fmt.Fprintf(&w, " /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", f.startxref, xref)
	out := w.Bytes()

	// Fill in the byte range, then the signature over it.
	sigAt := offsets[sigNum]
	brAt := sigAt + bytes.Index(out[sigAt:], []byte(brPlaceholder))
	cAt := sigAt + bytes.Index(out[sigAt:], []byte("/Contents <")) + len("/Contents ")
	cEnd := cAt + 2 + 2*room // past '>'
	br := fmt.Sprintf("[0 %d %d %d]", cAt, cEnd, len(out)-cEnd)
	if len(br) > len(brPlaceholder) {
		return nil, tooBig(len(out))
	}
	br += string(bytes.Repeat([]byte(" "), len(brPlaceholder)-len(br)))
	copy(out[brAt:], br)
	h := sha256.New()
	h.Write(out[:cAt])
	h.Write(out[cEnd:])
	cms, err := buildCMS(cmsParams{contentType: oidData, digest: h.Sum(nil), key: s.Key, cert: s.Cert, chain: s.Chain, stamp: s.stamper(opt)})
	if err != nil {
		return nil, err
	}
	if len(cms) > room {
		return nil, fmt.Errorf("cms of %d bytes exceeds the %d reserved", len(cms), room)
	}
	hex.Encode(out[cAt+1:], cms)
	return out, nil
}

// rewriteDict writes d with the entries of set replaced or added (values
// are PDF source text); every other entry keeps its source bytes.
func rewriteDict(d value, set map[string]string) []byte {
	var b bytes.Buffer
	b.WriteString("<<")
	for _, k := range d.keys {
		b.WriteString(" /" + k + " ")
		if v, ok := set[k]; ok {
			b.WriteString(v)
		} else {
			b.Write(d.dict[k].raw)
		}
	}
	added := make([]string, 0, len(set))
	for k := range set {
		if _, ok := d.dict[k]; !ok {
			added = append(added, k)
		}
	}
	slices.Sort(added)
	for _, k := range added {
		b.WriteString(" /" + k + " " + set[k])
	}
	b.WriteString(" >>")
	return b.Bytes()
}

// appendRef returns array a (or an empty one) with a reference to object n
// added, as PDF source text.
func appendRef(a value, n int) string {
	var b bytes.Buffer
	b.WriteString("[")
	if a.kind == kArray {
		for _, e := range a.arr {
			b.Write(e.raw)
			b.WriteByte(' ')
		}
	}
	fmt.Fprintf(&b, "%d 0 R]", n)
	return b.String()
}

// pdfDate formats t as a PDF date in Vietnam time: D:YYYYMMDDHHmmSS+07'00'.
func pdfDate(t time.Time) string {
	return "(D:" + t.In(motcua.VietnamTime).Format("20060102150405") + "+07'00')"
}

// pdfText writes s as a PDF text string: UTF-16BE with its byte order mark,
// in hex, so that Vietnamese survives every reader.
func pdfText(s string) string {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 0, 2+2*len(u))
	b = append(b, 0xFE, 0xFF)
	for _, c := range u {
		b = append(b, byte(c>>8), byte(c))
	}
	return "<" + hex.EncodeToString(b) + ">"
}
