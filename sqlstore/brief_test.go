package sqlstore_test

import (
	"reflect"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestBriefDossiersAreTheWholeOnesLessTheirParts checks that a brief
// FindDossiers (the inbox's) returns the same dossiers in the same order,
// equal in everything but what Brief may leave out.
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
			b.Components, b.Fees, b.Content, b.ReturnMethod, b.LookupSecret = w.Components, w.Fees, w.Content, w.ReturnMethod, w.LookupSecret
			if !reflect.DeepEqual(&b, w) {
				t.Errorf("brief dossier %d differs from the whole one beyond its parts:\n%+v\n%+v", i, &b, w)
			}
		}
	})
}
