package service

import (
	"context"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Defaults of the payment reconciliation.
const (
	// DefaultPaymentQueryAfter is how old a pending online payment must be
	// before the reconciliation asks the platform about it: long enough
	// for the payer to finish, short enough that a lost confirmation is
	// caught within the quarter hour (DIGIT reconciles every 15 minutes,
	// integrations.md §4).
	DefaultPaymentQueryAfter = 15 * time.Minute
	// DefaultPaymentExpireAfter is how long a payment may stay pending on
	// the platform before motcua counts it failed.
	DefaultPaymentExpireAfter = 24 * time.Hour
)

func paymentsOff() error {
	return motcua.Errorf(motcua.EFORBIDDEN, "payments_disabled", "Chưa kết nối nền tảng thanh toán: chưa thể thanh toán trực tuyến.")
}

// PaymentsEnabled reports whether online payment is possible (a payment
// platform is configured).
func (s *Service) PaymentsEnabled() bool { return s.cfg.Payments != nil }

// PaymentView is what a dossier's page shows of its fees: each line with
// whether it is paid (from the records), the payments made or tried, and
// what the viewer may do.
type PaymentView struct {
	// Enabled: online payment is possible (a platform is configured).
	Enabled bool
	Fees    []motcua.DossierFee
	Due     int64
	// Paid is the payment that paid the fees, nil while unpaid; Pending
	// an online payment still waiting for the platform.
	Paid     *motcua.Payment
	Pending  *motcua.Payment
	Payments []*motcua.Payment
	// Recorders names the officers who recorded payments, by user id.
	Recorders map[int64]string
	// CanRecordCash: the viewer is a reception officer of the dossier's
	// reception agency and the fees are due and unpaid.
	CanRecordCash bool
}

// Outstanding reports whether fees are due and unpaid.
func (v *PaymentView) Outstanding() bool { return v.Due > 0 && v.Paid == nil }

func paymentView(d *motcua.Dossier, ps []*motcua.Payment, enabled bool) *PaymentView {
	v := &PaymentView{Enabled: enabled, Fees: append([]motcua.DossierFee(nil), d.Fees...), Due: motcua.FeesDue(d.Fees),
		Payments: ps, Recorders: map[int64]string{}}
	motcua.MarkFeesPaid(v.Fees, ps)
	v.Paid = motcua.FeesPaid(ps)
	for _, p := range ps {
		if p.State == motcua.PaymentPending && p.Method == motcua.PayOnline {
			v.Pending = p
		}
	}
	return v
}

// mayRecordCash reports whether u may record a cash payment of d: a
// reception officer at the agency that received it.
func mayRecordCash(u *motcua.User, d *motcua.Dossier) bool {
	return u != nil && u.Has(motcua.RoleReception, d.ReceptionAgencyID)
}

// DossierPayments returns the fees and payments of a dossier to a person
// involved with it. Errors: EUNAUTHORIZED, ENOTFOUND.
func (s *Service) DossierPayments(ctx context.Context, code string) (*PaymentView, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var v *PaymentView
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		// The payments come with the dossier, in one round trip on
		// PostgreSQL; they are shown only once u is found involved.
		r, err := tx.DossierRecord(ctx, code, motcua.RecordPayments)
		if err != nil {
			return err
		}
		d := r.Dossier
		if !s.involved(u, d, nil, byID) {
			events, err := tx.Events(ctx, d.ID)
			if err != nil {
				return err
			}
			if !s.involved(u, d, events, byID) {
				return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
			}
		}
		v = s.staffPaymentView(ctx, tx, u, d, r.Payments)
		return nil
	})
	return v, err
}

// staffPaymentView is the payments ps of d for staff member u, with the
// names of the officers who recorded them, and sets d's paid flags from
// them.
func (s *Service) staffPaymentView(ctx context.Context, tx motcua.Tx, u *motcua.User, d *motcua.Dossier, ps []*motcua.Payment) *PaymentView {
	motcua.MarkFeesPaid(d.Fees, ps)
	v := paymentView(d, ps, s.PaymentsEnabled())
	v.CanRecordCash = v.Outstanding() && mayRecordCash(u, d)
	for _, p := range ps {
		if _, done := v.Recorders[p.RecordedBy]; p.RecordedBy != 0 && !done {
			if r, err := tx.User(ctx, p.RecordedBy); err == nil {
				v.Recorders[p.RecordedBy] = r.FullName
			}
		}
	}
	return v
}

// PublicPayment is what the public lookup shows of a dossier's fees.
type PublicPayment struct {
	Enabled bool                `json:"enabled"`
	Fees    []motcua.DossierFee `json:"fees"`
	Due     int64               `json:"due"`
	Paid    bool                `json:"paid"`
	// Method and PaidAt say how and when the fees were paid.
	Method motcua.PaymentMethod `json:"method,omitempty"`
	PaidAt time.Time            `json:"paid_at,omitzero"`
	// Pending: an online payment is waiting for the platform's answer.
	Pending bool `json:"pending"`
	// CanPayOnline: fees are due and unpaid and the platform is
	// connected.
	CanPayOnline bool `json:"can_pay_online"`
}

// PublicPayments returns the fees of a dossier to whoever holds its code
// and verifier (as Lookup, whose checks and limits apply).
func (s *Service) PublicPayments(ctx context.Context, code, verifier, ip string) (*PublicPayment, error) {
	if _, err := s.Lookup(ctx, code, verifier, ip); err != nil {
		return nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	var v *PaymentView
	// No snapshot and one batch (on PostgreSQL one round trip: no BEGIN
	// or ROLLBACK, and the dossier's and its payments' statements sent
	// together): the payments are read after the dossier, so they are at
	// least as new as its fees, as on a page reloaded a moment later.
	err := s.store.Read(motcua.NewContextNoSnapshot(ctx), func(tx motcua.Tx) error {
		r, err := tx.DossierRecord(ctx, code, motcua.RecordPayments)
		if err != nil {
			return err
		}
		v = paymentView(r.Dossier, r.Payments, s.PaymentsEnabled())
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := &PublicPayment{Enabled: v.Enabled, Fees: v.Fees, Due: v.Due, Paid: v.Paid != nil, Pending: v.Pending != nil,
		CanPayOnline: v.Enabled && v.Outstanding()}
	if out.Fees == nil {
		out.Fees = []motcua.DossierFee{}
	}
	if v.Paid != nil {
		out.Method, out.PaidAt = v.Paid.Method, v.Paid.PaidAt
	}
	return out, nil
}

// PaymentReturn is what the page the payer comes back to shows: the
// dossier and where its payment stands. It holds no personal data.
type PaymentReturn struct {
	DossierCode string
	Payment     *motcua.Payment
}

// PaymentByReference returns a payment and its dossier's code for the
// return page. The reference is random enough not to be guessed, and the
// page shows only the state and amount. Errors: ENOTFOUND.
func (s *Service) PaymentByReference(ctx context.Context, ref string) (*PaymentReturn, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 64 {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "payment_not_found", "Không tìm thấy giao dịch thanh toán.")
	}
	var out *PaymentReturn
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		p, err := tx.PaymentByReference(ctx, ref)
		if err != nil {
			return err
		}
		d, err := tx.Dossier(ctx, p.DossierID)
		if err != nil {
			return err
		}
		out = &PaymentReturn{DossierCode: d.Code, Payment: p}
		return nil
	})
	return out, err
}
