package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestDossierRecord reads a dossier's record, on PostgreSQL as one batch
// of statements, and checks it part by part against the methods that read
// each part on its own: a dossier with every part, one with none, and a
// code nobody has. Then the snapshot: a payment committed while a read is
// open is seen by none of its statements, whether the record was the
// read's first statement (its BEGIN sent in the batch) or came after
// another (the BEGIN sent before that one). Some parts only, with and
// without a snapshot (on PostgreSQL a batch with no BEGIN): the parts
// chosen as in the whole record, the others nil.
func TestDossierRecord(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		f := newIntakeFixture(t, db, "H99.101", at)
		var rich, bare *motcua.Dossier
		mustWrite(t, db, func(tx motcua.Tx) (err error) { rich, err = f.intake(tx, 1, nil); return err })
		mustWrite(t, db, func(tx motcua.Tx) (err error) { bare, err = f.intake(tx, 2, nil); return err })

		second := &motcua.Event{DossierID: rich.ID, Seq: 2, Action: motcua.ActAssign, At: at.Add(time.Minute),
			FromState: motcua.StateReceived, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
			ActorName: "Trần Thị Lan", ActorRole: "officer", FromAgencyID: f.agency.ID, ToAgencyID: f.agency.ID}
		st := rich.Status
		st.Seq = 2
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, second, &st) })
		for i, name := range []string{"Tờ khai.pdf", "Kết quả.pdf"} {
			file := &motcua.DossierFile{DossierID: rich.ID, ComponentID: int64(i), Name: name, ContentType: "application/pdf",
				Size: 100 + int64(i), SHA256: "ab0" + name[:1], BlobKey: "dossiers/x/" + name, UploadedBy: 7, UploadedAt: at.Add(2 * time.Minute)}
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.AddDossierFile(ctx, file) })
		}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.QueuePortalSync(ctx, rich.ID, "G22.99-260310-000001", true, 2) })
		pay := func(ref string) *motcua.Payment {
			return &motcua.Payment{DossierID: rich.ID, Method: motcua.PayCash, Amount: 8000, Fees: []motcua.PaymentFee{{Name: "Lệ phí", Amount: 8000}},
				Reference: ref, State: motcua.PaymentPaid, ReceiptNumber: ref, PaidAt: at.Add(3 * time.Minute), RecordedBy: 7,
				CreatedAt: at.Add(3 * time.Minute), UpdatedAt: at.Add(3 * time.Minute)}
		}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreatePayment(ctx, pay("TM-1")) })
		w := &motcua.DossierWarning{DossierID: rich.ID, Code: rich.Code, Clock: motcua.ClockAction, AgencyID: f.agency.ID,
			Level: motcua.LevelOverdue, DueAt: at.Add(time.Hour), At: at.Add(2 * time.Hour), UserIDs: []int64{7}, Names: []string{"Lan"}}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.RecordDossierWarning(ctx, w) })

		for _, d := range []*motcua.Dossier{rich, bare} {
			err := db.Read(ctx, func(tx motcua.Tx) error {
				got, err := tx.DossierRecord(ctx, d.Code, motcua.RecordAll)
				if err != nil {
					return err
				}
				var want motcua.DossierRecord
				if want.Dossier, err = tx.DossierByCode(ctx, d.Code); err != nil {
					return err
				}
				if want.Events, err = tx.Events(ctx, d.ID); err != nil {
					return err
				}
				if want.Files, err = tx.DossierFiles(ctx, d.ID); err != nil {
					return err
				}
				if want.PortalSync, err = tx.PortalSync(ctx, d.ID); motcua.ErrorCode(err) == motcua.ENOTFOUND {
					want.PortalSync = nil
				} else if err != nil {
					return err
				}
				if want.Payments, err = tx.DossierPayments(ctx, d.ID); err != nil {
					return err
				}
				if want.Warnings, err = tx.DossierWarningsOf(ctx, d.ID); err != nil {
					return err
				}
				if !reflect.DeepEqual(got, &want) {
					t.Errorf("%s: record\n%+v\nwant, part by part,\n%+v", d.Code, got, &want)
				}
				return nil
			})
			if err != nil {
				t.Fatalf("%s: %v", d.Code, err)
			}
		}
		r := readRecord(t, db, rich.Code)
		if len(r.Events) != 2 || len(r.Files) != 2 || r.PortalSync == nil || len(r.Payments) != 1 || len(r.Warnings) != 1 ||
			r.Events[1].ActorName != "Trần Thị Lan" || r.PortalSync.NationalCode != "G22.99-260310-000001" {
			t.Errorf("the rich dossier's parts: %d events, %d files, portal %+v, %d payments, %d warnings",
				len(r.Events), len(r.Files), r.PortalSync, len(r.Payments), len(r.Warnings))
		}
		if r := readRecord(t, db, bare.Code); len(r.Events) != 1 || r.Files != nil || r.PortalSync != nil || r.Payments != nil || r.Warnings != nil {
			t.Errorf("the bare dossier's parts: %+v", r)
		}

		// Some parts only, and without a snapshot (on PostgreSQL one
		// batch on a pooled connection, no BEGIN): the parts chosen as in
		// the whole record, the others nil.
		for _, c := range []struct {
			name  string
			parts motcua.RecordParts
			keep  func(r *motcua.DossierRecord) *motcua.DossierRecord
		}{
			{"payments", motcua.RecordPayments, func(r *motcua.DossierRecord) *motcua.DossierRecord {
				return &motcua.DossierRecord{Dossier: r.Dossier, Payments: r.Payments}
			}},
			{"events and warnings", motcua.RecordEvents | motcua.RecordWarnings, func(r *motcua.DossierRecord) *motcua.DossierRecord {
				return &motcua.DossierRecord{Dossier: r.Dossier, Events: r.Events, Warnings: r.Warnings}
			}},
			{"all", motcua.RecordAll, func(r *motcua.DossierRecord) *motcua.DossierRecord { return r }},
		} {
			for _, noSnapshot := range []bool{false, true} {
				rctx := ctx
				if noSnapshot {
					rctx = motcua.NewContextNoSnapshot(ctx)
				}
				var got *motcua.DossierRecord
				err := db.Read(rctx, func(tx motcua.Tx) (err error) { got, err = tx.DossierRecord(rctx, rich.Code, c.parts); return err })
				if err != nil {
					t.Fatalf("%s (no snapshot %v): %v", c.name, noSnapshot, err)
				}
				if want := c.keep(readRecord(t, db, rich.Code)); !reflect.DeepEqual(got, want) {
					t.Errorf("%s (no snapshot %v): record\n%+v\nwant\n%+v", c.name, noSnapshot, got, want)
				}
			}
		}
		err := db.Read(motcua.NewContextNoSnapshot(ctx), func(tx motcua.Tx) error {
			_, err := tx.DossierRecord(ctx, "H99.101-260310-9998", motcua.RecordPayments)
			return err
		})
		if motcua.ErrorReason(err) != "dossier_not_found" {
			t.Errorf("a code nobody has, without a snapshot: %v, want dossier_not_found", err)
		}
		err = db.Read(ctx, func(tx motcua.Tx) error {
			_, err := tx.DossierRecord(ctx, "H99.101-260310-9999", motcua.RecordAll)
			return err
		})
		if motcua.ErrorReason(err) != "dossier_not_found" {
			t.Errorf("a code nobody has: %v, want dossier_not_found", err)
		}

		// The snapshot. The payment is written on another connection while
		// the read is open.
		for i, recordFirst := range []bool{true, false} {
			err := db.Read(ctx, func(tx motcua.Tx) error {
				var before []*motcua.Payment
				var err error
				if recordFirst {
					var r *motcua.DossierRecord
					if r, err = tx.DossierRecord(ctx, rich.Code, motcua.RecordAll); err == nil {
						before = r.Payments
					}
				} else {
					before, err = tx.DossierPayments(ctx, rich.ID)
				}
				if err != nil {
					return err
				}
				mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreatePayment(ctx, pay("TM-S"+string(rune('0'+i)))) })
				r, err := tx.DossierRecord(ctx, rich.Code, motcua.RecordAll)
				if err != nil {
					return err
				}
				after, err := tx.DossierPayments(ctx, rich.ID)
				if err != nil {
					return err
				}
				if len(r.Payments) != len(before) || len(after) != len(before) {
					t.Errorf("record first %v: %d payments before the write, then %d in the record and %d read alone: the read's snapshot moved",
						recordFirst, len(before), len(r.Payments), len(after))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := len(readRecord(t, db, rich.Code).Payments); n != 3 {
			t.Errorf("%d payments after the two writes, want 3", n)
		}
	})
}

// readRecord reads the record of the dossier code in a read of its own.
func readRecord(t *testing.T, db motcua.Store, code string) *motcua.DossierRecord {
	t.Helper()
	var r *motcua.DossierRecord
	if err := db.Read(ctx, func(tx motcua.Tx) (err error) { r, err = tx.DossierRecord(ctx, code, motcua.RecordAll); return err }); err != nil {
		t.Fatal(err)
	}
	return r
}
