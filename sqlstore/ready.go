package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// The write probe's bounds: a probe older than probeFresh is run again,
// and one that takes longer than probeTimeout counts as a failure. The
// freshness keeps a flood of /readyz requests (the endpoint needs no
// session) from turning into a flood of commits.
const (
	probeFresh   = time.Second
	probeTimeout = 2 * time.Second
)

// probeMinFree is the least free space with which the probe calls a SQLite
// database writable even when no reserve is configured. A commit that
// fails on a full disk leaves the log file longer than its last good
// frame, so a heartbeat of one page can still fit there while a dossier's
// commit does not: the probe's own write alone would say ready on a disk
// where intake fails.
const probeMinFree = 1 << 20

// writeProbe shares one probe among concurrent callers and remembers its
// outcome for probeFresh.
type writeProbe struct {
	mu  sync.Mutex
	cur *probeRun
}

type probeRun struct {
	done chan struct{} // closed when err is set
	err  error
	at   time.Time
}

// CanWrite reports whether a write reaches durable storage now: it commits
// the heartbeat row through the writer, like any other write (the group
// commit on SQLite, a PostgreSQL writer), so it fails when the disk is
// full or under the reserve, the database is down or restarting, or the
// writer is stuck. On SQLite it also fails when the free disk space is
// under the reserve or 1 MiB, whichever is larger. The error is EUNAVAILABLE. It takes at most 2 s (less if
// ctx ends sooner), and answers from the last probe when that is less than
// a second old. It is meant for /readyz.
func (db *DB) CanWrite(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, probeTimeout)
	defer cancel()
	db.probe.mu.Lock()
	run := db.probe.cur
	if run == nil || (isDone(run.done) && time.Since(run.at) >= probeFresh) {
		run = &probeRun{done: make(chan struct{})}
		db.probe.cur = run
		go db.runProbe(run)
	}
	db.probe.mu.Unlock()
	select {
	case <-run.done:
		return run.err
	case <-ctx.Done():
		return fmt.Errorf("%w: write probe: %w", errDatabaseUnavailable, ctx.Err())
	}
}

func isDone(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// runProbe writes the heartbeat. Its own timeout ends a probe that could
// not even be handed to the writer; one handed over waits for the commit,
// whose outcome the next callers learn.
func (db *DB) runProbe(run *probeRun) {
	ctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	if db.dialect == sqliteDialect {
		floor := max(db.minFree, probeMinFree)
		if free := diskFree(filepath.Dir(db.path)); free >= 0 && free < floor {
			run.err = fmt.Errorf("%w: %d bytes free on the database's disk, under %d", errStorageUnavailable, free, floor)
			run.at = time.Now()
			close(run.done)
			return
		}
	}
	err := db.Write(ctx, func(t motcua.Tx) error {
		_, err := t.(*tx).exec(`INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at`,
			time.Now().UnixMilli())
		return err
	})
	if err != nil && motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		err = fmt.Errorf("%w: write probe: %w", errDatabaseUnavailable, err)
	}
	run.err = err
	run.at = time.Now()
	close(run.done)
}
