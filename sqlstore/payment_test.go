package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPayments stores payments of a dossier and reads them back whole; a
// reference is unique; settling changes a pending payment once and is
// refused afterwards (the forward-only rule held by the SQL); pending
// payments and the index facts are found.
func TestPayments(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		var ds []*motcua.Dossier
		for i, code := range []string{"H99.101-260310-0001", "H99.101-260310-0002", "H99.101-260310-0003"} {
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234"}
			if i < 2 {
				d.Fees = []motcua.DossierFee{{Name: "Lệ phí", Amount: 8000}}
			}
			ev := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(time.Hour), ActionDueAt: at.Add(time.Hour)}
			st, err := motcua.Replay([]motcua.Event{*ev})
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			d.Status.Report.Flags = motcua.FlagsOf(d)
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
			ds = append(ds, d)
		}
		var recorded bool
		db.Read(ctx, func(tx motcua.Tx) (err error) { recorded, err = tx.PaymentsRecorded(ctx); return err })
		if recorded {
			t.Error("payments recorded before any")
		}
		fees := []motcua.PaymentFee{{Name: "Lệ phí", Amount: 8000}}
		pays := []*motcua.Payment{
			{DossierID: ds[0].ID, Method: motcua.PayOnline, Amount: 8000, Fees: fees, Reference: "MC-1", State: motcua.PaymentPending,
				CreatedAt: at.Add(time.Minute), UpdatedAt: at.Add(time.Minute)},
			{DossierID: ds[1].ID, Method: motcua.PayCash, Amount: 8000, Fees: fees, Reference: "TM-H99.101-0001", State: motcua.PaymentPaid,
				ReceiptNumber: "0001", PaidAt: at.Add(2 * time.Minute), RecordedBy: 7, CreatedAt: at.Add(2 * time.Minute), UpdatedAt: at.Add(2 * time.Minute)},
			{DossierID: ds[0].ID, Method: motcua.PayOnline, Amount: 8000, Fees: fees, Reference: "MC-2", State: motcua.PaymentPending,
				CreatedAt: at.Add(3 * time.Minute), UpdatedAt: at.Add(3 * time.Minute)},
		}
		for _, py := range pays {
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreatePayment(ctx, py) })
		}
		dup := *pays[0]
		err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreatePayment(ctx, &dup) })
		if motcua.ErrorReason(err) != "payment_reference_exists" {
			t.Errorf("duplicate reference: %v", err)
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.DossierPayments(ctx, ds[0].ID)
			if err != nil || !reflect.DeepEqual(got, []*motcua.Payment{pays[0], pays[2]}) {
				t.Errorf("payments of the first dossier: %+v %v", got, err)
			}
			one, err := tx.PaymentByReference(ctx, "TM-H99.101-0001")
			if err != nil || !reflect.DeepEqual(one, pays[1]) {
				t.Errorf("by reference: %+v %v", one, err)
			}
			if _, err := tx.Payment(ctx, 999); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("no payment: %v", err)
			}
			pending, err := tx.PendingPayments(ctx, at.Add(2*time.Minute), 10)
			if err != nil || len(pending) != 1 || pending[0].Reference != "MC-1" {
				t.Errorf("pending: %+v %v", pending, err)
			}
			return nil
		})

		// Settle once; a second settlement, to any state, is refused.
		paid := *pays[0]
		paid.State, paid.TransactionID, paid.PaidAt, paid.UpdatedAt = motcua.PaymentPaid, "GD-9", at.Add(4*time.Minute), at.Add(4*time.Minute)
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SettlePayment(ctx, &paid) })
		back := paid
		back.State = motcua.PaymentFailed
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.SettlePayment(ctx, &back) }); motcua.ErrorReason(err) != "payment_not_pending" {
			t.Errorf("second settlement: %v", err)
		}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SetPaymentReceipt(ctx, paid.ID, "BL-1", "http://x/bl") })
		db.Read(ctx, func(tx motcua.Tx) error {
			got, _ := tx.Payment(ctx, paid.ID)
			paid.ReceiptNumber, paid.ReceiptURL = "BL-1", "http://x/bl"
			if !reflect.DeepEqual(got, &paid) {
				t.Errorf("settled: %+v\nwant %+v", got, &paid)
			}
			aggs, err := tx.PaymentAggs(ctx, at.Add(-time.Hour), at.Add(time.Hour))
			want := []motcua.PaymentAgg{{AgencyID: a.ID, ProcedureID: p.ID, FeeDossiers: 2, PaidOnline: 1, OnlineStarted: 2, OnlinePaid: 1}}
			if err != nil || !reflect.DeepEqual(aggs, want) {
				t.Errorf("aggs %+v %v, want %+v", aggs, err, want)
			}
			aggs, err = tx.PaymentAggs(ctx, at.Add(time.Hour), at.Add(2*time.Hour))
			if err != nil || len(aggs) != 0 {
				t.Errorf("aggs of an empty period: %+v %v", aggs, err)
			}
			recorded, err := tx.PaymentsRecorded(ctx)
			if err != nil || !recorded {
				t.Errorf("recorded: %v %v", recorded, err)
			}
			return nil
		})
	})
}
