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
// the PostgreSQL server at dsn on behalf of its database: the backends
// connected to that database and the server's own processes (WAL writer,
// checkpointer, …), not the backends of other databases of the same
// server (another copy being measured at the same time). The server must
// run on this machine (ok is false otherwise: another machine, no /proc).
// A backend that ends between two calls takes its time with it; the
// store's pool keeps its connections for minutes, so few do.
func PGServerCPU(ctx context.Context, dsn string) (cpu func() time.Duration, ok bool) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, false
	}
	// One connection, open for the whole benchmark (a bench command's
	// lifetime), so that sampling never waits for the store's pool.
	db.SetMaxOpenConns(1)
	pids := func() []int {
		rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity
			WHERE (datname = current_database() OR datname IS NULL) AND pid <> pg_backend_pid()`)
		if err != nil {
			return nil
		}
		defer rows.Close()
		var out []int
		for rows.Next() {
			var p int
			if rows.Scan(&p) == nil {
				out = append(out, p)
			}
		}
		return out
	}
	ps := pids()
	if len(ps) == 0 {
		db.Close()
		return nil, false
	}
	if _, err := serverTicks(ps[0]); err != nil {
		db.Close()
		return nil, false
	}
	seen := map[int]int64{} // ticks of every process sampled so far
	return func() time.Duration {
		for _, p := range pids() {
			if t, err := serverTicks(p); err == nil {
				seen[p] = max(seen[p], t)
			}
		}
		var t int64
		for _, v := range seen {
			t += v
		}
		return time.Duration(t) * time.Second / clockTicks
	}, true
}

// serverTicks is procTicks of pid if this machine's process pid is a
// PostgreSQL process: the server names its processes' ids, and on another
// machine the same number is an unrelated local process, whose time is
// not the server's.
func serverTicks(pid int) (int64, error) {
	comm, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/comm")
	if err != nil || !strings.HasPrefix(string(comm), "postgres") {
		return 0, fmt.Errorf("bench: process %d is not PostgreSQL's", pid)
	}
	return procTicks(pid)
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

// procTicks is pid's user and system time in clock ticks.
func procTicks(pid int) (int64, error) {
	f, err := procStat(pid)
	if err != nil || len(f) < 13 {
		return 0, fmt.Errorf("bench: no times of %d: %v", pid, err)
	}
	var t int64
	for _, v := range f[11:13] { // utime, stime
		x, _ := strconv.ParseInt(v, 10, 64)
		t += x
	}
	return t, nil
}
