package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestImportRunRoundTrip stores a run with its items, reads them back by
// kind, updates an item's review, and checks that a failed transaction
// keeps no part of a run.
func TestImportRunRoundTrip(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		at := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
		run := &motcua.ImportRun{StartedAt: at, FinishedAt: at.Add(time.Minute), StartedBy: 7, New: 1, Changed: 1,
			Agencies: []motcua.ListDiff{{Code: "H99.1", Kind: "name_differs", National: "Sở A", Local: "Sở Á"}}}
		items := []*motcua.ImportItem{
			{Kind: motcua.ImportNew, Code: "1.000001", Name: "Thủ tục mới", Status: motcua.ImportPending,
				National: &motcua.NationalProcedure{Procedure: motcua.Procedure{Code: "1.000001", Name: "Thủ tục mới"}, TimeLimitText: "1 Khác"}, TimeLimitToConfirm: true},
			{Kind: motcua.ImportChanged, Code: "1.000002", Name: "Thủ tục đổi", ProcedureID: 3, BaseVersion: 2, Status: motcua.ImportPending,
				Diffs: []motcua.FieldDiff{{Field: "name", Label: "Tên", Old: "cũ", New: "mới"}}},
		}
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateImportRun(ctx, run, items) }); err != nil {
			t.Fatal(err)
		}
		if run.ID == 0 || items[0].ID == 0 || items[1].Seq != 2 || items[1].RunID != run.ID {
			t.Fatalf("ids not set: run %d items %+v", run.ID, items)
		}
		var got *motcua.ImportRun
		var changed []*motcua.ImportItem
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
			if got, err = tx.ImportRun(ctx, run.ID); err != nil {
				return err
			}
			changed, err = tx.ImportItems(ctx, run.ID, motcua.ImportChanged)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if !got.StartedAt.Equal(at) || got.New != 1 || len(got.Agencies) != 1 || got.Agencies[0].Local != "Sở Á" {
			t.Fatalf("run read back: %+v", got)
		}
		if len(changed) != 1 || changed[0].Code != "1.000002" || changed[0].Diffs[0].New != "mới" || changed[0].BaseVersion != 2 {
			t.Fatalf("changed items: %+v", changed)
		}
		it := changed[0]
		it.Status, it.ResultVersion = motcua.ImportPublished, 3
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateImportItem(ctx, it) }); err != nil {
			t.Fatal(err)
		}
		var again *motcua.ImportItem
		db.Read(ctx, func(tx motcua.Tx) (err error) { again, err = tx.ImportItem(ctx, run.ID, it.ID); return err })
		if again == nil || again.Status != motcua.ImportPublished || again.ResultVersion != 3 {
			t.Fatalf("item after update: %+v", again)
		}
		// A transaction that fails after writing a run keeps nothing.
		failed := &motcua.ImportRun{StartedAt: at, FinishedAt: at}
		err := db.Write(ctx, func(tx motcua.Tx) error {
			if err := tx.CreateImportRun(ctx, failed, []*motcua.ImportItem{{Kind: motcua.ImportNew, Code: "x", Status: motcua.ImportPending}}); err != nil {
				return err
			}
			return motcua.Errorf(motcua.ECONFLICT, "test", "hủy")
		})
		if motcua.ErrorReason(err) != "test" {
			t.Fatal(err)
		}
		var runs []*motcua.ImportRun
		db.Read(ctx, func(tx motcua.Tx) (err error) { runs, err = tx.ImportRuns(ctx, 10); return err })
		if len(runs) != 1 || runs[0].ID != run.ID {
			t.Fatalf("runs after a failed write: %d", len(runs))
		}
		if err := db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.ImportItem(ctx, run.ID, 9999); return err }); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("missing item: %v", err)
		}
	})
}
