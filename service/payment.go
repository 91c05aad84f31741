package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"

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
		d, err := tx.DossierByCode(ctx, code)
		if err != nil {
			return err
		}
		if !s.involved(u, d, nil, byID) {
			events, err := tx.Events(ctx, d.ID)
			if err != nil {
				return err
			}
			if !s.involved(u, d, events, byID) {
				return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
			}
		}
		v, err = s.staffPaymentView(ctx, tx, u, d)
		return err
	})
	return v, err
}

// staffPaymentView reads the payments of d for staff member u, with the
// names of the officers who recorded them, and sets d's paid flags from
// them.
func (s *Service) staffPaymentView(ctx context.Context, tx motcua.Tx, u *motcua.User, d *motcua.Dossier) (*PaymentView, error) {
	ps, err := tx.DossierPayments(ctx, d.ID)
	if err != nil {
		return nil, err
	}
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
	return v, nil
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
func (s *Service) PublicPayments(ctx context.Context, code, verifier string) (*PublicPayment, error) {
	if _, err := s.Lookup(ctx, code, verifier); err != nil {
		return nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	var v *PaymentView
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		d, err := tx.DossierByCode(ctx, code)
		if err != nil {
			return err
		}
		ps, err := tx.DossierPayments(ctx, d.ID)
		if err != nil {
			return err
		}
		v = paymentView(d, ps, s.PaymentsEnabled())
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

func newReference(dossierID int64) (string, error) {
	var b [5]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return fmt.Sprintf("TT%d-%s", dossierID, hex.EncodeToString(b[:])), nil
}

// StartOnlinePayment starts the online payment of a dossier's fees on the
// national platform and returns the pending payment and the address to
// send the payer to. The caller is either a staff member involved with the
// dossier (paying for a citizen; verifier may be empty) or anyone holding
// the dossier's code and verifier (the public lookup's checks and limits
// apply). The pending record is written before the platform is asked, so
// that its confirmation always finds it. Errors: EFORBIDDEN
// (payments_disabled), ENOTFOUND, ETOOMANY, EINVALID (no_fees_due),
// ECONFLICT (fees_already_paid), EINTERNAL (the platform failed; the
// payment is then recorded failed).
func (s *Service) StartOnlinePayment(ctx context.Context, code, verifier, ip string) (*motcua.Payment, string, error) {
	gw := s.cfg.Payments
	if gw == nil {
		return nil, "", paymentsOff()
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	u := motcua.UserFromContext(ctx)
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, "", err
	}
	staff := false
	if u != nil && !u.Disabled {
		err := s.store.Read(ctx, func(tx motcua.Tx) error {
			d, err := tx.DossierByCode(ctx, code)
			if err != nil {
				return err
			}
			events, err := tx.Events(ctx, d.ID)
			staff = err == nil && s.involved(u, d, events, byID)
			return err
		})
		if err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND {
			return nil, "", err
		}
	}
	if !staff {
		if _, err := s.Lookup(ctx, code, verifier); err != nil {
			return nil, "", err
		}
	}
	now := s.now()
	var p *motcua.Payment
	var req motcua.PaymentRequest
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		d, err := tx.DossierByCode(ctx, code)
		if err != nil {
			return err
		}
		ps, err := tx.DossierPayments(ctx, d.ID)
		if err != nil {
			return err
		}
		due := motcua.FeesDue(d.Fees)
		if due <= 0 {
			return motcua.Errorf(motcua.EINVALID, "no_fees_due", "Hồ sơ %s không có phí, lệ phí phải nộp.", code)
		}
		if motcua.FeesPaid(ps) != nil {
			return motcua.Errorf(motcua.ECONFLICT, "fees_already_paid", "Phí, lệ phí của hồ sơ %s đã được nộp.", code)
		}
		ref, err := newReference(d.ID)
		if err != nil {
			return err
		}
		p = &motcua.Payment{DossierID: d.ID, Method: motcua.PayOnline, Amount: due, Reference: ref, State: motcua.PaymentPending,
			CreatedAt: now, UpdatedAt: now}
		for _, f := range d.Fees {
			p.Fees = append(p.Fees, motcua.PaymentFee{Name: f.Name, Amount: f.Amount})
		}
		actorID := int64(0)
		if staff {
			actorID, p.RecordedBy = u.ID, u.ID
		}
		if err := tx.CreatePayment(ctx, p); err != nil {
			return err
		}
		agencyCode := ""
		if a, ok := byID[d.CompetentAgencyID]; ok {
			agencyCode = a.Code
		}
		req = motcua.PaymentRequest{Reference: ref, Amount: due, Fees: p.Fees, DossierCode: d.Code, ProcedureCode: d.ProcedureCode,
			AgencyCode: agencyCode, Description: "Nop phi, le phi ho so " + d.Code, IP: ip, At: now}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: actorID, Action: motcua.AuditPaymentStarted, DossierID: d.ID,
			Detail: fmt.Sprintf("ref=%s amount=%d", ref, due), IP: ip})
	})
	if err != nil {
		return nil, "", err
	}
	started, err := gw.Init(ctx, req)
	if err != nil {
		// The platform did not take it: the attempt is over, and says so.
		failed := *p
		failed.State, failed.UpdatedAt = motcua.PaymentFailed, s.now()
		if werr := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.SettlePayment(ctx, &failed) }); werr != nil {
			slog.Error("record failed payment start", "ref", p.Reference, "err", werr)
		}
		return nil, "", err
	}
	p.TransactionID = started.TransactionID
	return p, started.RedirectURL, nil
}

