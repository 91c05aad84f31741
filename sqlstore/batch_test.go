package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// These tests drive the group commit of both engines through the public
// store: with one writer (SQLite's, or Options.PGWriters = 1), a write whose
// transaction waits holds the writer while the writes made meanwhile queue
// up; released, the writer takes them all as one batch.

// observer records what the store reports.
type observer struct {
	mu      sync.Mutex
	commits []commitSeen
	retries map[string]int
}

type commitSeen struct {
	batch int
	err   error
}

func (o *observer) Commit(engine string, batch int, took time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.commits = append(o.commits, commitSeen{batch, err})
}

func (o *observer) Retry(engine, reason string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.retries == nil {
		o.retries = map[string]int{}
	}
	o.retries[reason]++
}

// seen returns the commits reported so far.
func (o *observer) seen() []commitSeen {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]commitSeen(nil), o.commits...)
}

// retried returns how many runs started again for reason.
func (o *observer) retried(reason string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.retries[reason]
}

// holdWriter starts a write (creating agency code) whose transaction waits
// until release is called, and returns once that transaction runs. release
// returns the held write's result.
func holdWriter(t *testing.T, db *sqlstore.DB, code string) (release func() error) {
	t.Helper()
	running, gate, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	var once sync.Once
	go func() {
		done <- db.Write(ctx, func(tx motcua.Tx) error {
			once.Do(func() { close(running) })
			select {
			case <-gate:
			case <-time.After(time.Minute):
				return errors.New("held write never released")
			}
			return tx.CreateAgency(ctx, newAgency(code))
		})
	}()
	select {
	case <-running:
	case <-time.After(30 * time.Second):
		t.Fatal("the held write did not start")
	}
	return func() error { close(gate); return <-done }
}

// waitQueued waits until n writes wait for the writer.
func waitQueued(t *testing.T, db *sqlstore.DB, n int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); db.QueuedWrites() < n; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d writes queued, want %d", db.QueuedWrites(), n)
		}
	}
}

func newAgency(code string) *motcua.Agency {
	return &motcua.Agency{Code: code, Name: "Cơ quan " + code, Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee}
}

// agencyCodes returns the codes of the stored agencies.
func agencyCodes(t *testing.T, db motcua.Store) map[string]bool {
	t.Helper()
	var as []*motcua.Agency
	if err := db.Read(ctx, func(tx motcua.Tx) (err error) { as, err = tx.Agencies(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, a := range as {
		out[a.Code] = true
	}
	return out
}

// TestGroupCommitMixedBatch queues succeeding, failing and panicking
// transactions behind a held writer: they run as one batch, in one
// database transaction, committed once; the failing and panicking ones
// leave nothing, the others are all stored.
func TestGroupCommitMixedBatch(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		obs := &observer{}
		db := sqltest.OpenWith(t, e, sqlstore.Options{PGWriters: 1, Observer: obs})
		release := holdWriter(t, db, "H98.HOLD")
		const n = 40
		boom := errors.New("boom")
		errs := make([]error, n)
		txs := make([]motcua.Tx, n) // the transaction each ran in last
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Write(ctx, func(tx motcua.Tx) error {
					txs[i] = tx
					if err := tx.CreateAgency(ctx, newAgency(fmt.Sprintf("H98.%d", i))); err != nil {
						return err
					}
					switch i % 4 {
					case 1:
						return boom
					case 2:
						panic("bad transaction")
					}
					return nil
				})
			}()
		}
		waitQueued(t, db, n)
		if err := release(); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		for i, err := range errs {
			switch i % 4 {
			case 1:
				if !errors.Is(err, boom) {
					t.Errorf("tx %d: %v, want boom", i, err)
				}
			case 2:
				if err == nil || !strings.Contains(err.Error(), "panic") {
					t.Errorf("tx %d: %v, want the panic reported", i, err)
				}
			default:
				if err != nil {
					t.Errorf("tx %d: %v", i, err)
				}
			}
			if txs[i] != txs[0] {
				t.Errorf("tx %d ran in another transaction than tx 0: not one batch", i)
			}
		}
		got := agencyCodes(t, db)
		for i := range n {
			if stored := got[fmt.Sprintf("H98.%d", i)]; stored != (i%4 == 0 || i%4 == 3) {
				t.Errorf("agency of tx %d stored: %v", i, stored)
			}
		}
		if len(got) != 1+n/2 {
			t.Errorf("%d agencies stored, want %d", len(got), 1+n/2)
		}
		// The held write's commit, then the batch's: one commit for n.
		if c := obs.seen(); len(c) != 2 || c[1].batch != n || c[1].err != nil {
			t.Errorf("commits %+v, want a commit of 1 then one of %d", c, n)
		}
	})
}

