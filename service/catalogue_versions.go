package service

import (
	"context"

	"github.com/motcua/motcua"
)

// ProcedureVersionsView is a procedure's versions as an administrator
// sees them: each with its dossier count, the differences between two of
// them (A older, B newer), and the latest dossiers received under one
// (Of; 0 lists none).
type ProcedureVersionsView struct {
	Procedure *motcua.Procedure
	Versions  []motcua.VersionUse
	A, B      int
	Diff      []motcua.FieldDiff
	Of        int
	Dossiers  []motcua.VersionDossier
}

// versionDossierLimit bounds the dossiers listed under a version.
const versionDossierLimit = 200

// ProcedureVersions returns the versions of procedure id, the differences
// between versions a and b (time limit, components, fees, results, legal
// basis, name; the two latest when a or b is 0 or unknown) and the latest
// dossiers received under version of (none when 0). Administrators only.
func (s *Service) ProcedureVersions(ctx context.Context, id int64, a, b, of int) (*ProcedureVersionsView, error) {
	u := motcua.UserFromContext(ctx)
	if u == nil {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "not_signed_in", "Vui lòng đăng nhập để tiếp tục.")
	}
	if !u.HasRole(motcua.RoleAdmin) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "admin_only", "Chỉ quản trị viên xem được các phiên bản của thủ tục.")
	}
	v := &ProcedureVersionsView{}
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		var err error
		if v.Procedure, err = tx.Procedure(ctx, id); err != nil {
			return err
		}
		if v.Versions, err = tx.ProcedureVersionUses(ctx, id); err != nil {
			return err
		}
		known := func(n int) bool {
			for _, x := range v.Versions {
				if x.Version == n {
					return true
				}
			}
			return false
		}
		if n := len(v.Versions); !known(a) || !known(b) || a == b {
			a, b = 0, 0
			if n >= 2 {
				a, b = v.Versions[n-2].Version, v.Versions[n-1].Version
			}
		}
		if a > b {
			a, b = b, a
		}
		v.A, v.B = a, b
		if a != 0 {
			pa, err := tx.ProcedureVersion(ctx, id, a)
			if err != nil {
				return err
			}
			pb, err := tx.ProcedureVersion(ctx, id, b)
			if err != nil {
				return err
			}
			v.Diff = versionDiff(pa, pb)
		}
		if of != 0 && known(of) {
			v.Of = of
			v.Dossiers, err = tx.DossiersOfVersion(ctx, id, of, versionDossierLimit)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// versionDiff lists the fields that differ between two versions of a
// procedure, in the words of the catalogue review (catalogue_diff.go).
func versionDiff(a, b *motcua.Procedure) []motcua.FieldDiff {
	var out []motcua.FieldDiff
	add := func(field, label, old, new string) {
		if old != new {
			out = append(out, motcua.FieldDiff{Field: field, Label: label, Old: old, New: new})
		}
	}
	add("name", "Tên thủ tục", a.Name, b.Name)
	add("time_limit", "Thời hạn giải quyết", limitWords(a.TimeLimit, a.NoTimeLimit, a.TimeLimitText), limitWords(b.TimeLimit, b.NoTimeLimit, b.TimeLimitText))
	add("components", "Thành phần hồ sơ", componentWords(a.Components), componentWords(b.Components))
	add("fees", "Phí, lệ phí", feeWords(a.Fees), feeWords(b.Fees))
	add("results", "Kết quả", resultWords(a.Results), resultWords(b.Results))
	add("legal_basis", "Căn cứ pháp lý", legalWords(a.LegalBasis), legalWords(b.LegalBasis))
	return out
}