// HandlePaymentCallback applies a confirmation pushed by the payment
// platform, given as the raw body the adapter parses and verifies. A
// confirmation with a wrong integrity code, for an unknown payment, with
// another amount, or that would move a payment backwards is refused,
// written to the audit log, and changes nothing. A confirmation already
// applied (a replay) changes nothing and is answered as accepted, so that
// the platform stops retrying. Errors: EFORBIDDEN (payments_disabled,
// payment_callback_forged), EINVALID, ENOTFOUND, ECONFLICT.
func (s *Service) HandlePaymentCallback(ctx context.Context, body []byte, ip string) (*motcua.Payment, error) {
	gw := s.cfg.Payments
	if gw == nil {
		return nil, paymentsOff()
	}
	cb, err := gw.ParseCallback(body)
	if err != nil {
		s.auditRefused(ctx, 0, fmt.Sprintf("reason=%s size=%d", motcua.ErrorReason(err), len(body)), ip)
		return nil, err
	}
	p, settled, err := s.applyStatus(ctx, cb.PaymentStatus, motcua.AuditPaymentSettled, cb.Raw, ip)
	if err != nil {
		return nil, err
	}
	if settled && p.State == motcua.PaymentPaid {
		s.fetchReceipt(ctx, p)
	}
	return p, nil
}

// auditRefused logs a refused confirmation in a transaction of its own,
// so that the refusal is kept although nothing else is written.
func (s *Service) auditRefused(ctx context.Context, dossierID int64, detail, ip string) {
	now := s.now()
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, Action: motcua.AuditPaymentCallbackRefused, DossierID: dossierID,
			Detail: clipDetail(detail), IP: ip})
	}); err != nil {
		slog.Error("audit refused payment callback", "err", err)
	}
	slog.Warn("payment confirmation refused", "detail", clipDetail(detail), "ip", ip)
}

func clipDetail(s string) string {
	s = strings.Map(func(r rune) rune {
		if !unicode.IsPrint(r) {
			return -1
		}
		return r
	}, s)
	if len(s) > 300 {
		s = s[:300]
	}
	return s
}

