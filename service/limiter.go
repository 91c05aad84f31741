package service

import (
	"sync"
	"time"
)

// failureLimiter counts failures per key in a window and refuses a key
// that has too many: it slows down guessing of lookup verifiers and
// passwords. Each instance keeps its own counts, and the failures of the
// other instances reach it through Config.Bus (cachebus.go), so that
// spreading guesses over instances gains nothing.
type failureLimiter struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	keys   map[string]*failures
}

type failures struct {
	n     int
	since time.Time
}

func newFailureLimiter(max int, window time.Duration) *failureLimiter {
	return &failureLimiter{max: max, window: window, keys: map[string]*failures{}}
}

// blocked reports whether key has reached the limit at now.
func (l *failureLimiter) blocked(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.keys[key]
	if !ok {
		return false
	}
	if now.Sub(f.since) > l.window {
		delete(l.keys, key)
		return false
	}
	return f.n >= l.max
}

// fail records a failure of key at now.
func (l *failureLimiter) fail(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failLocked(key, now)
}

func (l *failureLimiter) failLocked(key string, now time.Time) {
	if len(l.keys) > 100000 { // bound memory under a flood: forget old keys
		for k, f := range l.keys {
			if now.Sub(f.since) > l.window {
				delete(l.keys, k)
			}
		}
	}
	f, ok := l.keys[key]
	if !ok || now.Sub(f.since) > l.window {
		f = &failures{since: now}
		l.keys[key] = f
	}
	f.n++
}

// attempt reserves one try of key at now and reports whether it is
// allowed: the try is counted as a failure before it is made, in the same
// lock as the check, so that concurrent tries cannot all pass the check
// before any failure is recorded. A try that succeeds gives its count back
// (refund).
func (l *failureLimiter) attempt(key string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.keys[key]
	if ok && now.Sub(f.since) > l.window {
		ok = false
	}
	if ok && f.n >= l.max {
		return false
	}
	l.failLocked(key, now)
	return true
}

// refund gives back a try reserved by attempt that succeeded.
func (l *failureLimiter) refund(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if f, ok := l.keys[key]; ok {
		if f.n--; f.n <= 0 {
			delete(l.keys, key)
		}
	}
}

// count returns the failures of key in the window at now.
func (l *failureLimiter) count(key string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	f, ok := l.keys[key]
	if !ok || now.Sub(f.since) > l.window {
		return 0
	}
	return f.n
}

// counted reports whether key has failures on record.
func (l *failureLimiter) counted(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.keys[key]
	return ok
}

// reset forgets key after a success.
func (l *failureLimiter) reset(key string) {
	l.mu.Lock()
	delete(l.keys, key)
	l.mu.Unlock()
}
