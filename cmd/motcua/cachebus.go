package main

import (
	"context"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/metrics"
)

// meteredBus counts what a cache bus publishes (and fails to) in the
// metrics; what it receives is counted by listenChanges.
type meteredBus struct {
	motcua.CacheBus
	m *metrics.Metrics
}

func (b meteredBus) Publish(ctx context.Context, keys ...motcua.CacheKey) error {
	err := b.CacheBus.Publish(ctx, keys...)
	if err != nil {
		b.m.CacheInvalidation("publish_failed", 1)
	} else {
		b.m.CacheInvalidation("published", len(keys))
	}
	return err
}
