package motcua

import (
	"testing"
	"time"
)

// A packed standing unpacks to the stock of the standing it packs, for
// every kind, with and without appointment, requests before and after it.
func TestStandingPacksTheStock(t *testing.T) {
	due := time.Date(2025, 6, 30, 17, 0, 0, 0, VietnamTime)
	before, after := due.Add(-time.Hour), due.Add(time.Hour)
	for _, state := range []State{"", StateProcessing, StateAwaitingSupplement, StateReceived} {
		for _, d := range []time.Time{{}, due} {
			for n := range 3 {
				for _, last := range []time.Time{{}, before, after} {
					if (n == 0) != last.IsZero() {
						continue
					}
					p := Pending766{State: state, DueAt: d, Supplements: n, LastRequest: last}
					want, got := StockOfPending(p), StandingOf(p).Stock()
					if got.Kind != want.Kind || !got.Due.Equal(want.Due) || got.Multi != want.Multi || got.WaitLate != want.WaitLate {
						t.Errorf("%+v: unpacked %+v, want %+v", p, got, want)
					}
					for x := DayOf(due) - 1; x <= DayOf(due)+1; x++ {
						if got.At(x) != want.At(x) || got.OnTime766(x) != want.OnTime766(x) {
							t.Errorf("%+v: day %d: bucket %v/%v, want %v/%v", p, x, got.At(x), got.OnTime766(x), want.At(x), want.OnTime766(x))
						}
					}
				}
			}
		}
	}
	if (Pending766{}) != (Pending766{}).Next(HistoryLine{}) || StandingOf(Pending766{}) != 0 {
		t.Error("the zero standing is not that of a dossier with no event")
	}
}
