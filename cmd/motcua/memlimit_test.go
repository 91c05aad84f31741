package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadLimit(t *testing.T) {
	dir := t.TempDir()
	for content, want := range map[string]int64{
		"max\n":                 0, // cgroup v2 without a limit
		"9223372036854771712\n": 0, // cgroup v1 without a limit
		"1073741824\n":          1 << 30,
		"":                      0,
		"lots":                  0,
	} {
		p := filepath.Join(dir, "memory.max")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if got := readLimit(p); got != want {
			t.Errorf("readLimit(%q) = %d, want %d", content, got, want)
		}
	}
	if got := readLimit(filepath.Join(dir, "missing")); got != 0 {
		t.Errorf("a missing file gave %d", got)
	}
	if l := serveMemoryBudget(); l <= 0 || cgroupMemoryMax() == 0 && l != defaultServeMemoryBudget {
		t.Errorf("serveMemoryBudget() = %d (cgroup limit %d)", l, cgroupMemoryMax())
	}
}
