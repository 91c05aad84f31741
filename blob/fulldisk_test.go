//go:build linux

package blob_test

import (
	"bytes"
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
)

// TestDirFullDisk puts a document larger than a real 1 MiB file system (a
// tmpfs mounted by the test: needs root, as CI has; skipped otherwise
// unless MOTCUA_REQUIRE_MOUNT is set): the refusal is EUNAVAILABLE, no
// partial file stays behind, and a document that fits is stored after.
func TestDirFullDisk(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m,mode=0700"); err != nil {
		if os.Getenv("MOTCUA_REQUIRE_MOUNT") != "" {
			t.Fatalf("mount a tmpfs: %v", err)
		}
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	d, err := blob.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = d.Put(ctx, "a/big", bytes.NewReader(make([]byte, 2<<20)))
	if motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		t.Fatalf("put on a full disk: %v, want EUNAVAILABLE", err)
	}
	if list, err := d.List(ctx, ""); err != nil || len(list) != 0 {
		t.Fatalf("after the refusal: %v %v, want nothing stored", list, err)
	}
	if entries, _ := os.ReadDir(dir + "/a"); len(entries) != 0 {
		t.Fatalf("partial files left: %v", entries)
	}
	if err := d.Put(ctx, "a/small", bytes.NewReader(make([]byte, 100<<10))); err != nil {
		t.Fatalf("put that fits after the refusal: %v", err)
	}
}
