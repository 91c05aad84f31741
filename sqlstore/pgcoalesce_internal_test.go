package sqlstore

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestCoalesceInserts: single-row INSERTs of one text are joined into
// multi-row INSERTs of 2^k rows with their parameters renumbered, rows in
// their order; a later one is moved up only when reordering is allowed and
// no statement between names its table; statements that cannot be joined
// (ON CONFLICT, RETURNING, a read, a literal) stay as they are, in place;
// a failure's index maps back to the first member's place.
func TestCoalesceInserts(t *testing.T) {
	ev := func(n int) pgQueued {
		return pgQueued{query: "INSERT INTO dossier_events (id, seq) VALUES ($1, $2)", args: []any{n, n * 10}, rows: 1, oneRow: true}
	}
	key := func(n int) pgQueued {
		return pgQueued{query: "INSERT INTO idempotency_keys (k, d) VALUES ($1, $2::bigint)", args: []any{fmt.Sprint("k", n), n}, rows: -1}
	}
	other := func(q string) pgQueued { return pgQueued{query: q, rows: -1} }
	texts := func(qs []pgQueued) []string {
		var out []string
		for _, q := range qs {
			out = append(out, q.query)
		}
		return out
	}

	// Consecutive rows are joined even without reordering.
	got, orig := coalesceInserts([]pgQueued{other("SET CONSTRAINTS ALL DEFERRED"), ev(1), ev(2), ev(3), key(1)}, false)
	want := []string{
		"SET CONSTRAINTS ALL DEFERRED",
		"INSERT INTO dossier_events (id, seq) VALUES ($1, $2), ($3, $4)",
		"INSERT INTO dossier_events (id, seq) VALUES ($1, $2)",
		"INSERT INTO idempotency_keys (k, d) VALUES ($1, $2::bigint)",
	}
	if !reflect.DeepEqual(texts(got), want) || !reflect.DeepEqual(orig, []int{0, 1, 1, 4}) {
		t.Fatalf("consecutive:\n%q\n%v, want\n%q", texts(got), orig, want)
	}
	if !reflect.DeepEqual(got[1].args, []any{1, 10, 2, 20}) || !reflect.DeepEqual(got[2].args, []any{3, 30}) || !got[1].oneRow || got[1].rows != -1 {
		t.Fatalf("joined rows: %+v %+v", got[1], got[2])
	}

	// Interleaved: without reordering nothing is joined.
	mixed := []pgQueued{ev(1), key(1), ev(2), key(2), ev(3), key(3)}
	if got, orig := coalesceInserts(mixed, false); len(got) != 6 || orig != nil {
		t.Fatalf("interleaved without reordering: %q", texts(got))
	}
	// With reordering, one statement per table (2 + 1 rows each).
	got, _ = coalesceInserts(mixed, true)
	want = []string{
		"INSERT INTO dossier_events (id, seq) VALUES ($1, $2), ($3, $4)",
		"INSERT INTO dossier_events (id, seq) VALUES ($1, $2)",
		"INSERT INTO idempotency_keys (k, d) VALUES ($1, $2::bigint), ($3, $4::bigint)",
		"INSERT INTO idempotency_keys (k, d) VALUES ($1, $2::bigint)",
	}
	if !reflect.DeepEqual(texts(got), want) {
		t.Fatalf("reordered:\n%q, want\n%q", texts(got), want)
	}
	if !reflect.DeepEqual(got[2].args, []any{"k1", 1, "k2", 2}) || !reflect.DeepEqual(got[3].args, []any{"k3", 3}) {
		t.Fatalf("reordered rows out of order: %v %v", got[2].args, got[3].args)
	}

	// A statement naming the table stops rows from moving up past it.
	got, _ = coalesceInserts([]pgQueued{ev(1), key(1), other("DELETE FROM dossier_events WHERE id = $1"), ev(2), key(2)}, true)
	want = []string{
		"INSERT INTO dossier_events (id, seq) VALUES ($1, $2)",
		"INSERT INTO idempotency_keys (k, d) VALUES ($1, $2::bigint), ($3, $4::bigint)",
		"DELETE FROM dossier_events WHERE id = $1",
		"INSERT INTO dossier_events (id, seq) VALUES ($1, $2)",
	}
	if !reflect.DeepEqual(texts(got), want) {
		t.Fatalf("past a statement naming the table:\n%q, want\n%q", texts(got), want)
	}

	// Never joined: ON CONFLICT, RETURNING, an INSERT … SELECT, a literal,
	// a statement whose answer is read or must change a given count.
	var id int64
	for _, q := range []pgQueued{
		{query: "INSERT INTO event_actors (a) VALUES ($1) ON CONFLICT (a) DO NOTHING", rows: -1},
		{query: "INSERT INTO audit_log (a) VALUES ($1) RETURNING id", rows: -1},
		{query: "INSERT INTO audit_log (a) VALUES ($1)", rows: -1, id: &id},
		{query: "INSERT INTO t (a) SELECT $1", rows: -1},
		{query: "INSERT INTO t (a, b) VALUES ($1, 'US$2')", rows: -1},
		{query: "INSERT INTO t (a) VALUES ($1)", rows: 0},
	} {
		if got, _ := coalesceInserts([]pgQueued{q, q, q}, true); len(got) != 3 {
			t.Errorf("%q joined: %q", q.query, texts(got))
		}
	}

	// 19 rows: 16 + 2 + 1, renumbered up to $32 in the first.
	var many []pgQueued
	for i := range 19 {
		many = append(many, ev(i))
	}
	got, orig = coalesceInserts(many, false)
	if len(got) != 3 || strings.Count(got[0].query, "(") != 17 || !strings.HasSuffix(got[0].query, "($31, $32)") ||
		len(got[1].args) != 4 || len(got[2].args) != 2 || got[2].args[0] != 18 || !reflect.DeepEqual(orig, []int{0, 0, 0}) {
		t.Fatalf("19 rows: %q %v", texts(got), orig)
	}
}
