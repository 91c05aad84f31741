package sqlstore

import (
	"context"
	"sync"
)

// readGate counts the SQLite read transactions under way and can hold new
// ones back while the write-ahead log is started again (truncateWAL).
//
// Why: a RESTART checkpoint must wait until no reader uses the log, and
// readers that follow each other without a gap keep reusing the log's read
// marks, so the checkpoint can wait out its whole busy timeout (measured:
// 4 s on a loaded machine) while holding the writer, and the log is never
// started again. Holding new reads for the few milliseconds the last
// running ones need to finish gives the checkpoint its moment.
//
// The zero value is an open gate.
type readGate struct {
	mu      sync.Mutex
	active  int           // read transactions under way
	opened  chan struct{} // non-nil while held; closed when the gate opens again
	drained chan struct{} // non-nil while held with reads under way; closed when the last ends
}

// enter waits until the gate is open and counts one more read under way;
// it returns ctx's error if ctx ends first. Every successful enter must be
// followed by one leave.
func (g *readGate) enter(ctx context.Context) error {
	for {
		g.mu.Lock()
		if g.opened == nil {
			g.active++
			g.mu.Unlock()
			return nil
		}
		opened := g.opened
		g.mu.Unlock()
		select {
		case <-opened:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// leave counts one read fewer.
func (g *readGate) leave() {
	g.mu.Lock()
	g.active--
	if g.active == 0 && g.drained != nil {
		close(g.drained)
		g.drained = nil
	}
	g.mu.Unlock()
}

// hold stops new reads from entering and waits until the reads under way
// have ended. On success the caller must call open. If ctx ends first the
// gate is opened again and ctx's error returned, so that a long read (an
// export) never keeps the others waiting for longer than ctx allows.
// Only one hold at a time: its caller is the writer's goroutine.
func (g *readGate) hold(ctx context.Context) error {
	g.mu.Lock()
	g.opened = make(chan struct{})
	if g.active == 0 {
		g.mu.Unlock()
		return nil
	}
	g.drained = make(chan struct{})
	drained := g.drained
	g.mu.Unlock()
	select {
	case <-drained:
		return nil
	case <-ctx.Done():
		g.open()
		return ctx.Err()
	}
}

// open lets reads in again after a successful hold.
func (g *readGate) open() {
	g.mu.Lock()
	close(g.opened)
	g.opened, g.drained = nil, nil
	g.mu.Unlock()
}
