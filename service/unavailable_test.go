package service_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// fullStore is a store whose writes fail for want of space while full is
// set, as a full disk makes them; reads still work.
type fullStore struct {
	motcua.Store
	full atomic.Bool
}

func (s *fullStore) Write(ctx context.Context, fn func(motcua.Tx) error) error {
	if s.full.Load() {
		return motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable", "Hệ thống lưu trữ tạm thời không sẵn sàng.")
	}
	return s.Store.Write(ctx, fn)
}

// TestReplayWhileStorageFull: a request acknowledged before the disk
// filled up, sent again with its idempotency key, gets its dossier back
// from a read; a new request gets EUNAVAILABLE.
func TestReplayWhileStorageFull(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		st := &fullStore{Store: f.db}
		svc := service.New(st, f.svc.Calendar(), cheap, f.cfg)
		n := f.newDossier("0912000777")
		first, err := svc.ReceiveDossier(f.as("motcua.anphu"), "khoa-1", n)
		if err != nil {
			t.Fatal(err)
		}
		st.full.Store(true)
		again, err := svc.ReceiveDossier(f.as("motcua.anphu"), "khoa-1", f.newDossier("0912000777"))
		if err != nil || !again.Replayed || again.Dossier.Code != first.Dossier.Code {
			t.Fatalf("the acknowledged request again on a full disk: %+v %v", again, err)
		}
		_, err = svc.ReceiveDossier(f.as("motcua.anphu"), "khoa-2", f.newDossier("0912000778"))
		wantCode(t, err, motcua.EUNAVAILABLE, "storage_unavailable")
		_, err = svc.ReceiveDossier(f.as("motcua.anphu"), "khoa-1", f.newDossier("0912000779"))
		wantCode(t, err, motcua.ECONFLICT, "idempotency_key_reused")
	})
}
