package service_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// slowHasher is the tests' cheap hasher made as slow as a real one
// (argon2id takes about 100 ms) and counting the checks it makes.
type slowHasher struct {
	checks atomic.Int64
	delay  time.Duration
}

func (h *slowHasher) Hash(p string) (string, error) { return cheap.Hash(p) }

func (h *slowHasher) Verify(encoded, p string) (bool, error) {
	h.checks.Add(1)
	time.Sleep(h.delay)
	return cheap.Verify(encoded, p)
}

// signInService returns a second service on f's database with h as its
// hasher and the given first delay.
func (f *fixture) signInService(h *slowHasher, slow time.Duration) *service.Service {
	cfg := f.cfg
	cfg.LoginSlowdown = slow
	return service.New(f.db, f.svc.Calendar(), h, cfg)
}

// TestSignInGuessing re-probes the sign-in as the outside probe did.
func TestSignInGuessing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)

		t.Run("30 concurrent guesses get 5 checks", func(t *testing.T) {
			h := &slowHasher{delay: 30 * time.Millisecond}
			svc := f.signInService(h, -1)
			var wg sync.WaitGroup
			var wrong, refused atomic.Int64
			for i := range 30 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, err := svc.Login(ctx, "cv.anphu", fmt.Sprintf("doan-%d", i), "203.0.113.1", "probe")
					switch motcua.ErrorCode(err) {
					case motcua.EUNAUTHORIZED:
						wrong.Add(1)
					case motcua.ETOOMANY:
						refused.Add(1)
					default:
						t.Errorf("guess %d: %v", i, err)
					}
				}()
			}
			wg.Wait()
			if h.checks.Load() > 5 || wrong.Load() > 5 || wrong.Load()+refused.Load() != 30 {
				t.Errorf("%d passwords checked, %d wrong, %d refused of 30 concurrent guesses (limit 5)", h.checks.Load(), wrong.Load(), refused.Load())
			}
			// The stranger did not lock the real user out.
			if _, err := svc.Login(ctx, "cv.anphu", demo.Password, "198.51.100.1", "trình duyệt"); err != nil {
				t.Errorf("the real user from their own address after a stranger's guesses: %v", err)
			}
		})

		t.Run("unknown accounts cost a password check", func(t *testing.T) {
			h := &slowHasher{delay: 20 * time.Millisecond}
			svc := f.signInService(h, -1)
			timeOf := func(user string) time.Duration {
				start := time.Now()
				_, err := svc.Login(ctx, user, "khong-dung-mat-khau", "198.51.100.50", "")
				wantCode(t, err, motcua.EUNAUTHORIZED, "bad_credentials")
				return time.Since(start)
			}
			before := h.checks.Load()
			unknown, known := timeOf("khong.ton.tai"), timeOf("cv.hoabinh")
			if n := h.checks.Load() - before; n != 2 {
				t.Errorf("%d password checks for an unknown and a known account, want 2", n)
			}
			if unknown < 20*time.Millisecond || known < 20*time.Millisecond {
				t.Errorf("an unknown account answered in %v, a known one in %v", unknown, known)
			}
		})

		t.Run("one address, many accounts", func(t *testing.T) {
			svc := f.signInService(&slowHasher{}, -1)
			n := 0
			for i := range 40 {
				_, err := svc.Login(ctx, fmt.Sprintf("nguoi%d", i), "sai", "203.0.113.2", "")
				if motcua.ErrorCode(err) == motcua.EUNAUTHORIZED {
					n++
				}
			}
			if n != 30 {
				t.Errorf("%d guesses checked from one address, want 30", n)
			}
			_, err := svc.Login(ctx, "ct.hoabinh", demo.Password, "203.0.113.2", "")
			wantCode(t, err, motcua.ETOOMANY, "too_many_login_failures")
		})

		t.Run("many addresses, one account: slower, never locked", func(t *testing.T) {
			svc := f.signInService(&slowHasher{}, 20*time.Millisecond)
			for i := range 12 {
				_, err := svc.Login(ctx, "ct.anphu", "sai", fmt.Sprintf("192.0.2.%d", i+1), "")
				wantCode(t, err, motcua.EUNAUTHORIZED, "bad_credentials")
			}
			start := time.Now()
			if _, err := svc.Login(ctx, "ct.anphu", demo.Password, "198.51.100.60", ""); err != nil {
				t.Fatalf("the real user after guesses from twelve addresses: %v", err)
			}
			if took := time.Since(start); took < 300*time.Millisecond {
				t.Errorf("the 13th try on the account waited %v, want the slowed 320 ms", took)
			}
			// A success clears the account's count: no more waiting.
			start = time.Now()
			if _, err := svc.Login(ctx, "ct.anphu", demo.Password, "198.51.100.60", ""); err != nil || time.Since(start) > 200*time.Millisecond {
				t.Errorf("sign-in after a success: %v in %v", err, time.Since(start))
			}
		})
	})
}