// TestCancelledCaller cancels a caller while its write waits in the queue:
// Write returns at once, and its transaction never runs. A caller cancelled
// while its transaction runs in a batch is told the truth: committed.
func TestCancelledCaller(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.OpenWith(t, e, sqlstore.Options{PGWriters: 1})
		release := holdWriter(t, db, "H98.HOLD")
		queuedCtx, cancelQueued := context.WithCancel(ctx)
		queued := make(chan error, 1)
		var ran atomic.Bool
		go func() {
			queued <- db.Write(queuedCtx, func(tx motcua.Tx) error {
				ran.Store(true)
				return tx.CreateAgency(ctx, newAgency("H98.GAVEUP"))
			})
		}()
		waitQueued(t, db, 1)
		cancelQueued()
		select {
		case err := <-queued:
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled queued write: %v, want context.Canceled", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a cancelled caller still waits for the writer")
		}

		runningCtx, cancelRunning := context.WithCancel(ctx)
		running := make(chan error, 1)
		go func() {
			running <- db.Write(runningCtx, func(tx motcua.Tx) error {
				if err := tx.CreateAgency(ctx, newAgency("H98.KEPT")); err != nil {
					return err
				}
				cancelRunning() // the caller gives up in the middle
				return tx.CreateAgency(ctx, newAgency("H98.KEPT2"))
			})
		}()
		waitQueued(t, db, 1)
		if err := release(); err != nil {
			t.Fatal(err)
		}
		if err := <-running; err != nil {
			t.Fatalf("a write committed after its caller gave up reported %v", err)
		}
		if ran.Load() {
			t.Error("the cancelled queued write ran")
		}
		got := agencyCodes(t, db)
		if got["H98.GAVEUP"] || !got["H98.KEPT"] || !got["H98.KEPT2"] || !got["H98.HOLD"] {
			t.Errorf("stored %v, want H98.HOLD, H98.KEPT and H98.KEPT2 only", got)
		}
	})
}

