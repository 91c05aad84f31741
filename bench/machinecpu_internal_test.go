package bench

import (
	"math"
	"runtime"
	"testing"
)

func TestParseMachineTimes(t *testing.T) {
	stat := []byte("cpu  283617 333 78855 137901 8398 0 11365 13403 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1\n")
	m, err := parseMachineTimes(stat)
	if err != nil {
		t.Fatal(err)
	}
	want := MachineTimes{Busy: 283617 + 333 + 78855 + 0 + 11365, Idle: 137901 + 8398, Steal: 13403}
	if m != want {
		t.Fatalf("parsed %+v, want %+v", m, want)
	}
	// An old kernel without the steal column.
	if m, err := parseMachineTimes([]byte("cpu 10 0 5 80 5 0 0\n")); err != nil || m.Steal != 0 || m.Busy != 15 || m.Idle != 85 {
		t.Fatalf("seven columns: %+v, %v", m, err)
	}
	for _, bad := range []string{"", "intr 5\n", "cpu 1 2 3\n", "cpu 1 2 x 4 5 6 7 8\n", "cpu 1 2 -3 4 5 6 7 8\n"} {
		if _, err := parseMachineTimes([]byte(bad)); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}

func TestMachineShareSince(t *testing.T) {
	then := MachineTimes{Busy: 100, Idle: 100, Steal: 10}
	s, ok := MachineTimes{Busy: 160, Idle: 130, Steal: 20}.Since(then)
	if !ok || math.Abs(s.Busy-0.6) > 1e-9 || math.Abs(s.Idle-0.3) > 1e-9 || math.Abs(s.Steal-0.1) > 1e-9 {
		t.Fatalf("share %+v, %v", s, ok)
	}
	if _, ok := then.Since(then); ok {
		t.Error("no time passed, yet a share")
	}
	if _, ok := (MachineTimes{Busy: 90, Idle: 200, Steal: 10}).Since(then); ok {
		t.Error("a counter went back, yet a share")
	}
}

func TestReadMachineTimesHere(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc/stat is Linux's")
	}
	a, ok := ReadMachineTimes()
	if !ok {
		t.Fatal("no /proc/stat on Linux")
	}
	for x := 0; x < 50_000_000; x++ { // some work, so that a tick passes
		_ = x * x
	}
	b, ok := ReadMachineTimes()
	if !ok || b.Busy < a.Busy || b.Idle < a.Idle || b.Steal < a.Steal {
		t.Fatalf("times went back: %+v then %+v", a, b)
	}
}
