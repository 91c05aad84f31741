package motcua_test

import (
	"testing"

	"github.com/motcua/motcua"
)

// TestPaymentAdvance checks that a payment's state only moves forward:
// from pending to a final state, once; a repeat of the same state is a
// no-op; every backward or sideways move is refused and changes nothing.
func TestPaymentAdvance(t *testing.T) {
	finals := []motcua.PaymentState{motcua.PaymentPaid, motcua.PaymentFailed, motcua.PaymentCancelled}
	for _, to := range finals {
		p := &motcua.Payment{State: motcua.PaymentPending}
		if err := p.Advance(to); err != nil || p.State != to {
			t.Fatalf("pending → %s: %v, state %s", to, err, p.State)
		}
		if err := p.Advance(to); err != nil || p.State != to {
			t.Errorf("%s → %s again: %v", to, to, err)
		}
		for _, back := range append([]motcua.PaymentState{motcua.PaymentPending}, finals...) {
			if back == to {
				continue
			}
			err := p.Advance(back)
			if motcua.ErrorReason(err) != "payment_state_backward" || p.State != to {
				t.Errorf("%s → %s: %v, state %s", to, back, err, p.State)
			}
		}
	}
	p := &motcua.Payment{State: motcua.PaymentPending}
	if err := p.Advance("refunded"); motcua.ErrorCode(err) != motcua.EINVALID || p.State != motcua.PaymentPending {
		t.Errorf("unknown state: %v, %s", err, p.State)
	}
	if err := p.Advance(motcua.PaymentPending); err != nil {
		t.Errorf("pending → pending: %v", err)
	}
}

// TestMarkFeesPaid checks that the paid flags of fee lines are overwritten
// from the payment records: a line claiming to be paid without a paid
// record is cleared.
func TestMarkFeesPaid(t *testing.T) {
	fees := []motcua.DossierFee{{Name: "Lệ phí", Amount: 8000, Paid: true, PaidOnline: true}}
	motcua.MarkFeesPaid(fees, []*motcua.Payment{{Method: motcua.PayOnline, State: motcua.PaymentPending}})
	if fees[0].Paid || fees[0].PaidOnline {
		t.Errorf("claimed flags kept: %+v", fees[0])
	}
	motcua.MarkFeesPaid(fees, []*motcua.Payment{{Method: motcua.PayOnline, State: motcua.PaymentFailed},
		{Method: motcua.PayCash, State: motcua.PaymentPaid}})
	if !fees[0].Paid || fees[0].PaidOnline {
		t.Errorf("cash: %+v", fees[0])
	}
	if motcua.FeesDue([]motcua.DossierFee{{Amount: 8000}, {Amount: 2000}}) != 10000 {
		t.Error("fees due")
	}
}
