package service

import (
	"sync"
	"time"
)

// cache is a small in-memory cache with a time to live, for values read
// often and changed rarely (public lookups, signed-in sessions). Changes
// made through this instance invalidate the entry at once; the time to live
// bounds how stale an entry can be after a change made by another instance.
//
// A read that began before an invalidation must not put back the value it
// read: get returns the generation at which the caller's read starts, and
// put refuses values older than the key's last invalidation.
type cache[K comparable, V any] struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	gen     uint64
	entries map[K]cacheEntry[V]
}

type cacheEntry[V any] struct {
	value V
	at    time.Time
	gen   uint64 // generation of the read (value) or of the invalidation (tomb)
	tomb  bool
}

func newCache[K comparable, V any](ttl time.Duration, max int) *cache[K, V] {
	return &cache[K, V]{ttl: ttl, max: max, entries: map[K]cacheEntry[V]{}}
}

// get returns the live value of k, if any, and the generation to pass to put
// after reading the value from its source.
func (c *cache[K, V]) get(k K, now time.Time) (V, bool, uint64) {
	var zero V
	if c == nil || c.ttl <= 0 {
		return zero, false, 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	if ok && !e.tomb && now.Sub(e.at) < c.ttl {
		return e.value, true, c.gen
	}
	return zero, false, c.gen
}

// put stores v for k unless k was invalidated after generation gen.
func (c *cache[K, V]) put(k K, v V, gen uint64, now time.Time) {
	if c == nil || c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[k]; ok && e.tomb && e.gen >= gen {
		return
	}
	if len(c.entries) >= c.max {
		for key, e := range c.entries { // drop expired entries, then anything
			if now.Sub(e.at) >= c.ttl {
				delete(c.entries, key)
			}
		}
		if len(c.entries) >= c.max {
			clear(c.entries)
		}
	}
	c.entries[k] = cacheEntry[V]{value: v, at: now, gen: gen}
}

// invalidate forgets k and keeps older reads from putting it back.
func (c *cache[K, V]) invalidate(k K, now time.Time) {
	if c == nil || c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries[k] = cacheEntry[V]{at: now, gen: c.gen, tomb: true}
}

// clear forgets everything.
func (c *cache[K, V]) clear() {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.gen++
	clear(c.entries)
	c.mu.Unlock()
}
