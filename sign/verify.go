package sign

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/motcua/motcua"
)

// Verify checks every signature dictionary in doc (found by its
// /ByteRange, whatever cross-reference form the file uses): the byte range
// is well formed and frames exactly its /Contents, the CMS message digest
// matches the signed bytes, the signature over the signed attributes is
// correct for the signer's certificate, the certificate named by
// signing-certificate-v2 is that one, and the certificate was valid at the
// claimed signing time. A signature is trusted when its certificate chains
// to roots at the signing time. Errors: EINVALID (pdf_malformed,
// pdf_encrypted, pdf_too_large).
func Verify(doc []byte, roots *x509.CertPool) (*motcua.SignatureCheck, error) {
	return verifyWith(doc, roots, nil)
}

// revokedFunc says, in Vietnamese, why cert may not have signed at time at
// (it was revoked by then); "" when it may.
type revokedFunc func(cert *x509.Certificate, at time.Time) string

// verifyWith is Verify consulting revoked (may be nil) for every signer's
// certificate.
func verifyWith(doc []byte, roots *x509.CertPool, revoked revokedFunc) (*motcua.SignatureCheck, error) {
	if len(doc) > MaxPDFSize {
		return nil, tooBig(len(doc))
	}
	if !bytes.HasPrefix(doc, []byte("%PDF-")) {
		return nil, pdfError(errSyntax)
	}
	if encrypted(doc) {
		return nil, pdfError(errEncrypted)
	}
	out := &motcua.SignatureCheck{}
	seen := map[string]bool{}
	lastEnd := -1
	for at, n := 0, 0; n < maxByteRanges; n++ {
		i := bytes.Index(doc[at:], []byte("/ByteRange"))
		if i < 0 {
			break
		}
		at += i + len("/ByteRange")
		d, ok := enclosingDict(doc, at)
		if !ok || d.get("Contents").kind != kString {
			continue
		}
		br := d.get("ByteRange")
		if seen[string(br.raw)] {
			continue // the same signature written again by a later update
		}
		seen[string(br.raw)] = true
		info, end, tampered := checkOne(doc, d, roots, revoked)
		out.Signatures = append(out.Signatures, info)
		if info.Valid {
			lastEnd = max(lastEnd, end)
		}
		out.Changed = out.Changed || tampered
	}
	n := len(out.Signatures)
	whole := n > 0 && out.Signatures[n-1].WholeDocument
	if n > 0 && lastEnd >= 0 && lastEnd < len(doc) {
		out.Changed = true // bytes were added after the last valid signature
	}
	out.Valid = n > 0 && whole && !out.Changed
	for _, s := range out.Signatures {
		out.Valid = out.Valid && s.Valid
	}
	switch {
	case n == 0:
		out.Summary = "Tài liệu không có chữ ký số."
	case out.Valid:
		out.Summary = "Chữ ký số hợp lệ: tài liệu không bị thay đổi kể từ khi ký."
	case out.Changed:
		out.Summary = "Chữ ký số không hợp lệ: tài liệu đã bị thay đổi sau khi ký."
	default:
		out.Summary = "Chữ ký số không hợp lệ."
	}
	return out, nil
}

// maxByteRanges bounds the /ByteRange entries a verifier looks at, so that
// a hostile file full of them costs little.
const maxByteRanges = 64

// objWindow is how far before a /ByteRange the verifier looks for the
// start of its object: a signature dictionary is small.
const objWindow = 64 << 10

// encrypted reports whether one of the last trailers of doc names an
// /Encrypt dictionary (a bounded number, so that a file full of the word
// costs little).
func encrypted(doc []byte) bool {
	end := len(doc)
	for range maxByteRanges {
		i := bytes.LastIndex(doc[:end], []byte("trailer"))
		if i < 0 {
			break
		}
		end = i
		l := &lexer{b: doc[:min(len(doc), i+objWindow)], pos: i + len("trailer")}
		if v, err := l.value(0); err == nil && v.get("Encrypt").kind != kNull {
			return true
		}
	}
	// Files with cross-reference streams hold their trailer in the stream
	// dictionary, which is never compressed.
	return bytes.Contains(doc, []byte("/Encrypt ")) && bytes.Contains(doc, []byte("/Type /XRef")) ||
		bytes.Contains(doc, []byte("/Encrypt ")) && bytes.Contains(doc, []byte("/Type/XRef"))
}

// enclosingDict parses the object whose body holds position at.
func enclosingDict(doc []byte, at int) (value, bool) {
	from := max(0, at-objWindow)
	i := bytes.LastIndex(doc[from:at], []byte("obj"))
	if i < 0 {
		return value{}, false
	}
	i += from
	if i < 3 || string(doc[i-3:i]) == "end" {
		return value{}, false
	}
	l := &lexer{b: doc, pos: i + 3}
	v, err := l.value(0)
	if err != nil || v.kind != kDict || v.start+len(v.raw) < at {
		return value{}, false
	}
	return v, true
}

