package sqlstore

import (
	"math/bits"
	"strconv"
	"strings"
	"sync"
)

// Multi-row INSERTs in a pipeline.
//
// A batch of intakes queues, per intake, one INSERT each into
// dossier_events, dossier_work and idempotency_keys, and its dossiers'
// INSERTs at the end: some 4 statements per intake, each parsed, bound,
// planned and executed on its own by the server, which made the server's
// CPU per intake about four times a raw single-row insert's. Before a
// pipeline is sent, the single-row INSERTs of one text are therefore
// joined into multi-row INSERT … VALUES (…), (…) statements: one executor
// run per table and batch instead of one per row.
//
// Which statements may be joined. Only INSERT INTO t (…) VALUES (…) with
// no ON CONFLICT, RETURNING or sub-select, whose result nobody reads: the
// server writes all of their rows or fails, so a joined one writes exactly
// its rows or fails (the batch then runs again in isolation, statement by
// statement, where the failure is the one transaction's own). Rows keep
// their order within a table. Consecutive ones are always joined. In a
// batch that deferred its foreign keys to dossiers (a batch of intakes,
// pgpipeline.go), a later one is also moved up to join an earlier one of
// the same text when no statement between them names the table: such a
// statement neither reads nor changes the table's rows, no key points from
// these tables with ON DELETE actions, no trigger is on them, and their
// keys to dossiers wait for the commit. A key to another table that a
// statement in between created would fail the joined INSERT at once — and
// send the batch to the isolated run, which gives every transaction its
// own answer, as before.
//
// Statement texts stay few: a group of n rows is sent as INSERTs of 2^k
// rows (n = 19: 16 + 2 + 1), so that each table has at most 9 texts up to
// 256 rows, and the driver's per-connection cache of prepared statements
// keeps them all.

// pgMaxParams bounds the parameters of one joined INSERT (PostgreSQL takes
// at most 65,535).
const pgMaxParams = 60000

// coalesceInserts joins the single-row INSERTs of queued as described
// above; reorder allows moving one up past statements that do not name its
// table. It returns the statements to send and, for each, the index in
// queued of its first member, so that a failure maps back to its place.
func coalesceInserts(queued []pgQueued, reorder bool) ([]pgQueued, []int) {
	type group struct {
		table   string
		members []pgQueued
		first   int
	}
	var groups []*group // in order of first member; nil table: a statement kept as it is
	open := map[string]*group{}
	for i, q := range queued {
		table, ok := joinableInsert(q)
		var join *group
		if ok {
			if g := open[q.query]; g != nil && (reorder || groups[len(groups)-1] == g) {
				join = g
			}
		}
		// Other groups whose table q names can no longer take later rows
		// past it, and without reordering none can.
		for k, g := range open {
			if g != join && (!reorder || namesTable(q.query, g.table)) {
				delete(open, k)
			}
		}
		if join != nil {
			join.members = append(join.members, q)
			continue
		}
		g := &group{members: []pgQueued{q}, first: i}
		if ok {
			g.table = table
			open[q.query] = g
		}
		groups = append(groups, g)
	}
	if len(groups) == len(queued) {
		return queued, nil
	}
	out := make([]pgQueued, 0, len(groups))
	orig := make([]int, 0, len(groups))
	for _, g := range groups {
		if len(g.members) == 1 {
			out, orig = append(out, g.members[0]), append(orig, g.first)
			continue
		}
		per := max(1, len(g.members[0].args))
		limit := max(1, pgMaxParams/per)
		for rest := g.members; len(rest) > 0; {
			n := 1 << (bits.Len(uint(min(len(rest), limit))) - 1) // the largest power of two that fits
			out, orig = append(out, joinRows(rest[:n])), append(orig, g.first)
			rest = rest[n:]
		}
	}
	return out, orig
}

// joinableInsert reports whether q is a single-row INSERT … VALUES (…) that
// may be joined with others of its text, and names its table. A text with
// quotes is left alone: a literal could hold a "$1" that is no parameter.
func joinableInsert(q pgQueued) (string, bool) {
	if q.id != nil || q.read != nil || q.tag != nil || (q.rows != 1 && q.rows != -1) {
		return "", false
	}
	return joinableText(q.query)
}

