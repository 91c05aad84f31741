package web

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/motcua/motcua"
)

// statusOf is the one table from domain error codes to HTTP status.
var statusOf = map[string]int{
	motcua.EINVALID:      http.StatusUnprocessableEntity,
	motcua.ENOTFOUND:     http.StatusNotFound,
	motcua.ECONFLICT:     http.StatusConflict,
	motcua.EFORBIDDEN:    http.StatusForbidden,
	motcua.EUNAUTHORIZED: http.StatusUnauthorized,
	motcua.ETOOMANY:      http.StatusTooManyRequests,
	motcua.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	motcua.EUNAVAILABLE:  http.StatusServiceUnavailable,
	motcua.EINTERNAL:     http.StatusInternalServerError,
}

// RetryAfter is the Retry-After value (seconds) of every 503 answer: long
// enough for a database restart or a checkpoint after space is freed, short
// enough that a counter officer's retry is not a long wait. The server adds
// it to any 503 that lacks one (statusRecorder), pages included.
const RetryAfter = "5"

// Status returns the HTTP status for err.
func Status(err error) int {
	if s, ok := statusOf[motcua.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// ErrorBody is the JSON form of an error: a machine code (the domain code),
// the precise reason, a Vietnamese message for people, and per-field
// messages for forms.
type ErrorBody struct {
	Error   string            `json:"error"`
	Reason  string            `json:"reason,omitempty"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// ErrorBodyOf returns the body for err. Internal errors reveal nothing.
func ErrorBodyOf(err error) ErrorBody {
	code := motcua.ErrorCode(err)
	b := ErrorBody{Error: code, Reason: motcua.ErrorReason(err), Message: motcua.ErrorMessage(err)}
	if e, ok := err.(*motcua.Error); ok && code != motcua.EINTERNAL {
		b.Fields = e.Fields
	}
	return b
}

// LogError logs err if it is internal or the system is unavailable: only
// faults of the system are logged, never people's mistakes.
func LogError(r *http.Request, err error) {
	if c := motcua.ErrorCode(err); c == motcua.EINTERNAL || c == motcua.EUNAVAILABLE {
		slog.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
}

// WriteError writes err as JSON with its status.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	LogError(r, err)
	SetRetryAfter(w, err)
	WriteJSON(w, Status(err), ErrorBodyOf(err))
}

// SetRetryAfter tells the client when to try again after an error that
// passes (EUNAVAILABLE: in RetryAfter seconds; ETOOMANY: in a minute).
func SetRetryAfter(w http.ResponseWriter, err error) {
	switch motcua.ErrorCode(err) {
	case motcua.EUNAVAILABLE:
		w.Header().Set("Retry-After", RetryAfter)
	case motcua.ETOOMANY:
		w.Header().Set("Retry-After", "60")
	}
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if v != nil {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(v)
	}
}
