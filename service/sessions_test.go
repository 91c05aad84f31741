package service_test

import (
	"context"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestSessionsEndOnResetLockAndRoles: an administrator's password reset,
// lock or change of roles ends the account's sessions — and a lock that is
// lifted after a reset revives none — while a change of title leaves them.
func TestSessionsEndOnResetLockAndRoles(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		admin := f.as("admin")
		cv := f.users["cv.anphu"]
		if cv == nil {
			f.as("cv.anphu")
			cv = f.users["cv.anphu"]
		}
		password := demo.Password
		login := func() string {
			t.Helper()
			in, err := f.svc.Login(ctx, "cv.anphu", password, "192.0.2.10", "test")
			if err != nil {
				t.Fatal(err)
			}
			return in.Token
		}
		alive := func(what string, want bool, tokens ...string) {
			t.Helper()
			for _, tok := range tokens {
				_, err := f.svc.Authenticate(ctx, tok)
				if (err == nil) != want {
					t.Errorf("%s: session alive %v (%v), want %v", what, err == nil, err, want)
				}
			}
		}
		change := func(mut func(*service.UserChange)) {
			t.Helper()
			cur, err := f.svc.User(admin, cv.ID)
			if err != nil {
				t.Fatal(err)
			}
			c := service.UserChange{ID: cur.ID, FullName: cur.FullName, Email: cur.Email, Phone: cur.Phone, Title: cur.Title,
				Disabled: cur.Disabled, Grants: cur.Grants}
			mut(&c)
			if _, err := f.svc.UpdateUser(admin, c); err != nil {
				t.Fatal(err)
			}
		}

		a, b := login(), login()
		change(func(c *service.UserChange) { c.Title = "Công chức Tư pháp – Hộ tịch" })
		alive("after a new title", true, a, b)
		change(func(c *service.UserChange) { c.Password = "MatKhauMoi@2026" })
		alive("after a reset", false, a, b)
		password = "MatKhauMoi@2026"

		c := login()
		change(func(c *service.UserChange) { c.Disabled = true })
		change(func(c *service.UserChange) { c.Password = "MatKhauKhac@2026" })
		change(func(c *service.UserChange) { c.Disabled = false })
		alive("after lock, reset, unlock", false, c)
		password = "MatKhauKhac@2026"

		d := login()
		change(func(c *service.UserChange) {
			c.Grants = append(c.Grants, motcua.Grant{AgencyID: f.agency("H99.101").ID, Role: motcua.RoleReception})
		})
		alive("after new roles", false, d)
	})
}

// TestOwnPasswordAndSessions: a user changes their own password (the
// current one checked), which ends their other sessions but not this one;
// they list their sessions and end one, or all the others.
func TestOwnPasswordAndSessions(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		signIn := func(pw string) (context.Context, string) {
			t.Helper()
			in, err := f.svc.Login(ctx, "cv.anphu", pw, "192.0.2.11", "trình duyệt")
			if err != nil {
				t.Fatal(err)
			}
			return motcua.NewContextWithSessionToken(motcua.NewContextWithUser(ctx, in.User), in.Token), in.Token
		}
		here, tokHere := signIn(demo.Password)
		_, tokOther := signIn(demo.Password)

		list, err := f.svc.MySessions(here)
		if err != nil || len(list) != 2 {
			t.Fatalf("sessions: %d (%v)", len(list), err)
		}
		current := 0
		for _, s := range list {
			if s.Current {
				current++
			}
			if len(s.ID) != 24 || s.Session.IP != "192.0.2.11" {
				t.Errorf("session %+v", s)
			}
		}
		if current != 1 {
			t.Errorf("%d sessions marked current", current)
		}

		err = f.svc.ChangePassword(here, "sai mật khẩu", "MatKhauMoi@2026")
		wantCode(t, err, motcua.EINVALID, "bad_current_password")
		err = f.svc.ChangePassword(here, demo.Password, "ngắn")
		wantCode(t, err, motcua.EINVALID, "password_too_short")
		if err := f.svc.ChangePassword(here, demo.Password, "MatKhauMoi@2026"); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, tokHere); err != nil {
			t.Errorf("this session after the change: %v", err)
		}
		if _, err := f.svc.Authenticate(ctx, tokOther); err == nil {
			t.Error("the other session survived the password change")
		}
		if _, err := f.svc.Login(ctx, "cv.anphu", demo.Password, "192.0.2.11", ""); err == nil {
			t.Error("the old password still signs in")
		}

		// Two more sessions elsewhere: end one by its id, then the rest.
		_, tok2 := signIn("MatKhauMoi@2026")
		_, tok3 := signIn("MatKhauMoi@2026")
		list, _ = f.svc.MySessions(here)
		var id2 string
		for _, s := range list {
			if !s.Current && id2 == "" {
				id2 = s.ID
			}
		}
		if err := f.svc.EndSession(here, id2); err != nil {
			t.Fatal(err)
		}
		wantCode(t, f.svc.EndSession(here, id2), motcua.ENOTFOUND, "session_not_found")
		// Another user cannot end this user's session by its id.
		wantCode(t, f.svc.EndSession(f.as("ct.anphu"), list[0].ID), motcua.ENOTFOUND, "session_not_found")
		if n, err := f.svc.EndOtherSessions(here); err != nil || n != 1 {
			t.Errorf("ended %d other sessions (%v), want 1", n, err)
		}
		for _, tok := range []string{tok2, tok3} {
			if _, err := f.svc.Authenticate(ctx, tok); err == nil {
				t.Error("a session survived its owner's ending it")
			}
		}
		if _, err := f.svc.Authenticate(ctx, tokHere); err != nil {
			t.Errorf("this session: %v", err)
		}
	})
}
