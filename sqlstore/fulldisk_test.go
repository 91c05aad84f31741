//go:build linux

package sqlstore_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// smallDisk mounts a tmpfs of the given size (a real file system that
// fills up, not an injected error) and returns its folder, unmounted at
// the end. Mounting needs root, as CI has; elsewhere the test is skipped,
// unless MOTCUA_REQUIRE_MOUNT is set.
func smallDisk(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size+",mode=0700"); err != nil {
		if os.Getenv("MOTCUA_REQUIRE_MOUNT") != "" {
			t.Fatalf("mount a %s tmpfs: %v", size, err)
		}
		t.Skipf("cannot mount a tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// fill writes a file until the file system is full and returns its path.
func fill(t *testing.T, dir string, leave int64) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 16<<10)
	for {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err != nil {
			t.Fatal(err)
		}
		if free := int64(st.Bavail) * st.Bsize; free <= leave {
			return path
		} else if free-leave < int64(len(chunk)) {
			chunk = chunk[:free-leave]
		}
		if _, err := f.Write(chunk); err != nil {
			if errors.Is(err, syscall.ENOSPC) {
				return path
			}
			t.Fatal(err)
		}
	}
}

func agencyNamed(code string) *motcua.Agency {
	return &motcua.Agency{Code: code, Name: strings.Repeat("Ủy ban nhân dân xã ", 100), Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee}
}

// TestFullDiskRefusesThenRecovers fills a real 8 MiB file system under the
// database with the reserve turned off, so that SQLite itself meets ENOSPC:
// the write is refused as EUNAVAILABLE (storage_unavailable), reads go on,
// the readiness probe fails; once the space is freed, writes work again by
// themselves, the log is cut back under its limit as writes go on, and
// every write acknowledged before is there.
func TestFullDiskRefusesThenRecovers(t *testing.T) {
	dir := smallDisk(t, "8m")
	const walLimit = 1 << 20
	db, err := sqlstore.Open(filepath.Join(dir, "motcua.db"), sqlstore.Options{MinFreeSpace: -1, WALLimit: walLimit, CheckpointEvery: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if err := db.CanWrite(ctx); err != nil {
		t.Fatalf("probe on an empty disk: %v", err)
	}
	filler := fill(t, dir, 0)

	var acked []string
	var refused error
	for i := 0; i < 5000 && refused == nil; i++ {
		code := "H50." + strconv.Itoa(i)
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, agencyNamed(code)) }); err != nil {
			refused = err
		} else {
			acked = append(acked, code)
		}
	}
	if refused == nil {
		t.Fatal("5000 writes fitted on a full disk")
	}
	if motcua.ErrorCode(refused) != motcua.EUNAVAILABLE || motcua.ErrorReason(refused) != "storage_unavailable" {
		t.Fatalf("write on a full disk: %v, want EUNAVAILABLE storage_unavailable", refused)
	}
	t.Logf("%d writes acknowledged on the full disk before the refusal: %v", len(acked), refused)
	if err := db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.Agencies(ctx); return err }); err != nil {
		t.Fatalf("read on a full disk: %v", err)
	}
	time.Sleep(1100 * time.Millisecond) // past the probe's memory of its last success
	if err := db.CanWrite(ctx); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		t.Fatalf("probe on a full disk: %v, want EUNAVAILABLE", err)
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, agencyNamed("H51.1")) })
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writes still refused 10 s after the space was freed: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The checkpoint restarts the log from its beginning; the next write
	// lets journal_size_limit cut the file back (the migrations alone
	// leave a log about the size of the limit, over it since 0031).
	for i := 0; db.WALSize() > walLimit; i++ {
		if time.Now().After(deadline) {
			t.Fatalf("write-ahead log still %d bytes after the space was freed (limit %d)", db.WALSize(), walLimit)
		}
		time.Sleep(50 * time.Millisecond)
		code := "H51.2." + strconv.Itoa(i)
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, agencyNamed(code)) }); err != nil {
			t.Fatalf("write after the space was freed: %v", err)
		}
	}
	time.Sleep(1100 * time.Millisecond)
	if err := db.CanWrite(ctx); err != nil {
		t.Fatalf("probe after the space was freed: %v", err)
	}
	err = db.Read(ctx, func(tx motcua.Tx) error {
		for _, code := range acked {
			if _, err := tx.AgencyByCode(ctx, code); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("acknowledged write lost: %v", err)
	}
}

// TestDiskReserveRefusesWrites keeps a reserve of 2 MiB on a 8 MiB file
// system: filled to 1 MiB free, writes are refused (EUNAVAILABLE) before
// SQLite meets a full disk, and the log is emptied into the database file
// with the room kept; freed, writes are accepted again.
func TestDiskReserveRefusesWrites(t *testing.T) {
	dir := smallDisk(t, "8m")
	db, err := sqlstore.Open(filepath.Join(dir, "motcua.db"), sqlstore.Options{MinFreeSpace: 2 << 20, WALLimit: 1 << 20, CheckpointEvery: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		code := "H52." + strconv.Itoa(i)
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, agencyNamed(code)) }); err != nil {
			t.Fatal(err)
		}
	}
	filler := fill(t, dir, 1<<20)
	var err2 error
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		err2 = db.Write(ctx, func(tx motcua.Tx) error {
			return tx.CreateAgency(ctx, agencyNamed("H53."+time.Now().Format("150405.000000")))
		})
		if err2 != nil || time.Now().After(deadline) {
			break
		}
	}
	if motcua.ErrorCode(err2) != motcua.EUNAVAILABLE || !strings.Contains(err2.Error(), "reserve") {
		t.Fatalf("write under the reserve: %v, want EUNAVAILABLE for the reserve", err2)
	}
	for deadline := time.Now().Add(5 * time.Second); db.WALSize() != 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("log not emptied under the reserve: %d bytes", db.WALSize())
		}
	}
	os.Remove(filler)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, agencyNamed("H54.1")) })
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writes still refused after the space was freed: %v", err)
		}
	}
}
