package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestFullDiskIsUnavailable fills a SQLite database to a page limit (as a
// full disk does): the failing write is EUNAVAILABLE, not an internal
// error, WriteHealth reports it while reads still work, and the first
// write that succeeds again clears it.
func TestFullDiskIsUnavailable(t *testing.T) {
	db := sqltest.Open(t, sqltest.SQLite)
	var pages int64
	if err := db.Read(ctx, func(tx motcua.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := db.ExecRaw(ctx, "PRAGMA max_page_count = 1"); err != nil {
		t.Fatal(err)
	}
	_ = pages
	big := strings.Repeat("nhật ký ", 2000)
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		err = db.Write(ctx, func(tx motcua.Tx) error {
			return tx.Audit(ctx, &motcua.AuditEntry{At: time.Now(), UserID: 1, Action: "login", Detail: fmt.Sprint(i, big)})
		})
	}
	if motcua.ErrorCode(err) != motcua.EUNAVAILABLE || motcua.ErrorReason(err) != "storage_unavailable" {
		t.Fatalf("a write to a full database: %v (code %s), want unavailable", err, motcua.ErrorCode(err))
	}
	if db.WriteHealth() == nil {
		t.Error("WriteHealth is nil after a write failed for want of space")
	}
	if err := db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.AuditEntries(ctx, motcua.AuditFilter{Limit: 1}); return err }); err != nil {
		t.Errorf("reading a full database: %v", err)
	}
	if err := db.ExecRaw(ctx, "PRAGMA max_page_count = 1000000"); err != nil {
		t.Fatal(err)
	}
	if err := db.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: time.Now(), UserID: 1, Action: "login"})
	}); err != nil {
		t.Fatalf("a write once space is back: %v", err)
	}
	if err := db.WriteHealth(); err != nil {
		t.Errorf("WriteHealth after a successful write: %v", err)
	}
}
