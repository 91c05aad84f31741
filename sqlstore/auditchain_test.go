package sqlstore_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// chainFixture is an empty database with a service on a clock the test
// moves.
type chainFixture struct {
	t   *testing.T
	e   sqltest.Engine
	db  *sqlstore.DB
	svc *service.Service
	now time.Time
}

func newChainFixture(t *testing.T, e sqltest.Engine) *chainFixture {
	f := &chainFixture{t: t, e: e, db: sqltest.Open(t, e), now: time.Date(2026, 5, 4, 2, 0, 0, 0, time.UTC)}
	f.svc = service.New(f.db, nil, nil, service.Config{Rules: motcua.DefaultRules(), Now: func() time.Time { return f.now }})
	return f
}

// log writes n entries at the current time, one transaction each.
func (f *chainFixture) log(n int) {
	f.t.Helper()
	for i := range n {
		e := &motcua.AuditEntry{At: f.now, UserID: int64(i%3 + 1), Action: motcua.AuditViewPersonalData, DossierID: int64(100 + i),
			Detail: fmt.Sprintf("Hồ sơ %d — xem giấy tờ", i), IP: "192.0.2.7"}
		if err := f.db.Write(ctx, func(tx motcua.Tx) error { return tx.Audit(ctx, e) }); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *chainFixture) seal() int {
	f.t.Helper()
	n, err := f.svc.SealAudit(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func (f *chainFixture) verify() *service.AuditVerification {
	f.t.Helper()
	v, err := f.svc.VerifyAudit(ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	return v
}

// raw runs statements as someone with the database's owner rights would,
// after dropping the append-only triggers.
func (f *chainFixture) raw(qs ...string) {
	f.t.Helper()
	drop := []string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"}
	if f.e == sqltest.Postgres {
		drop = []string{"DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log"}
	}
	for _, q := range append(drop, qs...) {
		if err := f.db.ExecRaw(ctx, q); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestAuditChainSealsOnlyOldEntries: entries younger than the sealing
// delay wait; once older they are sealed in id order and verify; sealing
// again adds nothing; the chain's links are append-only.
func TestAuditChainSealsOnlyOldEntries(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newChainFixture(t, e)
		if v := f.verify(); !v.OK() || v.Sealed != 0 || v.HeadHash != "" {
			t.Fatalf("empty log: %+v", v)
		}
		f.log(5)
		if n := f.seal(); n != 0 {
			t.Fatalf("sealed %d entries younger than the delay", n)
		}
		if v := f.verify(); !v.OK() || v.Unsealed != 5 {
			t.Fatalf("before sealing: %+v", v)
		}
		f.now = f.now.Add(service.AuditSealDelay + time.Second)
		f.log(2) // young again
		if n := f.seal(); n != 5 {
			t.Fatalf("sealed %d, want the 5 old entries", n)
		}
		v := f.verify()
		if !v.OK() || v.Sealed != 5 || v.Unsealed != 2 || v.HeadID != 5 || len(v.HeadHash) != 64 {
			t.Fatalf("after sealing: %+v", v)
		}
		if n := f.seal(); n != 0 {
			t.Fatalf("sealing again sealed %d", n)
		}
		f.now = f.now.Add(time.Hour)
		if n := f.seal(); n != 2 {
			t.Fatalf("sealed %d of the 2 later entries", n)
		}
		if v2 := f.verify(); !v2.OK() || v2.Sealed != 7 || v2.HeadHash == v.HeadHash {
			t.Fatalf("after the second seal: %+v", v2)
		}
		for _, q := range []string{"UPDATE audit_chain SET hash = 'x'", "DELETE FROM audit_chain"} {
			if err := f.db.ExecRaw(ctx, q); err == nil {
				t.Errorf("%s accepted", q)
			}
		}
	})
}

// TestAuditChainFindsTampering: a single altered field, a deleted entry,
// an entry inserted under an id sealed as a gap, and a removed link are
// each found and named; an id left by a rolled-back insert is a gap, not a
// problem.
func TestAuditChainFindsTampering(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		// prepare: entries 1..6, then one at id 10 (ids 7..9 never
		// committed), all sealed.
		prepare := func(t *testing.T) *chainFixture {
			f := newChainFixture(t, e)
			f.log(6)
			f.raw(fmt.Sprintf("INSERT INTO audit_log (id, at, user_id, action, dossier_id, detail, ip) VALUES (10, %d, 1, 'login', 0, '', '')", f.now.UnixMilli()))
			f.now = f.now.Add(time.Minute)
			if n := f.seal(); n != 7 {
				t.Fatalf("sealed %d, want 7", n)
			}
			if v := f.verify(); !v.OK() || v.Sealed != 7 || v.Gaps != 1 || v.HeadID != 10 {
				t.Fatalf("untouched chain: %+v", v)
			}
			return f
		}
		for _, c := range []struct {
			name    string
			tamper  []string
			problem string
			id      int64
		}{
			{"altered detail", []string{"UPDATE audit_log SET detail = 'Hồ sơ 3 — xem giấy tờ ' WHERE id = 4"}, service.AuditAltered, 4},
			{"altered time", []string{"UPDATE audit_log SET at = at + 1 WHERE id = 2"}, service.AuditAltered, 2},
			{"altered user", []string{"UPDATE audit_log SET user_id = 9 WHERE id = 6"}, service.AuditAltered, 6},
			{"deleted", []string{"DELETE FROM audit_log WHERE id = 3"}, service.AuditDeleted, 3},
			{"deleted last", []string{"DELETE FROM audit_log WHERE id = 10"}, service.AuditDeleted, 10},
			{"inserted in a gap", []string{"INSERT INTO audit_log (id, at, user_id, action, dossier_id, detail, ip) VALUES (8, 0, 1, 'login', 0, '', '')"}, service.AuditInserted, 8},
		} {
			t.Run(c.name, func(t *testing.T) {
				f := prepare(t)
				f.raw(c.tamper...)
				v := f.verify()
				if v.Problem != c.problem || v.ProblemID != c.id {
					t.Fatalf("found %q at %d, want %q at %d (%+v)", v.Problem, v.ProblemID, c.problem, c.id, v)
				}
			})
		}
		t.Run("link removed", func(t *testing.T) {
			f := prepare(t)
			drop := "DROP TRIGGER audit_chain_no_delete"
			if e == sqltest.Postgres {
				drop = "DROP TRIGGER audit_chain_no_change ON audit_chain"
			}
			f.raw(drop, "DELETE FROM audit_chain WHERE id = 5")
			if v := f.verify(); v.Problem != service.AuditBroken || v.ProblemID != 5 {
				t.Fatalf("found %+v, want a broken chain at 5", v)
			}
		})
		t.Run("rolled back", func(t *testing.T) {
			f := newChainFixture(t, e)
			f.log(2)
			boom := errors.New("rolled back")
			err := f.db.Write(ctx, func(tx motcua.Tx) error {
				if err := tx.Audit(ctx, &motcua.AuditEntry{At: f.now, UserID: 1, Action: "login"}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatal(err)
			}
			f.log(2)
			f.now = f.now.Add(time.Minute)
			if n := f.seal(); n != 4 {
				t.Fatalf("sealed %d, want 4", n)
			}
			v := f.verify()
			// PostgreSQL does not hand out a rolled-back id again: a
			// gap; SQLite does, and no gap is left.
			wantGaps := 0
			if e == sqltest.Postgres {
				wantGaps = 1
			}
			if !v.OK() || v.Sealed != 4 || v.Gaps != wantGaps {
				t.Fatalf("after a rollback: %+v", v)
			}
		})
	})
}
