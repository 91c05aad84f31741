package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// refusingStore is a store whose writes are refused as the real one
// refuses them on a full disk or during a database restart (EUNAVAILABLE;
// sqlstore's full-disk tests show the real refusal), while reads work.
type refusingStore struct{ motcua.Store }

func (refusingStore) Write(context.Context, func(motcua.Tx) error) error {
	return motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable", "Hệ thống tạm thời không ghi được dữ liệu.")
}

// TestReplayWhileWritesRefused: a retry of an acknowledged intake (same
// idempotency key, same request) is answered with the stored dossier while
// the store refuses writes; a new key gets EUNAVAILABLE (nothing was
// written), and the key reused for another request still gets ECONFLICT.
func TestReplayWhileWritesRefused(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		n := f.newDossier("0912000777")
		first, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "retry-1", n)
		if err != nil {
			t.Fatal(err)
		}
		cal, _ := calendar.Default()
		cfg := f.cfg
		cfg.Now = func() time.Time { return vn(2025, 3, 10, 9, 5) }
		full := service.New(refusingStore{f.db}, cal, cheap, cfg)

		again, err := full.ReceiveDossier(f.as("motcua.anphu"), "retry-1", n)
		if err != nil {
			t.Fatalf("retry while writes are refused: %v", err)
		}
		if !again.Replayed || again.Dossier.Code != first.Dossier.Code || again.Dossier.ID != first.Dossier.ID {
			t.Fatalf("retry answered %s (replayed %v), want the stored %s", again.Dossier.Code, again.Replayed, first.Dossier.Code)
		}
		if _, err := full.ReceiveDossier(f.as("motcua.anphu"), "retry-2", n); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
			t.Fatalf("new key while writes are refused: %v, want EUNAVAILABLE", err)
		}
		if _, err := full.ReceiveDossier(f.as("motcua.anphu"), "", n); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
			t.Fatalf("no key while writes are refused: %v, want EUNAVAILABLE", err)
		}
		other := f.newDossier("0912000888")
		if _, err := full.ReceiveDossier(f.as("motcua.anphu"), "retry-1", other); motcua.ErrorReason(err) != "idempotency_key_reused" {
			t.Fatalf("key reused for another request while writes are refused: %v, want idempotency_key_reused", err)
		}
	})
}