// pgAdmin opens a plain connection pool on the test schema at addr, for
// what the store does not offer (triggers, killing a backend).
func pgAdmin(t *testing.T, addr string) *sql.DB {
	t.Helper()
	admin, err := sql.Open("pgx", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	return admin
}

// namedPGStore opens a migrated store on a fresh PostgreSQL schema whose
// connections carry an application name of their own (prefix and a
// number), by which the test tells them apart from its own in
// pg_stat_activity; admin is a connection of the test's.
func namedPGStore(t *testing.T, prefix string, opts sqlstore.Options) (db *sqlstore.DB, admin *sql.DB, app string) {
	t.Helper()
	sqltest.RequirePostgres(t)
	base := sqltest.FreshSchema(t)
	addr, app := appAddress(t, base, prefix)
	return openMigrated(t, addr, opts), pgAdmin(t, base), app
}

// appAddress is base whose connections carry an application name of their
// own (prefix and a number), which it returns too.
func appAddress(t *testing.T, base, prefix string) (addr, app string) {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	app = fmt.Sprintf("%s_%d", prefix, time.Now().UnixNano())
	q := u.Query()
	q.Set("application_name", app)
	u.RawQuery = q.Encode()
	return u.String(), app
}

// backends counts the server processes of the connections named app.
func backends(t *testing.T, admin *sql.DB, app string) int {
	t.Helper()
	var n int
	if err := admin.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE application_name = $1`, app).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// openMigrated opens the PostgreSQL schema at addr with opts and migrates it.
func openMigrated(t *testing.T, addr string, opts sqlstore.Options) *sqlstore.DB {
	t.Helper()
	db := sqltest.OpenAtWith(t, addr, opts)
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return db
}

func mustExec(t *testing.T, db *sql.DB, query string) {
	t.Helper()
	if _, err := db.Exec(query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestPostgresCommitFailureFailsBatch makes a batch's COMMIT fail (a
// deferred constraint trigger refuses one agency at commit time): every
// caller of the batch gets the error, none of their changes is stored, and
// the writer carries on.
func TestPostgresCommitFailureFailsBatch(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	obs := &observer{}
	db := openMigrated(t, addr, sqlstore.Options{PGWriters: 1, Observer: obs})
	admin := pgAdmin(t, addr)
	mustExec(t, admin, `CREATE FUNCTION refuse_bad() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.code = 'H98.BAD' THEN RAISE EXCEPTION 'agency refused at commit' USING ERRCODE = '23514'; END IF;
			RETURN NULL;
		END $$`)
	mustExec(t, admin, `CREATE CONSTRAINT TRIGGER refuse_bad AFTER INSERT ON agencies
		DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_bad()`)

	release := holdWriter(t, db, "H98.HOLD")
	codes := []string{"H98.1", "H98.2", "H98.BAD", "H98.3"}
	errs := make([]error, len(codes))
	var wg sync.WaitGroup
	for i, code := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency(code)) })
		}()
	}
	waitQueued(t, db, len(codes))
	if err := release(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "agency refused at commit") {
			t.Errorf("%s: %v, want the commit's error", codes[i], err)
		}
	}
	got := agencyCodes(t, db)
	if len(got) != 1 || !got["H98.HOLD"] {
		t.Errorf("stored %v, want only the held write's agency", got)
	}
	c := obs.seen()
	if len(c) != 2 || c[1].batch != len(codes) || c[1].err == nil {
		t.Errorf("commits %+v, want a failed commit of %d", c, len(codes))
	}
	mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency("H98.AFTER")) })
	if !agencyCodes(t, db)["H98.AFTER"] {
		t.Error("the writer did not carry on after a failed commit")
	}
}

// TestPostgresConnectionLostMidBatch kills the writer's backend while a
// batch runs. The server rolls back what the batch had done; the batch
// runs again on a new connection and every write is stored exactly once.
// A batch whose connection dies after its last statement fails at COMMIT
// and stores nothing.
func TestPostgresConnectionLostMidBatch(t *testing.T) {
	db, admin, app := namedPGStore(t, "motcua_kill", sqlstore.Options{PGWriters: 1})
	kill := func() error {
		var n int
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if err := admin.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
				WHERE application_name = $1 AND state LIKE 'idle in transaction%'`, app).Scan(&n); err != nil || n > 1 {
				return fmt.Errorf("killed %d backends in a transaction (%v), want the writer's", n, err)
			}
			if n == 1 {
				return nil
			}
		}
		return errors.New("the writer's backend was never seen in a transaction")
	}
	// wait holds a transaction until the test lets it go (or gives up).
	wait := func(goOn chan struct{}) error {
		select {
		case <-goOn:
			return nil
		case <-time.After(time.Minute):
			return errors.New("never let go")
		}
	}

	// Killed in the middle: the transaction's next statement fails.
	inside, goOn := make(chan struct{}), make(chan struct{})
	var runs atomic.Int32
	done := make(chan error, 1)
	go func() {
		done <- db.Write(ctx, func(tx motcua.Tx) error {
			if err := tx.CreateAgency(ctx, newAgency("H98.A")); err != nil {
				return err
			}
			if runs.Add(1) == 1 {
				close(inside)
				if err := wait(goOn); err != nil {
					return err
				}
			}
			return tx.CreateAgency(ctx, newAgency("H98.B"))
		})
	}()
	<-inside
	others := make(chan error, 3)
	for i := range 3 {
		go func() {
			others <- db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency(fmt.Sprintf("H98.%d", i))) })
		}()
	}
	waitQueued(t, db, 3)
	kerr := kill()
	close(goOn)
	if kerr != nil {
		t.Fatal(kerr)
	}
	if err := <-done; err != nil {
		t.Fatalf("the write whose connection died: %v, want it run again and committed", err)
	}
	for range 3 {
		if err := <-others; err != nil {
			t.Fatal(err)
		}
	}
	if runs.Load() != 2 {
		t.Errorf("the transaction ran %d times, want 2", runs.Load())
	}
	got := agencyCodes(t, db)
	for _, c := range []string{"H98.A", "H98.B", "H98.0", "H98.1", "H98.2"} {
		if !got[c] {
			t.Errorf("%s not stored: %v", c, got)
		}
	}

	// Killed after the last statement: the COMMIT fails.
	inside, goOn = make(chan struct{}), make(chan struct{})
	go func() {
		done <- db.Write(ctx, func(tx motcua.Tx) error {
			if err := tx.CreateAgency(ctx, newAgency("H98.LOST")); err != nil {
				return err
			}
			close(inside)
			return wait(goOn)
		})
	}()
	<-inside
	kerr = kill()
	close(goOn)
	if kerr != nil {
		t.Fatal(kerr)
	}
	if err := <-done; err == nil {
		t.Fatal("a write whose connection died before its commit reported success")
	}
	if got := agencyCodes(t, db); got["H98.LOST"] || len(got) != 5 {
		t.Errorf("stored %v after a failed commit", got)
	}
	mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency("H98.AFTER")) })
}

