package sqlstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// TestPGWriteBeginComesFirst: a group commit's BEGIN on PostgreSQL waits
// for the batch's first statement and travels with it. It must still
// come before every statement of the batch, whichever goes first: a
// statement sent on its own (CreateAgency's INSERT … RETURNING id, which
// the writer does not queue), queued statements that a later one sends
// (an idempotency key, then that INSERT), or the audit chain's
// transaction-scoped advisory lock. A statement sent before its BEGIN would
// commit on its own: a batch that then fails would leave its rows behind,
// and the lock would be released at once instead of at the batch's end.
func TestPGWriteBeginComesFirst(t *testing.T) {
	db, admin, app := namedPGStore(t, "motcua_begin", sqlstore.Options{PGWriters: 1})
	at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	f := newIntakeFixture(t, db, "H99.103", at)
	var d *motcua.Dossier
	mustWrite(t, db, func(tx motcua.Tx) (err error) { d, err = f.intake(tx, 1, nil); return err })
	failed := errors.New("the batch's own failure")

	// A statement sent on its own first.
	err := db.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.CreateAgency(ctx, newAgency("H98.301")); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("the failing write: %v", err)
	}
	// Queued statements first, sent by the next one.
	err = db.Write(ctx, func(tx motcua.Tx) error {
		rec := &motcua.IdempotencyRecord{UserID: 1, Key: "begin-first", RequestHash: []byte{1}, DossierID: d.ID, CreatedAt: at}
		if err := tx.SaveIdempotency(ctx, rec); err != nil {
			return err
		}
		if err := tx.CreateAgency(ctx, newAgency("H98.302")); err != nil {
			return err
		}
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("the failing write: %v", err)
	}
	if err := db.Read(ctx, func(tx motcua.Tx) error {
		for _, code := range []string{"H98.301", "H98.302"} {
			if a, err := tx.AgencyByCode(ctx, code); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("agency %s of a failed write: %+v, %v; want it not found", code, a, err)
			}
		}
		if r, err := tx.Idempotency(ctx, 1, "begin-first"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("idempotency key of a failed write: %+v, %v; want it not found", r, err)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// The audit chain's lock, taken first, is held until the batch ends.
	locked, gate, done := make(chan bool, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- db.Write(ctx, func(tx motcua.Tx) error {
			ok, err := tx.LockAuditChain(ctx)
			if err != nil {
				return err
			}
			locked <- ok
			<-gate
			return failed
		})
	}()
	select {
	case ok := <-locked:
		if !ok {
			t.Fatal("the audit chain's lock was not free")
		}
	case err := <-done:
		t.Fatalf("the locking write ended early: %v", err)
	}
	tryLock := func() bool {
		var ok bool
		if err := admin.QueryRow(`SELECT pg_try_advisory_xact_lock($1)`, sqlstore.AuditSealLock).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if tryLock() {
		t.Error("the audit chain's lock was free while the batch that took it ran: it was taken outside the batch's transaction")
	}
	close(gate)
	if err := <-done; !errors.Is(err, failed) {
		t.Fatalf("the locking write: %v", err)
	}
	if !tryLock() {
		t.Error("the audit chain's lock still held after its batch ended")
	}

	var stuck int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity
		WHERE application_name = $1 AND state LIKE 'idle in transaction%'`, app).Scan(&stuck); err != nil {
		t.Fatal(err)
	}
	if stuck != 0 {
		t.Errorf("%d of the store's connections left in a transaction", stuck)
	}
}
