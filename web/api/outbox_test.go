package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestFailedDeliveriesView lists the notices given up, as an administrator
// sees them; others are refused.
func TestFailedDeliveriesView(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		now := vn(2025, 3, 10, 9, 0)
		e := newEnv(t, eng, now)
		ctx := context.Background()
		admin := e.login("admin")
		var list struct {
			Items []struct {
				ID        int64
				Topic     string
				Payload   string
				Attempts  int
				LastError string `json:"last_error"`
			}
		}
		r := e.call("GET", "/outbox/failed", admin, nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		if r.decode(t, &list); len(list.Items) != 0 {
			t.Fatalf("%d failed deliveries on a new system", len(list.Items))
		}
		m := &motcua.OutboxMessage{Topic: motcua.TopicDeadlineWarning, Payload: []byte(`{"code":"X"}`), CreatedAt: now, NextAttemptAt: now}
		err := e.db.Write(ctx, func(tx motcua.Tx) error {
			if err := tx.Enqueue(ctx, m); err != nil {
				return err
			}
			if _, err := tx.ClaimOutbox(ctx, now, now.Add(1), 10, nil); err != nil {
				return err
			}
			return tx.OutboxRetry(ctx, m.ID, "503 Service Unavailable", now, now, true)
		})
		if err != nil {
			t.Fatal(err)
		}
		r = e.call("GET", "/outbox/failed", admin, nil, nil)
		if r.decode(t, &list); len(list.Items) != 1 || list.Items[0].ID != m.ID || list.Items[0].Attempts != 1 ||
			list.Items[0].LastError != "503 Service Unavailable" || list.Items[0].Payload != `{"code":"X"}` {
			t.Fatalf("failed deliveries: %s", r.body)
		}
		expectError(t, e.call("GET", "/outbox/failed", e.login("motcua.anphu"), nil, nil), http.StatusForbidden, "admin_only")
		expectError(t, e.call("GET", "/outbox/failed", "", nil, nil), http.StatusUnauthorized, "not_signed_in")
	})
}
