package motcua

import (
	"context"
	"io"
	"strings"
	"time"
)

// BlobStore keeps documents (scans, signed results) as named byte streams:
// a folder on the embedded default, S3-compatible object storage at scale.
// Keys are slash-separated relative paths such as "dossiers/123/scan.pdf"
// (see CheckBlobKey). Errors are domain errors: EINVALID for a bad key,
// ENOTFOUND for a missing blob; anything else is internal.
type BlobStore interface {
	// Put stores the bytes of r under key, replacing any blob there. The
	// blob appears whole or not at all: a reader never sees half of it,
	// and after Put returns nil it survives a crash.
	Put(ctx context.Context, key string, r io.Reader) error
	// Get streams the blob; the caller closes it. ENOTFOUND if absent.
	Get(ctx context.Context, key string) (io.ReadCloser, error)
	// Delete removes the blob; ENOTFOUND if absent.
	Delete(ctx context.Context, key string) error
	// Exists reports whether a blob is stored under key.
	Exists(ctx context.Context, key string) (bool, error)
	// List returns the blobs whose keys start with prefix, in key order.
	List(ctx context.Context, prefix string) ([]BlobInfo, error)
}

// BlobInfo describes a stored blob.
type BlobInfo struct {
	Key      string
	Size     int64
	Modified time.Time
}

// CheckBlobKey returns an EINVALID error unless key is a clean relative
// path: 1–512 bytes of letters, digits and . _ - / with no empty, "." or
// ".." segment and no leading or trailing slash. The same keys are then
// valid file names and S3 object names.
func CheckBlobKey(key string) error {
	bad := func() error {
		return Errorf(EINVALID, "blob_key_invalid", "Tên tệp lưu trữ %q không hợp lệ.", key)
	}
	if key == "" || len(key) > 512 {
		return bad()
	}
	for _, seg := range strings.Split(key, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return bad()
		}
	}
	for _, r := range key {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-', r == '/':
		default:
			return bad()
		}
	}
	return nil
}
