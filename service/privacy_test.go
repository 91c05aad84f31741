package service_test

import (
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestActShowsNoPersonalData: an action answers with the dossier after it
// but without the applicant's personal data, so that acting is never an
// unlogged view of it; the dossier's page (Dossier) shows it and logs the
// view.
func TestActShowsNoPersonalData(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		n := f.newDossier("0912000222")
		n.Applicant.Address, n.Applicant.DateOfBirth, n.Applicant.Email = "Ấp Trung, xã An Phú", "1993-07-21", "oanh@example.vn"
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n)
		if err != nil {
			t.Fatal(err)
		}
		code := in.Dossier.Code
		views := func() int {
			t.Helper()
			var es []*motcua.AuditEntry
			if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) {
				es, err = tx.AuditEntries(ctx, motcua.AuditFilter{DossierID: in.Dossier.ID, Action: motcua.AuditViewPersonalData, Limit: 100})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return len(es)
		}
		before := views()
		d, err := f.svc.Act(f.as("motcua.anphu"), code, service.ActInput{Action: motcua.ActTransfer})
		if err != nil {
			t.Fatal(err)
		}
		a := d.Applicant
		if a.FullName != "Lê Thị Kim Oanh" || d.Status.State != motcua.StateProcessing {
			t.Errorf("after the action: %s, state %s", a.FullName, d.Status.State)
		}
		if a.IDNumber != "" || a.Phone != "" || a.Address != "" || a.DateOfBirth != "" || a.Email != "" || d.Verifier != "" {
			t.Errorf("the action's answer carries personal data: %+v (verifier %q)", a, d.Verifier)
		}
		if n := views(); n != before {
			t.Errorf("%d views logged by an action", n-before)
		}
		v, err := f.svc.Dossier(f.as("cv.anphu"), code, "10.0.0.7")
		if err != nil {
			t.Fatal(err)
		}
		if v.Dossier.Applicant.IDNumber != "001193012345" || v.Dossier.Applicant.Address != "Ấp Trung, xã An Phú" {
			t.Errorf("the dossier's page lacks the applicant's data: %+v", v.Dossier.Applicant)
		}
		if n := views(); n != before+1 {
			t.Errorf("%d views logged by the dossier's page, want 1", n-before)
		}
	})
}
