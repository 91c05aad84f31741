package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/motcua/motcua/sqlstore"
)

// reindexOptions are the settings of "motcua reindex".
type reindexOptions struct {
	minMB  int64
	dryRun bool
}

func (o *reindexOptions) bind(fs *flag.FlagSet) {
	fs.Int64Var(&o.minMB, "min-mb", 8, "rebuild the indexes of at least this many megabytes")
	fs.BoolVar(&o.dryRun, "dry-run", false, "list the indexes that would be rebuilt, and change nothing")
}

// runReindex rebuilds the PostgreSQL indexes of --db that decay as rows
// change (sqlstore.RebuildIndexes), printing each one's size before and
// after; reads and writes go on meanwhile. Ctrl+C stops it after dropping
// the copy under way: the indexes already rebuilt stay rebuilt.
func runReindex(ctx context.Context, cfg Config, o reindexOptions, stdout io.Writer) error {
	if o.minMB < 0 {
		return fmt.Errorf("--min-mb %d: give a size of 0 or more", o.minMB)
	}
	db, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	var before, after int64
	done, err := db.RebuildIndexes(ctx, o.minMB<<20, o.dryRun, func(i, n int, r sqlstore.IndexRebuild) {
		switch {
		case o.dryRun:
			fmt.Fprintf(stdout, "[%d/%d] %s (%s): %s\n", i, n, r.Index, r.Table, mib(r.Before))
		case r.Took == 0:
			fmt.Fprintf(stdout, "[%d/%d] %s (%s): %s, rebuilding…\n", i, n, r.Index, r.Table, mib(r.Before))
		default:
			fmt.Fprintf(stdout, "[%d/%d] %s: %s → %s in %.1f s\n", i, n, r.Index, mib(r.Before), mib(r.After), r.Took.Seconds())
		}
	})
	for _, r := range done {
		before, after = before+r.Before, after+r.After
	}
	switch {
	case errors.Is(err, sqlstore.ErrRebuildNotPostgres):
		return fmt.Errorf("%w; to rebuild a SQLite file, its indexes included, stop the server and run: sqlite3 %s 'VACUUM'", err, cfg.DB)
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stdout, "Interrupted: %d indexes rebuilt (%s → %s); the one under way was dropped. Run the command again to go on.\n",
			len(done), mib(before), mib(after))
		return err
	case err != nil:
		return err
	case o.dryRun:
		fmt.Fprintf(stdout, "%d indexes of at least %d MB (nothing changed: --dry-run)\n", len(done), o.minMB)
	default:
		fmt.Fprintf(stdout, "%d indexes rebuilt: %s → %s\n", len(done), mib(before), mib(after))
	}
	return nil
}

// mib writes n bytes in megabytes for people.
func mib(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }
