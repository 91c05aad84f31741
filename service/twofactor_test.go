package service_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// totpAt computes the 6-digit code of secret at t, written here again from
// RFC 6238 rather than taken from the service.
func totpAt(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(at.Unix()/30))
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	s := m.Sum(nil)
	o := s[19] & 15
	return fmt.Sprintf("%06d", (binary.BigEndian.Uint32(s[o:])&0x7fffffff)%1000000)
}

// TestTwoFactorEnrolAndSignIn: a user enrols from their page (a wrong
// code refused, the right one gives 10 recovery codes), then signs in in
// two steps; a code is accepted once; a recovery code works once; the
// half-signed-in state is bound to its browser and expires; everything is
// in the audit log.
func TestTwoFactorEnrolAndSignIn(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		now := vn(2026, 3, 11, 9, 0)
		f := newFixture(t, e, now, func(c *service.Config) { c.LoginSlowdown = -1 })
		me := f.as("cv.anphu")
		const ua, ip = "Trình duyệt A", "198.51.100.7"

		// Without a second factor the password alone signs in.
		if res, err := f.svc.Login(ctx, "cv.anphu", demo.Password, ip, ua); err != nil || res.Token == "" || res.Challenge != "" {
			t.Fatalf("before enrolment: %+v %v", res, err)
		}
		en, err := f.svc.StartTOTP(me)
		if err != nil || len(en.Secret) != 32 || en.URI == "" {
			t.Fatalf("start: %+v %v", en, err)
		}
		if again, err := f.svc.PendingTOTP(me); err != nil || again.Secret != en.Secret {
			t.Fatalf("pending: %+v %v", again, err)
		}
		if _, err := f.svc.ConfirmTOTP(me, "000000", ip); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			if totpAt(t, en.Secret, now) != "000000" {
				t.Fatalf("a wrong code confirmed: %v", err)
			}
		}
		codes, err := f.svc.ConfirmTOTP(me, totpAt(t, en.Secret, now), ip)
		if err != nil || len(codes) != 10 {
			t.Fatalf("confirm: %v %v", codes, err)
		}
		if _, err := f.svc.PendingTOTP(me); motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Fatalf("the secret shown after enrolment: %v", err)
		}
		if st, err := f.svc.MyTwoFactor(me); err != nil || !st.Enrolled || st.RecoveryCodes != 10 || st.Required {
			t.Fatalf("status: %+v %v", st, err)
		}

		// Now the password gives only a challenge.
		f.set(now.Add(2 * time.Minute))
		res, err := f.svc.Login(ctx, "cv.anphu", demo.Password, ip, ua)
		if err != nil || res.Token != "" || res.Session != nil || res.Challenge == "" || res.Enrol {
			t.Fatalf("password step: %+v %v", res, err)
		}
		if _, err := f.svc.Authenticate(ctx, res.Challenge); err == nil {
			t.Fatal("the challenge works as a session")
		}
		code := totpAt(t, en.Secret, now.Add(2*time.Minute))
		if _, err := f.svc.SecondFactor(ctx, res.Challenge, code, ip, "Trình duyệt khác"); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Fatalf("another browser used the challenge: %v", err)
		}
		done, err := f.svc.SecondFactor(ctx, res.Challenge, code, ip, ua)
		if err != nil || done.Token == "" || done.Session == nil {
			t.Fatalf("second step: %+v %v", done, err)
		}
		if u, err := f.svc.Authenticate(ctx, done.Token); err != nil || u.Username != "cv.anphu" {
			t.Fatalf("the session: %v %v", u, err)
		}
		if _, err := f.svc.SecondFactor(ctx, res.Challenge, code, ip, ua); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Fatalf("the challenge used twice: %v", err)
		}

		// The same code again, within its window, in a new sign-in: refused.
		res2, err := f.svc.Login(ctx, "cv.anphu", demo.Password, ip, ua)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SecondFactor(ctx, res2.Challenge, code, ip, ua); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Fatalf("a replayed code: %v", err)
		}
		// A recovery code, in another form, works once.
		typed := " " + codes[3][:5] + " " + codes[3][6:]
		rc, err := f.svc.SecondFactor(ctx, res2.Challenge, typed, ip, ua)
		if err != nil || rc.Token == "" || rc.RecoveryCodesLeft != 9 {
			t.Fatalf("recovery code: %+v %v", rc, err)
		}
		res3, _ := f.svc.Login(ctx, "cv.anphu", demo.Password, ip, ua)
		if _, err := f.svc.SecondFactor(ctx, res3.Challenge, codes[3], ip, ua); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Fatalf("a recovery code used twice: %v", err)
		}
		// The challenge expires.
		f.set(now.Add(2*time.Minute + service.ChallengeTTL + time.Second))
		if _, err := f.svc.SecondFactor(ctx, res3.Challenge, totpAt(t, en.Secret, now.Add(2*time.Minute+service.ChallengeTTL+time.Second)), ip, ua); motcua.ErrorReason(err) != "challenge_expired" {
			t.Fatalf("an expired challenge: %v", err)
		}

		u := f.users["cv.anphu"]
		for action, want := range map[string]int{motcua.AuditTOTPEnrolled: 1, motcua.AuditRecoveryCodeUsed: 1, motcua.AuditTOTPFailed: 2} {
			if got := len(f.entries(action, 0, u.ID)); got < want {
				t.Errorf("%s logged %d times, want at least %d", action, got, want)
			}
		}
	})
}

