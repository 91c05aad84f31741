package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestCatalogueSearchSameOnBothEngines searches a small catalogue with
// queries typed with and without diacritics, đ/Đ included, and expects the
// same hand-worked results, in the same order, on every engine.
func TestCatalogueSearchSameOnBothEngines(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		now := time.Date(2026, 1, 5, 2, 0, 0, 0, time.UTC)
		for _, p := range []struct{ code, name, field string }{
			{"1.001193", "Đăng ký khai sinh", "Hộ tịch"},
			{"1.000894", "Đăng ký kết hôn", "Hộ tịch"},
			{"1.002809", "Cấp đổi giấy phép lái xe", "Đường bộ"},
			{"2.000635", "Cấp bản sao Trích lục hộ tịch", "Hộ tịch"},
			{"1.004227", "Xác nhận tình trạng hôn nhân", "Hộ tịch"},
		} {
			pr := &motcua.Procedure{Code: p.code, Name: p.name, FieldName: p.field, Level: motcua.LevelCommune,
				Published: p.code != "1.004227", Process: motcua.DefaultProcess(motcua.LevelCommune), UpdatedAt: now}
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, pr) })
		}
		cases := []struct {
			q         string
			published bool
			want      []string
		}{
			// Names (or codes) starting with the query first, then the
			// rest; each by folded name in byte order: "Đăng" is "dang",
			// before "xac"; "kết" is "ket", before "khai".
			{"dang ky", false, []string{"1.000894", "1.001193"}},
			{"ĐĂNG KÝ KẾT", false, []string{"1.000894"}},
			{"đang ky", false, []string{"1.000894", "1.001193"}},
			{"doi giay", false, []string{"1.002809"}},
			{"duong bo", false, []string{"1.002809"}},
			{"ho tich", false, []string{"2.000635", "1.000894", "1.001193", "1.004227"}},
			{"hon", false, []string{"1.000894", "1.004227"}},
			{"hon", true, []string{"1.000894"}},
			{"1.00", false, []string{"1.002809", "1.000894", "1.001193", "1.004227"}},
			{"lai-xe", false, nil}, // "-" is kept by Fold: no name has "lai-xe"
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			for _, c := range cases {
				got, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{Query: c.q, PublishedOnly: c.published})
				if err != nil {
					t.Errorf("%q: %v", c.q, err)
					continue
				}
				var codes []string
				for _, p := range got {
					codes = append(codes, p.Code)
				}
				if fmt.Sprint(codes) != fmt.Sprint(c.want) {
					t.Errorf("search %q (published only %v): %v, want %v", c.q, c.published, codes, c.want)
				}
			}
			return nil
		})
	})
}

// TestConcurrentChangesOneWins appends the same next event to one dossier
// from many goroutines, as if several officers (or instances) acted at
// once: exactly one succeeds, the others get ECONFLICT.
func TestConcurrentChangesOneWins(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		addr := sqltest.Fresh(t, e)
		db := sqltest.OpenAt(t, addr)
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		other := sqltest.OpenAt(t, addr) // a second instance
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		base := time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC)
		e1 := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: base, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
			ToAgencyID: a.ID, ClockStartAt: base, DueAt: base.Add(72 * time.Hour)}
		st, _ := motcua.Replay([]motcua.Event{*e1})
		d := &motcua.Dossier{Code: "H99.101-250310-0001", ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
			ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, Verifier: "1", CreatedAt: base, Status: st}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, e1) })

		const n = 24
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				store := db
				if i%2 == 1 {
					store = other
				}
				ev := motcua.Event{DossierID: d.ID, Seq: 2, Action: motcua.ActTransfer, At: base.Add(time.Hour), FromState: motcua.StateReceived,
					ToState: motcua.StateProcessing, ToAgencyID: a.ID, FromStep: -1, ToStep: 0, DueAt: st.DueAt, ClockStartAt: base,
					Reason: fmt.Sprint("officer ", i)}
				st2, err := st.Apply(ev)
				if err != nil {
					errs[i] = err
					return
				}
				errs[i] = store.Write(ctx, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, &ev, &st2) })
			}()
		}
		wg.Wait()
		won := 0
		for i, err := range errs {
			switch {
			case err == nil:
				won++
			case motcua.ErrorCode(err) != motcua.ECONFLICT:
				t.Errorf("writer %d: %v, want success or ECONFLICT", i, err)
			}
		}
		if won != 1 {
			t.Fatalf("%d concurrent changes to one dossier succeeded, want exactly 1", won)
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			evs, err := tx.Events(ctx, d.ID)
			if err != nil || len(evs) != 2 {
				t.Errorf("history has %d events (%v), want 2", len(evs), err)
			}
			return nil
		})
	})
}

// TestCodeCounterAcrossInstances draws dossier numbers for one agency and
// day from two store handles on the same database at once: the numbers are
// unique and without gaps.
func TestCodeCounterAcrossInstances(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		addr := sqltest.Fresh(t, e)
		first := sqltest.OpenAt(t, addr)
		if err := first.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		stores := []motcua.Store{first, sqltest.OpenAt(t, addr), sqltest.OpenAt(t, addr)}
		const n = 150
		got := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := stores[i%3].Write(ctx, func(tx motcua.Tx) (err error) {
					got[i], err = tx.NextCodeSeq(ctx, "H99.101|2026-11-22")
					return err
				})
				if err != nil {
					t.Errorf("draw %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		seen := make([]bool, n+1)
		for _, v := range got {
			if v < 1 || v > n || seen[v] {
				t.Fatalf("number %d drawn out of range or twice: %v", v, got)
			}
			seen[v] = true
		}
	})
}
