package service

import (
	"context"
	"fmt"
	"strings"
	"unicode"

	"github.com/motcua/motcua"
)

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
		// The input is judged once the caller may record cash at all.
		if receipt == "" {
			return motcua.FieldError("receipt_number", "receipt_required", "Vui lòng nhập số biên lai đã giao cho người nộp.")
		}
		if len(receipt) > 40 || strings.IndexFunc(receipt, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
			return motcua.FieldError("receipt_number", "receipt_invalid", "Số biên lai không hợp lệ (tối đa 40 ký tự).")
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