// TestPostgresDeadlockRetried has two instances' batches take two counter
// rows in opposite orders. PostgreSQL aborts one as the deadlock victim;
// its batch (with the other writes queued into it) runs again and every
// write is stored once, with gap-free numbers.
func TestPostgresDeadlockRetried(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	obsA, obsB := &observer{}, &observer{}
	a := openMigrated(t, addr, sqlstore.Options{PGWriters: 1, Observer: obsA})
	b := sqltest.OpenAtWith(t, addr, sqlstore.Options{PGWriters: 1, Observer: obsB})
	const k1, k2 = "H98.1|2026-11-22", "H98.2|2026-11-22"
	aHas, bHas := make(chan struct{}), make(chan struct{})
	var onceA, onceB sync.Once
	var runs atomic.Int32
	// take draws first, signals that it holds it, waits for the other side
	// to hold its own, then draws second.
	take := func(first, second string, once *sync.Once, mine, theirs chan struct{}) func(motcua.Tx) error {
		return func(tx motcua.Tx) error {
			runs.Add(1)
			if _, err := tx.NextCodeSeq(ctx, first); err != nil {
				return err
			}
			once.Do(func() { close(mine) })
			select {
			case <-theirs:
			case <-time.After(30 * time.Second):
				return errors.New("the other side never took its row")
			}
			_, err := tx.NextCodeSeq(ctx, second)
			return err
		}
	}
	release := holdWriter(t, a, "H98.HOLD")
	errA := make(chan error, 1)
	go func() { errA <- a.Write(ctx, take(k1, k2, &onceA, aHas, bHas)) }()
	others := make(chan error, 3)
	for i := range 3 {
		go func() {
			others <- a.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency(fmt.Sprintf("H98.%d", i))) })
		}()
	}
	waitQueued(t, a, 4)
	if err := release(); err != nil {
		t.Fatal(err)
	}
	errB := b.Write(ctx, take(k2, k1, &onceB, bHas, aHas))
	if err := errors.Join(errB, <-errA, <-others, <-others, <-others); err != nil {
		t.Fatal(err)
	}
	if runs.Load() < 3 {
		t.Errorf("the two transactions ran %d times in all: no deadlock was retried", runs.Load())
	}
	if n := obsA.retried("deadlock") + obsB.retried("deadlock"); n < 1 {
		t.Errorf("%d deadlock retries reported, want at least 1", n)
	}
	if got := agencyCodes(t, a); len(got) != 4 {
		t.Errorf("stored %v, want the held write's and the 3 queued ones", got)
	}
	for _, k := range []string{k1, k2} {
		var next int
		mustWrite(t, b, func(tx motcua.Tx) (err error) { next, err = tx.NextCodeSeq(ctx, k); return err })
		if next != 3 {
			t.Errorf("%s: next number %d, want 3 (two committed draws)", k, next)
		}
	}
}

