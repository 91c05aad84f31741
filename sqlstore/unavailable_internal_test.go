package sqlstore

import (
	"errors"
	"fmt"
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
