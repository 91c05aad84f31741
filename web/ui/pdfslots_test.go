package ui

import (
	"context"
	"errors"
	"testing"
	"time"
)

// No more PDFs render at once than there are slots: a request past them
// waits for a release, or gives up when its client leaves.
func TestPDFSlotsBoundRenders(t *testing.T) {
	var releases []func()
	for range cap(pdfSlots) {
		rel, err := pdfSlot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, rel)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := pdfSlot(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a render past the %d slots did not wait: %v", cap(pdfSlots), err)
	}
	got := make(chan error, 1)
	go func() {
		rel, err := pdfSlot(context.Background())
		if err == nil {
			rel()
		}
		got <- err
	}()
	releases[0]()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	for _, rel := range releases[1:] {
		rel()
	}
	if len(pdfSlots) != 0 {
		t.Errorf("%d slots still taken", len(pdfSlots))
	}
}
