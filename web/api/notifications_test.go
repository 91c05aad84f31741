package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestMyNotifications: once the transfer deadline of a dossier has passed
// and the warning job has run, the officer holding it reads the warning
// through the API (times in Vietnam time), and it is read afterwards;
// another agency's officer has none of it; nobody signed in is refused.
func TestMyNotifications(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		code, _ := e.receive()
		var d *motcua.Dossier
		e.db.Read(context.Background(), func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(context.Background(), code); return err })
		e.setClock(d.Status.ActionDueAt.Add(time.Minute))
		if _, err := e.svc.WarnClocks(context.Background()); err != nil {
			t.Fatal(err)
		}
		var list struct {
			Items []struct {
				Code   string `json:"code"`
				Level  string `json:"level"`
				Text   string `json:"text"`
				At     string `json:"at"`
				ReadAt string `json:"read_at"`
			} `json:"items"`
		}
		officer := e.login("motcua.anphu")
		r := e.call("GET", "/notifications", officer, nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		// The demo's own dossiers may be late too: only this one's count.
		mine := func() (n int, read bool, at string) {
			for _, it := range list.Items {
				if it.Code == code {
					if it.Level != motcua.LevelOverdue {
						t.Errorf("level %q", it.Level)
					}
					n, read, at = n+1, it.ReadAt != "", it.At
				}
			}
			return
		}
		r.decode(t, &list)
		if n, read, at := mine(); n != 1 || read || !strings.HasSuffix(at, "+07:00") {
			t.Fatalf("notifications: %s", r.body)
		}
		e.call("GET", "/notifications", officer, nil, nil).decode(t, &list)
		if n, read, _ := mine(); n != 1 || !read {
			t.Fatalf("after reading: %+v", list.Items)
		}
		e.call("GET", "/notifications", e.login("motcua.trungtam"), nil, nil).decode(t, &list)
		if n, _, _ := mine(); n != 0 {
			t.Fatalf("another agency's officer: %+v", list.Items)
		}
		expectError(t, e.call("GET", "/notifications", "", nil, nil), http.StatusUnauthorized, "not_signed_in")
	})
}
