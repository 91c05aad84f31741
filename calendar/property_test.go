package calendar_test

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// randomInstant returns an instant between 2020 and 2031 with a random
// nanosecond part.
func randomInstant(r *rand.Rand) time.Time {
	lo := time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	return time.Unix(lo+r.Int64N(hi-lo), r.Int64N(int64(time.Second)))
}

func randomDuration(r *rand.Rand) time.Duration {
	switch r.IntN(3) {
	case 0:
		return time.Duration(r.IntN(16*60)) * time.Minute // up to two days, whole minutes
	case 1:
		return time.Duration(r.Int64N(int64(400 * time.Hour))) // any nanosecond count
	default:
		return time.Duration(r.IntN(5)) * 4 * time.Hour // half days
	}
}

func iterations() int {
	if testing.Short() {
		return 300
	}
	return 3000
}

func TestPropertyAddWorkingInverse(t *testing.T) {
	c := defaultCalendar(t)
	r := rand.New(rand.NewPCG(1, 2))
	for range iterations() {
		start, d := randomInstant(r), randomDuration(r)
		end := c.AddWorking(start, d)
		if got := c.WorkingBetween(start, end); got != d {
			t.Fatalf("WorkingBetween(%v, AddWorking(t, %v) = %v) = %v", start, d, end, got)
		}
	}
}

func TestPropertyAddWorkingMonotonic(t *testing.T) {
	c := defaultCalendar(t)
	r := rand.New(rand.NewPCG(3, 4))
	for range iterations() {
		start := randomInstant(r)
		d1, d2 := randomDuration(r), randomDuration(r)
		if d1 > d2 {
			d1, d2 = d2, d1
		}
		a, b := c.AddWorking(start, d1), c.AddWorking(start, d2)
		if b.Before(a) {
			t.Fatalf("AddWorking(%v, %v) = %v is after AddWorking(t, %v) = %v", start, d1, a, d2, b)
		}
		if d1 < d2 && !b.After(a) {
			t.Fatalf("AddWorking(%v, ·) is not strictly increasing: %v→%v, %v→%v", start, d1, a, d2, b)
		}
	}
}

// inWorkingPeriod reports whether t lies in a default working period of a
// working day.
func inWorkingPeriod(c *calendar.Calendar, t time.Time) bool {
	if !c.IsWorkingDay(t) {
		return false
	}
	v := t.In(calendar.Vietnam)
	m := motcua.ClockTime(v.Hour()*60 + v.Minute())
	for _, p := range c.Config().Periods {
		if m >= p.Start && m < p.End {
			return true
		}
	}
	return false
}

func TestPropertyNextWorkingMoment(t *testing.T) {
	c := defaultCalendar(t)
	r := rand.New(rand.NewPCG(5, 6))
	for range iterations() {
		start := randomInstant(r)
		n := c.NextWorkingMoment(start)
		if n.Before(start) {
			t.Fatalf("NextWorkingMoment(%v) = %v is earlier", start, n)
		}
		if !inWorkingPeriod(c, n) {
			t.Fatalf("NextWorkingMoment(%v) = %v is not in a working period", start, n)
		}
		if again := c.NextWorkingMoment(n); !again.Equal(n) {
			t.Fatalf("NextWorkingMoment is not idempotent at %v: %v", n, again)
		}
		if c.WorkingBetween(start, n) != 0 {
			t.Fatalf("working time between %v and its next working moment %v", start, n)
		}
	}
}

func TestPropertyDueZeroDays(t *testing.T) {
	c := defaultCalendar(t)
	r := rand.New(rand.NewPCG(7, 8))
	zero := motcua.TimeLimit{Value: 0, Unit: motcua.UnitWorkingDays}
	for range iterations() {
		start := c.NextWorkingMoment(randomInstant(r)) // inside working time
		due := c.Due(start, zero)
		if calendar.DateOf(due) != calendar.DateOf(start) {
			t.Fatalf("Due(%v, 0 days) = %v, not on start's working day", start, due)
		}
		if v := due.In(calendar.Vietnam); v.Hour() != 17 || v.Minute() != 0 {
			t.Fatalf("Due(%v, 0 days) = %v, not the end of the working day", start, due)
		}
	}
}

// Working time is additive over consecutive intervals.
func TestPropertyWorkingBetweenAdditive(t *testing.T) {
	c := defaultCalendar(t)
	r := rand.New(rand.NewPCG(9, 10))
	for range iterations() {
		a := randomInstant(r)
		b := a.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
		d := b.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
		if got, want := c.WorkingBetween(a, d), c.WorkingBetween(a, b)+c.WorkingBetween(b, d); got != want {
			t.Fatalf("WorkingBetween(%v, %v) = %v, sum over %v = %v", a, d, got, b, want)
		}
	}
}

// Years are composed lazily; concurrent first uses must be race-free and
// agree with sequential results.
func TestConcurrentUse(t *testing.T) {
	c := defaultCalendar(t)
	ref := defaultCalendar(t)
	limit := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
	var starts []time.Time
	for y := 2020; y < 2060; y++ {
		starts = append(starts, time.Date(y, 2, 1, 3, 0, 0, 0, time.UTC))
	}
	want := make([]time.Time, len(starts))
	for i, s := range starts {
		want[i] = ref.Due(s, limit)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8*len(starts))
	for g := range 8 {
		wg.Go(func() {
			for i := range starts {
				j := (i + g*5) % len(starts)
				if got := c.Due(starts[j], limit); !got.Equal(want[j]) {
					errs <- starts[j].String()
				}
				_ = c.Year(starts[j].Year())
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent Due from %s differs from the sequential result", e)
	}
}

// Deadlines are computed on every intake: once a year is composed, Due must
// not allocate.
func TestDueDoesNotAllocate(t *testing.T) {
	c := defaultCalendar(t)
	start := time.Date(2025, 1, 23, 3, 0, 0, 0, time.UTC)
	cut := motcua.ClockTime(15 * 60)
	limits := []motcua.TimeLimit{
		{Value: 3, Unit: motcua.UnitWorkingDays, CutOff: &cut},
		{Value: 8, Unit: motcua.UnitWorkingHours},
		{Value: 15, Unit: motcua.UnitCalendarDays},
		{Value: 1, Unit: motcua.UnitMonths},
	}
	for _, l := range limits {
		c.Due(start, l) // compose the years involved
		if n := testing.AllocsPerRun(100, func() { c.Due(start, l) }); n != 0 {
			t.Errorf("Due(%s) allocates %.1f times per call", l, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { c.WorkingBetween(start, start.Add(90*24*time.Hour)) }); n != 0 {
		t.Errorf("WorkingBetween allocates %.1f times per call", n)
	}
}

func BenchmarkDue(b *testing.B) {
	c := defaultCalendar(b)
	// 3 working days from Thu 23 Jan 2025 10:00, across the Tết block.
	start := time.Date(2025, 1, 23, 3, 0, 0, 0, time.UTC)
	limit := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
	c.Due(start, limit) // warm-up: compose 2025
	b.ReportAllocs()
	for b.Loop() {
		c.Due(start, limit)
	}
}

func BenchmarkSolarToLunar(b *testing.B) {
	d := calendar.Date{Year: 2025, Month: 4, Day: 7}
	calendar.SolarToLunar(d, calendar.VietnamTZ)
	b.ReportAllocs()
	for b.Loop() {
		calendar.SolarToLunar(d, calendar.VietnamTZ)
	}
}
