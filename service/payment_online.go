package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"

	"github.com/motcua/motcua"
)

// newReference returns a new MaThamChieu for a dossier's payment: the
// dossier id and 40 random bits, so that the return page, which shows a
// payment by its reference, cannot be walked by guessing.
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
		if _, err := s.Lookup(ctx, code, verifier, ip); err != nil {
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

// PaymentCallbackAnswer is what to answer the payment platform with after
// HandlePaymentCallback returned err, in the platform's own format.
func (s *Service) PaymentCallbackAnswer(err error) (contentType string, body []byte) {
	if s.cfg.Payments == nil {
		return "", nil
	}
	return s.cfg.Payments.AnswerCallback(err)
}