// joinTexts remembers joinableText's answers: the texts are the code's
// own, few, and every batch asks again for each row (the dossier INSERT's
// text is long to scan).
var joinTexts struct {
	sync.Mutex
	m map[string]joinText
}

// joinText is joinableText's answer for a text.
type joinText struct {
	table string
	ok    bool
}

// joinableText is joinableInsert's check of the text, remembered.
func joinableText(query string) (string, bool) {
	joinTexts.Lock()
	j, seen := joinTexts.m[query]
	joinTexts.Unlock()
	if seen {
		return j.table, j.ok
	}
	j.table, j.ok = checkJoinable(query)
	joinTexts.Lock()
	if joinTexts.m == nil || len(joinTexts.m) >= 4096 {
		joinTexts.m = map[string]joinText{} // texts built from data: start afresh
	}
	joinTexts.m[query] = j
	joinTexts.Unlock()
	return j.table, j.ok
}

// checkJoinable is joinableText without the memory.
func checkJoinable(query string) (string, bool) {
	rest, ok := strings.CutPrefix(query, "INSERT INTO ")
	if !ok {
		return "", false
	}
	table, _, ok := strings.Cut(rest, " ")
	if !ok || table == "" {
		return "", false
	}
	upper := strings.ToUpper(query)
	if strings.ContainsAny(query, "'\"") || strings.Count(upper, "VALUES (") != 1 || strings.Contains(upper, "SELECT") ||
		strings.Contains(upper, "ON CONFLICT") || strings.Contains(upper, "RETURNING") ||
		!strings.HasSuffix(strings.TrimSpace(query), ")") {
		return "", false
	}
	return table, true
}

// joinRows is one INSERT of the rows of qs, which share their text: the
// VALUES tuple repeated with its parameters renumbered.
func joinRows(qs []pgQueued) pgQueued {
	if len(qs) == 1 {
		return qs[0]
	}
	per := len(qs[0].args)
	args := make([]any, 0, per*len(qs))
	for _, q := range qs {
		args = append(args, q.args...)
	}
	// A member may itself hold several rows (the live counters' INSERT
	// has one tuple per counter): the count is the server's to check, as
	// for the members, which write all their rows or fail.
	return pgQueued{query: joinedText(qs[0].query, len(qs), per), args: args, rows: -1, oneRow: true}
}

// joinedTexts remembers joinedText's answers: a batch of intakes joins the
// same few texts into the same few sizes (2^k rows) every time, and the
// dossiers' 32-row text is some 10 KB to write out again.
var joinedTexts struct {
	sync.Mutex
	m map[joinedKey]string
}

// joinedKey is a text joined n times.
type joinedKey struct {
	query string
	n     int
}

// joinedText is query's VALUES tuple written n times, the parameters of
// the i-th numbered from i*per+1, remembered.
func joinedText(query string, n, per int) string {
	k := joinedKey{query, n}
	joinedTexts.Lock()
	text, ok := joinedTexts.m[k]
	joinedTexts.Unlock()
	if ok {
		return text
	}
	q := strings.TrimSpace(query)
	at := strings.Index(strings.ToUpper(q), "VALUES (") + len("VALUES ")
	head, tuple := q[:at], q[at:]
	var b strings.Builder
	b.Grow(len(head) + n*(len(tuple)+per*2))
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		renumber(&b, tuple, i*per)
	}
	text = b.String()
	joinedTexts.Lock()
	if joinedTexts.m == nil || len(joinedTexts.m) >= 256 {
		joinedTexts.m = map[joinedKey]string{} // texts built from data: start afresh
	}
	joinedTexts.m[k] = text
	joinedTexts.Unlock()
	return text
}

// renumber writes tuple with every parameter $n as $(n+off).
func renumber(b *strings.Builder, tuple string, off int) {
	for i := 0; i < len(tuple); {
		c := tuple[i]
		if c != '$' {
			b.WriteByte(c)
			i++
			continue
		}
		j := i + 1
		for j < len(tuple) && tuple[j] >= '0' && tuple[j] <= '9' {
			j++
		}
		if j == i+1 {
			b.WriteByte(c)
			i++
			continue
		}
		n, _ := strconv.Atoi(tuple[i+1 : j])
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n + off))
		i = j
	}
}
