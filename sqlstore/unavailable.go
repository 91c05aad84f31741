package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/motcua/motcua"
	sqlite3 "modernc.org/sqlite/lib"
)

// The two ways the store tells callers to come back later (EUNAVAILABLE,
// which the web layer answers with 503 and Retry-After). They are shared
// values: a *motcua.Error is never changed after it is made.
var (
	errStorageUnavailable = motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable",
		"Hệ thống tạm thời không ghi được dữ liệu vì bộ nhớ lưu trữ của máy chủ đang đầy hoặc gặp lỗi. Hồ sơ chưa được lưu; vui lòng thử lại sau ít phút.")
	errDatabaseUnavailable = motcua.Errorf(motcua.EUNAVAILABLE, "database_unavailable",
		"Cơ sở dữ liệu tạm thời không sẵn sàng (đang khởi động lại hoặc mất kết nối). Vui lòng thử lại sau ít phút.")
)

// classify marks err EUNAVAILABLE when it says that the storage or the
// database cannot take the request now — a full disk, an I/O error, a lock
// held past the busy timeout, a PostgreSQL server shutting down, starting
// or unreachable — keeping err in the chain for the log. Domain errors and
// every other fault are returned as they are.
func classify(err error) error {
	if err == nil || motcua.ErrorCode(err) != motcua.EINTERNAL {
		return err
	}
	switch unavailableKind(err) {
	case "storage":
		return fmt.Errorf("%w: %w", errStorageUnavailable, err)
	case "database":
		return fmt.Errorf("%w: %w", errDatabaseUnavailable, err)
	}
	return err
}

// markIf marks err unavailable when cause is such an error. The writer
// uses it where a failure of one transaction fails the whole batch and the
// message keeps cause only as text: the batch's callers must still learn
// that the storage refused, not that something unknown went wrong.
func markIf(cause, err error) error {
	switch unavailableKind(cause) {
	case "storage":
		return fmt.Errorf("%w: %w", errStorageUnavailable, err)
	case "database":
		return fmt.Errorf("%w: %w", errDatabaseUnavailable, err)
	}
	return err
}

// unavailableKind classifies a driver or system error: "storage" for the
// local disk (SQLite full, I/O error, read-only, cannot open; ENOSPC, EIO,
// EROFS), "database" for a database that is busy, shutting down, starting
// or unreachable, "" for anything else. Context cancellation is the
// caller's doing, not the database's, and stays "".
func unavailableKind(err error) string {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ""
	}
	if errors.Is(err, ErrClosed) { // the instance is shutting down; another one, or this one restarted, will answer
		return "database"
	}
	var se interface{ Code() int } // *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN:
			return "storage"
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			// A lock held past the busy timeout (a backup, another
			// process): the database is there but not free now.
			return "database"
		}
		return ""
	}
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EIO) || errors.Is(err, syscall.EROFS) || errors.Is(err, syscall.EDQUOT) {
		return "storage"
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case pe.Code == "53100", // disk_full
			pe.Code == "58030": // io_error
			return "storage"
		case strings.HasPrefix(pe.Code, "57P"), // shutting down, starting up, recovering (57P01, 57P02, 57P03)
			strings.HasPrefix(pe.Code, "53"), // insufficient resources: too many connections, out of memory
			strings.HasPrefix(pe.Code, "08"), // connection exception
			pe.Code == "25006":               // read_only_sql_transaction: a read-only failover
			return "database"
		}
		return ""
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || errors.Is(err, pgconn.ErrConnClosed) || pgconn.SafeToRetry(err) {
		return "database" // unreachable, or a connection that died before the statement was sent
	}
	// A connection the server closed under a statement (a restart) or
	// that cannot be reached at all.
	var ne net.Error
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.As(err, &ne) {
		return "database"
	}
	return ""
}
