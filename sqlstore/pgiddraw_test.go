package sqlstore_test

import (
	"testing"

	"github.com/motcua/motcua/sqlstore"
)

// TestPGIDDrawBeforeBegin: ids drawn before a batch's BEGIN has gone are
// drawn in a transaction of their own that skips its WAL flush
// (drawIDsApart). Its synchronous_commit = off must end with it: left on
// the connection, the batch's own commit, the one that makes its dossiers
// durable, would not wait for the flush either. The ids must be the
// sequence's, committed (a second draw gives later ones), and the batch's
// BEGIN must still wait for its first statement.
func TestPGIDDrawBeforeBegin(t *testing.T) {
	db, _, _ := namedPGStore(t, "motcua_iddraw", sqlstore.Options{PGWriters: 1})
	var last int64
	for round := range 3 {
		ids, sync, waits, err := sqlstore.DrawIDsBeforeBegin(db, "dossiers", 5)
		if err != nil {
			t.Fatal(err)
		}
		if sync != "on" {
			t.Errorf("round %d: synchronous_commit after the draw is %q, want on", round, sync)
		}
		if !waits {
			t.Errorf("round %d: the draw sent the batch's BEGIN", round)
		}
		if len(ids) != 5 {
			t.Fatalf("round %d: %d ids, want 5", round, len(ids))
		}
		for _, id := range ids {
			if id <= last {
				t.Errorf("round %d: id %d after %d", round, id, last)
			}
			last = id
		}
	}
}
