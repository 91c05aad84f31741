package sqlstore

import (
	"strings"
	"testing"
)

// TestReadOnlySQL checks the guard of reads without a snapshot: a SELECT
// passes, a SELECT that locks rows (" FOR UPDATE" in any case, anywhere)
// and every other statement are refused, and hasForUpdate agrees with
// upper-casing the whole text, as the guard did before.
func TestReadOnlySQL(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1":                    true,
		"  (select id FROM dossiers)": true,
		"SELECT id FROM dossiers WHERE code = ? FOR UPDATE":     false,
		"select id from dossiers for update":                    false,
		"SELECT id FROM dossiers For Update SKIP LOCKED":        false,
		"SELECT for_update_count FROM t":                        true,
		"SELECT 1 FOR UPDATE":                                   false,
		" FOR UPDATE":                                           false,
		"SELECT 'x FOR UPDATE' ":                                false, // text is not parsed: refused, on the safe side
		"WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d": false,
		"UPDATE dossiers SET state = ?":                         false,
		"":                                                      false,
		"SELEC":                                                 false,
	} {
		if got := readOnlySQL(q); got != want {
			t.Errorf("readOnlySQL(%q) = %v, want %v", q, got, want)
		}
	}
	for _, q := range []string{"", " ", "  ", "FOR UPDATE", " FOR UPDAT", "a FOR UPDATE", "a  for update b", "x FOR  UPDATE", "a b c FOR UPDATE",
		"x for updatE", " FOR UPDATE ", "SELECT a,\n b FROM t\tFOR UPDATE", "SELECT a FROM t\nFOR UPDATE"} {
		if got, want := hasForUpdate(q), strings.Contains(strings.ToUpper(q), " FOR UPDATE"); got != want {
			t.Errorf("hasForUpdate(%q) = %v, want %v", q, got, want)
		}
	}
}
