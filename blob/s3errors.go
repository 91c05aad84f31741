package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/minio/minio-go/v7"

	"github.com/motcua/motcua"
)

// s3Retries bounds the client's own retries of a failing request (minio's
// default is 10, with backoff up to a second each): a person at the
// counter is told within about two seconds that storage is unavailable,
// rather than kept waiting ten.
const s3Retries = 3

// errS3Unavailable is a request the object storage could not serve now
// (unreachable, overloaded, failing, or full): the caller may retry later
// (EUNAVAILABLE, answered 503 with Retry-After), unlike a refusal that
// retrying cannot cure (wrong keys, no bucket), which stays an internal
// fault for the operator.
var errS3Unavailable = motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable",
	"Hệ thống lưu trữ tệp tạm thời không phản hồi. Tệp chưa được lưu hoặc đọc; vui lòng thử lại sau ít phút.")

// s3Error wraps err of op on key, marking the faults that may pass.
func s3Error(op, key string, err error) error {
	if s3Transient(err) {
		return fmt.Errorf("%w: %s %s: %w", errS3Unavailable, op, key, err)
	}
	return fmt.Errorf("%s %s: %w", op, key, err)
}

// s3Transient reports whether err is a fault of the storage's availability
// rather than of the request or the configuration. The caller's own
// cancellation is not one.
func s3Transient(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var r minio.ErrorResponse
	if errors.As(err, &r) {
		switch r.Code {
		case "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout",
			"XMinioStorageFull", "XMinioServerNotInitialized":
			return true
		}
		return r.StatusCode >= 500 || r.StatusCode == 429 || r.StatusCode == 408
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}
