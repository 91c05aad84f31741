package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/bench"
)

// TestMixedNotJudgedWhenStolen: a mixed run during which the hypervisor
// took more than bench.StealLimit of the cores prints its figures but
// judges neither its rate nor its latencies against the targets; memory,
// which the host does not change, is still judged. A quiet run is judged.
func TestMixedNotJudgedWhenStolen(t *testing.T) {
	report := func(steal float64) string {
		r := &bench.MixedReport{Sessions: 64, Rate: 1100, MinimalRate: 50000, PeakRSS: 100 << 20,
			Machine:      bench.MachineShare{Busy: 0.7, Idle: 0.3 - steal, Steal: steal},
			MachineKnown: true,
			Kinds:        []bench.KindFigure{{Kind: "inbox page", Ops: 10, P50: time.Millisecond, P99: 20 * time.Millisecond}}}
		var b bytes.Buffer
		printMixed(&b, r)
		return b.String()
	}
	stolen := report(0.2)
	if strings.Contains(stolen, "meets target ≥ 1000") || !strings.Contains(stolen, "not judged target ≥ 1000") {
		t.Errorf("the rate of a stolen run was judged:\n%s", stolen)
	}
	if !strings.Contains(stolen, "20.0 % stolen") || !strings.Contains(stolen, "run again at a quieter moment") {
		t.Errorf("a stolen run does not say so:\n%s", stolen)
	}
	for _, line := range strings.Split(stolen, "\n") {
		if strings.Contains(line, "inbox page") && !strings.HasSuffix(line, "not judged") {
			t.Errorf("the latency of a stolen run was judged: %q", line)
		}
	}
	if !strings.Contains(stolen, "100 MB (meets target ≤ 256 MB)") {
		t.Errorf("memory was not judged in a stolen run:\n%s", stolen)
	}
	quiet := report(0.01)
	if strings.Contains(quiet, "not judged") || !strings.Contains(quiet, "meets target ≥ 1000") {
		t.Errorf("a quiet run was not judged:\n%s", quiet)
	}
}

// TestIntakeVerdictDisturbed: the intake's ratio is not judged when one of
// its measurements ran with more than bench.StealLimit stolen.
func TestIntakeVerdictDisturbed(t *testing.T) {
	quiet := bench.Figure{MachineKnown: true, Machine: bench.MachineShare{Busy: 0.9, Idle: 0.09, Steal: 0.01}}
	busy := bench.Figure{MachineKnown: true, Machine: bench.MachineShare{Busy: 0.6, Idle: 0.1, Steal: 0.3}}
	unknown := bench.Figure{Machine: bench.MachineShare{Steal: 0.9}}
	if n := bench.Disturbed([]bench.Figure{quiet, unknown}, []bench.Figure{quiet}); n != 0 {
		t.Errorf("%d disturbed among quiet and unknown ones", n)
	}
	if n := bench.Disturbed([]bench.Figure{quiet, busy}, []bench.Figure{busy}); n != 2 {
		t.Errorf("%d disturbed, want 2", n)
	}
	if v := disturbed(2, 6); !strings.Contains(v, "2 of 6") || !strings.Contains(v, "not judged") {
		t.Errorf("verdict %q", v)
	}
}
