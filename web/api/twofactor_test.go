package api_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// totpCode is RFC 6238's 6-digit code of secret at t, computed here
// independently of the service.
func totpCode(t *testing.T, secret string, at time.Time) string {
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

// TestAPISignInWithSecondFactor: POST /sessions takes the code in "otp";
// without it an enrolled account gets 401 otp_required, a wrong or
// replayed code 401 bad_otp; an administrator required to have a second
// factor and without one gets 403 otp_enrolment_required; other accounts
// sign in with the password alone. Every answer matches openapi.json.
func TestAPISignInWithSecondFactor(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, engine sqltest.Engine) {
		now := vn(2026, 3, 11, 9, 0)
		e := newEnvWith(t, engine, now, func(c *service.Config) {
			c.LoginSlowdown = -1
			c.RequireTwoFactor = []motcua.Role{motcua.RoleAdmin}
		})
		ctx := context.Background()
		var u *motcua.User
		if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "cv.anphu"); return err }); err != nil {
			t.Fatal(err)
		}
		me := motcua.NewContextWithUser(ctx, u)
		en, err := e.svc.StartTOTP(me)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ConfirmTOTP(me, totpCode(t, en.Secret, now), "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		e.setClock(now.Add(time.Minute))
		code := totpCode(t, en.Secret, now.Add(time.Minute))
		body := func(otp string) map[string]string {
			return map[string]string{"username": "cv.anphu", "password": demo.Password, "otp": otp}
		}
		expectError(t, e.call("POST", "/sessions", "", body(""), nil), http.StatusUnauthorized, "otp_required")
		wrong := "123456"
		if wrong == code {
			wrong = "654321"
		}
		expectError(t, e.call("POST", "/sessions", "", body(wrong), nil), http.StatusUnauthorized, "bad_otp")
		r := e.call("POST", "/sessions", "", body(code), nil)
		if r.status != http.StatusCreated {
			t.Fatalf("with the code: %d %s", r.status, r.body)
		}
		var lr struct{ Token string }
		r.decode(t, &lr)
		if me := e.call("GET", "/me", lr.Token, nil, nil); me.status != http.StatusOK {
			t.Fatalf("the session: %d %s", me.status, me.body)
		}
		expectError(t, e.call("POST", "/sessions", "", body(code), nil), http.StatusUnauthorized, "bad_otp")
		expectError(t, e.call("POST", "/sessions", "", map[string]string{"username": "admin", "password": demo.Password}, nil),
			http.StatusForbidden, "otp_enrolment_required")
		e.login("ld.noivu") // a leader, not required here: the password alone
	})
}
