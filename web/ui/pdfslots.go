package ui

import (
	"context"
	"runtime"
)

// pdfSlots bounds the PDF documents rendered at once to the cores: a
// render is CPU only, so more at once than cores only add memory. (With
// fpdf a receipt took ~20 ms of CPU and ~17 MB of short-lived buffers, and
// at 512 sessions a queue of receipts took the process past 500 MB; the
// forms' own writer takes ~2 ms and ~0.5 MB, but the tracking book, the
// electronic result and a form with a character outside its fonts still
// go through fpdf.)
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
