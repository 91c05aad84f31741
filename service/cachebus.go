package service

import (
	"context"
	"encoding/hex"
	"log/slog"
	"strconv"
	"time"

	"github.com/motcua/motcua"
)

// changed forgets the cached entries of keys in this instance and tells
// the other instances (Config.Bus) to forget theirs. It is called once
// the change is committed. A failure to tell them is logged, not returned:
// the change is made, and the caches' time to live still bounds how long
// another instance may serve the old value.
func (s *Service) changed(ctx context.Context, keys ...motcua.CacheKey) {
	for _, k := range keys {
		if k.Kind != motcua.CacheCalendar { // rebuilt here by the caller
			s.DropCached(ctx, k)
		}
	}
	if s.cfg.Bus == nil {
		return
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.cfg.Bus.Publish(pctx, keys...); err != nil {
		slog.Warn("other instances not told of a change; they serve it within the cache time to live", "err", err)
	}
}

// DropCached forgets what this instance holds in memory for k: a change
// another instance published (see motcua.CacheBus). Unknown kinds are
// ignored (an instance of a newer version may publish more). A calendar
// change reloads the calendar from the store (a failure is logged; the
// old calendar stays until the next change or restart).
func (s *Service) DropCached(ctx context.Context, k motcua.CacheKey) {
	now := s.now()
	switch k.Kind {
	case motcua.CacheCalendar:
		if err := s.reloadCalendar(ctx); err != nil {
			slog.Error("working calendar changed by another instance but not reloaded here", "err", err)
		}
	case motcua.CacheSession:
		if k.Key == "" {
			s.sessions.clear()
		} else if hash, err := hex.DecodeString(k.Key); err == nil {
			s.sessions.invalidate(string(hash), now)
		}
	case motcua.CachePublic:
		s.public.invalidate(k.Key, now)
	case motcua.CacheAgencies:
		s.invalidateAgencies()
	case motcua.CacheCatalogue:
		s.invalidateSearch()
	case motcua.CacheLoginFailure:
		s.logins.remote(k.Key, now, false)
	case motcua.CacheLoginReset:
		s.logins.remote(k.Key, now, true)
	case motcua.CacheLookupFailure:
		s.lookups.fail(k.Key, now)
	case motcua.CacheCodeFailure:
		s.codeTries.fail(k.Key, now)
	case motcua.CacheProcVersion:
		if id, err := strconv.ParseInt(k.Key, 10, 64); err == nil {
			s.procVersions.invalidate(id, now)
		}
	case motcua.CacheUnread:
		if id, err := strconv.ParseInt(k.Key, 10, 64); err == nil {
			s.unread.invalidate(id, now)
		}
	}
}

// DropAllCached forgets everything this instance holds in memory, for when
// changes published by other instances may have been missed; it also
// reloads the calendar.
func (s *Service) DropAllCached(ctx context.Context) {
	s.DropCached(ctx, motcua.CacheKey{Kind: motcua.CacheCalendar})
	s.sessions.clear()
	s.public.clear()
	s.procVersions.clear()
	s.unread.clear()
	s.invalidateAgencies()
	s.invalidateSearch()
}

// sessionKey names the cached session of token.
func sessionKey(token string) motcua.CacheKey {
	return motcua.CacheKey{Kind: motcua.CacheSession, Key: hex.EncodeToString(hashToken(token))}
}

// procVersionKey names the cached current version of procedure id.
func procVersionKey(id int64) motcua.CacheKey {
	return motcua.CacheKey{Kind: motcua.CacheProcVersion, Key: strconv.FormatInt(id, 10)}
}

// unreadKey names the cached count of unread notifications of user id.
func unreadKey(id int64) motcua.CacheKey {
	return motcua.CacheKey{Kind: motcua.CacheUnread, Key: strconv.FormatInt(id, 10)}
}
