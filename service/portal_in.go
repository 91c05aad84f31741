package service

import (
	"bytes"
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// Kinds of messages received from the national portal (PortalMessage.Kind).
const (
	PortalSubmissionKind = "submission"
	PortalSupplementKind = "supplement"
	PortalWithdrawalKind = "withdrawal"
)

// portalActor returns the signed-in integration account the portal's
// messages act as. The web layer signs it in only after the adapter has
// verified the message's signature.
func portalActor(ctx context.Context) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if !u.HasRole(motcua.RoleIntegration) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_integration", "Chỉ tài khoản tích hợp của Cổng Dịch vụ công quốc gia được gửi thông điệp này.")
	}
	return u, nil
}

// seenPortalMessage refuses a message id received before (a replay),
// before anything is changed.
func (s *Service) seenPortalMessage(ctx context.Context, id string) error {
	if id == "" {
		return motcua.Errorf(motcua.EINVALID, "message_id_missing", "Thông điệp thiếu mã định danh.")
	}
	return s.store.Read(ctx, func(tx motcua.Tx) error {
		_, err := tx.PortalMessage(ctx, id)
		switch motcua.ErrorCode(err) {
		case motcua.ENOTFOUND:
			return nil
		case "":
			return motcua.Errorf(motcua.ECONFLICT, "message_replayed", "Thông điệp %s đã được nhận trước đó; không xử lý lại.", id)
		}
		return err
	})
}

// recordPortalMessage keeps the message's id, so that the same message
// sent again is refused (ECONFLICT message_replayed).
func (s *Service) recordPortalMessage(ctx context.Context, m *motcua.PortalMessage) error {
	m.ReceivedAt = s.now()
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.RecordPortalMessage(ctx, m) })
}

// ReceiveFromPortal takes an online dossier the national portal forwarded
// (already parsed and verified by the portal's adapter): it lands at the
// competent agency's one-stop counter as "submitted", with the online
// decision deadline running, its files stored as the components' copies,
// and is queued back to the portal like every change. Forwarding is
// idempotent on the portal's dossier code: a dossier forwarded again with
// a new message returns the first one (Intake.Replayed); the same message
// id twice is ECONFLICT message_replayed. The caller must be the portal's
// integration account. Errors: EFORBIDDEN, ECONFLICT, EINVALID (unknown
// procedure, agency or component; files refused), ENOTFOUND.
func (s *Service) ReceiveFromPortal(ctx context.Context, sub *motcua.PortalSubmission) (*Intake, error) {
	u, err := portalActor(ctx)
	if err != nil {
		return nil, err
	}
	if sub.NationalCode == "" {
		return nil, motcua.FieldError("national_code", "national_code_missing", "Thiếu mã hồ sơ trên Cổng Dịch vụ công quốc gia.")
	}
	if err := s.seenPortalMessage(ctx, sub.MessageID); err != nil {
		return nil, err
	}
	var proc *motcua.Procedure
	var agency *motcua.Agency
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if proc, err = tx.ProcedureByCode(ctx, sub.ProcedureCode); err != nil {
			if motcua.ErrorCode(err) == motcua.ENOTFOUND {
				return motcua.FieldError("procedure_code", "procedure_unknown", "Thủ tục "+sub.ProcedureCode+" không có trong danh mục của tỉnh.")
			}
			return err
		}
		if agency, err = tx.AgencyByCode(ctx, sub.AgencyCode); err != nil {
			if motcua.ErrorCode(err) == motcua.ENOTFOUND {
				return motcua.FieldError("agency_code", "agency_unknown", "Cơ quan có mã "+sub.AgencyCode+" không thuộc hệ thống của tỉnh.")
			}
			return err
		}
		return nil
	}); err != nil {
		return nil, err
	}
	// The portal may still name a unit merged into another: the dossier
	// goes to its successor (issue 14).
	if succ, err := s.successions(ctx); err != nil {
		return nil, err
	} else if id := succ.Final(agency.ID); id != agency.ID {
		byID, _, err := s.agencyMap(ctx)
		if err != nil {
			return nil, err
		}
		if a, ok := byID[id]; ok {
			agency = a
		}
	}
	point, err := s.onlinePoint(ctx, agency.ID)
	if err != nil {
		return nil, err
	}
	picked, err := portalComponents(proc, sub.Components)
	if err != nil {
		return nil, err
	}
	a := sub.Applicant
	a.Source = motcua.SourceTyped
	// The portal authenticated the citizen with VNeID (a signed statement
	// of the portal, not a client's flag).
	a.VNeIDVerified = sub.AccountLevel > 0
	n := NewDossier{ProcedureID: proc.ID, ReceptionPointID: point.ID, Channel: motcua.ChannelOnline, Applicant: a,
		Content: sub.Summary, ReturnMethod: sub.ReturnMethod, Decision: DecisionSubmit, NationalCode: sub.NationalCode}
	switch {
	case proc.AgencyID == 0:
		n.CompetentAgencyID = agency.ID
	case s.successorOf(proc.AgencyID) != agency.ID:
		return nil, motcua.FieldError("agency_code", "agency_not_competent",
			"Cơ quan "+agency.Name+" không phải cơ quan giải quyết thủ tục "+proc.Code+".")
	}
	for _, c := range picked {
		// The portal's reuse flags (DuocTaiSuDung, DuocLayTuKhoDMQG,
		// MaKetQuaThayThe) come in its signed message. Its DuocSoHoa is
		// not taken: a component is digitized when a validly signed copy
		// of it is stored (files.go), as for every channel.
		n.Components = append(n.Components, ComponentInput{ComponentID: c.id, Provided: len(c.in.Files) > 0 || c.in.ReplacedBy != "",
			Reused: c.in.Reused || c.in.ReplacedBy != "", TakenFromStore: c.in.FromStore})
	}
	in, err := s.ReceiveDossier(ctx, "dvcqg:"+sub.NationalCode, n)
	if err != nil {
		return nil, err
	}
	if err := s.savePortalFiles(ctx, in.Dossier, u, picked); err != nil {
		return nil, err
	}
	if err := s.savePortalPayments(ctx, in.Dossier, sub); err != nil {
		return nil, err
	}
	outcome := "created"
	if in.Replayed {
		outcome = "replayed"
	}
	if err := s.recordPortalMessage(ctx, &motcua.PortalMessage{MessageID: sub.MessageID, Kind: PortalSubmissionKind,
		NationalCode: sub.NationalCode, DossierID: in.Dossier.ID, Outcome: outcome}); err != nil {
		return nil, err
	}
	return in, nil
}

