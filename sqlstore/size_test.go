package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestStorageSize: the size gauge reads what the engine reports, grows
// with the data, and shows the disk's free space only where motcua can see
// that disk (SQLite's).
func TestStorageSize(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		before, err := db.Size(ctx)
		if err != nil || before.Bytes <= 0 {
			t.Fatalf("size: %+v %v", before, err)
		}
		if (e == sqltest.SQLite) != (before.Free >= 0) {
			t.Errorf("free space %d on %s", before.Free, e)
		}
		now := time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)
		for i := range 400 {
			pr := &motcua.Procedure{Code: fmt.Sprintf("9.%06d", i), Name: fmt.Sprintf("Thủ tục thử nghiệm có tên khá dài số %d để chiếm chỗ", i),
				FieldName: "Thử", Level: motcua.LevelCommune, Process: motcua.DefaultProcess(motcua.LevelCommune), UpdatedAt: now}
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, pr) })
		}
		after, err := db.Size(ctx)
		if err != nil || after.Bytes <= 0 {
			t.Fatalf("size after 400 procedures: %+v %v", after, err)
		}
		// On PostgreSQL the size is the whole database's, which the other
		// tests' schemas share (and drop): only SQLite's file is ours.
		if e == sqltest.SQLite && after.Bytes <= before.Bytes {
			t.Errorf("size after 400 procedures: %+v (before %+v)", after, before)
		}
	})
}
