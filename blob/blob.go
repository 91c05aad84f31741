// Package blob implements motcua.BlobStore twice: in a local folder (Dir,
// the embedded default) and on S3-compatible object storage (S3). Open
// chooses by URL: file:///path or s3://bucket?endpoint=http://host:port.
package blob

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/motcua/motcua"
)

// CheckURL validates a storage URL without connecting.
func CheckURL(raw string) error {
	_, err := parse(raw)
	return err
}

type location struct {
	scheme string
	path   string // file: the folder
	s3     s3Config
}

func parse(raw string) (location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return location{}, fmt.Errorf("%q is not a URL: %w", raw, err)
	}
	switch u.Scheme {
	case "file":
		if u.Path == "" || !strings.HasPrefix(u.Path, "/") || u.Host != "" {
			return location{}, fmt.Errorf("%q: want file:///absolute/folder", raw)
		}
		return location{scheme: "file", path: u.Path}, nil
	case "s3":
		c, err := parseS3(u)
		if err != nil {
			return location{}, err
		}
		return location{scheme: "s3", s3: c}, nil
	}
	return location{}, fmt.Errorf("%q: the storage must be file:///folder or s3://bucket?endpoint=…", raw)
}

// Open opens the store named by raw. For S3 the credentials come from the
// URL's access_key/secret_key parameters or else from the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), and the bucket must exist.
func Open(ctx context.Context, raw string) (motcua.BlobStore, error) {
	loc, err := parse(raw)
	if err != nil {
		return nil, err
	}
	if loc.scheme == "file" {
		return OpenDir(loc.path)
	}
	if loc.s3.accessKey == "" {
		loc.s3.accessKey, loc.s3.secretKey = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	}
	return OpenS3(ctx, loc.s3)
}

func notFound(key string) error {
	return motcua.Errorf(motcua.ENOTFOUND, "blob_not_found", "Không tìm thấy tệp %s trong kho lưu trữ.", key)
}
