package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// A PostgreSQL server's CPU, for the figures per operation: on one
// machine the benchmark's process and the server share the cores, and a
// change that moves work from one to the other (or saves round trips,
// which cost both) shows only when both are counted.

// clockTicks is the unit of /proc/PID/stat's times (USER_HZ, 100 on
// every Linux architecture Go builds for).
const clockTicks = 100

// PGServerCPU returns a function reporting the CPU time used so far by
// the PostgreSQL server at dsn — its postmaster, every live process it
// started, and those it has reaped — when that server runs on this machine
// (its postmaster is found as the parent of this connection's backend
// process); ok is false otherwise (another machine, no /proc).
func PGServerCPU(ctx context.Context, dsn string) (cpu func() time.Duration, ok bool) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, false
	}
	defer db.Close()
	var backend int
	if err := db.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		return nil, false
	}
	pm, err := parentPID(backend)
	if err != nil || pm <= 1 {
		return nil, false
	}
	if _, err := procTicks(pm, true); err != nil {
		return nil, false
	}
	return func() time.Duration {
		t, _ := procTicks(pm, true)
		for _, c := range childPIDs(pm) {
			ct, _ := procTicks(c, false)
			t += ct
		}
		return time.Duration(t) * time.Second / clockTicks
	}, true
}

// procStat returns the fields of /proc/pid/stat after the command name
// (field 3, the state, is index 0).
func procStat(pid int) ([]string, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')') // the name may hold spaces
	if i < 0 {
		return nil, fmt.Errorf("bench: /proc/%d/stat unreadable", pid)
	}
	return strings.Fields(s[i+1:]), nil
}

// parentPID is the parent of pid.
func parentPID(pid int) (int, error) {
	f, err := procStat(pid)
	if err != nil || len(f) < 2 {
		return 0, fmt.Errorf("bench: no parent of %d: %v", pid, err)
	}
	return strconv.Atoi(f[1])
}

// procTicks is pid's user and system time, with its reaped children's
// when reaped is set, in clock ticks.
func procTicks(pid int, reaped bool) (int64, error) {
	f, err := procStat(pid)
	if err != nil || len(f) < 15 {
		return 0, fmt.Errorf("bench: no times of %d: %v", pid, err)
	}
	n := 2 // utime, stime
	if reaped {
		n = 4 // cutime, cstime
	}
	var t int64
	for _, v := range f[11 : 11+n] {
		x, _ := strconv.ParseInt(v, 10, 64)
		t += x
	}
	return t, nil
}

// childPIDs lists the live children of pid.
func childPIDs(pid int) []int {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/task/" + strconv.Itoa(pid) + "/children")
	if err != nil {
		return nil
	}
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if c, err := strconv.Atoi(f); err == nil {
			out = append(out, c)
		}
	}
	return out
}
