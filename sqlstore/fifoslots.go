package sqlstore

import (
	"context"
	"sync"
	"time"
)

// fifoSlots hands out a fixed number of slots, in the order they were asked
// for, and counts the waits.
//
// PostgreSQL's reads take one before their connection (pgRead), so that
// database/sql's pool, which gives a freed connection to a waiter chosen at
// random, seldom has one: under a burst a random order lets some requests
// wait many times longer than others, and the slowest hundredth of a
// kind's requests is what the staff's p99 is judged on.
//
// Not a buffered channel like the long reads' longSem: the language gives
// no order to the goroutines blocked on one (today's runtime happens to
// queue them, a select with the context's Done included), and the order is
// this type's whole contract (TestFIFOSlotsServeInOrder).
type fifoSlots struct {
	mu    sync.Mutex
	free  int
	queue []chan struct{} // the waiters, first come first
	// waits and waited count the acquisitions that had to queue and how
	// long they queued in all.
	waits  int64
	waited time.Duration
}

func newFIFOSlots(n int) *fifoSlots { return &fifoSlots{free: n} }

// acquire takes a slot, waiting behind the earlier waiters, or returns
// ctx's error without one.
func (s *fifoSlots) acquire(ctx context.Context) error {
	s.mu.Lock()
	if s.free > 0 && len(s.queue) == 0 {
		s.free--
		s.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	s.queue = append(s.queue, ch)
	s.mu.Unlock()
	start := time.Now()
	select {
	case <-ch:
		s.count(start)
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		for i, c := range s.queue {
			if c == ch {
				s.queue = append(s.queue[:i], s.queue[i+1:]...)
				s.mu.Unlock()
				s.count(start)
				return ctx.Err()
			}
		}
		s.mu.Unlock()
		// The slot was handed over as ctx ended: give it to the next.
		s.release()
		s.count(start)
		return ctx.Err()
	}
}

func (s *fifoSlots) count(start time.Time) {
	d := time.Since(start)
	s.mu.Lock()
	s.waits++
	s.waited += d
	s.mu.Unlock()
}

// release gives a slot back: to the first waiter, if any.
func (s *fifoSlots) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.queue) > 0 {
		ch := s.queue[0]
		s.queue[0] = nil
		s.queue = s.queue[1:]
		close(ch)
		return
	}
	s.free++
}

// stats returns the number of acquisitions that waited and their time.
func (s *fifoSlots) stats() (int64, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.waits, s.waited
}

// queued returns the number of waiters (for tests).
func (s *fifoSlots) queued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}
