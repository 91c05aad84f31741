package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestAuditLogIsAppendOnly: on both engines the database itself refuses to
// change, delete or empty the access log; adding to it still works.
func TestAuditLogIsAppendOnly(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		entry := &motcua.AuditEntry{At: time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC), UserID: 7, Action: motcua.AuditViewPersonalData, DossierID: 42, Detail: "dossier X", IP: "192.0.2.1"}
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.Audit(ctx, entry) }); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			"UPDATE audit_log SET detail = 'nothing to see'",
			"UPDATE audit_log SET user_id = 1 WHERE id = 1",
			"DELETE FROM audit_log",
			"DELETE FROM audit_log WHERE dossier_id = 42",
		} {
			if err := db.ExecRaw(ctx, q); err == nil {
				t.Errorf("%s: accepted", q)
			}
		}
		if e == sqltest.Postgres {
			if err := db.ExecRaw(ctx, "TRUNCATE audit_log"); err == nil {
				t.Error("TRUNCATE accepted")
			}
		}
		var got []*motcua.AuditEntry
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
			got, err = tx.AuditEntries(ctx, motcua.AuditFilter{Limit: 10})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Detail != "dossier X" || got[0].UserID != 7 {
			t.Errorf("the log after the attempts: %+v", got)
		}
		if err := db.Write(ctx, func(tx motcua.Tx) error {
			return tx.Audit(ctx, &motcua.AuditEntry{At: entry.At, UserID: 8, Action: "login"})
		}); err != nil {
			t.Errorf("appending after the attempts: %v", err)
		}
	})
}