// TestPostgresSerializationFailureRetried makes PostgreSQL report
// serialization failures (SQLSTATE 40001) from a trigger: twice for one
// agency, always for another. The batch runs again until the first is
// stored; the second, after the bounded attempts, fails alone while the
// rest of its batch is stored once.
func TestPostgresSerializationFailureRetried(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	obs := &observer{}
	db := openMigrated(t, addr, sqlstore.Options{PGWriters: 1, Observer: obs})
	admin := pgAdmin(t, addr)
	// A sequence, unlike a table, is not rolled back with the aborted
	// transaction: it counts the attempts.
	mustExec(t, admin, `CREATE SEQUENCE flaky_attempts`)
	mustExec(t, admin, `CREATE FUNCTION flaky() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF NEW.code = 'H98.ALWAYS' OR (NEW.code = 'H98.TWICE' AND nextval('flaky_attempts') <= 2) THEN
				RAISE EXCEPTION 'forced serialization failure' USING ERRCODE = '40001';
			END IF;
			RETURN NEW;
		END $$`)
	mustExec(t, admin, `CREATE TRIGGER flaky BEFORE INSERT ON agencies FOR EACH ROW EXECUTE FUNCTION flaky()`)

	release := holdWriter(t, db, "H98.HOLD")
	// Queued one by one, so that the batch runs them in this order (Go
	// hands a channel's blocked senders over first come, first served):
	// the one that always fails runs first and uses up the batch's
	// attempts before the one that fails twice has run at all, which must
	// still get its own retries.
	codes := []string{"H98.ALWAYS", "H98.1", "H98.TWICE", "H98.2"}
	twice := 2
	runs := make([]atomic.Int32, len(codes))
	errs := make([]error, len(codes))
	var wg sync.WaitGroup
	for i, code := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(tx motcua.Tx) error {
				runs[i].Add(1)
				return tx.CreateAgency(ctx, newAgency(code))
			})
		}()
		waitQueued(t, db, i+1)
	}
	if err := release(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	for i, err := range errs {
		if codes[i] == "H98.ALWAYS" {
			if err == nil || !strings.Contains(err.Error(), "40001") {
				t.Errorf("%s: %v, want the serialization failure after the last attempt", codes[i], err)
			}
		} else if err != nil {
			t.Errorf("%s: %v", codes[i], err)
		}
	}
	if n := runs[twice].Load(); n < 3 {
		t.Errorf("H98.TWICE ran %d times, want at least 3", n)
	}
	if n := obs.retried("serialization"); n < 2 {
		t.Errorf("%d retries reported, want at least 2", n)
	}
	got := agencyCodes(t, db)
	if len(got) != 4 || got["H98.ALWAYS"] {
		t.Errorf("stored %v, want H98.HOLD, H98.TWICE, H98.1 and H98.2", got)
	}
}

// TestPostgresIgnoredErrorFailsAlone has a transaction ignore the error of
// a statement (a duplicate code) and return nil. PostgreSQL has aborted the
// database transaction by then, so on PostgreSQL that transaction fails —
// alone: the others of its batch are stored.
func TestPostgresIgnoredErrorFailsAlone(t *testing.T) {
	sqltest.RequirePostgres(t)
	db := openMigrated(t, sqltest.FreshSchema(t), sqlstore.Options{PGWriters: 1})
	mustAgency(t, db, "H98.TAKEN")
	release := holdWriter(t, db, "H98.HOLD")
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = db.Write(ctx, func(tx motcua.Tx) error {
				if i == 1 {
					if err := tx.CreateAgency(ctx, newAgency("H98.TAKEN")); motcua.ErrorCode(err) != motcua.ECONFLICT {
						return fmt.Errorf("duplicate code: %v, want ECONFLICT", err)
					}
					return nil // the conflict ignored
				}
				return tx.CreateAgency(ctx, newAgency(fmt.Sprintf("H98.%d", i)))
			})
		}()
	}
	waitQueued(t, db, 3)
	if err := release(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if errs[0] != nil || errs[2] != nil {
		t.Errorf("the other transactions failed: %v, %v", errs[0], errs[2])
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "ignored an error") {
		t.Errorf("the transaction that ignored an error: %v, want it failed", errs[1])
	}
	got := agencyCodes(t, db)
	if len(got) != 4 || !got["H98.0"] || !got["H98.2"] {
		t.Errorf("stored %v, want H98.TAKEN, H98.HOLD, H98.0 and H98.2", got)
	}
}
