package service_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestTOTPSecretSealed: with a secret key configured, the second-factor
// secret never reaches the database in clear; the same key opens it, another
// key or a row copied to another account does not (an error, never a
// sign-in); a secret stored in clear before the key existed still works and
// is sealed at its next use.
func TestTOTPSecretSealed(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		now := vn(2026, 3, 11, 9, 0)
		key := bytes.Repeat([]byte{7}, 32)
		f := newFixture(t, e, now, func(c *service.Config) { c.LoginSlowdown = -1; c.SecretKey = key })
		const ua, ip = "Trình duyệt", "198.51.100.1"
		raw := func(username string) *motcua.TOTP {
			t.Helper()
			var o *motcua.TOTP
			if err := f.db.Read(ctx, func(tx motcua.Tx) error {
				u, err := tx.UserByUsername(ctx, username)
				if err != nil {
					return err
				}
				o, err = tx.TOTP(ctx, u.ID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return o
		}
		enrol := func(svc *service.Service, username string) string {
			t.Helper()
			in, err := svc.Login(ctx, username, demo.Password, ip, ua)
			if err != nil {
				t.Fatal(err)
			}
			uctx := motcua.NewContextWithUser(ctx, in.User)
			en, err := svc.StartTOTP(uctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := svc.ConfirmTOTP(uctx, totpAt(t, en.Secret, f.cfg.Now()), ip); err != nil {
				t.Fatal(err)
			}
			return en.Secret
		}
		signIn := func(svc *service.Service, username, secret string, at time.Time) error {
			t.Helper()
			r, err := svc.Login(ctx, username, demo.Password, ip, ua)
			if err != nil {
				t.Fatal(err)
			}
			_, err = svc.SecondFactor(ctx, r.Challenge, totpAt(t, secret, at), ip, ua)
			return err
		}

		secret := enrol(f.svc, "cv.anphu")
		stored := raw("cv.anphu").Secret
		if !strings.HasPrefix(stored, "v1:") || strings.Contains(stored, secret) {
			t.Fatalf("stored secret %q is not sealed", stored)
		}
		f.set(now.Add(time.Minute))
		if err := signIn(f.svc, "cv.anphu", secret, now.Add(time.Minute)); err != nil {
			t.Fatalf("sign-in with the sealed secret: %v", err)
		}

		// Another key: refused as a fault of the system, not a wrong code.
		other := f.cfg
		other.SecretKey = bytes.Repeat([]byte{8}, 32)
		wrongKey := service.New(f.db, f.svc.Calendar(), cheap, other)
		f.set(now.Add(2 * time.Minute))
		if err := signIn(wrongKey, "cv.anphu", secret, now.Add(2*time.Minute)); motcua.ErrorCode(err) != motcua.EINTERNAL {
			t.Errorf("sign-in through an instance with another key: %v", err)
		}

		// The sealed row copied onto another account does not open there.
		o := raw("cv.anphu")
		if err := f.db.Write(ctx, func(tx motcua.Tx) error {
			u, err := tx.UserByUsername(ctx, "ct.anphu")
			if err != nil {
				return err
			}
			c := *o
			c.UserID = u.ID
			return tx.SaveTOTP(ctx, &c)
		}); err != nil {
			t.Fatal(err)
		}
		f.set(now.Add(3 * time.Minute))
		if err := signIn(f.svc, "ct.anphu", secret, now.Add(3*time.Minute)); motcua.ErrorCode(err) != motcua.EINTERNAL {
			t.Errorf("sign-in with a sealed secret copied from another account: %v", err)
		}

		// A secret enrolled in clear (no key then) works with the key and
		// is sealed at its first use.
		clearCfg := f.cfg
		clearCfg.SecretKey = nil
		clear := service.New(f.db, f.svc.Calendar(), cheap, clearCfg)
		f.set(now.Add(4 * time.Minute))
		legacy := enrol(clear, "ld.tuphap")
		if got := raw("ld.tuphap").Secret; got != legacy {
			t.Fatalf("without a key the secret is stored as given: %q", got)
		}
		f.set(now.Add(5 * time.Minute))
		if err := signIn(f.svc, "ld.tuphap", legacy, now.Add(5*time.Minute)); err != nil {
			t.Fatalf("sign-in with a secret stored in clear: %v", err)
		}
		if got := raw("ld.tuphap").Secret; !strings.HasPrefix(got, "v1:") {
			t.Errorf("a clear secret was not sealed at its use: %q", got)
		}
		f.set(now.Add(6 * time.Minute))
		if err := signIn(f.svc, "ld.tuphap", legacy, now.Add(6*time.Minute)); err != nil {
			t.Errorf("sign-in after sealing: %v", err)
		}
	})
}
