package bench

import (
	"context"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/sqlstore"
)

// BenchmarkIntake is one durable intake through the HTTP API, the path
// `motcua bench --only intake` loads, for its allocations and CPU per
// operation (go test -bench Intake -benchmem ./bench/): on PostgreSQL when
// MOTCUA_TEST_POSTGRES is set, on SQLite otherwise. The client and the
// server share the process, as in the bench, so the figures include the
// client's share; compare binaries, not against other benchmarks.
func BenchmarkIntake(b *testing.B) {
	ctx := context.Background()
	sc, err := openScratch(ctx, b.TempDir(), os.Getenv("MOTCUA_TEST_POSTGRES"), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer sc.done()
	e, err := start(ctx, sc.store, io.Discard)
	if err != nil {
		sc.store.Close()
		b.Fatal(err)
	}
	defer e.close()
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	c := &http.Client{Transport: tr}
	var worker atomic.Int64
	b.SetParallelism(32) // 64 clients on 2 cores, as the bench's default
	serverCPU := func() time.Duration { return 0 }
	if f, ok := pgServerTotalCPU(ctx, sc.dsn); sc.dsn != "" && ok {
		serverCPU = f
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0, s0 := cpuTime(), serverCPU()
	b.RunParallel(func(pb *testing.PB) {
		w := int(worker.Add(1))
		for pb.Next() {
			if err := e.receiveOne(ctx, c, w); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	// The process's CPU (client, server and writers) per intake: on a
	// shared machine the wall time per operation says little.
	b.ReportMetric(float64((cpuTime()-c0).Microseconds())/float64(b.N), "cpu-µs/op")
	if s := serverCPU() - s0; s > 0 {
		b.ReportMetric(float64(s.Microseconds())/float64(b.N), "pg-cpu-µs/op")
	}
}
