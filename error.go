package motcua

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: the HTTP layer maps each to one
// status, and callers branch on them with ErrorCode.
const (
	ECONFLICT     = "conflict"     // the action conflicts with the current state
	EINTERNAL     = "internal"     // a fault of the system; never shown in detail
	EINVALID      = "invalid"      // the input is wrong
	ENOTFOUND     = "not_found"    // the thing does not exist (or is not visible)
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not signed in
	ETOOMANY      = "too_many"     // the caller must slow down
	ETOOLARGE     = "too_large"    // the request's body or file is larger than allowed
	EUNAVAILABLE  = "unavailable"  // the system cannot take the request now (storage full or unreachable); retry later
)

// Error is a domain error. Code is one of the E… constants; Reason is a
// stable machine-readable English identifier of the precise rule that failed
// (for API clients); Message is a complete sentence in Vietnamese for people;
// Fields carries per-field messages for forms (field name → Vietnamese text).
type Error struct {
	Code    string
	Reason  string
	Message string
	Fields  map[string]string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("motcua error: code=%s reason=%s message=%s", e.Code, e.Reason, e.Message)
	}
	return fmt.Sprintf("motcua error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code, reason and formatted
// Vietnamese message.
func Errorf(code, reason, format string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error for one form field.
func FieldError(field, reason, message string) *Error {
	return &Error{Code: EINVALID, Reason: reason, Message: message, Fields: map[string]string{field: message}}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorReason returns the reason of the first *Error in err's chain, or "".
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// ErrorMessage returns the Vietnamese message of the first *Error in err's
// chain; any other error gets a generic message that reveals nothing.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Hệ thống gặp lỗi nội bộ. Vui lòng thử lại sau hoặc báo quản trị viên."
}

// ErrorText is err as a line to record for people who read a failure
// later (a delivery that did not go through): a domain error's Vietnamese
// message with its reason in brackets, any other error's own text. Never
// the "motcua error: code=…" form, which is for logs.
func ErrorText(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		if e.Reason != "" {
			return e.Message + " (" + e.Reason + ")"
		}
		return e.Message
	}
	return err.Error()
}
