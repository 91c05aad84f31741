package main

import (
	"os"
	"strconv"
	"strings"
)

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
