package pdf_test

import (
	"bytes"
	"syscall"
	"testing"
	"time"
)

// BenchmarkReceipt renders the counter's receipt of the sample dossier: the
// document every reception prints (one operation in six of the staff
// workload, bench --mixed). Besides the wall time it reports the process's
// CPU time per receipt (cpu-ms/op), the figure that holds on a loaded
// machine.
func BenchmarkReceipt(b *testing.B) {
	r, d := renderer(), sample()
	var buf bytes.Buffer
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		buf.Reset()
		if err := r.Receipt(&buf, d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(buf.Len()), "bytes/pdf")
}

// cpuTime is the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
