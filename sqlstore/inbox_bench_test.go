package sqlstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// BenchmarkInbox measures a specialist's inbox read by duty (the role at
// the agency, plus work assigned in person: two index ranges) against the
// query the inbox used before, every open dossier the agency holds (one
// range of the holder index), on the same data: 20,000 open dossiers over
// 50 agencies, 400 at the agency asked about. Each iteration runs both,
// alternately, so that the reported ratio (duty/holder, of the summed
// times) is measured in the same moments on a shared machine; both return
// full pages of 50 dossiers.
//
//	go test -run XXX -bench BenchmarkInbox -benchtime 2s ./sqlstore/
func BenchmarkInbox(b *testing.B) {
	for _, e := range []sqltest.Engine{sqltest.SQLite, sqltest.Postgres} {
		b.Run(string(e), func(b *testing.B) {
			f := newInboxFixture(b, e, 50)
			roles := []motcua.Role{motcua.RoleReception, motcua.RoleSpecialist, motcua.RoleHead, motcua.RoleSpecialist}
			for chunk := range 20 {
				if err := f.db.Write(ctx, func(tx motcua.Tx) error {
					for i := chunk * 1000; i < (chunk+1)*1000; i++ {
						ag, k := f.agencies[i%50], i/50
						w := motcua.Duty{AgencyID: ag.ID, Role: roles[k%4]}
						if k%9 == 0 {
							w = motcua.Duty{AgencyID: ag.ID, UserID: int64(k % 5)}
						}
						d, ev := f.dossier(i%400, w)
						d.Status.AgencyID = ag.ID // held where the duty is
						if err := tx.CreateDossier(ctx, d, ev); err != nil {
							return err
						}
					}
					return nil
				}); err != nil {
					b.Fatal(err)
				}
			}
			if e == sqltest.Postgres {
				if err := f.db.Analyze(ctx); err != nil {
					b.Fatal(err)
				}
			}
			A := f.agencies[0].ID
			var open []motcua.State
			for _, s := range motcua.AllStates {
				if !s.Terminal() {
					open = append(open, s)
				}
			}
			holder := motcua.DossierFilter{HolderAgencyIDs: []int64{A}, States: open, Limit: 50}
			duties := motcua.DossierFilter{Duties: []motcua.Duty{{AgencyID: A, Role: motcua.RoleSpecialist}, {AgencyID: A, UserID: 3}}, Limit: 50}
			page := func(flt motcua.DossierFilter) []*motcua.Dossier {
				var got []*motcua.Dossier
				if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { got, err = tx.FindDossiers(ctx, flt); return err }); err != nil {
					b.Fatal(err)
				}
				if len(got) != 50 {
					b.Fatalf("a page of %d dossiers", len(got))
				}
				return got
			}
			next := func(flt motcua.DossierFilter) motcua.DossierFilter {
				l := page(flt)[49]
				flt.After = &motcua.DossierCursor{NextDueAt: l.Status.NextDueAt(), ID: l.ID}
				return flt
			}
			for _, p := range []int{1, 3} {
				h, d := holder, duties
				for range p - 1 {
					h, d = next(h), next(d)
				}
				b.Run(fmt.Sprintf("page%d", p), func(b *testing.B) {
					var th, td time.Duration
					for b.Loop() {
						t0 := time.Now()
						page(h)
						t1 := time.Now()
						page(d)
						th, td = th+t1.Sub(t0), td+time.Since(t1)
					}
					n := float64(b.N)
					b.ReportMetric(float64(th.Microseconds())/n, "µs-holder/op")
					b.ReportMetric(float64(td.Microseconds())/n, "µs-duty/op")
					b.ReportMetric(float64(td)/float64(th), "duty/holder")
				})
			}
		})
	}
}
