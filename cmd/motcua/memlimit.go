package main

import (
	"os"
	"strconv"
	"strings"
)

// serveMemoryLimit is the soft memory limit of the Go runtime for serve
// (and for bench, which measures what serve does) when --memory-limit is
// not set, until governMemory (memgovernor.go) replaces it with the
// budget less what lives outside Go, right after start: three quarters of what the process's cgroup may use when it is
// limited (systemd's MemoryMax=, a container's limit), the rest being left
// to SQLite's page caches and the program's code, which the Go runtime
// does not count; otherwise defaultServeMemoryLimit.
//
// With --gc-percent 400 the collector lets the heap grow to five times the
// live data between collections: cheap in CPU, but at 512 busy sessions
// that was 470 MB of mostly garbage. Under the limit the collector runs
// as the heap approaches it instead, so a small node stays within its
// memory and a large one keeps the CPU saving (docs/deployment.md §17).
func serveMemoryLimit() int64 {
	if n := cgroupMemoryMax(); n > 0 {
		return n / 4 * 3
	}
	return defaultServeMemoryLimit
}

// defaultServeMemoryLimit keeps a node's whole process near 250 MB under
// the mixed staff workload (issue 15's target is 256 MB), SQLite's caches
// and the code included.
const defaultServeMemoryLimit = 192 << 20

// cgroupMemoryMax is the memory limit of the process's cgroup in bytes, 0
// when there is none (or it cannot be read): cgroup v2's memory.max,
// else v1's memory.limit_in_bytes.
func cgroupMemoryMax() int64 {
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		var path string
		switch {
		case f[0] == "0" && f[1] == "":
			path = "/sys/fs/cgroup" + f[2] + "/memory.max"
		case strings.Contains(","+f[1]+",", ",memory,"):
			path = "/sys/fs/cgroup/memory" + f[2] + "/memory.limit_in_bytes"
		default:
			continue
		}
		if n := readLimit(path); n > 0 {
			return n
		}
	}
	return 0
}

// readLimit reads a cgroup limit file: "max" (v2) and the huge numbers v1
// writes for "no limit" are 0.
func readLimit(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 || n >= 1<<60 {
		return 0
	}
	return n
}
