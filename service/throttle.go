package service

import (
	"context"
	"log/slog"
	"net/netip"
	"time"

	"github.com/motcua/motcua"
)

// addressKey is the key under which guesses from the client address ip
// are counted: the address itself, or for IPv6 its /64, which one
// subscriber holds whole (counting single IPv6 addresses would give an
// attacker 2^64 fresh keys). An address that does not parse is counted as
// given.
func addressKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return "?" + ip
	}
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

// tellOthers publishes keys to the other instances only (Config.Bus): the
// failures this instance has already counted itself, through a limiter's
// attempt.
func (s *Service) tellOthers(ctx context.Context, keys ...motcua.CacheKey) {
	if s.cfg.Bus == nil {
		return
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.cfg.Bus.Publish(pctx, keys...); err != nil {
		slog.Warn("other instances not told of a failed guess", "err", err)
	}
}
