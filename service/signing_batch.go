package service

import (
	"context"

	"github.com/motcua/motcua"
)

// ResultsToSign lists what a leader signs at once (SignResults): the
// approved dossiers settled by an agency where the caller is a leader
// whose result is not signed yet, most urgent first, at most
// MaxSignBatch. The dossiers carry no personal data (the applicant,
// verifier, lookup secret and content are cleared), so listing them is not a view
// of personal data. Errors: EUNAUTHORIZED, EFORBIDDEN (signing or
// documents off; the caller is no leader).
func (s *Service) ResultsToSign(ctx context.Context) ([]*motcua.Dossier, error) {
	u, err := s.documentsActor(ctx)
	if err != nil {
		return nil, err
	}
	if s.cfg.Signer == nil || s.cfg.RenderResult == nil {
		return nil, signingOff()
	}
	var leads []int64
	for _, g := range u.Grants {
		if g.Role == motcua.RoleLeader {
			leads = append(leads, g.AgencyID)
		}
	}
	if len(leads) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_permitted", "Chỉ lãnh đạo cơ quan giải quyết mới ký số kết quả hàng loạt.")
	}
	var out []*motcua.Dossier
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{States: []motcua.State{motcua.StateApproved}, InvolvedAgencyIDs: leads, Limit: MaxSignBatch})
		if err != nil {
			return err
		}
		for _, d := range ds {
			if !u.Has(motcua.RoleLeader, d.CompetentAgencyID) {
				continue // received or held there, settled elsewhere
			}
			files, err := tx.DossierFiles(ctx, d.ID)
			if err != nil {
				return err
			}
			signed := false
			for _, f := range files {
				signed = signed || f.DocCode == motcua.ResultCode(d.Code)
			}
			if signed {
				continue
			}
			d.Applicant, d.Verifier, d.LookupSecret, d.Content = d.Applicant.WithoutPersonalData(), "", "", ""
			out = append(out, d)
		}
		return nil
	})
	return out, err
}
