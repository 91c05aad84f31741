package sqlstore

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/motcua/motcua"
)

// errUnavailable is what a request gets when the storage cannot take it
// now — a full disk, an I/O error, a database restarting or out of reach —
// rather than because of the request: EUNAVAILABLE, which the server
// answers with 503 and Retry-After, so that clients retry instead of
// giving up on a bare 500.
var errUnavailable = motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable",
	"Hệ thống lưu trữ tạm thời không sẵn sàng; vui lòng thử lại sau ít phút. Hồ sơ chưa được ghi nhận.")

// classify returns err marked unavailable when the storage, not the
// request, failed (see transient); other errors are returned unchanged.
func classify(err error) error {
	if err == nil || motcua.ErrorCode(err) != motcua.EINTERNAL || !transient(err) {
		return err
	}
	return fmt.Errorf("%w: %w", errUnavailable, err)
}

// transient reports whether err says the storage cannot work now: on
// SQLite a full disk, an I/O error, a database still locked after the busy
// timeout or a file that cannot be opened; on PostgreSQL a lost or refused
// connection, a server shutting down or starting up, a full disk or
// exhausted resources (SQLSTATE classes 08, 53, 57P).
func transient(err error) bool {
	var code interface{ Code() int }
	if errors.As(err, &code) {
		switch code.Code() & 0xff {
		case 5, 6, 10, 13, 14: // BUSY, LOCKED, IOERR, FULL, CANTOPEN
			return true
		}
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return strings.HasPrefix(pg.Code, "08") || strings.HasPrefix(pg.Code, "53") || strings.HasPrefix(pg.Code, "57P")
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EIO), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return true
	}
	return pgconn.SafeToRetry(err)
}
