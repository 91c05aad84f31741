package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// errLowSpace refuses a SQLite write while the disk's free space is under
// the reserve (Options.MinFreeSpace).
var errLowSpace = fmt.Errorf("%w: free disk space under the reserve", errStorageUnavailable)

// checkpointLoop keeps the write-ahead log small and the disk writable,
// once every tick:
//
//   - it measures the free space of the database's file system and refuses
//     writes (Write answers EUNAVAILABLE) while it is under minFree. On a
//     nearly full disk the log cannot be copied into the database file (the
//     file cannot grow), so without a reserve every commit lengthens the
//     log until the disk is full, and space freed later is eaten by the log
//     before a checkpoint can use it. Refusing writes early keeps the room a
//     checkpoint needs; writes resume by themselves once space is freed.
//   - it copies the log into the database file with a PASSIVE checkpoint,
//     which never waits for readers or the writer;
//   - when the log file is larger than walLimit (readers kept a complete
//     checkpoint from ever happening, or the disk was full) or space is
//     short, it copies the whole log and starts it again (truncateWAL).
//
// Failures are logged once when they start and once when they end, not at
// every tick of a long outage.
func (db *DB) checkpointLoop(every time.Duration, walLimit, minFree int64) {
	t := time.NewTicker(every)
	defer t.Stop()
	dir := filepath.Dir(db.path)
	failing := false
	restarted := int64(-1) // the log's size after the last truncateWAL, -1 if none
	for {
		select {
		case <-db.quit:
			return
		case <-t.C:
		}
		if minFree > 0 {
			free := diskFree(dir)
			low := free >= 0 && free < minFree
			if was := db.lowSpace.Swap(low); was != low {
				if low {
					slog.Error("free disk space under the reserve: writes refused until space is freed", "dir", dir, "free_bytes", free, "reserve_bytes", minFree)
				} else {
					slog.Warn("free disk space back over the reserve: writes accepted", "dir", dir, "free_bytes", free)
				}
			}
		}
		// The copy is given at least a second: it ends with an fsync of
		// the database file, which a disk busy with other work stretches
		// past a short tick (measured: 50 ms ticks timed out every time
		// on a loaded machine, and the log was never started again).
		ctx, cancel := context.WithTimeout(context.Background(), max(every, time.Second))
		// A reader connection cannot checkpoint (query_only); use a
		// connection of the writer pool's database handle outside the
		// writer's pinned one.
		_, err := db.checkpointer.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
		cancel()
		// A log over its limit is started again even when the passive
		// copy failed: truncateWAL copies every frame itself, and a slow
		// disk, which makes the copy fail, is when the log grows.
		//
		// A restarted log is cut back to the limit by the next commit
		// only; one restarted at an earlier tick and not written since
		// (the same size) is truncated to zero instead, or an idle
		// database would keep it over its limit.
		if size := fileSize(db.path + "-wal"); size > walLimit || (db.lowSpace.Load() && size > 0) {
			err = db.truncateWAL(db.lowSpace.Load() || size == restarted)
			restarted = -1
			if err == nil {
				restarted = fileSize(db.path + "-wal")
			}
		}
		select {
		case <-db.quit:
			return // closing: the connections went while the tick ran
		default:
		}
		switch {
		case err != nil && !failing:
			slog.Warn("background checkpoint failed", "err", err, "wal_bytes", fileSize(db.path+"-wal"))
		case err == nil && failing:
			slog.Info("background checkpoint works again", "wal_bytes", fileSize(db.path+"-wal"))
		}
		failing = err != nil
	}
}

// truncateWAL checkpoints the whole log and starts it again from the
// beginning of its file, which journal_size_limit then cuts back to the
// limit (RESTART: the file's first part stays allocated for the writes to
// come); with toZero, when space is short, it truncates the file to zero
// bytes (TRUNCATE). Either must wait until no write is under way and no
// reader uses the log. Under steady load neither happens by itself: the
// writer commits batch after batch, so a checkpoint from another
// connection waits out its busy timeout holding the writer back, and fails
// (measured: 2 s, the log at 49 MB); and readers that follow each other
// without a gap keep using the log's read marks, so even a checkpoint on
// the writer's own connection waited 4 s for them on a loaded machine,
// with the writer held all along. So it first holds new reads (readGate)
// until the running ones end, for readDrainWait at most: a long read, such
// as an export, makes it give up until the next tick rather than keep every
// page waiting. The writer stays free meanwhile, for the running reads
// that need it (a report pins its second connection between two batches:
// with the writer held they waited for it and ran on one connection). Then
// it runs on the writer's connection between two batches (nothing is
// written meanwhile), if the writer takes it within readDrainWait too.
func (db *DB) truncateWAL(toZero bool) error {
	mode := "RESTART"
	if toZero {
		mode = "TRUNCATE"
	}
	drain, cancel := context.WithTimeout(context.Background(), readDrainWait)
	defer cancel()
	if err := db.rgate.hold(drain); err != nil {
		return fmt.Errorf("truncate checkpoint: reads still under way after %v", readDrainWait)
	}
	defer db.rgate.open()
	// A write whose function reads (and so waits at the gate) cannot
	// take it: the gate opens again after readDrainWait.
	ctx, cancel2 := context.WithTimeout(context.Background(), readDrainWait)
	defer cancel2()
	return db.exclusive(ctx, func(c *pconn) error {
		// SQLite reports a checkpoint that could not finish in its
		// result (busy = 1), not as an error; it becomes one so that the
		// loop tries again at the next tick.
		var busy, logFrames, done int
		if err := c.c.QueryRowContext(context.Background(), "PRAGMA wal_checkpoint("+mode+")").Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("truncate checkpoint: %w", err)
		}
		if busy != 0 {
			return fmt.Errorf("truncate checkpoint: %d of %d log frames left", logFrames-done, logFrames)
		}
		return nil
	})
}

// readDrainWait bounds how long truncateWAL holds new reads waiting for
// the running ones to end: a page's reads take milliseconds, a year's
// report about half a second on a province (docs/deployment.md).
const readDrainWait = 250 * time.Millisecond

// WALSize returns the size in bytes of the SQLite write-ahead log file (0
// when there is none, and on PostgreSQL), for diagnostics and tests.
func (db *DB) WALSize() int64 {
	if db.dialect == postgresDialect {
		return 0
	}
	return max(fileSize(db.path+"-wal"), 0)
}

// fileSize returns the size of the file at path, or -1 if it cannot be
// read.
func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return fi.Size()
}
