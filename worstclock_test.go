package motcua_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// worstClockBefore is WorstClock as it was before it stopped allocating
// (a map of ranks, ClocksOf's and LevelsReached's slices), kept as the
// reference the new one must agree with.
func worstClockBefore(s *motcua.Status, now time.Time, cal motcua.Calendar, w motcua.WarnTimes) (string, motcua.Clock) {
	rank := map[string]int{motcua.LevelDueSoon: 1, motcua.LevelOverdue: 2, motcua.LevelEscalateHead: 3, motcua.LevelEscalateLeader: 4}
	best, bestClock := "", motcua.Clock{}
	for _, c := range motcua.ClocksOf(s) {
		lv := motcua.LevelsReached(c, now, cal, w)
		if len(lv) == 0 {
			continue
		}
		top := lv[len(lv)-1]
		if rank[top] > rank[best] || (rank[top] == rank[best] && c.DueAt.Before(bestClock.DueAt)) {
			best, bestClock = top, c
		}
	}
	return best, bestClock
}

// TestWorstClockAgreesWithItsReference draws statuses with every kind of
// clock (the counter's duty, the step's share, up to six parallel parts,
// the appointment) at times around now, in every state, and checks that
// WorstClock gives what the reference gives, that every level comes up,
// and that it allocates nothing (it runs for every row of every inbox
// page).
func TestWorstClockAgreesWithItsReference(t *testing.T) {
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	w := motcua.WarnTimes{}.WithDefaults(8 * time.Hour)
	now := time.Date(2025, 3, 12, 3, 30, 0, 0, time.UTC) // Wed 10:30 in Vietnam
	r := rand.New(rand.NewPCG(15, 7))
	at := func() time.Time {
		if r.IntN(5) == 0 {
			return time.Time{}
		}
		return now.Add(time.Duration(r.IntN(14*24*60)-7*24*60) * time.Minute)
	}
	states := []motcua.State{motcua.StateSubmitted, motcua.StateReceived, motcua.StateProcessing, motcua.StateAwaitingSupplement,
		motcua.StateResultReady, motcua.StateReturned, motcua.StateNone}
	seen := map[string]int{}
	for i := range 20000 {
		s := &motcua.Status{State: states[r.IntN(len(states))], AgencyID: int64(1 + r.IntN(3)),
			ActionDueAt: at(), StepStartedAt: at(), StepDueAt: at(), ClockStartAt: at(), DueAt: at()}
		for range r.IntN(7) {
			s.Parts = append(s.Parts, motcua.PartStatus{AgencyID: int64(1 + r.IntN(5)), DueAt: at(), DoneAt: map[bool]time.Time{true: at()}[r.IntN(3) == 0]})
		}
		wantLevel, wantClock := worstClockBefore(s, now, cal, w)
		level, clock := motcua.WorstClock(s, now, cal, w)
		if level != wantLevel || clock != wantClock {
			t.Fatalf("status %d %+v: %q %+v, want %q %+v", i, s, level, clock, wantLevel, wantClock)
		}
		seen[level]++
	}
	for _, lv := range []string{"", motcua.LevelDueSoon, motcua.LevelOverdue, motcua.LevelEscalateHead, motcua.LevelEscalateLeader} {
		if seen[lv] == 0 {
			t.Errorf("no status drew level %q: %v", lv, seen)
		}
	}
	s := &motcua.Status{State: motcua.StateProcessing, StepStartedAt: now.Add(-48 * time.Hour), StepDueAt: now.Add(-30 * time.Hour),
		ClockStartAt: now.Add(-72 * time.Hour), DueAt: now.Add(3 * time.Hour),
		Parts: []motcua.PartStatus{{AgencyID: 2, DueAt: now.Add(time.Hour)}, {AgencyID: 3, DueAt: now.Add(-time.Hour)}}}
	if n := testing.AllocsPerRun(100, func() { motcua.WorstClock(s, now, cal, w) }); n != 0 {
		t.Errorf("WorstClock allocates %v times a call", n)
	}
}