// onlinePoint is where an online dossier for an agency is received: the
// agency's own reception point, or else that of the nearest agency above
// it that has one (a department's dossiers go to the province's centre).
func (s *Service) onlinePoint(ctx context.Context, agencyID int64) (*motcua.ReceptionPoint, error) {
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	s.agencies.mu.Lock()
	defer s.agencies.mu.Unlock()
	for id, n := agencyID, 0; id != 0 && n < 64; n++ {
		var best *motcua.ReceptionPoint
		for _, p := range s.agencies.points {
			if p.AgencyID == id && (best == nil || p.ID < best.ID) {
				best = p
			}
		}
		if best != nil {
			return best, nil
		}
		a, ok := byID[id]
		if !ok {
			break
		}
		id = a.ParentID
	}
	return nil, motcua.Errorf(motcua.ECONFLICT, "no_reception_point", "Cơ quan nhận hồ sơ chưa có điểm tiếp nhận; quản trị viên cần khai báo trước khi nhận hồ sơ trực tuyến.")
}

// pickedComponent is a component of the portal's message matched to one of
// the procedure's.
type pickedComponent struct {
	id int64
	in motcua.PortalComponent
}

// portalComponents matches the message's components to the procedure's: by
// position when the portal gives one whose name agrees, else by name
// (compared without diacritics, case, or the count of originals and copies
// the national catalogue appends). A component that matches none is
// refused: the citizen's documents must not be filed under a guess.
func portalComponents(p *motcua.Procedure, in []motcua.PortalComponent) ([]pickedComponent, error) {
	var out []pickedComponent
	used := map[int64]bool{}
	for _, c := range in {
		var id int64
		name := componentKey(c.Name)
		if c.Seq >= 1 && c.Seq <= len(p.Components) && (name == "" || componentKey(p.Components[c.Seq-1].Name) == name) {
			id = p.Components[c.Seq-1].ID
		}
		for i := 0; id == 0 && i < len(p.Components); i++ {
			if name != "" && componentKey(p.Components[i].Name) == name {
				id = p.Components[i].ID
			}
		}
		if id == 0 {
			return nil, motcua.FieldError("components", "component_unknown",
				"Thành phần hồ sơ \""+c.Name+"\" không thuộc thủ tục "+p.Code+" theo danh mục của tỉnh.")
		}
		if used[id] {
			return nil, motcua.FieldError("components", "component_duplicate", "Thành phần hồ sơ \""+c.Name+"\" được gửi hai lần.")
		}
		used[id] = true
		out = append(out, pickedComponent{id: id, in: c})
	}
	return out, nil
}

