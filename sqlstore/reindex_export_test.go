package sqlstore

import (
	"context"

	"github.com/motcua/motcua"
)

// ExecRawOutside runs q on a PostgreSQL connection of its own, outside any
// transaction (CREATE INDEX CONCURRENTLY cannot run inside one).
func (db *DB) ExecRawOutside(ctx context.Context, q string) error {
	_, err := db.pg.ExecContext(ctx, q)
	return err
}

// CountRaw returns the number q selects, read in a read transaction.
func (db *DB) CountRaw(ctx context.Context, q string) (n int64, err error) {
	err = db.Read(ctx, func(mt motcua.Tx) error {
		row, err := mt.(*tx).queryRow(q)
		if err != nil {
			return err
		}
		return row.Scan(&n)
	})
	return n, err
}

// HoldWrite runs q in a PostgreSQL transaction left open until commit is
// called: its locks stay held meanwhile.
func (db *DB) HoldWrite(ctx context.Context, q string) (commit func() error, err error) {
	t, err := db.pg.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	if _, err := t.ExecContext(ctx, q); err != nil {
		t.Rollback()
		return nil, err
	}
	return t.Commit, nil
}
