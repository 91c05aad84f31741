package service

import (
	"bytes"
	"crypto/sha256"
	"io"
	"testing"

	"github.com/motcua/motcua"
)

// onlyReader hides every method but Read, as a network body would.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// TestReadDocumentBothWays: an upload that can seek is hashed, then read
// again from its start; any other is held in memory. Both give the same
// bytes, size, hash and kind, and refuse the same bad uploads.
func TestReadDocumentBothWays(t *testing.T) {
	const max = 1000
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 500)...)
	tiny := []byte("%PDF-") // shorter than the head read first
	for _, c := range []struct {
		name string
		wrap func([]byte) io.Reader
	}{
		{"seeker", func(b []byte) io.Reader { return bytes.NewReader(b) }},
		{"stream", func(b []byte) io.Reader { return onlyReader{bytes.NewReader(b)} }},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, body := range [][]byte{png, tiny, append([]byte("%PDF-"), make([]byte, max-5)...)} {
				doc, err := readDocument(c.wrap(body), max)
				if err != nil {
					t.Fatalf("%d bytes: %v", len(body), err)
				}
				got, _ := io.ReadAll(doc.body)
				if !bytes.Equal(got, body) || doc.size != int64(len(body)) || doc.sum != sha256.Sum256(body) {
					t.Errorf("%d bytes: read back %d bytes (size %d), same %v, hash right %v",
						len(body), len(got), doc.size, bytes.Equal(got, body), doc.sum == sha256.Sum256(body))
				}
			}
			if doc, _ := readDocument(c.wrap(png), max); doc.contentType != "image/png" {
				t.Errorf("kind %q", doc.contentType)
			}
			for reason, body := range map[string][]byte{
				"file_too_large":        append([]byte("%PDF-"), make([]byte, max-4)...),
				"file_missing":          nil,
				"file_type_not_allowed": []byte("<html>"),
			} {
				if _, err := readDocument(c.wrap(body), max); motcua.ErrorReason(err) != reason {
					t.Errorf("%d bytes: %v, want %s", len(body), err, reason)
				}
			}
		})
	}
}

// FuzzReadDocument: whatever bytes are uploaded, readDocument never
// panics, accepts only what starts like a PDF, JPEG or PNG within the
// size, and gives back exactly the bytes it read.
func FuzzReadDocument(f *testing.F) {
	for _, s := range [][]byte{nil, []byte("%PDF-1.7\n"), []byte("\x89PNG\r\n\x1a\n"), []byte("\xff\xd8\xff\xe0"), []byte("<html>"), []byte("MZ\x90"), bytes.Repeat([]byte("a"), 70)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := readDocument(onlyReader{r: bytes.NewReader(body)}, 64)
		if err != nil {
			if c := motcua.ErrorCode(err); c != motcua.EINVALID && c != motcua.ETOOLARGE {
				t.Fatalf("%q: %v", body, err)
			}
			return
		}
		if len(body) == 0 || len(body) > 64 || doc.contentType == "" {
			t.Fatalf("%q accepted as %q", body, doc.contentType)
		}
		got, _ := io.ReadAll(doc.body)
		if !bytes.Equal(got, body) || doc.sum != sha256.Sum256(body) {
			t.Fatalf("%q read back as %q", body, got)
		}
	})
}
