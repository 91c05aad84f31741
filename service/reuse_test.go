package service_test

import (
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// receiveAt receives a dossier of procedure code for the applicant at the
// An Phú counter with every component not held nationally provided.
func receiveAt(t *testing.T, f *fixture, code string, a motcua.Applicant, reuse map[int64]string) (*service.Intake, error) {
	t.Helper()
	p, err := f.svc.ProcedureByCode(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	ag, points, _ := f.svc.Agency(ctx, "H99.101")
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, CompetentAgencyID: ag.ID, Channel: motcua.ChannelCounter, Applicant: a}
	for _, c := range p.Components {
		if c.FromNationalDB {
			continue
		}
		in := service.ComponentInput{ComponentID: c.ID, Provided: true}
		if d, ok := reuse[c.ID]; ok {
			in = service.ComponentInput{ComponentID: c.ID, Reused: true, ReuseDossier: d}
		}
		n.Components = append(n.Components, in)
	}
	return f.svc.ReceiveAtCounter(f.as("motcua.anphu"), "", n, "")
}

// TestReuseEarlierResult: a birth registration's result (Giấy khai sinh)
// is offered for the component "Bản sao Giấy khai sinh" of a later
// procedure of the same applicant, and reusing it records the result's
// number and the dossier it came from; a claim of another person's result
// or of a dossier without result is refused.
func TestReuseEarlierResult(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2026, 3, 10, 9, 0), nil)
		mother := motcua.Applicant{FullName: "Võ Thị Mai", IDNumber: "001195006543", Phone: "0977009900"}
		first, err := receiveAt(t, f, "1.001193", mother, nil)
		if err != nil {
			t.Fatal(err)
		}
		code := first.Dossier.Code
		for _, s := range []struct {
			user string
			in   service.ActInput
		}{{"motcua.anphu", service.ActInput{Action: motcua.ActTransfer}}, {"cv.anphu", service.ActInput{Action: motcua.ActForward}},
			{"ct.anphu", service.ActInput{Action: motcua.ActApprove}},
			{"cv.anphu", service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "125/2026/TLKS"}}} {
			if _, err := f.svc.Act(f.as(s.user), code, s.in); err != nil {
				t.Fatalf("%s: %v", s.in.Action, err)
			}
		}
		pending, err := receiveAt(t, f, "1.001193", mother, nil)
		if err != nil {
			t.Fatal(err)
		}
		later, err := f.svc.ProcedureByCode(ctx, "2.000286")
		if err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.EarlierResults(f.as("motcua.anphu"), later.ID, mother.IDNumber)
		if err != nil {
			t.Fatal(err)
		}
		if len(res) != 1 || res[0].DossierCode != code || res[0].ResultNumber != "125/2026/TLKS" || res[0].ResultName != "Giấy khai sinh" {
			t.Fatalf("earlier results %+v", res)
		}
		comp := res[0].ComponentID
		if other, err := f.svc.EarlierResults(f.as("motcua.anphu"), later.ID, "001085007788"); err != nil || len(other) != 0 {
			t.Errorf("another applicant sees %+v %v", other, err)
		}
		in, err := receiveAt(t, f, "2.000286", mother, map[int64]string{comp: code})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range in.Dossier.Components {
			if c.ComponentID == comp && (!c.Reused || c.ReusedResult != "125/2026/TLKS" || c.ReusedFrom != motcua.ReuseSourceMotcua+code) {
				t.Errorf("component %+v", c)
			}
		}
		v, err := f.svc.Dossier(f.as("motcua.anphu"), in.Dossier.Code, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range v.Dossier.Components {
			if c.ComponentID == comp && c.ReusedResult != "125/2026/TLKS" {
				t.Errorf("read back %+v", c)
			}
		}
		for name, claim := range map[string]string{"another person's": code, "no result": pending.Dossier.Code, "unknown": "H99.101-000000-9999"} {
			a := mother
			if name == "another person's" {
				a = motcua.Applicant{FullName: "Trần Văn Bình", IDNumber: "001085007788"}
			}
			if _, err := receiveAt(t, f, "2.000286", a, map[int64]string{comp: claim}); motcua.ErrorReason(err) != "reuse_invalid" {
				t.Errorf("%s: %v", name, err)
			}
		}
	})
}
