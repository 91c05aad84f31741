package service_test

import (
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestProcedureVersions: saving a procedure makes a version; the
// administrator sees both, what differs (time limit, fees), and which
// dossiers were received under the old one; no one else sees them.
func TestProcedureVersions(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		admin := f.as("admin")
		p, err := f.svc.ProcedureByCode(admin, "1.001193")
		if err != nil {
			t.Fatal(err)
		}
		before, err := f.svc.ProcedureVersions(admin, p.ID, 0, 0, p.Version)
		if err != nil {
			t.Fatal(err)
		}
		last := before.Versions[len(before.Versions)-1]
		if last.Version != p.Version || int64(len(before.Dossiers)) != min(last.Dossiers, 200) || last.Dossiers == 0 {
			t.Fatalf("current version %+v, %d dossiers listed; want the demo's dossiers of 1.001193", last, len(before.Dossiers))
		}
		for _, d := range before.Dossiers {
			got, err := f.svc.Dossier(f.as("giamsat.tinh"), d.Code, "")
			if err != nil || got.Dossier.ProcedureVersion != p.Version || got.Dossier.ProcedureID != p.ID {
				t.Fatalf("listed %s: %v %+v", d.Code, err, got)
			}
		}
		amount := int64(8000)
		p.TimeLimit = &motcua.TimeLimit{Value: 2, Unit: motcua.UnitWorkingDays}
		p.Fees = append(p.Fees, motcua.Fee{Name: "Lệ phí cấp bản sao", Amount: &amount})
		if err := f.svc.UpdateProcedure(admin, p); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.ProcedureVersions(admin, p.ID, 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := len(v.Versions)
		if n != len(before.Versions)+1 || v.Versions[n-1].Dossiers != 0 || v.Versions[n-2].Dossiers != last.Dossiers {
			t.Fatalf("versions after the save: %+v", v.Versions)
		}
		if v.A != last.Version || v.B != v.Versions[n-1].Version {
			t.Fatalf("compares %d and %d by default", v.A, v.B)
		}
		fields := map[string]motcua.FieldDiff{}
		for _, d := range v.Diff {
			fields[d.Field] = d
		}
		if len(fields) != 2 || fields["time_limit"].New != "2 ngày làm việc" || fields["fees"].Old == fields["fees"].New {
			t.Fatalf("diff %+v", v.Diff)
		}
		if _, err := f.svc.ProcedureVersions(f.as("motcua.anphu"), p.ID, 0, 0, 0); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Fatalf("a counter officer: %v", err)
		}
	})
}
