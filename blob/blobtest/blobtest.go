// Package blobtest gives tests a real S3-compatible server: the one named
// by MOTCUA_TEST_S3_ENDPOINT (with MOTCUA_TEST_S3_ACCESS_KEY and
// MOTCUA_TEST_S3_SECRET_KEY), or else a versitygw process (posix backend on
// a temporary folder, loopback only) that it starts for the test when the
// versitygw command is installed. Without either the tests skip, saying
// how to install it, or fail when MOTCUA_REQUIRE_S3=1 (as in CI).
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Server is a reachable S3-compatible server.
type Server struct {
	Endpoint  string // http://host:port
	AccessKey string
	SecretKey string
}

// Start returns the configured server or starts versitygw for t.
func Start(t testing.TB) Server {
	t.Helper()
	if ep := os.Getenv("MOTCUA_TEST_S3_ENDPOINT"); ep != "" {
		return Server{Endpoint: ep, AccessKey: os.Getenv("MOTCUA_TEST_S3_ACCESS_KEY"), SecretKey: os.Getenv("MOTCUA_TEST_S3_SECRET_KEY")}
	}
	bin, err := exec.LookPath("versitygw")
	if err != nil {
		if home, herr := os.UserHomeDir(); herr == nil {
			if p := filepath.Join(home, "go", "bin", "versitygw"); fileExists(p) {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		const msg = "no S3-compatible server: install one with `go install github.com/versity/versitygw/cmd/versitygw@v1.8.0` (or set MOTCUA_TEST_S3_ENDPOINT)"
		if os.Getenv("MOTCUA_REQUIRE_S3") == "1" {
			t.Fatal(msg + "; MOTCUA_REQUIRE_S3=1 makes this a failure")
		}
		t.Skip(msg)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := Server{Endpoint: "http://" + addr, AccessKey: "motcuatest", SecretKey: "motcuatestsecret"}
	dir := t.TempDir()
	cmd := exec.Command(bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", addr, "posix", dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not start on %s:\n%s", addr, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Bucket creates a new bucket and returns the s3:// URL of a store in it.
func (s Server) Bucket(t testing.TB) string {
	t.Helper()
	u, err := url.Parse(s.Endpoint)
	if err != nil {
		t.Fatal(err)
	}
	cl, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""),
		Secure: u.Scheme == "https", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 5)
	rand.Read(b)
	bucket := "motcua-test-" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := cl.MakeBucket(ctx, bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("create bucket on %s: %v", s.Endpoint, err)
	}
	return s.URL(bucket)
}

// URL is the s3:// address of bucket on s, credentials included.
func (s Server) URL(bucket string) string {
	q := url.Values{"endpoint": {s.Endpoint}, "access_key": {s.AccessKey}, "secret_key": {s.SecretKey}, "region": {"us-east-1"}}
	return fmt.Sprintf("s3://%s?%s", bucket, q.Encode())
}
