package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"sync/atomic"
)

// periodSplits counts the passes read in two halves (for tests).
var periodSplits atomic.Int64

// The pass over a period's receptions (periodfacts.go) is most of a
// report's work on SQLite, and one connection runs on one core. When a
// second long-read connection is free, the period is read in two halves at
// once, one per connection, and the sums added. Both connections must see
// the same database: their read transactions are begun while the writer
// runs nothing (DB.exclusive, between two group commits), so that no
// commit falls between the two snapshots. This is possible only while t
// has not read yet — SQLite fixes a read transaction's snapshot at its
// first read — which is why PeriodFacts pins the second connection first.

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
	err := t.db.exclusive(t.ctx, func(*pconn) error {
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
	if second == nil || tt-f < 2 {
		cells := passCells{}
		err := rawPairs(t.ctx, t.conn, periodPassSQL, []any{tt, f, tt}, cells.add)
		return cells, err
	}
	periodSplits.Add(1)
	mid := f + (tt-f)/2
	other := passCells{}
	done := make(chan error, 1)
	go func() { done <- rawPairs(t.ctx, second, periodPassSQL, []any{tt, mid, tt}, other.add) }()
	cells := passCells{}
	err := rawPairs(t.ctx, t.conn, periodPassSQL, []any{tt, f, mid}, cells.add)
	if err2 := <-done; err2 != nil {
		err = errors.Join(err, err2)
	}
	if err != nil {
		return nil, err
	}
	cells.merge(other)
	return cells, nil
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