// savePortalFiles stores the files of the matched components as the
// dossier's digitized copies, uploaded by the portal's account. Files are
// stored after the dossier is committed and before the portal is answered:
// a failure makes the portal send again, which finds the dossier and adds
// what is missing (a file already stored is not stored twice).
func (s *Service) savePortalFiles(ctx context.Context, d *motcua.Dossier, u *motcua.User, picked []pickedComponent) error {
	for _, c := range picked {
		for _, f := range c.in.Files {
			if s.cfg.Blobs == nil {
				return documentsOff()
			}
			doc, err := readDocument(bytes.NewReader(f.Data), s.cfg.MaxFileSize)
			if err != nil {
				return err
			}
			check := func(tx motcua.Tx) error {
				cur, err := tx.Dossier(ctx, d.ID)
				if err != nil {
					return err
				}
				if cur.Status.State.Finished() {
					return motcua.Errorf(motcua.ECONFLICT, "dossier_finished", "Hồ sơ đã kết thúc xử lý, không nhận thêm tài liệu.")
				}
				return nil
			}
			if _, err := s.saveFile(ctx, d.ID, c.id, f.Name, doc, u.ID, fileMeta{}, check); err != nil {
				return err
			}
		}
	}
	return nil
}

// forwardedDossier returns the dossier the portal forwarded under code, as
// its integration account sees it. Dossiers received at a counter or by
// post are not the portal's to act on: they are not found.
func (s *Service) forwardedDossier(ctx context.Context, code string) (*motcua.Dossier, *motcua.Procedure, error) {
	var d *motcua.Dossier
	var p *motcua.Procedure
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		st, err := tx.PortalSyncByNationalCode(ctx, code)
		if err == nil && !st.Forwarded {
			err = motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ trực tuyến có mã %s.", code)
		}
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ trực tuyến có mã %s.", code)
		} else if err != nil {
			return err
		}
		if d, err = tx.Dossier(ctx, st.DossierID); err != nil {
			return err
		}
		if d.Channel != motcua.ChannelOnline {
			return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ trực tuyến có mã %s.", code)
		}
		p, err = s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	d.FillComponents(p)
	return d, p, nil
}

// SupplementFromPortal takes a citizen's answer to a supplement request,
// sent online through the portal: its files are stored as the components'
// copies, the components are marked submitted, and the dossier goes on (at
// appraisal the clock restarts from zero; before reception the counter
// decides again). Errors: EFORBIDDEN, ENOTFOUND (no such online dossier),
// ECONFLICT (not waiting for a supplement; message replayed; supplement
// time over), EINVALID.
func (s *Service) SupplementFromPortal(ctx context.Context, sup *motcua.PortalSupplement) (*motcua.Dossier, error) {
	u, err := portalActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.seenPortalMessage(ctx, sup.MessageID); err != nil {
		return nil, err
	}
	d, p, err := s.forwardedDossier(ctx, sup.NationalCode)
	if err != nil {
		return nil, err
	}
	if d.Status.State != motcua.StateAwaitingSupplement {
		return nil, motcua.Errorf(motcua.ECONFLICT, "not_awaiting_supplement", "Hồ sơ %s không ở trạng thái chờ bổ sung (%s).", d.Code, d.Status.State.Label())
	}
	picked, err := portalComponents(p, sup.Components)
	if err != nil {
		return nil, err
	}
	if err := s.savePortalFiles(ctx, d, u, picked); err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(sup.Note)
	if reason == "" {
		reason = "Công dân bổ sung hồ sơ trực tuyến qua Cổng Dịch vụ công quốc gia."
	}
	// The components the citizen sent are those now handed in.
	var supplied []int64
	for _, c := range picked {
		if len(c.in.Files) > 0 || c.in.ReplacedBy != "" {
			supplied = append(supplied, c.id)
		}
	}
	out, err := s.act(ctx, u, d.Code, ActInput{Action: motcua.ActSupplementReceived, Reason: reason, Supplied: supplied})
	if err != nil {
		return nil, err
	}
	if err := s.recordPortalMessage(ctx, &motcua.PortalMessage{MessageID: sup.MessageID, Kind: PortalSupplementKind,
		NationalCode: sup.NationalCode, DossierID: d.ID, Outcome: "applied"}); err != nil {
		return nil, err
	}
	return out, nil
}

