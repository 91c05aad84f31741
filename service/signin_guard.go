package service

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// signInGuard slows down password guessing without letting a stranger lock
// the real user out:
//
//   - per account and client address ("ua:"), 5 failures in 15 minutes
//     refuse that account from that address only;
//   - per client address ("a:"), 30 failures in 15 minutes, whatever the
//     accounts, refuse the address (one address trying many accounts);
//   - per account from anywhere ("u:"), failures beyond 5 in 15 minutes
//     delay every further try on the account, doubling from slow up to
//     16 times it: guessing from many addresses gets slow, and the real
//     user waits a few seconds at worst but is never refused.
//
// Each try is reserved before the password is checked (failureLimiter's
// attempt), so concurrent guesses cannot all pass the check before the
// first failure is counted.
type signInGuard struct {
	pair, addr, user *failureLimiter
	slow             time.Duration

	dummyOnce sync.Once
	dummy     string // a hash to check unknown accounts' guesses against
}

func newSignInGuard(slow time.Duration) *signInGuard {
	if slow == 0 {
		slow = 250 * time.Millisecond
	}
	return &signInGuard{pair: newFailureLimiter(5, 15*time.Minute), addr: newFailureLimiter(30, 15*time.Minute),
		user: newFailureLimiter(1<<30, 15*time.Minute), slow: slow}
}

// signInKeys are the guard's keys of a try.
type signInKeys struct{ pair, addr, user string }

func keysOf(username, ip string) signInKeys {
	a := addressKey(ip)
	return signInKeys{pair: "ua:" + username + "|" + a, addr: "a:" + a, user: "u:" + username}
}

// admit reserves a try of k at now, or returns ETOOMANY.
func (g *signInGuard) admit(k signInKeys, now time.Time) error {
	if !g.pair.attempt(k.pair, now) {
		return motcua.Errorf(motcua.ETOOMANY, "too_many_login_failures",
			"Đăng nhập sai quá nhiều lần với tài khoản này từ máy của bạn; vui lòng thử lại sau 15 phút.")
	}
	if !g.addr.attempt(k.addr, now) {
		g.pair.refund(k.pair)
		return motcua.Errorf(motcua.ETOOMANY, "too_many_login_failures",
			"Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này; vui lòng thử lại sau 15 phút.")
	}
	return nil
}

// delay is how long a try on the account of k waits at now.
func (g *signInGuard) delay(k signInKeys, now time.Time) time.Duration {
	if g.slow < 0 {
		return 0
	}
	n := g.user.count(k.user, now) - 5
	if n <= 0 {
		return 0
	}
	return g.slow << min(n-1, 4)
}

// failed records a failed try of k (its pair and address tries stay
// counted) at now.
func (g *signInGuard) failed(k signInKeys, now time.Time) { g.user.fail(k.user, now) }

// succeeded gives back the try of k and forgets the failures of its
// account (the password was known).
func (g *signInGuard) succeeded(k signInKeys) {
	g.pair.reset(k.pair)
	g.addr.refund(k.addr)
	g.user.reset(k.user)
}

// hadFailures reports whether a success on k clears failures other
// instances should forget too.
func (g *signInGuard) hadFailures(k signInKeys) bool { return g.user.counted(k.user) }

// remote applies a failure or a reset another instance published (its key
// names the counter by its prefix).
func (g *signInGuard) remote(key string, now time.Time, reset bool) {
	l := g.pair
	switch {
	case strings.HasPrefix(key, "a:"):
		l = g.addr
	case strings.HasPrefix(key, "u:"):
		l = g.user
	}
	if reset {
		l.reset(key)
	} else {
		l.fail(key, now)
	}
}

// wait sleeps for d, or until ctx ends.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// dummyHash returns a password hash made once with the service's hasher,
// checked against the password given for an unknown or locked account so
// that such an answer takes as long as a wrong password (no way to tell
// which usernames exist by timing).
func (s *Service) dummyHash() string {
	g := s.logins
	g.dummyOnce.Do(func() {
		g.dummy, _ = s.hasher.Hash("motcua: no such account, a password no one types")
	})
	return g.dummy
}
