package service

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"unicode"

	"github.com/motcua/motcua"
)

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
		s.auditPaymentRefused(ctx, 0, fmt.Sprintf("reason=%s size=%d", motcua.ErrorReason(err), len(body)), ip)
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

// auditPaymentRefused logs a refused confirmation in a transaction of its own,
// so that the refusal is kept although nothing else is written.
func (s *Service) auditPaymentRefused(ctx context.Context, dossierID int64, detail, ip string) {
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
		s.auditPaymentRefused(ctx, refusedDossier, fmt.Sprintf("reason=%s %s", motcua.ErrorReason(refusal), detail), ip)
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
