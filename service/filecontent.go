package service

import (
	"bytes"
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

// readDocument reads a whole upload of at most max bytes and checks its
// kind. The bytes are held in memory: the content address (their SHA-256)
// must be known before the blob is written, and max keeps that small.
// Errors: EINVALID on field "file" (empty, too big, not PDF/JPEG/PNG).
func readDocument(r io.Reader, max int64) ([]byte, string, error) {
	if r == nil {
		return nil, "", motcua.FieldError("file", "file_missing", "Chưa chọn tệp để tải lên.")
	}
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, "", fmt.Errorf("read upload: %w", err)
	}
	switch {
	case len(data) == 0:
		return nil, "", motcua.FieldError("file", "file_missing", "Chưa chọn tệp để tải lên (tệp rỗng).")
	case int64(len(data)) > max:
		return nil, "", motcua.FieldError("file", "file_too_large",
			fmt.Sprintf("Tệp quá lớn: dung lượng tối đa là %s.", FormatSize(max)))
	}
	ct := sniffDocument(data)
	if ct == "" {
		return nil, "", motcua.FieldError("file", "file_type_not_allowed",
			"Chỉ nhận tệp PDF, JPEG hoặc PNG (nội dung tệp không thuộc các định dạng này).")
	}
	return data, ct, nil
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
