package blob_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/blob/blobtest"
)

var ctx = context.Background()

// eachBackend runs fn on a fresh store of every backend: a local folder,
// and a bucket on a real S3-compatible server.
func eachBackend(t *testing.T, fn func(t *testing.T, s motcua.BlobStore)) {
	t.Run("dir", func(t *testing.T) {
		s, err := blob.Open(ctx, "file://"+t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s)
	})
	t.Run("s3", func(t *testing.T) {
		srv := blobtest.Start(t)
		s, err := blob.Open(ctx, srv.Bucket(t))
		if err != nil {
			t.Fatal(err)
		}
		fn(t, s)
	})
}

func mustPut(t *testing.T, s motcua.BlobStore, key string, data []byte) {
	t.Helper()
	if err := s.Put(ctx, key, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
}

func mustGet(t *testing.T, s motcua.BlobStore, key string) []byte {
	t.Helper()
	r, err := s.Get(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBlobStore(t *testing.T) {
	eachBackend(t, func(t *testing.T, s motcua.BlobStore) {
		big := make([]byte, 5<<20+123) // several read buffers, not a round size
		rand.Read(big)
		mustPut(t, s, "dossiers/1/scan.pdf", big)
		mustPut(t, s, "dossiers/1/to-khai.pdf", []byte("tờ khai"))
		mustPut(t, s, "dossiers/2/a.pdf", []byte("a"))
		mustPut(t, s, "results/1.pdf", []byte("kết quả"))
		if got := mustGet(t, s, "dossiers/1/scan.pdf"); !bytes.Equal(got, big) {
			t.Fatalf("read back %d bytes, want the %d written", len(got), len(big))
		}
		// Replacing keeps one blob with the new content.
		mustPut(t, s, "dossiers/2/a.pdf", []byte("a, lần hai"))
		if got := string(mustGet(t, s, "dossiers/2/a.pdf")); got != "a, lần hai" {
			t.Fatalf("after replace: %q", got)
		}
		list, err := s.List(ctx, "dossiers/")
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, b := range list {
			keys = append(keys, b.Key)
		}
		if strings.Join(keys, ",") != "dossiers/1/scan.pdf,dossiers/1/to-khai.pdf,dossiers/2/a.pdf" || list[0].Size != int64(len(big)) {
			t.Fatalf("list dossiers/: %v (first size %d)", keys, list[0].Size)
		}
		if all, _ := s.List(ctx, ""); len(all) != 4 {
			t.Fatalf("list all: %d blobs, want 4", len(all))
		}
		if ok, err := s.Exists(ctx, "results/1.pdf"); !ok || err != nil {
			t.Fatalf("exists: %v %v", ok, err)
		}
		if err := s.Delete(ctx, "results/1.pdf"); err != nil {
			t.Fatal(err)
		}
		if ok, err := s.Exists(ctx, "results/1.pdf"); ok || err != nil {
			t.Fatalf("exists after delete: %v %v", ok, err)
		}
		if _, err := s.Get(ctx, "results/1.pdf"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("get deleted: %v", err)
		}
		if err := s.Delete(ctx, "results/1.pdf"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("delete twice: %v", err)
		}
		if _, err := s.Get(ctx, "dossiers/1"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("a folder read as a blob: %v", err)
		}
		for _, bad := range []string{"", "/abs", "../etc/passwd", "a//b", "a/./b", "dossiers/1/", "tờ-khai.pdf", "a b", strings.Repeat("x", 513)} {
			if err := s.Put(ctx, bad, strings.NewReader("x")); motcua.ErrorCode(err) != motcua.EINVALID {
				t.Errorf("put %q: %v, want EINVALID", bad, err)
			}
			if _, err := s.Get(ctx, bad); motcua.ErrorCode(err) != motcua.EINVALID {
				t.Errorf("get %q: %v, want EINVALID", bad, err)
			}
		}
	})
}

// failingReader fails after some bytes, like a client that disconnects.
type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), f.n)
	f.n -= n
	return n, nil
}

// TestInterruptedPutLeavesNothingHalfWritten: a Put whose stream fails
// leaves the previous blob (or none) whole, on both backends.
func TestInterruptedPutLeavesNothingHalfWritten(t *testing.T) {
	eachBackend(t, func(t *testing.T, s motcua.BlobStore) {
		mustPut(t, s, "doc.pdf", []byte("bản cũ"))
		if err := s.Put(ctx, "doc.pdf", &failingReader{n: 100 << 10}); err == nil {
			t.Fatal("a failed stream was reported stored")
		}
		if got := string(mustGet(t, s, "doc.pdf")); got != "bản cũ" {
			t.Fatalf("after a failed replace: %d bytes", len(got))
		}
		if err := s.Put(ctx, "new.pdf", &failingReader{n: 10}); err == nil {
			t.Fatal("a failed stream was reported stored")
		}
		if ok, _ := s.Exists(ctx, "new.pdf"); ok {
			t.Fatal("a half-written blob is visible")
		}
		if list, _ := s.List(ctx, ""); len(list) != 1 {
			t.Fatalf("%d blobs listed after failed puts, want 1", len(list))
		}
	})
}

// TestConcurrentPutsOfOneKey: readers racing writers of one key always read
// one of the versions whole.
func TestConcurrentPutsOfOneKey(t *testing.T) {
	eachBackend(t, func(t *testing.T, s motcua.BlobStore) {
		versions := [][]byte{bytes.Repeat([]byte("A"), 300<<10), bytes.Repeat([]byte("B"), 200<<10)}
		mustPut(t, s, "k", versions[0])
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i%2 == 0 {
					if err := s.Put(ctx, "k", bytes.NewReader(versions[i%4/2])); err != nil {
						t.Error(err)
					}
					return
				}
				for range 5 {
					got := mustGet(t, s, "k")
					if !bytes.Equal(got, versions[0]) && !bytes.Equal(got, versions[1]) {
						t.Errorf("read a mix of versions (%d bytes)", len(got))
					}
				}
			}()
		}
		wg.Wait()
	})
}

// TestDirLeavesNoTemporaryFiles checks the folder after puts: only the
// blobs themselves, no temporary file left behind.
func TestDirLeavesNoTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	s, err := blob.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(t, s, "a/b.pdf", []byte("x"))
	s.Put(ctx, "a/c.pdf", &failingReader{n: 3})
	var files []string
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 || files[0] != filepath.Join(dir, "a", "b.pdf") {
		t.Fatalf("files in the folder: %v", files)
	}
}

func TestOpenRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"ftp://x", "file://relative", "s3://", "s3://b", "s3://b?endpoint=ftp://h", "/plain/path"} {
		if err := blob.CheckURL(u); err == nil {
			t.Errorf("%q accepted", u)
		}
	}
	for _, u := range []string{"file:///var/lib/motcua/documents", "s3://docs?endpoint=http://127.0.0.1:7070"} {
		if err := blob.CheckURL(u); err != nil {
			t.Errorf("%q: %v", u, err)
		}
	}
}
