package sqlstore_test

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestLiveCounters writes counter changes from concurrent transactions, a
// tenth of which fail after adding theirs, and reads the sums over days,
// months and years before and after folding: only the committed changes
// count, each period sums what was added in it.
func TestLiveCounters(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		// Changes on 31 January, 1 February and 3 February 2025 for two
		// agencies; each transaction adds 1 received online on one of
		// the days and 1 per-procedure reception.
		days := []motcua.Day{motcua.DayOfDate(2025, 1, 31), motcua.DayOfDate(2025, 2, 1), motcua.DayOfDate(2025, 2, 3)}
		const n = 240
		boom := errors.New("boom")
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Write(ctx, func(tx motcua.Tx) error {
					d := days[i%3]
					agency := int64(1 + i%2)
					if err := tx.AddStats(ctx, []motcua.StatDelta{
						{AgencyID: agency, Day: d, Metric: motcua.MetricReceivedOnline, N: 1},
						{AgencyID: agency, ProcedureID: 9, Day: d, Metric: motcua.MetricProcReceived, N: 1},
					}); err != nil {
						return err
					}
					if i%10 == 7 {
						return boom
					}
					return nil
				})
			}()
		}
		wg.Wait()
		// Committed: i%10 != 7. Count them per (day index, agency).
		want := map[[2]int]int64{}
		for i, err := range errs {
			if i%10 == 7 {
				if !errors.Is(err, boom) {
					t.Fatalf("tx %d: %v", i, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("tx %d: %v", i, err)
			}
			want[[2]int{i % 3, 1 + i%2}]++
		}
		sum := func(from, to motcua.Day, m motcua.Metric) string {
			t.Helper()
			segs, ok := motcua.Segments(from, to, m.PerProcedure())
			if !ok {
				t.Fatalf("%d–%d not whole months", from, to)
			}
			var got []motcua.StatTotal
			if err := db.Read(ctx, func(tx motcua.Tx) (err error) { got, err = tx.SumStats(ctx, segs, []motcua.Metric{m}); return err }); err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range got {
				out = append(out, fmt.Sprintf("%d/%d:%d", s.AgencyID, s.ProcedureID, s.N))
			}
			sort.Strings(out)
			return fmt.Sprint(out)
		}
		expect := func(dayIdx []int, procedure int64) string {
			var out []string
			for _, ag := range []int{1, 2} {
				var n int64
				for _, d := range dayIdx {
					n += want[[2]int{d, ag}]
				}
				out = append(out, fmt.Sprintf("%d/%d:%d", ag, procedure, n))
			}
			return fmt.Sprint(out)
		}
		check := func(when string) {
			t.Helper()
			for _, c := range []struct {
				name     string
				from, to motcua.Day
				m        motcua.Metric
				want     string
			}{
				{"31 Jan–3 Feb by day", days[0], days[2], motcua.MetricReceivedOnline, expect([]int{0, 1, 2}, 0)},
				{"1–2 Feb", days[1], days[1] + 1, motcua.MetricReceivedOnline, expect([]int{1}, 0)},
				{"the year", motcua.DayOfDate(2025, 1, 1), motcua.DayOfDate(2025, 12, 31), motcua.MetricReceivedOnline, expect([]int{0, 1, 2}, 0)},
				{"February by procedure", motcua.DayOfDate(2025, 2, 1), motcua.DayOfDate(2025, 2, 28), motcua.MetricProcReceived, expect([]int{1, 2}, 9)},
				{"the year by procedure", motcua.DayOfDate(2025, 1, 1), motcua.DayOfDate(2025, 12, 31), motcua.MetricProcReceived, expect([]int{0, 1, 2}, 9)},
			} {
				if got := sum(c.from, c.to, c.m); got != c.want {
					t.Errorf("%s, %s: %s, want %s", when, c.name, got, c.want)
				}
			}
		}
		check("before folding")
		var folded int64
		mustWrite(t, db, func(tx motcua.Tx) (err error) { folded, err = tx.FoldStats(ctx); return err })
		if e == sqltest.Postgres && folded == 0 || e == sqltest.SQLite && folded != 0 {
			t.Errorf("%s folded %d counters", e, folded)
		}
		check("after folding")
		mustWrite(t, db, func(tx motcua.Tx) (err error) { folded, err = tx.FoldStats(ctx); return err })
		if folded != 0 {
			t.Errorf("second fold changed %d counters", folded)
		}
		check("after folding again")
	})
}
