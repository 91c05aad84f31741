package bench

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"time"
)

// pgServerTotalCPU returns a function reporting the CPU time the whole
// PostgreSQL server at dsn has used so far — its postmaster, every live
// process it started, and the processes that already ended (the
// postmaster waits for them, so their times are in its children's times)
// — when the server runs on this machine; ok is false otherwise. Unlike
// PGServerCPU it counts backends that end between two calls, such as the
// raw baseline's, whose pool is closed when it ends; it counts every
// database of the server, so it suits a server of one's own.
func pgServerTotalCPU(ctx context.Context, dsn string) (cpu func() time.Duration, ok bool) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, false
	}
	defer db.Close()
	var backend int
	if err := db.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&backend); err != nil {
		return nil, false
	}
	if _, err := serverTicks(backend); err != nil {
		return nil, false
	}
	f, err := procStat(backend)
	if err != nil || len(f) < 2 {
		return nil, false
	}
	post, err := strconv.Atoi(f[1]) // field 4, the parent: the postmaster
	if err != nil {
		return nil, false
	}
	if _, err := serverTicks(post); err != nil {
		return nil, false
	}
	return func() time.Duration {
		var t int64
		if f, err := procStat(post); err == nil && len(f) >= 15 {
			for _, v := range f[11:15] { // utime, stime, cutime, cstime
				x, _ := strconv.ParseInt(v, 10, 64)
				t += x
			}
		}
		ents, _ := os.ReadDir("/proc")
		for _, e := range ents {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			if f, err := procStat(pid); err == nil && len(f) >= 13 && f[1] == strconv.Itoa(post) {
				x, _ := procTicks(pid)
				t += x
			}
		}
		return time.Duration(t) * time.Second / clockTicks
	}, true
}
