package service

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// DefaultMaxFileSize bounds an uploaded file when Config.MaxFileSize is 0:
// 20 MB, enough for a many-page scan at 300 dpi.
const DefaultMaxFileSize int64 = 20 << 20

// documentTypes are the kinds of file a dossier accepts, recognised by
// their first bytes (never by the name or the type the client claims).
var documentTypes = []struct {
	magic       []byte
	contentType string
}{
	{[]byte("%PDF-"), "application/pdf"},
	{[]byte{0xFF, 0xD8, 0xFF}, "image/jpeg"},
	{[]byte("\x89PNG\r\n\x1a\n"), "image/png"},
}

// sniffDocument returns the content type of a PDF, JPEG or PNG file, or
// "" for anything else.
func sniffDocument(b []byte) string {
	for _, t := range documentTypes {
		if bytes.HasPrefix(b, t.magic) {
			return t.contentType
		}
	}
	return ""
}

// document is an upload whose kind and size were checked, ready to store.
type document struct {
	body        io.Reader // the bytes, from the first
	size        int64
	sum         [sha256.Size]byte
	contentType string
}

// readDocument reads an upload of at most max bytes, checks its kind and
// computes its SHA-256 (the content address must be known before the blob
// is written). An upload that can seek — the server's multipart files,
// which spill to temporary files — is read twice, hashed first and then
// streamed to storage from its start, so that a 20 MB scan does not sit in
// memory; any other reader is held in memory, bounded by max.
// Errors: EINVALID on field "file" (empty, too big, not PDF/JPEG/PNG).
func readDocument(r io.Reader, max int64) (*document, error) {
	if r == nil {
		return nil, motcua.FieldError("file", "file_missing", "Chưa chọn tệp để tải lên.")
	}
	doc := &document{}
	h := sha256.New()
	head := make([]byte, 16) // enough for every magic of documentTypes
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	head = head[:n]
	h.Write(head)
	var rest bytes.Buffer
	seeker, canSeek := r.(io.ReadSeeker)
	sink := io.Writer(h)
	if !canSeek {
		sink = io.MultiWriter(h, &rest)
	}
	m, err := io.Copy(sink, io.LimitReader(r, max+1-int64(n)))
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	doc.size = int64(n) + m
	switch {
	case doc.size == 0:
		return nil, motcua.FieldError("file", "file_missing", "Chưa chọn tệp để tải lên (tệp rỗng).")
	case doc.size > max:
		return nil, FileTooLarge(max)
	}
	if doc.contentType = sniffDocument(head); doc.contentType == "" {
		return nil, motcua.FieldError("file", "file_type_not_allowed",
			"Chỉ nhận tệp PDF, JPEG hoặc PNG (nội dung tệp không thuộc các định dạng này).")
	}
	h.Sum(doc.sum[:0])
	if canSeek {
		if _, err := seeker.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("read upload again: %w", err)
		}
		doc.body = io.LimitReader(seeker, doc.size)
	} else {
		doc.body = io.MultiReader(bytes.NewReader(head), &rest)
	}
	return doc, nil
}

// FileTooLarge is the error of a file over max bytes: ETOOLARGE (HTTP
// 413), with the message on field file for forms.
func FileTooLarge(max int64) error {
	msg := fmt.Sprintf("Tệp quá lớn: dung lượng tối đa là %s.", FormatSize(max))
	return &motcua.Error{Code: motcua.ETOOLARGE, Reason: "file_too_large", Message: msg, Fields: map[string]string{"file": msg}}
}

// cleanFileName keeps the last element of an uploaded file's name, without
// control or invisible formatting characters (such as a right-to-left
// override that disguises an extension), at most 200 characters. A name
// with nothing left becomes "tai-lieu".
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	n := 0
	for _, r := range name {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			continue
		}
		if n == 200 {
			break
		}
		b.WriteRune(r)
		n++
	}
	out := strings.Trim(strings.TrimSpace(b.String()), ".")
	if out == "" {
		return "tai-lieu"
	}
	return out
}

// withExtension gives name the extension of its content's type (.pdf,
// .jpg, .png), in place of whatever the client sent: a scan named
// "to-khai.html" or "to-khai.pdf.exe" is saved and downloaded as
// "to-khai.pdf", so that no program opens it as something else.
func withExtension(name, contentType string) string {
	ext := map[string]string{"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[contentType]
	if ext == "" {
		return name
	}
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		if e := strings.ToLower(name[i:]); e == ext || (ext == ".jpg" && e == ".jpeg") {
			return name
		}
		name = name[:i]
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return name
		}
	}
	return name + ext
}

// FormatSize writes a byte count for people, in the Vietnamese way (comma
// as the decimal mark): "830 B", "12,5 KB", "20 MB".
func FormatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n)/unit, "KB"
	for _, s := range []string{"MB", "GB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	txt := fmt.Sprintf("%.1f", v)
	txt = strings.TrimSuffix(txt, ".0")
	return strings.Replace(txt, ".", ",", 1) + " " + suffix
}
