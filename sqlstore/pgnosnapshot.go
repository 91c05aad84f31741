package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
)

// Reads without a snapshot on PostgreSQL (motcua.NewContextNoSnapshot).
//
// A read transaction costs two round trips of its own, BEGIN and
// ROLLBACK, each a message the server parses and answers and a wake-up of
// both processes. Most staff pages read one statement (an inbox page, the
// bell's unread count), so that was two thirds of their statements and
// about a third of the mixed workload's (docs/deployment.md §22). A read
// whose context is marked runs each statement on its own, in the
// statement's implicit transaction, on whichever pooled connection is
// free: no pinned connection, no BEGIN, no ROLLBACK.

// errWriteInRead refuses a write in a read without a snapshot: such a
// read runs outside a READ ONLY transaction, so the store checks it.
var errWriteInRead = errors.New("sqlstore: a read without a snapshot ran a statement other than SELECT")

// pgNoSnapshot runs a read's statements each on its own.
type pgNoSnapshot struct{ db *sql.DB }

// readOnlySQL reports whether query only reads: a SELECT (a WITH could
// hide a data-modifying statement, so it is not taken).
func readOnlySQL(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT") && !hasForUpdate(q)
}

// hasForUpdate reports whether q contains " FOR UPDATE" in any case. It
// looks only after spaces and copies nothing: it runs for every read
// without a snapshot, where upper-casing each query's whole text was half
// a per cent of the staff workload's CPU.
func hasForUpdate(q string) bool {
	const s = " FOR UPDATE"
	for i := strings.IndexByte(q, ' '); i >= 0 && len(q)-i >= len(s); {
		if strings.EqualFold(q[i:i+len(s)], s) {
			return true
		}
		j := strings.IndexByte(q[i+1:], ' ')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func (p pgNoSnapshot) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return nil, errWriteInRead
}

func (p pgNoSnapshot) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if !readOnlySQL(query) {
		return nil, errWriteInRead
	}
	return p.db.QueryContext(ctx, query, args...)
}

// QueryRowContext cannot return an error before Scan; a statement other
// than SELECT is replaced by one the server refuses, naming the reason.
func (p pgNoSnapshot) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if !readOnlySQL(query) {
		return p.db.QueryRowContext(ctx, `SELECT CAST('sqlstore: a read without a snapshot ran a statement other than SELECT' AS integer)`)
	}
	return p.db.QueryRowContext(ctx, query, args...)
}
