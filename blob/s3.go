package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/motcua/motcua"
)

type s3Config struct {
	bucket    string
	endpoint  string // host:port
	secure    bool
	region    string
	prefix    string
	accessKey string
	secretKey string
}

// parseS3 reads s3://bucket?endpoint=http://host:port&region=…&prefix=…
func parseS3(u *url.URL) (s3Config, error) {
	c := s3Config{bucket: u.Host, region: u.Query().Get("region"), prefix: strings.Trim(u.Query().Get("prefix"), "/"),
		accessKey: u.Query().Get("access_key"), secretKey: u.Query().Get("secret_key")}
	if c.bucket == "" {
		return c, fmt.Errorf("%q: the bucket is missing (s3://bucket?endpoint=…)", u.Redacted())
	}
	ep := u.Query().Get("endpoint")
	if ep == "" {
		return c, fmt.Errorf("s3://%s: give the server with ?endpoint=https://host:port", c.bucket)
	}
	e, err := url.Parse(ep)
	if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
		return c, fmt.Errorf("s3://%s: endpoint %q must be http(s)://host:port", c.bucket, ep)
	}
	c.endpoint, c.secure = e.Host, e.Scheme == "https"
	if c.prefix != "" {
		if err := motcua.CheckBlobKey(c.prefix); err != nil {
			return c, fmt.Errorf("s3://%s: prefix %q is not a valid key", c.bucket, c.prefix)
		}
	}
	return c, nil
}

// S3 keeps blobs as objects in a bucket of S3-compatible storage. A PUT of
// an object is atomic on S3: readers see the old object or the new one.
type S3 struct {
	c      *minio.Client
	bucket string
	prefix string // "" or "name/"
}

// OpenS3 connects to the bucket and checks that it exists.
func OpenS3(ctx context.Context, c s3Config) (*S3, error) {
	cl, err := minio.New(c.endpoint, &minio.Options{Creds: credentials.NewStaticV4(c.accessKey, c.secretKey, ""),
		Secure: c.secure, Region: c.region, BucketLookup: minio.BucketLookupPath, MaxRetries: s3Retries})
	if err != nil {
		return nil, fmt.Errorf("object storage %s: %w", c.endpoint, err)
	}
	ok, err := cl.BucketExists(ctx, c.bucket)
	if err != nil {
		return nil, fmt.Errorf("object storage %s: %w (check the endpoint and the keys)", c.endpoint, err)
	}
	if !ok {
		return nil, fmt.Errorf("object storage %s has no bucket %q: create it first", c.endpoint, c.bucket)
	}
	s := &S3{c: cl, bucket: c.bucket}
	if c.prefix != "" {
		s.prefix = c.prefix + "/"
	}
	return s, nil
}

func (s *S3) name(key string) (string, error) {
	if err := motcua.CheckBlobKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

func isNotFound(err error) bool {
	var r minio.ErrorResponse
	if errors.As(err, &r) {
		return r.Code == "NoSuchKey" || r.StatusCode == 404
	}
	return false
}

// Put implements motcua.BlobStore. The size is not known in advance, so
// the client uploads in parts when the stream is large.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	name, err := s.name(key)
	if err != nil {
		return err
	}
	if _, err := s.c.PutObject(ctx, s.bucket, name, r, -1, minio.PutObjectOptions{ContentType: "application/octet-stream",
		PartSize: 16 << 20}); err != nil {
		return s3Error("put", key, err)
	}
	return nil
}

// Get implements motcua.BlobStore.
func (s *S3) Get(ctx context.Context, key string) (io.ReadCloser, error) {
	name, err := s.name(key)
	if err != nil {
		return nil, err
	}
	// One GET streams the whole object as it was when the request
	// arrived, even if it is replaced meanwhile (the high-level client's
	// lazy object would instead fail the read on a changed ETag).
	body, _, _, err := minio.Core{Client: s.c}.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err != nil {
		if isNotFound(err) {
			return nil, notFound(key)
		}
		return nil, s3Error("get", key, err)
	}
	return body, nil
}

// Delete implements motcua.BlobStore.
func (s *S3) Delete(ctx context.Context, key string) error {
	ok, err := s.Exists(ctx, key)
	if err != nil {
		return err
	}
	if !ok {
		return notFound(key)
	}
	name, _ := s.name(key)
	if err := s.c.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil {
		return s3Error("delete", key, err)
	}
	return nil
}

// Exists implements motcua.BlobStore.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	name, err := s.name(key)
	if err != nil {
		return false, err
	}
	if _, err := s.c.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{}); err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, s3Error("stat", key, err)
	}
	return true, nil
}

// List implements motcua.BlobStore.
func (s *S3) List(ctx context.Context, prefix string) ([]motcua.BlobInfo, error) {
	var out []motcua.BlobInfo
	for o := range s.c.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + prefix, Recursive: true}) {
		if o.Err != nil {
			return nil, s3Error("list", prefix, o.Err)
		}
		out = append(out, motcua.BlobInfo{Key: strings.TrimPrefix(o.Key, s.prefix), Size: o.Size, Modified: o.LastModified.UTC()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}
