package sqlstore

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/motcua/motcua"
)

type codeErr int

func (c codeErr) Error() string { return fmt.Sprintf("sqlite %d", int(c)) }
func (c codeErr) Code() int     { return int(c) }

// TestClassify: failures of the storage are EUNAVAILABLE — a PostgreSQL
// restart (57P01, 57P03), a lost connection (08006), a full disk on either
// engine — and the request's own failures are left alone.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&pgconn.PgError{Code: "57P01"}, motcua.EUNAVAILABLE},                         // admin_shutdown: the server restarts
		{fmt.Errorf("read: %w", &pgconn.PgError{Code: "57P03"}), motcua.EUNAVAILABLE}, // cannot_connect_now: starting up
		{&pgconn.PgError{Code: "08006"}, motcua.EUNAVAILABLE},                         // connection_failure
		{&pgconn.PgError{Code: "53100"}, motcua.EUNAVAILABLE},                         // disk_full
		{&pgconn.PgError{Code: "23505"}, motcua.EINTERNAL},                            // unique_violation: the request's
		{&pgconn.PgError{Code: "40001"}, motcua.EINTERNAL},                            // serialization: retried by the writer
		{codeErr(13), motcua.EUNAVAILABLE},                                            // SQLITE_FULL
		{codeErr(10 | 12<<8), motcua.EUNAVAILABLE},                                    // SQLITE_IOERR_READ
		{codeErr(19), motcua.EINTERNAL},                                               // SQLITE_CONSTRAINT
		{fmt.Errorf("write: %w", syscall.ENOSPC), motcua.EUNAVAILABLE},
		{fmt.Errorf("dial: %w", syscall.ECONNREFUSED), motcua.EUNAVAILABLE},
		{errors.New("something else"), motcua.EINTERNAL},
		{motcua.Errorf(motcua.ECONFLICT, "x", "Xung đột."), motcua.ECONFLICT},
	} {
		if got := motcua.ErrorCode(classify(c.err)); got != c.want {
			t.Errorf("%v: %s, want %s", c.err, got, c.want)
		}
	}
}

// TestUnavailableKinds checks the classification of the PostgreSQL codes a
// restart or a full disk produces, which a test cannot make the shared
// server send (the full-disk and restart tests cover SQLite's real errors
// and a real cut connection), and that domain errors and other faults are
// left alone.
func TestUnavailableKinds(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string // the reason, "" for untouched
	}{
		{&pgconn.PgError{Code: "57P01"}, "database_unavailable"}, // admin_shutdown: a restart
		{&pgconn.PgError{Code: "57P03"}, "database_unavailable"}, // cannot_connect_now: starting
		{&pgconn.PgError{Code: "08006"}, "database_unavailable"}, // connection_failure
		{&pgconn.PgError{Code: "53300"}, "database_unavailable"}, // too_many_connections
		{&pgconn.PgError{Code: "53100"}, "storage_unavailable"},  // disk_full
		{fmt.Errorf("write: %w", &os.PathError{Op: "write", Path: "x", Err: syscall.ENOSPC}), "storage_unavailable"},
		{ErrClosed, "database_unavailable"},
		{&pgconn.PgError{Code: "23505"}, ""}, // unique_violation is the caller's conflict
		{&pgconn.PgError{Code: "42P01"}, ""}, // undefined_table is a fault
		{errors.New("anything else"), ""},
		{motcua.Errorf(motcua.ECONFLICT, "x", "x"), "x"},
	} {
		got := classify(c.err)
		reason := motcua.ErrorReason(got)
		if reason != c.want {
			t.Errorf("%v: reason %q, want %q", c.err, reason, c.want)
		}
		if c.want != "" && c.want != "x" && !errors.Is(got, c.err) {
			t.Errorf("%v: the cause is lost from the chain", c.err)
		}
	}
}
