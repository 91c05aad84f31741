package sqlstore

import (
	"context"
	"os"
	"path/filepath"

	"github.com/motcua/motcua"
)

// StorageSize is what the database takes and, where motcua can see it,
// how much room is left.
type StorageSize struct {
	// Bytes is the database's size: pg_database_size on PostgreSQL, the
	// file (pages) and its write-ahead log on SQLite.
	Bytes int64
	// Free is the free space of the disk holding the database, or -1 where
	// it cannot be seen from here (PostgreSQL: the server's disk belongs
	// to the database server's monitoring).
	Free int64
}

// Size measures the database for monitoring (see metrics.StorageSize):
// growth on PostgreSQL, whose disk motcua cannot see, is the signal to
// alert on before the server refuses writes (53100).
func (db *DB) Size(ctx context.Context) (StorageSize, error) {
	out := StorageSize{Free: -1}
	err := db.Read(ctx, func(t motcua.Tx) error {
		q := `SELECT pg_database_size(current_database())`
		if db.dialect == sqliteDialect {
			q = `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
		}
		row, err := t.(*tx).queryRow(q)
		if err != nil {
			return err
		}
		return row.Scan(&out.Bytes)
	})
	if err != nil {
		return out, err
	}
	if db.dialect == sqliteDialect {
		if st, err := statSize(db.path + "-wal"); err == nil {
			out.Bytes += st
		}
		out.Free = diskFree(filepath.Dir(db.path))
	}
	return out, nil
}

func statSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}
