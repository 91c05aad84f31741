package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
)

// What the whole machine's cores did during a run. On a virtual machine
// the hypervisor may give a core to another guest while this one has work
// ("steal"): the run then gets less than its cores, its latency tail grows
// and its rates fall, and nothing in the process's own figures says so. The
// bench prints the share so that a run on a moment when the host was busy
// is recognised as such rather than compared with a quiet one.

// StealLimit is the share of the cores' time stolen by the hypervisor
// beyond which a measurement is not judged against a target: on this
// project's development machine rounds with 20–40 % stolen gave intake
// ratios from ×0.34 to ×0.80 in one run of three rounds.
const StealLimit = 0.05

// Disturbed reports whether a share of more than StealLimit was stolen.
func (s MachineShare) Disturbed() bool { return s.Steal > StealLimit }

// MachineTimes are the machine's cumulative CPU times since boot, in clock
// ticks (USER_HZ), summed over its cores, as /proc/stat's first line gives
// them.
type MachineTimes struct {
	Busy  int64 // user, nice, system, irq, softirq
	Idle  int64 // idle and waiting for I/O
	Steal int64 // wanted, but the hypervisor ran another guest
}

// MachineShare is the part of a span spent busy, idle and stolen, each
// between 0 and 1 of the cores' time.
type MachineShare struct {
	Busy, Idle, Steal float64
}

// Since is the share of each between then and m (m taken later); ok is
// false when no time passed (or the counters went back).
func (m MachineTimes) Since(then MachineTimes) (s MachineShare, ok bool) {
	busy, idle, steal := m.Busy-then.Busy, m.Idle-then.Idle, m.Steal-then.Steal
	total := busy + idle + steal
	if total <= 0 || busy < 0 || idle < 0 || steal < 0 {
		return MachineShare{}, false
	}
	t := float64(total)
	return MachineShare{Busy: float64(busy) / t, Idle: float64(idle) / t, Steal: float64(steal) / t}, true
}

// ReadMachineTimes reads /proc/stat; ok is false where there is none
// (not Linux) or it cannot be read.
func ReadMachineTimes() (MachineTimes, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return MachineTimes{}, false
	}
	m, err := parseMachineTimes(b)
	return m, err == nil
}

// parseMachineTimes reads the aggregate "cpu" line of /proc/stat: user,
// nice, system, idle, iowait, irq, softirq, steal (then guest times,
// already counted in user and nice). Kernels before 2.6.11 have no steal
// column: it reads as 0.
func parseMachineTimes(b []byte) (MachineTimes, error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) == 0 || string(f[0]) != "cpu" {
			continue
		}
		if len(f) < 8 {
			return MachineTimes{}, fmt.Errorf("bench: /proc/stat's cpu line has %d fields", len(f))
		}
		var v [8]int64
		for i := range v {
			if i+1 >= len(f) {
				break
			}
			x, err := strconv.ParseInt(string(f[i+1]), 10, 64)
			if err != nil || x < 0 {
				return MachineTimes{}, fmt.Errorf("bench: /proc/stat's cpu line: %q", f[i+1])
			}
			v[i] = x
		}
		return MachineTimes{Busy: v[0] + v[1] + v[2] + v[5] + v[6], Idle: v[3] + v[4], Steal: v[7]}, nil
	}
	return MachineTimes{}, fmt.Errorf("bench: no cpu line in /proc/stat")
}
