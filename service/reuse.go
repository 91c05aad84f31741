package service

import (
	"context"
	"strconv"

	"github.com/motcua/motcua"
)

// EarlierResults lists, for a reception officer, the results motcua issued
// earlier to the applicant with idNumber that can stand for components of
// the procedure (motcua.ResultMatches), newest first, so that the officer
// reuses one instead of taking paper. The view is logged as a view of
// personal data. Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID (ID number),
// ENOTFOUND (procedure).
func (s *Service) EarlierResults(ctx context.Context, procedureID int64, idNumber string) ([]motcua.EarlierResult, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if len(u.AgenciesWith(motcua.RoleReception)) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_reception_officer", "Chức năng tiếp nhận chỉ dành cho công chức Bộ phận Một cửa.")
	}
	if procedureID <= 0 {
		return nil, motcua.FieldError("procedure_id", "procedure_id_malformed", "Mã thủ tục không hợp lệ.")
	}
	idNumber = motcua.NormalizeIDNumber(idNumber)
	if err := motcua.ValidateIDNumber(motcua.IDPersonal, idNumber); err != nil {
		return nil, err
	}
	p, err := s.currentProcedure(ctx, procedureID)
	if err != nil {
		return nil, err
	}
	reusable := false
	for _, c := range p.Components {
		reusable = reusable || c.Reusable
	}
	if !reusable {
		return nil, nil
	}
	var out []motcua.EarlierResult
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		ds, err := tx.DossiersOfApplicant(ctx, idNumber, 50)
		if err != nil {
			return err
		}
		for _, d := range ds {
			if d.Status.ResultNumber == "" {
				continue
			}
			ep, err := s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
			if err != nil {
				return err
			}
			out = append(out, matchResults(p, d, ep)...)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out = append(out, s.storeResults(ctx, u, p, idNumber, out)...)
	if len(out) == 0 {
		return nil, nil
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditViewPersonalData,
			Detail: "kết quả đã cấp của số định danh " + idNumber + " (" + strconv.Itoa(len(out)) + " kết quả) để dùng lại khi tiếp nhận"})
	})
	return out, err
}

// matchResults pairs the components of p with the results of the earlier
// dossier d (received under ep).
func matchResults(p *motcua.Procedure, d *motcua.Dossier, ep *motcua.Procedure) []motcua.EarlierResult {
	var out []motcua.EarlierResult
	for _, c := range p.Components {
		for _, r := range ep.Results {
			if motcua.ResultMatches(c, r) {
				out = append(out, motcua.EarlierResult{Source: motcua.EarlierFromMotcua, ResultCode: r.Code, ComponentID: c.ID, DossierCode: d.Code, ProcedureName: d.ProcedureName,
					ResultName: r.Name, ResultNumber: d.Status.ResultNumber, ResultFileRef: d.Status.ResultFileRef, IssuedAt: d.Status.FinishedAt})
				break
			}
		}
	}
	return out
}

// checkReuse verifies the earlier results n claims to reuse: each named
// dossier must be of the same applicant, carry a result, and match the
// component; the component then records the result's number and where it
// came from. Claims motcua did not check are cleared first.
func (s *Service) checkReuse(ctx context.Context, n *NewDossier) error {
	var p *motcua.Procedure
	for i := range n.Components {
		c := &n.Components[i]
		c.ReusedResult, c.ReusedFrom = "", ""
		if c.ReuseStore != "" {
			if err := s.checkStoreReuse(ctx, n, c, &p); err != nil {
				return err
			}
			continue
		}
		if c.ReuseDossier == "" {
			continue
		}
		bad := motcua.FieldError("components", "reuse_invalid",
			"Kết quả được chọn để dùng lại không phải của người nộp này hoặc không phù hợp với thành phần hồ sơ; vui lòng chọn lại.")
		if p == nil {
			var err error
			if p, err = s.currentProcedure(ctx, n.ProcedureID); err != nil {
				return fieldNotFound(err)
			}
		}
		var d *motcua.Dossier
		var ep *motcua.Procedure
		err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
			if d, err = tx.DossierByCode(ctx, c.ReuseDossier); err != nil {
				return err
			}
			ep, err = s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
			return err
		})
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return bad
		} else if err != nil {
			return err
		}
		if d.Applicant.IDNumber != motcua.NormalizeIDNumber(n.Applicant.IDNumber) || d.Status.ResultNumber == "" {
			return bad
		}
		matched := false
		for _, r := range matchResults(p, d, ep) {
			matched = matched || r.ComponentID == c.ComponentID
		}
		if !matched {
			return bad
		}
		c.Reused, c.ReusedResult, c.ReusedFrom = true, d.Status.ResultNumber, motcua.ReuseSourceMotcua+d.Code
	}
	return nil
}
