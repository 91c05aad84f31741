package service_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestCodeFailuresReachOtherInstances: wrong second-factor codes are
// counted by every instance, so that an attacker who knows a password
// cannot multiply the ten tries by sending each to another instance.
func TestCodeFailuresReachOtherInstances(t *testing.T) {
	now := vn(2026, 3, 11, 9, 0)
	f := newFixture(t, sqltest.SQLite, now, func(c *service.Config) { c.LoginSlowdown = -1 })
	hub := &memHub{}
	instance := func() *service.Service {
		b := &memBus{hub: hub}
		cfg := f.cfg
		cfg.Bus = b
		s := service.New(f.db, f.svc.Calendar(), cheap, cfg)
		b.drop = func(k motcua.CacheKey) { s.DropCached(ctx, k) }
		hub.buses = append(hub.buses, b)
		return s
	}
	a, b := instance(), instance()
	const ua = "Trình duyệt"

	// The officer enrols through a.
	in, err := a.Login(ctx, "cv.anphu", demo.Password, "198.51.100.1", ua)
	if err != nil {
		t.Fatal(err)
	}
	uctx := motcua.NewContextWithUser(ctx, in.User)
	en, err := a.StartTOTP(uctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ConfirmTOTP(uctx, totpAt(t, en.Secret, now), "198.51.100.1"); err != nil {
		t.Fatal(err)
	}

	// Ten wrong codes through a, from ten addresses (so that no address
	// limit is what stops them).
	right := totpAt(t, en.Secret, now)
	for i := range 10 {
		ip := fmt.Sprintf("203.0.113.%d", i)
		r, err := a.Login(ctx, "cv.anphu", demo.Password, ip, ua)
		if err != nil || r.Challenge == "" {
			t.Fatalf("sign-in %d: %+v %v", i, r, err)
		}
		wrong := fmt.Sprintf("%06d", i)
		if wrong == right {
			wrong = "999999"
		}
		if _, err := a.SecondFactor(ctx, r.Challenge, wrong, ip, ua); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Fatalf("wrong code %d: %v", i, err)
		}
	}
	// b, which saw none of them itself, refuses the next code too.
	r, err := b.Login(ctx, "cv.anphu", demo.Password, "198.51.100.2", ua)
	if err != nil || r.Challenge == "" {
		t.Fatalf("sign-in through b: %+v %v", r, err)
	}
	if _, err := b.SecondFactor(ctx, r.Challenge, totpAt(t, en.Secret, now.Add(30*time.Second)), "198.51.100.2", ua); motcua.ErrorCode(err) != motcua.ETOOMANY {
		t.Errorf("a code through b after ten wrong ones through a: %v", err)
	}
}
