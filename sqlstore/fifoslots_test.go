package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"
)

// waitQueued waits until s has n waiters.
func waitQueued(t *testing.T, s *fifoSlots, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for s.queued() != n {
		if time.Now().After(deadline) {
			t.Fatalf("%d waiters, want %d", s.queued(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestFIFOSlotsServeInOrder(t *testing.T) {
	s := newFIFOSlots(2)
	ctx := context.Background()
	for range 2 {
		if err := s.acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	const n = 20
	got := make(chan int, n)
	for i := range n {
		go func() {
			if err := s.acquire(ctx); err != nil {
				t.Error(err)
				return
			}
			got <- i
		}()
		waitQueued(t, s, i+1) // i is behind the ones before it
	}
	for want := range n {
		s.release()
		select {
		case i := <-got:
			if i != want {
				t.Fatalf("slot %d went to waiter %d, want %d (first come, first served)", want, i, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("no waiter got slot %d", want)
		}
	}
	if waits, waited := s.stats(); waits != n || waited <= 0 {
		t.Fatalf("stats: %d waits, %s, want %d and some time", waits, waited, n)
	}
}

func TestFIFOSlotsGiveUpWithTheContext(t *testing.T) {
	s := newFIFOSlots(1)
	if err := s.acquire(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.acquire(ctx) }()
	waitQueued(t, s, 1)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("acquire after cancel: %v", err)
	}
	if s.queued() != 0 {
		t.Fatal("a waiter that gave up stayed in the queue")
	}
	// The slot held is released and the next acquire gets it at once: none
	// was lost to the one that gave up.
	s.release()
	quick, stop := context.WithTimeout(context.Background(), time.Second)
	defer stop()
	if err := s.acquire(quick); err != nil {
		t.Fatalf("acquire after release: %v", err)
	}
}
