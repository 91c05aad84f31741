package sqlstore

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/motcua/motcua"
)

// pendingNumber is a dossier created in a PostgreSQL group commit that
// waits for its number (see CreateNumberedDossier).
type pendingNumber struct {
	key    string
	d      *motcua.Dossier
	render func(seq int) string
	// slot is where the dossier's INSERT waits in the pipeline, if it
	// does: its code is then set there instead of by an UPDATE.
	slot pgSlot
}

// flushNumbers draws the numbers of the dossiers created since the last
// flush and gives them their codes, in one statement whatever their count
// (and an UPDATE for the dossiers whose INSERT could not wait for its code).
//
// The draw adds each key's count to its counter row and takes the rows in
// the order of their keys. Every batch of every instance takes them in that
// order, so batches wait for one another on counter rows but never
// deadlock on them; and since each row stays locked until the commit (so
// that numbers stay gap-free: a batch that rolls back gives its numbers
// back), the draw comes last. In a pipeline it is the last statement of the
// queue sent before the commit, and the dossiers' INSERTs, held back until
// now (holdDossier), follow it with their codes in the commit's own
// pipeline: the rows are locked for the time the server takes to insert
// the dossiers and flush the commit, with one answer to the client between.
// Within a key the dossiers are numbered in the order their transactions
// ran.
func (t *tx) flushNumbers() error {
	if len(t.numbers) == 0 {
		return nil
	}
	defer func() {
		clear(t.numbers)
		t.numbers = t.numbers[:0]
	}()
	count := map[string]int64{}
	for _, p := range t.numbers {
		count[p.key]++
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	ns := make([]int64, len(keys))
	for i, k := range keys {
		ns[i] = count[k]
	}
	draw := rebind(`INSERT INTO code_counters (key, n)
		SELECT k, c FROM unnest(?::text[], ?::int[]) AS u(k, c) ORDER BY k COLLATE "C"
		ON CONFLICT (key) DO UPDATE SET n = code_counters.n + excluded.n
		RETURNING key, n`)
	next := map[string]int64{}
	take := func(scan func(...any) error) error {
		var k string
		var last int64
		if err := scan(&k, &last); err != nil {
			return err
		}
		next[k] = last - count[k] + 1
		return nil
	}
	if t.pipelined() && t.drawOnServer(draw, keys, ns, count) {
		return nil
	}
	if t.pipelined() {
		t.pipe.queued = append(t.pipe.queued, pgQueued{query: draw, args: []any{keys, ns}, rows: -1, read: func(rows pgx.Rows) error {
			for rows.Next() {
				if err := take(rows.Scan); err != nil {
					return err
				}
			}
			return nil
		}})
		if err := t.flushPipe(); err != nil {
			return fmt.Errorf("draw dossier numbers: %w", err)
		}
	} else {
		rows, err := t.pgtx.QueryContext(t.ctx, draw, keys, ns)
		if err != nil {
			return fmt.Errorf("draw dossier numbers: %w", err)
		}
		for rows.Next() {
			if err := take(rows.Scan); err != nil {
				rows.Close()
				return fmt.Errorf("draw dossier numbers: %w", err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("draw dossier numbers: %w", err)
		}
	}
	ids := make([]int64, 0, len(t.numbers))
	codes := make([]string, 0, len(t.numbers))
	all := make([]string, len(t.numbers))
	for i, p := range t.numbers {
		seq, ok := next[p.key]
		if !ok {
			return fmt.Errorf("draw dossier numbers: no number for %q", p.key)
		}
		next[p.key] = seq + 1
		all[i] = p.render(int(seq))
		if !t.setQueuedCode(p.slot, all[i]) {
			ids, codes = append(ids, p.d.ID), append(codes, all[i])
		}
	}
	// The held INSERTs, with their codes, are queued for the commit.
	t.releaseHeld()
	if len(ids) > 0 {
		// Every dossier must get its code (in a pipeline, checked before
		// the commit).
		err := t.execLater(int64(len(ids)), `UPDATE dossiers SET code = u.code FROM unnest(?::bigint[], ?::text[]) AS u(id, code)
		WHERE dossiers.id = u.id`, ids, codes)
		if err != nil {
			msg := "Mã hồ sơ đã tồn tại."
			if len(codes) == 1 {
				msg = "Mã hồ sơ " + codes[0] + " đã tồn tại."
			}
			return conflict(err, "dossier_code_exists", msg)
		}
	}
	for i, p := range t.numbers {
		p.d.Code = all[i]
	}
	return nil
}

// drawOnServer queues the draw and the held dossier INSERTs so that the
// server renders each code itself from the counter the draw just moved:
// then the draw, the INSERTs and the COMMIT travel in one pipeline, and the
// counter rows are locked only for the server's own work, with no answer
// to wait for in between. It does so only when every dossier waiting for a
// number is held and every code pattern is a prefix, the zero-padded
// number and a suffix (codeTemplate); otherwise it queues nothing and
// returns false. The codes are given to the dossiers when the draw's rows
// are read, as the client renders them: the same text, by the template's
// check.
func (t *tx) drawOnServer(draw string, keys []string, ns []int64, count map[string]int64) bool {
	type held struct {
		tmpl codeTemplate
		rank int64
	}
	hs := make([]held, len(t.numbers))
	rank := map[string]int64{}
	for i, p := range t.numbers {
		s := p.slot
		if !s.ok || t.pipe.heldGen != s.gen || s.at >= len(t.pipe.held) ||
			!strings.HasPrefix(t.pipe.held[s.at].query, "INSERT INTO dossiers (id, code,") ||
			!strings.Contains(t.pipe.held[s.at].query, "VALUES ($1, $2, ") {
			return false
		}
		tmpl, ok := templateOf(p.render)
		if !ok {
			return false
		}
		rank[p.key]++
		hs[i] = held{tmpl, rank[p.key]}
	}
	numbers := append([]pendingNumber(nil), t.numbers...)
	t.pipe.queued = append(t.pipe.queued, pgQueued{query: draw, args: []any{keys, ns}, rows: -1, read: func(rows pgx.Rows) error {
		last := map[string]int64{}
		for rows.Next() {
			var k string
			var n int64
			if err := rows.Scan(&k, &n); err != nil {
				return err
			}
			last[k] = n
		}
		for i, p := range numbers {
			n, ok := last[p.key]
			if !ok {
				return fmt.Errorf("draw dossier numbers: no number for %q", p.key)
			}
			p.d.Code = p.render(int(n - count[p.key] + hs[i].rank))
		}
		return nil
	}})
	for i, p := range t.numbers {
		q := &t.pipe.held[p.slot.at]
		n := len(q.args)
		// $2, the code, becomes the prefix; the number is the counter's
		// value after the draw, less the key's count, plus the rank.
		expr := fmt.Sprintf(`(SELECT $2::text || repeat('0', greatest($%d::int - length(x.s), 0)) || x.s || $%d::text
			FROM (SELECT (n - $%d::bigint + $%d::bigint)::text AS s FROM code_counters WHERE key = $%d::text) AS x)`, n+1, n+2, n+3, n+4, n+5)
		q.query = strings.Replace(q.query, "VALUES ($1, $2, ", "VALUES ($1, "+expr+", ", 1)
		q.args[1] = hs[i].tmpl.prefix
		q.args = append(q.args, hs[i].tmpl.width, hs[i].tmpl.suffix, count[p.key], hs[i].rank, p.key)
	}
	t.releaseHeld()
	return true
}

// codeTemplate is a code pattern as the server can render it: prefix, the
// number padded with zeros to width digits (longer numbers are not cut),
// suffix.
type codeTemplate struct {
	prefix, suffix string
	width          int
}

// render is what the server computes for seq.
func (c codeTemplate) render(seq int) string {
	s := strconv.Itoa(seq)
	if len(s) < c.width {
		s = strings.Repeat("0", c.width-len(s)) + s
	}
	return c.prefix + s + c.suffix
}

// templateOf finds the template of render, if it has one: the number
// 123456789 (longer than any padding) shows the prefix and suffix around
// it, and the code of 1 the width. A template is checked against render on
// numbers of every length up to 9 digits (so a pattern where the number is
// not one padded field is refused, and the client renders the codes
// instead), once: the result is kept by the two codes it was found from
// (codes that equal two others' for 1 and 123456789 come from the same
// prefix, suffix and width).
func templateOf(render func(int) string) (codeTemplate, bool) {
	long, one := render(123456789), render(1)
	key := [2]string{long, one}
	templates.mu.Lock()
	c, seen := templates.m[key]
	templates.mu.Unlock()
	if seen {
		return c, c.width > 0
	}
	c = findTemplate(render, long, one)
	templates.mu.Lock()
	if templates.m == nil || len(templates.m) >= 4096 {
		templates.m = map[[2]string]codeTemplate{} // keys change daily: start afresh
	}
	templates.m[key] = c
	templates.mu.Unlock()
	return c, c.width > 0
}

// templates are the templates found, and the patterns without one (width 0).
var templates struct {
	mu sync.Mutex
	m  map[[2]string]codeTemplate
}

// findTemplate is templateOf without the memory.
func findTemplate(render func(int) string, long, one string) codeTemplate {
	const digits = "123456789"
	i := strings.Index(long, digits)
	if i < 0 || strings.Count(long, digits) != 1 {
		return codeTemplate{}
	}
	c := codeTemplate{prefix: long[:i], suffix: long[i+len(digits):]}
	c.width = len(one) - len(c.prefix) - len(c.suffix)
	if c.width < 1 {
		return codeTemplate{}
	}
	for _, n := range []int{1, 2, 9, 10, 11, 99, 100, 101, 999, 1000, 1001, 9999, 10000, 12345, 99999, 100000, 1234567, 98765432, 123456789} {
		if render(n) != c.render(n) {
			return codeTemplate{}
		}
	}
	return c
}
