package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestBriefDossiersAreTheWholeOnesLessTheirParts checks that a brief
// FindDossiers (the inbox's) returns the same dossiers in the same order,
// equal in everything but what Brief may leave out: their inter-agency
// parts are there, and so is the assisted flag, whether or not a value
// elsewhere in their documents looks like the key.
func TestBriefDossiersAreTheWholeOnesLessTheirParts(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newInboxFixture(t, e, 1)
		duty := motcua.Duty{AgencyID: f.agencies[0].ID, Role: motcua.RoleSpecialist}
		for i := range 5 {
			d, ev := f.dossier(i, duty)
			d.Assisted = i%2 == 0
			d.Content = "Đề nghị cấp bản sao"
			d.ReturnMethod = "counter"
			d.LookupSecret = "bí mật"
			d.Components = []motcua.DossierComponent{{ComponentID: 1, Name: "Tờ khai", Provided: true}, {ComponentID: 2, Name: "CCCD", FromNationalDB: true}}
			d.Fees = []motcua.DossierFee{{Name: "Lệ phí", Amount: 10000}}
			d.Applicant.Phone, d.Applicant.Address, d.Applicant.Email = "0912345678", "Ấp Đông", "a@b.vn"
			switch i {
			case 1: // an inter-agency part, whose clock the inbox weighs
				d.Status.Parts = []motcua.PartStatus{{AgencyID: 7, DueAt: f.base.Add(9 * time.Hour)}, {AgencyID: 8, DoneAt: f.base}}
			case 2:
				d.Status.Supplements = []motcua.Supplement{{Stage: motcua.StageReception, RequestedAt: f.base, Reason: "parts"}}
				d.Status.ResultNumber = `"parts"`
			case 3:
				d.Status.AppraiserID, d.Status.ResultNumber = 9, "12/QĐ"
				d.Applicant.FullName = "Người \"assisted\""
			}
			mustWrite(t, f.db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
		}
		var whole, brief []*motcua.Dossier
		flt := motcua.DossierFilter{Duties: []motcua.Duty{duty}, Limit: 50}
		if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			if whole, err = tx.FindDossiers(ctx, flt); err != nil {
				return err
			}
			flt.Brief = true
			brief, err = tx.FindDossiers(ctx, flt)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(whole) != 5 || len(brief) != len(whole) {
			t.Fatalf("%d whole dossiers, %d brief", len(whole), len(brief))
		}
		for i, w := range whole {
			if len(w.Components) != 2 || len(w.Fees) != 1 || w.Content == "" || w.LookupSecret == "" {
				t.Fatalf("the whole dossier %s lacks its parts: %+v", w.Code, w)
			}
			b := *brief[i]
			if b.Components != nil || b.Fees != nil || b.Content != "" || b.ReturnMethod != "" || b.LookupSecret != "" {
				t.Errorf("brief dossier %s holds what Brief leaves out: %+v", b.Code, b)
			}
			if a := b.Applicant; a.FullName != w.Applicant.FullName || a.IDNumber != w.Applicant.IDNumber || a.FullName == "" || a.IDNumber == "" {
				t.Errorf("brief dossier %s: applicant %+v, the whole one's %+v", b.Code, a, w.Applicant)
			}
			if i == 1 && len(b.Status.Parts) != 2 {
				t.Errorf("brief dossier %s lost its parts: %+v", b.Code, b.Status)
			}
			b.Components, b.Fees, b.Content, b.ReturnMethod, b.LookupSecret = w.Components, w.Fees, w.Content, w.ReturnMethod, w.LookupSecret
			b.Applicant = w.Applicant
			ws := w.Status
			b.Status.Duties, b.Status.Supplements, b.Status.Extensions = ws.Duties, ws.Supplements, ws.Extensions
			b.Status.AppraiserID, b.Status.ResultNumber, b.Status.ResultFileRef, b.Status.ResultSigned = ws.AppraiserID, ws.ResultNumber, ws.ResultFileRef, ws.ResultSigned
			if !reflect.DeepEqual(&b, w) {
				t.Errorf("brief dossier %d differs from the whole one beyond its parts:\n%+v\n%+v", i, &b, w)
			}
		}
	})
}
