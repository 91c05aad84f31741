package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestReadGateHoldsNewReadsUntilTheRunningOnesEnd: hold waits for the
// reads under way, new reads wait for open, and a hold whose reads do not
// end in time lets everybody in again.
func TestReadGateHoldsNewReadsUntilTheRunningOnesEnd(t *testing.T) {
	ctx := context.Background()
	var g readGate
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}

	held := make(chan error, 1)
	go func() { held <- g.hold(ctx) }()
	// The hold is taken before the read under way ends: wait until the
	// gate is closed, then check that it waits.
	for {
		g.mu.Lock()
		closed := g.opened != nil
		g.mu.Unlock()
		if closed {
			break
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-held:
		t.Fatalf("hold returned (%v) while a read was under way", err)
	case <-time.After(20 * time.Millisecond):
	}
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if err := g.enter(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a new read entered a held gate: %v", err)
	}

	g.leave()
	if err := <-held; err != nil {
		t.Fatalf("hold after the last read ended: %v", err)
	}
	entered := make(chan error, 1)
	go func() { entered <- g.enter(ctx) }()
	select {
	case err := <-entered:
		t.Fatalf("a read entered while held (%v)", err)
	case <-time.After(20 * time.Millisecond):
	}
	g.open()
	if err := <-entered; err != nil {
		t.Fatalf("a read waiting at the gate after open: %v", err)
	}

	// That read never ends (an export): the hold gives up and opens.
	brief, cancel2 := context.WithTimeout(ctx, 30*time.Millisecond)
	defer cancel2()
	if err := g.hold(brief); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hold with a read that does not end: %v", err)
	}
	soon, cancel3 := context.WithTimeout(ctx, time.Second)
	defer cancel3()
	if err := g.enter(soon); err != nil {
		t.Fatalf("a new read after a hold that gave up: %v", err)
	}
	g.leave()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.opened != nil || g.active != 1 {
		t.Fatalf("after a hold that gave up: held %v, %d reads under way, want open and 1", g.opened != nil, g.active)
	}
}