// applyStatus moves the payment st names to st.State, checking the amount,
// and audits it as action. settled is false for a replay (nothing changed).
func (s *Service) applyStatus(ctx context.Context, st motcua.PaymentStatus, action, detail, ip string) (*motcua.Payment, bool, error) {
	now := s.now()
	var out *motcua.Payment
	var refusal error
	var refusedDossier int64
	settled := false
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		out, refusal, refusedDossier, settled = nil, nil, 0, false
		p, err := tx.PaymentByReference(ctx, st.Reference)
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			refusal = motcua.Errorf(motcua.ENOTFOUND, "payment_not_found", "Không có khoản thanh toán mã tham chiếu %s.", st.Reference)
			return nil
		} else if err != nil {
			return err
		}
		refusedDossier = p.DossierID
		if p.Method != motcua.PayOnline {
			refusal = motcua.Errorf(motcua.ECONFLICT, "payment_not_online", "Khoản %s không phải thanh toán trực tuyến.", st.Reference)
			return nil
		}
		if st.Amount != 0 && st.Amount != p.Amount {
			refusal = motcua.Errorf(motcua.EINVALID, "payment_amount_mismatch",
				"Số tiền xác nhận (%d đồng) khác số tiền phải nộp (%d đồng).", st.Amount, p.Amount)
			return nil
		}
		if st.State == p.State {
			out = p
			return tx.Audit(ctx, &motcua.AuditEntry{At: now, Action: motcua.AuditPaymentCallbackReplayed, DossierID: p.DossierID,
				Detail: clipDetail(detail), IP: ip})
		}
		if err := p.Advance(st.State); err != nil {
			refusal = err
			return nil
		}
		if st.TransactionID != "" {
			p.TransactionID = st.TransactionID
		}
		if p.State == motcua.PaymentPaid {
			p.PaidAt = st.PaidAt
			if p.PaidAt.IsZero() {
				p.PaidAt = now
			}
		}
		p.UpdatedAt = now
		if err := tx.SettlePayment(ctx, p); err != nil {
			return err
		}
		out, settled = p, true
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, Action: action, DossierID: p.DossierID,
			Detail: clipDetail(fmt.Sprintf("state=%s %s", p.State, detail)), IP: ip})
	})
	if err != nil {
		return nil, false, err
	}
	if refusal != nil {
		s.auditRefused(ctx, refusedDossier, fmt.Sprintf("reason=%s %s", motcua.ErrorReason(refusal), detail), ip)
		return nil, false, refusal
	}
	return out, settled, nil
}

// fetchReceipt asks the platform for the receipt of a paid payment and
// records it; a failure is logged and left to the next reconciliation.
func (s *Service) fetchReceipt(ctx context.Context, p *motcua.Payment) {
	bill, err := s.cfg.Payments.Bill(ctx, p.Reference)
	if err != nil {
		slog.Warn("payment receipt not fetched", "ref", p.Reference, "err", err)
		return
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.SetPaymentReceipt(ctx, p.ID, bill.Number, bill.URL)
	}); err != nil {
		slog.Error("record payment receipt", "ref", p.Reference, "err", err)
		return
	}
	p.ReceiptNumber, p.ReceiptURL = bill.Number, bill.URL
}

// CashInput is a cash payment as the counter records it.
type CashInput struct {
	// ReceiptNumber is the number of the receipt (biên lai) handed over.
	ReceiptNumber string `json:"receipt_number"`
	// Amount is the sum taken, in đồng; it must equal the fees due.
	Amount int64 `json:"amount"`
}

