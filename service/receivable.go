package service

import (
	"context"
	"time"

	"github.com/motcua/motcua"
)

// ReceiveBlock says why a procedure cannot receive a new dossier now and
// who must change that, so that a counter never lets an officer fill a form
// for it.
type ReceiveBlock struct {
	// Reason is the machine reason of motcua.Procedure.CanReceive:
	// procedure_unpublished, procedure_legal_basis_expired,
	// procedure_time_limit_missing or procedure_time_limit_to_confirm.
	Reason string
	// Message says why, in Vietnamese (with the national wording of a
	// time limit to confirm).
	Message string
	// Responsible names who must act, in Vietnamese: the procedure
	// administrators of the agency that may edit the procedure.
	Responsible string
}

// ReceiveBlock returns nil when p can receive a dossier now, or why not and
// who must act: the administrators of its competent agency, or of the
// province for procedures each commune settles (see mayEditProcedure).
func (s *Service) ReceiveBlock(ctx context.Context, p *motcua.Procedure) (*ReceiveBlock, error) {
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	return receiveBlock(p, s.now(), byID), nil
}

func receiveBlock(p *motcua.Procedure, now time.Time, byID map[int64]*motcua.Agency) *ReceiveBlock {
	err := p.CanReceive(now)
	if err == nil {
		return nil
	}
	b := &ReceiveBlock{Reason: motcua.ErrorReason(err), Message: motcua.ErrorMessage(err), Responsible: "Quản trị viên thủ tục của tỉnh"}
	owner := byID[p.AgencyID]
	if owner == nil {
		owner = rootAgency(byID)
	}
	if owner != nil {
		b.Responsible = "Quản trị viên thủ tục của " + owner.Name
	}
	return b
}