// TestTwoFactorRequiredAndThrottled: with the setting on, an administrator
// without a second factor is sent to enrol at sign-in and gets a session
// only after confirming a code; roles not listed still sign in with the
// password; wrong codes are limited per account even across addresses.
func TestTwoFactorRequiredAndThrottled(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		now := vn(2026, 3, 11, 9, 0)
		f := newFixture(t, e, now, func(c *service.Config) {
			c.LoginSlowdown = -1
			c.RequireTwoFactor = []motcua.Role{motcua.RoleAdmin, motcua.RoleLeader}
		})
		const ua = "Trình duyệt"
		if res, err := f.svc.Login(ctx, "cv.anphu", demo.Password, "198.51.100.1", ua); err != nil || res.Token == "" {
			t.Fatalf("a specialist: %+v %v", res, err)
		}
		res, err := f.svc.Login(ctx, "admin", demo.Password, "198.51.100.1", ua)
		if err != nil || res.Token != "" || !res.Enrol {
			t.Fatalf("an administrator without a second factor: %+v %v", res, err)
		}
		en, err := f.svc.ChallengeEnrolment(ctx, res.Challenge, ua)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := f.svc.ChallengeEnrolment(ctx, res.Challenge, ua); again == nil || again.Secret != en.Secret {
			t.Fatal("the enrolment changed its secret within one challenge")
		}
		done, err := f.svc.SecondFactor(ctx, res.Challenge, totpAt(t, en.Secret, now), "198.51.100.1", ua)
		if err != nil || done.Token == "" || len(done.RecoveryCodes) != 10 {
			t.Fatalf("enrolment at sign-in: %+v %v", done, err)
		}

		// Ten wrong codes from ten addresses, then the right one is refused
		// for a while.
		f.set(now.Add(time.Minute))
		right := totpAt(t, en.Secret, now.Add(time.Minute))
		for i := range 10 {
			r, err := f.svc.Login(ctx, "admin", demo.Password, fmt.Sprintf("203.0.113.%d", i), ua)
			if err != nil || r.Challenge == "" || r.Enrol {
				t.Fatalf("sign-in %d: %+v %v", i, r, err)
			}
			wrong := fmt.Sprintf("%06d", i)
			if wrong == right {
				wrong = "999999"
			}
			if _, err := f.svc.SecondFactor(ctx, r.Challenge, wrong, fmt.Sprintf("203.0.113.%d", i), ua); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		r, _ := f.svc.Login(ctx, "admin", demo.Password, "198.51.100.1", ua)
		if _, err := f.svc.SecondFactor(ctx, r.Challenge, right, "198.51.100.1", ua); motcua.ErrorCode(err) != motcua.ETOOMANY {
			t.Fatalf("the 11th code: %v", err)
		}
		f.set(now.Add(20 * time.Minute))
		r, _ = f.svc.Login(ctx, "admin", demo.Password, "198.51.100.1", ua)
		if s, err := f.svc.SecondFactor(ctx, r.Challenge, totpAt(t, en.Secret, now.Add(20*time.Minute)), "198.51.100.1", ua); err != nil || s.Token == "" {
			t.Fatalf("after the pause: %v", err)
		}
	})
}