// RecordCashPayment records that the fees of a dossier were paid in cash
// at the counter. Only a reception officer of the agency that received
// the dossier may; the receipt number is required and unique at that
// agency, and the amount must equal the fees due. Errors: EUNAUTHORIZED,
// ENOTFOUND, EFORBIDDEN (cash_not_allowed), EINVALID (receipt_required,
// amount_mismatch, no_fees_due), ECONFLICT (fees_already_paid,
// payment_reference_exists).
func (s *Service) RecordCashPayment(ctx context.Context, code string, in CashInput, ip string) (*motcua.Payment, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	receipt := strings.Join(strings.Fields(in.ReceiptNumber), " ")
	if receipt == "" {
		return nil, motcua.FieldError("receipt_number", "receipt_required", "Vui lòng nhập số biên lai đã giao cho người nộp.")
	}
	if len(receipt) > 40 || strings.IndexFunc(receipt, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return nil, motcua.FieldError("receipt_number", "receipt_invalid", "Số biên lai không hợp lệ (tối đa 40 ký tự).")
	}
	now := s.now()
	var p *motcua.Payment
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		d, err := tx.DossierByCode(ctx, code)
		if err != nil {
			return err
		}
		if !s.involved(u, d, nil, byID) {
			return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
		}
		if !mayRecordCash(u, d) {
			return motcua.Errorf(motcua.EFORBIDDEN, "cash_not_allowed",
				"Chỉ công chức Bộ phận Một cửa của nơi tiếp nhận hồ sơ mới được ghi nhận nộp phí, lệ phí bằng tiền mặt.")
		}
		due := motcua.FeesDue(d.Fees)
		if due <= 0 {
			return motcua.Errorf(motcua.EINVALID, "no_fees_due", "Hồ sơ %s không có phí, lệ phí phải nộp.", code)
		}
		if in.Amount != due {
			return motcua.FieldError("amount", "amount_mismatch",
				fmt.Sprintf("Số tiền đã thu phải đúng bằng phí, lệ phí của hồ sơ: %d đồng.", due))
		}
		ps, err := tx.DossierPayments(ctx, d.ID)
		if err != nil {
			return err
		}
		if motcua.FeesPaid(ps) != nil {
			return motcua.Errorf(motcua.ECONFLICT, "fees_already_paid", "Phí, lệ phí của hồ sơ %s đã được nộp.", code)
		}
		p = &motcua.Payment{DossierID: d.ID, Method: motcua.PayCash, Amount: due, Reference: fmt.Sprintf("TM%d-%s", d.ReceptionAgencyID, receipt),
			State: motcua.PaymentPaid, ReceiptNumber: receipt, PaidAt: now, RecordedBy: u.ID, CreatedAt: now, UpdatedAt: now}
		for _, f := range d.Fees {
			p.Fees = append(p.Fees, motcua.PaymentFee{Name: f.Name, Amount: f.Amount})
		}
		if err := tx.CreatePayment(ctx, p); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditPaymentCash, DossierID: d.ID,
			Detail: clipDetail(fmt.Sprintf("receipt=%s amount=%d", receipt, due)), IP: ip})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
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

// ReconcilePayments asks the platform about every online payment pending
// for longer than the query delay, and applies what it says: paid (with
// its receipt), failed or cancelled; still pending past the expiry, the
// payment is counted failed. It catches confirmations the platform never
// delivered. It returns how many payments it settled; a platform that
// does not answer leaves the payments pending for the next run.
func (s *Service) ReconcilePayments(ctx context.Context) (int, error) {
	gw := s.cfg.Payments
	if gw == nil {
		return 0, nil
	}
	now := s.now()
	var pending []*motcua.Payment
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		pending, err = tx.PendingPayments(ctx, now.Add(-s.cfg.PaymentQueryAfter), 200)
		return err
	}); err != nil {
		return 0, err
	}
	n := 0
	for _, p := range pending {
		expired := now.Sub(p.CreatedAt) >= s.cfg.PaymentExpireAfter
		st, err := gw.Query(ctx, p.Reference)
		switch {
		case err != nil && motcua.ErrorReason(err) == "payment_platform_unavailable":
			return n, err
		case err != nil && !expired:
			slog.Warn("payment query refused", "ref", p.Reference, "err", err)
			continue
		case err != nil:
			// Refused (say, unknown to the platform) past the expiry:
			// the payment never happened.
			st = &motcua.PaymentStatus{Reference: p.Reference, State: motcua.PaymentFailed}
		case st.State == motcua.PaymentPending && !expired:
			continue
		case st.State == motcua.PaymentPending:
			st.State, st.Amount = motcua.PaymentFailed, 0
		}
		got, settled, err := s.applyStatus(ctx, *st, motcua.AuditPaymentReconciled, "query ref="+p.Reference, "")
		if err != nil {
			slog.Warn("payment not reconciled", "ref", p.Reference, "err", err)
			continue
		}
		if settled {
			n++
			if got.State == motcua.PaymentPaid {
				s.fetchReceipt(ctx, got)
			}
		}
	}
	return n, nil
}

// PaymentCallbackAnswer is what to answer the payment platform with after
// HandlePaymentCallback returned err, in the platform's own format.
func (s *Service) PaymentCallbackAnswer(err error) (contentType string, body []byte) {
	if s.cfg.Payments == nil {
		return "", nil
	}
	return s.cfg.Payments.AnswerCallback(err)
}