// checkOne verifies the signature dictionary d; end is where its signed
// bytes end, tampered whether the signed bytes or their framing were
// altered (rather than the signature being unusable for another reason).
func checkOne(doc []byte, d value, roots *x509.CertPool, revoked revokedFunc) (info motcua.SignatureInfo, end int, tampered bool) {
	fail := func(format string, args ...any) (motcua.SignatureInfo, int, bool) {
		info.Valid = false
		info.Problem = fmt.Sprintf(format, args...)
		return info, 0, false
	}
	altered := func(format string, args ...any) (motcua.SignatureInfo, int, bool) {
		info, _, _ = fail(format, args...)
		return info, 0, true
	}
	if t, ok := parsePDFDate(d.get("M").str); ok {
		info.SignedAt = t
	}
	br := d.get("ByteRange")
	c := d.get("Contents")
	if br.kind != kArray || len(br.arr) != 4 {
		return fail("Vùng dữ liệu được ký (ByteRange) không hợp lệ.")
	}
	var r [4]int
	for i, e := range br.arr {
		if e.kind != kNumber || e.num < 0 || e.num != float64(int(e.num)) {
			return fail("Vùng dữ liệu được ký (ByteRange) không hợp lệ.")
		}
		r[i] = int(e.num)
	}
	// The two ranges start the file and surround exactly the /Contents
	// hex string, so that no byte outside the signature is left unsigned.
	if r[0] != 0 || r[1] >= r[2] || r[2]+r[3] > len(doc) || !c.hex || c.start != r[1] || c.start+len(c.raw) != r[2] {
		return altered("Vùng dữ liệu được ký (ByteRange) không bao đúng chữ ký: tài liệu có thể đã bị sửa.")
	}
	end = r[2] + r[3]
	info.WholeDocument = end == len(doc)
	cms, err := parseCMS(c.str)
	if err != nil || cms.content != nil {
		return fail("Dữ liệu chữ ký không đọc được (không phải CMS/PAdES hợp lệ).")
	}
	cert := cms.signer
	info.Signer = cert.Subject.CommonName
	info.Organization = strings.Join(cert.Subject.Organization, ", ")
	info.Issuer = cert.Issuer.CommonName
	if info.SignedAt.IsZero() {
		info.SignedAt = cms.signingTime
	}
	h, err := cms.newDigest()
	if err != nil {
		return fail("Chữ ký dùng thuật toán băm không được hỗ trợ.")
	}
	h.Write(doc[:r[1]])
	h.Write(doc[r[2]:end])
	if problem, tamper := cms.check(h.Sum(nil)); problem != "" {
		if tamper {
			return altered("%s", problem)
		}
		return fail("%s", problem)
	}
	if cms.timestamp != nil {
		// B-T: a timestamp over the signature value proves the signature
		// existed then; the certificate must be valid at that time.
		ts, err := checkTimestamp(cms.timestamp, cms.signature)
		if err != nil {
			return altered("Dấu thời gian của chữ ký không hợp lệ.")
		}
		info.Timestamped, info.SignedAt = true, ts.genTime
		if roots != nil && !ts.trusted(roots) {
			info.Problem = "Dấu thời gian không do đơn vị cấp dấu thời gian mà hệ thống tin cậy cấp."
		}
	}
	at := info.SignedAt
	if at.IsZero() {
		at = cert.NotBefore
	}
	if at.Before(cert.NotBefore) || at.After(cert.NotAfter) {
		return fail("Chứng thư số của người ký không còn hiệu lực vào thời điểm ký (%s).", vnDate(at))
	}
	if revoked != nil {
		if why := revoked(cert, at); why != "" {
			return fail("%s", why)
		}
	}
	info.Valid = true
	if roots != nil {
		inter := x509.NewCertPool()
		for _, ic := range cms.certs {
			inter.AddCert(ic)
		}
		_, err := cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
		info.Trusted = err == nil
	}
	if !info.Trusted {
		info.Problem = "Chứng thư số không do tổ chức chứng thực mà hệ thống tin cậy cấp."
	} else if info.Problem != "" {
		info.Trusted = false // the timestamp is not trusted
	}
	return info, end, false
}

// parsePDFDate reads D:YYYYMMDDHHmmSS with an optional offset (+07'00', Z).
func parsePDFDate(b []byte) (time.Time, bool) {
	s := strings.TrimPrefix(decodeText(b), "D:")
	if len(s) < 14 {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102150405", s[:14])
	if err != nil {
		return time.Time{}, false
	}
	rest := strings.ReplaceAll(s[14:], "'", "")
	if len(rest) >= 5 && (rest[0] == '+' || rest[0] == '-') {
		off, err := time.Parse("-0700", rest[:5])
		if err == nil {
			_, secs := off.Zone()
			return t.Add(-time.Duration(secs) * time.Second).UTC(), true
		}
	}
	return t.UTC(), true
}

// decodeText decodes a PDF text string: UTF-16BE with a byte order mark,
// else taken as Latin-1 (close enough to PDFDocEncoding for dates).
func decodeText(b []byte) string {
	if len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF {
		u := make([]uint16, 0, len(b)/2)
		for i := 2; i+1 < len(b); i += 2 {
			u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
