package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestDeferredDossierKeysStillChecked: migration 0028 makes the foreign
// keys to dossiers deferrable, and a batch of intakes defers them so that
// the rows pointing to its held dossiers go before them. The keys must
// still hold: a write outside such a batch that points to a dossier that
// does not exist fails at once; one inside a batch of intakes fails at the
// batch's commit, and then alone (the batch runs again in isolation, where
// the keys are checked at each statement), while the intakes are stored
// with gap-free numbers. Every key to dossiers is deferrable (a table that
// gains one must be covered by the migration too).
func TestDeferredDossierKeysStillChecked(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	db := openMigrated(t, addr, sqlstore.Options{PGWriters: 1})
	admin := pgAdmin(t, addr)
	var notDeferrable string
	if err := admin.QueryRow(`SELECT COALESCE(string_agg(conrelid::regclass::text || '.' || conname, ', '), '')
		FROM pg_constraint WHERE contype = 'f' AND confrelid = 'dossiers'::regclass AND NOT condeferrable`).Scan(&notDeferrable); err != nil {
		t.Fatal(err)
	}
	if notDeferrable != "" {
		t.Errorf("foreign keys to dossiers that are not deferrable: %s", notDeferrable)
	}

	f := newIntakeFixture(t, db, "H98.300", time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC))
	at := f.at
	intake := func(tx motcua.Tx, i int) (*motcua.Dossier, error) {
		d, err := f.intake(tx, i, nil)
		if err != nil {
			return nil, err
		}
		return d, tx.SaveIdempotency(ctx, &motcua.IdempotencyRecord{UserID: 1, Key: fmt.Sprintf("k%d", i), RequestHash: []byte{1}, DossierID: d.ID, CreatedAt: at})
	}
	const missing = 1 << 40 // no dossier has this id
	dangling := func(tx motcua.Tx, key string) error {
		return tx.SaveIdempotency(ctx, &motcua.IdempotencyRecord{UserID: 1, Key: key, RequestHash: []byte{1}, DossierID: missing, CreatedAt: at})
	}
	isKeyError := func(err error) bool {
		return err != nil && strings.Contains(err.Error(), "23503") // foreign_key_violation
	}

	// Alone: refused.
	if err := db.Write(ctx, func(tx motcua.Tx) error { return dangling(tx, "alone") }); !isKeyError(err) {
		t.Fatalf("a key pointing to no dossier, written alone: %v, want a foreign key violation", err)
	}

	// In a batch of intakes, whose keys are deferred: refused, alone.
	const n = 12
	made := make([]*motcua.Dossier, n)
	errs := writeAsOneBatch(t, db, n, func(tx motcua.Tx, i int) error {
		d, err := intake(tx, i)
		if err != nil {
			return err
		}
		made[i] = d
		if i == 5 {
			return dangling(tx, "in-batch")
		}
		return nil
	})
	seen := map[string]bool{}
	for i, err := range errs {
		if i == 5 {
			if !isKeyError(err) {
				t.Errorf("the intake with a dangling key: %v, want a foreign key violation", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("intake %d: %v", i, err)
		}
		var stored *motcua.Dossier
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) { stored, err = tx.DossierByCode(ctx, made[i].Code); return err }); err != nil {
			t.Fatalf("intake %d acknowledged as %s: %v", i, made[i].Code, err)
		}
		if stored.ID != made[i].ID {
			t.Errorf("intake %d acknowledged as %s (id %d) is stored under id %d", i, made[i].Code, made[i].ID, stored.ID)
		}
		seen[made[i].Code] = true
	}
	for k := 1; k < n; k++ {
		if c := f.code(k); !seen[c] {
			t.Errorf("number %s missing: a gap (codes %v)", c, seen)
		}
	}
	var dossiers, keys int
	if err := admin.QueryRow(`SELECT (SELECT COUNT(*) FROM dossiers), (SELECT COUNT(*) FROM idempotency_keys)`).Scan(&dossiers, &keys); err != nil {
		t.Fatal(err)
	}
	if dossiers != n-1 || keys != n-1 {
		t.Errorf("%d dossiers and %d keys stored, want %d of each", dossiers, keys, n-1)
	}
}
