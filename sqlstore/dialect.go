package sqlstore

import (
	"strconv"
	"strings"
	"sync"
)

// dialect is the small seam between the engines. The SQL in this package is
// written once, in the subset both understand, with ? placeholders; what
// differs is listed here and nowhere else:
//
//   - placeholders: PostgreSQL wants $1, $2…, so queries are rebound (and
//     the rebound text cached);
//   - new row ids: SQLite reports them without a RETURNING clause (which
//     would cost a result set per insert), PostgreSQL needs RETURNING id;
//   - booleans are always bound as parameters, never written as 1/0;
//   - row locks for work queues: FOR UPDATE SKIP LOCKED on PostgreSQL,
//     nothing on SQLite, whose single writer already serializes claims;
//   - the reports name the index a scan must use on SQLite (INDEXED BY),
//     whose planner, without statistics, prefers any covering index to a
//     small partial one; PostgreSQL plans from its statistics.
type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// String names the engine as the configuration and the metrics do.
func (d dialect) String() string {
	if d == postgresDialect {
		return "postgres"
	}
	return "sqlite"
}

// skipLocked is appended to the SELECT that claims queue rows.
func (d dialect) skipLocked() string {
	if d == postgresDialect {
		return " FOR UPDATE SKIP LOCKED"
	}
	return ""
}

// indexedBy follows a table name to make SQLite use the named index (the
// statement fails if it cannot, which the tests would show).
func (d dialect) indexedBy(index string) string {
	if d == postgresDialect {
		return ""
	}
	return " INDEXED BY " + index
}

var rebound sync.Map // query → PostgreSQL text

// rebind turns ? placeholders outside quoted strings into $n.
func rebind(q string) string {
	if v, ok := rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote // '' inside a string toggles twice: still inside
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	out := b.String()
	rebound.Store(q, out)
	return out
}
