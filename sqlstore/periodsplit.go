package sqlstore

import (
	"cmp"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
)

// periodSplits counts the passes read in two halves (for tests).
var periodSplits atomic.Int64

// The pass over a period's receptions (periodfacts.go) and report 06a's
// counts per agency (report.go) are most of a report's work on SQLite, and
// one connection runs on one core. When a second long-read connection is
// free, the work is split in two halves run at once, one per connection,
// and the sums added. Both connections must see
// the same database: their read transactions are begun while the writer
// runs nothing (DB.exclusive, between two group commits), so that no
// commit falls between the two snapshots. This is possible only while t
// has not read yet — SQLite fixes a read transaction's snapshot at its
// first read — which is why PeriodFacts pins the second connection first.

// helper returns the transaction's second connection (see
// pinSecondReader), pinning it at the first call; nil when there is none.
// The read transaction's end releases it.
func (t *tx) helper() *pconn {
	if !t.secondTried {
		t.secondTried = true
		t.second = t.pinSecondReader()
	}
	return t.second
}

// pinSecondReader returns a long-read connection in a read transaction
// that sees the same snapshot as t, or nil when there is none free (the
// pass then runs on t alone), when t has read already, or when t is not a
// SQLite read transaction.
func (t *tx) pinSecondReader() *pconn {
	if t.pgtx != nil || t.write || t.used || t.conn == nil || t.db.lpool == nil {
		return nil
	}
	c := t.db.lpool.tryGet(t.ctx)
	if c == nil {
		return nil
	}
	begun := false
	err := t.db.betweenBatches(t.ctx, func(*pconn) error {
		if err := c.control(t.ctx, "BEGIN"); err != nil {
			return err
		}
		begun = true
		// The first read fixes each snapshot; no commit can come between
		// the two while the writer runs this.
		for _, conn := range []*pconn{t.conn, c} {
			s, err := conn.stmt(t.ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM dossiers LIMIT 1) AS d`)
			if err != nil {
				return err
			}
			var n int64
			if err := s.QueryRowContext(t.ctx).Scan(&n); err != nil {
				return err
			}
		}
		return nil
	})
	t.used = true
	if err != nil {
		// Not worth failing the report for: it runs on t alone.
		if begun {
			_ = c.control(context.Background(), "ROLLBACK")
		}
		t.db.lpool.discard(c)
		return nil
	}
	return c
}

// pinWait bounds the wait for the writer to take the pinning: a read
// inside a write's function (the writer busy running it) would otherwise
// wait for itself; past it the work runs on one connection.
const pinWait = 100 * time.Millisecond

// betweenBatches runs fn on the writer's goroutine between two group
// commits, as exclusive does, if the writer takes it within pinWait;
// errPinBusy otherwise.
func (db *DB) betweenBatches(ctx context.Context, fn func(*pconn) error) error {
	r := &writeReq{ctx: ctx, raw: fn, done: make(chan error, 1)}
	timer := time.NewTimer(pinWait)
	defer timer.Stop()
	select {
	case db.writes <- r:
	case <-timer.C:
		return errPinBusy
	case <-db.quit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-r.done // handed over: it runs
}

var errPinBusy = errors.New("sqlstore: the writer did not take the pinning in time")

// releaseSecondReader ends the read transaction of a connection from
// pinSecondReader and returns it to its pool (nil: nothing to do).
func (db *DB) releaseSecondReader(c *pconn) {
	if c == nil {
		return
	}
	if err := c.control(context.Background(), "ROLLBACK"); err != nil {
		db.lpool.discard(c)
		return
	}
	db.lpool.put(c)
}

// periodPass counts the receptions of [f, tt) by packed facts, reading
// index dossiers_period alone; in two halves at once when second is set.
func (t *tx) periodPass(second *pconn, f, tt int64) (passCells, error) {
	return t.halves(second, periodPassSQL, func(lo, hi int64) []any { return []any{tt, lo, hi} }, f, tt)
}

// halves runs a query of two integer columns over [f, tt) — args gives
// its arguments for a span — and adds its rows up in passCells; in two
// halves at once, one on second, when second is set.
func (t *tx) halves(second *pconn, query string, args func(lo, hi int64) []any, f, tt int64) (passCells, error) {
	if second == nil || tt-f < 2 {
		cells := passCells{}
		err := rawPairs(t.ctx, t.conn, query, args(f, tt), cells.add)
		return cells, err
	}
	periodSplits.Add(1)
	mid := f + (tt-f)/2
	other := passCells{}
	done := make(chan error, 1)
	go func() { done <- rawPairs(t.ctx, second, query, args(mid, tt), other.add) }()
	cells := passCells{}
	err := rawPairs(t.ctx, t.conn, query, args(f, mid), cells.add)
	if err2 := <-done; err2 != nil {
		err = errors.Join(err, err2)
	}
	if err != nil {
		return nil, err
	}
	cells.merge(other)
	return cells, nil
}

// flaggedReceptions counts per agency and procedure the receptions of
// [f, tt) with flag set, from index dossiers_period alone, added up in Go:
// a GROUP BY would sort them (on 1.6 million receptions, 573,000 of them
// fee-bearing: 0.45 s of CPU against 0.8–1.1 s). ok is false where it does
// not apply (PostgreSQL, ids too large to pack): use a GROUP BY there.
// second, as for periodPass.
func (t *tx) flaggedReceptions(second *pconn, flag motcua.ReportFlags, f, tt int64) (counts map[aggKey]int64, ok bool, err error) {
	if t.pgtx != nil {
		return nil, false, nil
	}
	if ok, err := t.idsPackable(); err != nil || !ok {
		return nil, false, err
	}
	query := fmt.Sprintf(`SELECT %[1]s >> %[2]d, -1 FROM dossiers INDEXED BY dossiers_period
		WHERE received_at IS NOT NULL AND received_at >= ? AND received_at < ? AND (%[1]s & %[3]d) != 0`, periodPackSQL, packProcShift, flag)
	cells, err := t.halves(second, query, func(lo, hi int64) []any { return []any{lo, hi} }, f, tt)
	if err != nil {
		return nil, false, err
	}
	counts = make(map[aggKey]int64, len(cells))
	for key, c := range cells {
		counts[aggKey{agency: key >> (packAgencyShift - packProcShift), procedure: key & (packProcMax - 1)}] += c.n
	}
	return counts, true, nil
}

// rawPairs runs a query of two integer columns on c and calls fn with
// every row, through the driver itself: database/sql's locking and
// conversions per row cost about as much as SQLite's own work on this
// pass (measured on 1.6 million receptions: 1.5 s of CPU through
// database/sql, 0.8 s directly).
func rawPairs(ctx context.Context, c *pconn, query string, args []any, fn func(a, b int64)) error {
	named := make([]driver.NamedValue, len(args))
	for i, a := range args {
		named[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	err := c.c.Raw(func(dc any) error {
		pc, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return fmt.Errorf("sqlstore: the driver cannot prepare with a context")
		}
		st, err := pc.PrepareContext(ctx, query)
		if err != nil {
			return err
		}
		defer st.Close()
		sq, ok := st.(driver.StmtQueryContext)
		if !ok {
			return fmt.Errorf("sqlstore: the driver cannot query with a context")
		}
		rows, err := sq.QueryContext(ctx, named)
		if err != nil {
			return err
		}
		defer rows.Close()
		dest := make([]driver.Value, 2)
		for {
			if err := rows.Next(dest); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
			a, ok1 := dest[0].(int64)
			b, ok2 := dest[1].(int64)
			if !ok1 || !ok2 {
				return fmt.Errorf("sqlstore: period pass read %T, %T, want integers", dest[0], dest[1])
			}
			fn(a, b)
		}
	})
	return mapError(err)
}

// shareOut calls fn(c, i) for i in [0, n), on connections a and b at
// once, each taking the next i when done with one. The first error stops
// both (after their current call).
func shareOut(a, b *pconn, n int, fn func(c *pconn, i int) error) error {
	var next atomic.Int64
	var failed atomic.Bool
	work := func(c *pconn) error {
		for !failed.Load() {
			i := int(next.Add(1) - 1)
			if i >= n {
				return nil
			}
			if err := fn(c, i); err != nil {
				failed.Store(true)
				return err
			}
		}
		return nil
	}
	done := make(chan error, 1)
	go func() { done <- work(b) }()
	err := work(a)
	return errors.Join(err, <-done)
}

// countOn runs a COUNT query on c, t's connection or its second one; on
// t's own (and on PostgreSQL) through t.count, whose context a write's
// caller cannot cancel (opCtx).
func (t *tx) countOn(c *pconn, query string, args ...any) (int64, error) {
	if t.pgtx != nil || c == nil || c == t.conn {
		return t.count(query, args...)
	}
	s, err := c.stmt(t.ctx, query)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := s.QueryRowContext(t.ctx, args...).Scan(&n); err != nil {
		return 0, mapError(err)
	}
	return n, nil
}

// sortedKeys returns the keys of counts by agency, then procedure (the
// order of a GROUP BY on SQLite).
func sortedKeys(counts map[aggKey]int64) []aggKey {
	keys := make([]aggKey, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b aggKey) int {
		return cmp.Or(cmp.Compare(a.agency, b.agency), cmp.Compare(a.procedure, b.procedure))
	})
	return keys
}
