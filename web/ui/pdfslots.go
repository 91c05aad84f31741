package ui

import (
	"context"
	"runtime"
)

// pdfSlots bounds the PDF documents rendered at once to the cores: a
// receipt takes ~20 ms of CPU and ~17 MB of short-lived buffers (the PDF
// library's font tables and compressors), so more renders at once than
// cores only add memory — at 512 sessions a queue of receipts took the
// process past 500 MB.
var pdfSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// pdfSlot waits for a render slot; release gives it back. It fails only
// when ctx ends first (the client left).
func pdfSlot(ctx context.Context) (release func(), err error) {
	select {
	case pdfSlots <- struct{}{}:
		return func() { <-pdfSlots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