// WithdrawFromPortal applies a citizen's request, through the portal, to
// withdraw an online dossier. Errors: EFORBIDDEN, ENOTFOUND (no such
// online dossier), ECONFLICT (state; message replayed), EINVALID.
func (s *Service) WithdrawFromPortal(ctx context.Context, w *motcua.PortalWithdrawal) (*motcua.Dossier, error) {
	u, err := portalActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.seenPortalMessage(ctx, w.MessageID); err != nil {
		return nil, err
	}
	d, _, err := s.forwardedDossier(ctx, w.NationalCode)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(w.Reason)
	if reason == "" {
		reason = "Công dân yêu cầu rút hồ sơ qua Cổng Dịch vụ công quốc gia."
	}
	out, err := s.act(ctx, u, d.Code, ActInput{Action: motcua.ActWithdraw, Reason: reason})
	if err != nil {
		return nil, err
	}
	if err := s.recordPortalMessage(ctx, &motcua.PortalMessage{MessageID: w.MessageID, Kind: PortalWithdrawalKind,
		NationalCode: w.NationalCode, DossierID: d.ID, Outcome: "applied"}); err != nil {
		return nil, err
	}
	return out, nil
}

// IntegrationAccount returns the enabled account with the integration role
// that messages of an outside system act as. Errors: EFORBIDDEN when the
// account is missing, disabled or not an integration account (the
// deployment's configuration is wrong).
func (s *Service) IntegrationAccount(ctx context.Context, username string) (*motcua.User, error) {
	var u *motcua.User
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		u, err = tx.UserByUsername(ctx, username)
		return err
	})
	if err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND {
		return nil, err
	}
	if u == nil || u.Disabled || !u.HasRole(motcua.RoleIntegration) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "integration_account_missing",
			"Tài khoản tích hợp %q chưa được tạo hoặc đã bị khóa; quản trị viên cần kiểm tra cấu hình kết nối.", username)
	}
	return u, nil
}

// LogPortalRefusal writes a refused message from the portal to the audit
// log (who sent it, why it was refused), so that forged or replayed
// messages leave a trace.
func (s *Service) LogPortalRefusal(ctx context.Context, cause error, ip string) {
	detail := motcua.ErrorReason(cause)
	if detail == "" {
		detail = motcua.ErrorCode(cause)
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), Action: AuditPortalRefused, Detail: "portal message refused: " + detail, IP: ip})
	}); err != nil {
		slog.Error("audit portal refusal", "err", err)
	}
}

// AuditPortalRefused is the audit action of a refused portal message.
const AuditPortalRefused = "portal_message_refused"

// copiesNote is the count of originals and copies the national catalogue
// writes after a component's name: "(bản chính: 1, bản sao: 2)".
var copiesNote = regexp.MustCompile(`(?i)[\s;.,]*\((bản chính|bản sao)[^)]*\)[\s;.,]*$`)

// componentKey is a component's name as matched: without the count of
// copies and the punctuation that ends it, folded.
func componentKey(name string) string {
	k := strings.TrimSpace(name)
	for {
		t := strings.TrimRight(copiesNote.ReplaceAllString(k, ""), " ;.,")
		if t == k {
			return motcua.Fold(k)
		}
		k = t
	}
}

// savePortalPayments records the fees the citizen paid on the portal's
// payment platform (its signed statement, with the platform's transaction
// reference) as paid online payments of the dossier, once each: the
// reference makes a message sent again change nothing.
func (s *Service) savePortalPayments(ctx context.Context, d *motcua.Dossier, sub *motcua.PortalSubmission) error {
	for _, pp := range sub.Payments {
		if pp.Reference == "" || pp.Amount <= 0 {
			continue
		}
		at := pp.PaidAt
		if at.IsZero() {
			at = sub.SubmittedAt
		}
		now := s.now()
		p := &motcua.Payment{DossierID: d.ID, Method: motcua.PayOnline, Amount: pp.Amount,
			Fees:      []motcua.PaymentFee{{Name: pp.Name, Amount: pp.Amount}},
			Reference: "dvcqg:" + pp.Reference, TransactionID: pp.Reference, State: motcua.PaymentPaid, PaidAt: at, CreatedAt: now, UpdatedAt: now}
		if due := motcua.FeesDue(d.Fees); due != pp.Amount {
			slog.Warn("fees paid on the portal differ from the fees due", "dossier", d.Code, "paid", pp.Amount, "due", due)
		}
		err := s.store.Write(ctx, func(tx motcua.Tx) error {
			if err := tx.CreatePayment(ctx, p); err != nil {
				return err
			}
			return tx.Audit(ctx, &motcua.AuditEntry{At: now, Action: motcua.AuditPaymentSettled, DossierID: d.ID,
				Detail: "paid on the national portal: ref=" + pp.Reference + " amount=" + strconv.FormatInt(pp.Amount, 10)})
		})
		if err != nil && motcua.ErrorReason(err) != "payment_reference_exists" {
			return err
		}
	}
	return nil
}
