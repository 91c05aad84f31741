package bench

import (
	"context"
	"os"
	"path/filepath"

	"github.com/motcua/motcua/sqlstore"
)

// scratch is where a run measures: a folder on the disk (dir, or a
// temporary one) and a store in it on SQLite, or in a new schema of the
// PostgreSQL database postgres (dsn names the schema). done removes what
// the run made: the temporary folder and the schema; the store is closed
// by its user.
type scratch struct {
	dir   string
	dsn   string
	store *sqlstore.DB
	done  func()
}

func openScratch(ctx context.Context, dir, postgres string, opts sqlstore.Options) (*scratch, error) {
	s := &scratch{dir: dir, done: func() {}}
	if s.dir == "" {
		d, err := os.MkdirTemp("", "motcua-bench-")
		if err != nil {
			return nil, err
		}
		s.dir, s.done = d, func() { os.RemoveAll(d) }
	}
	var err error
	if postgres == "" {
		if s.store, err = sqlstore.Open(filepath.Join(s.dir, "motcua.db"), opts); err != nil {
			s.done()
			return nil, err
		}
		return s, nil
	}
	dsn, drop, err := pgSchema(ctx, postgres)
	if err != nil {
		s.done()
		return nil, err
	}
	rm := s.done
	s.dsn, s.done = dsn, func() { drop(); rm() }
	if s.store, err = sqlstore.OpenPostgres(ctx, dsn, opts); err != nil {
		s.done()
		return nil, err
	}
	return s, nil
}
