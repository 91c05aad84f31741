package sqlstore

import (
	"database/sql"
	"time"

	"github.com/motcua/motcua"
)

// The record of standings (dossier_standings, migration 0035; see
// motcua.StandingStore) is written beside each event, in its transaction:
// a row when the event leaves the dossier at a standing other than its
// last row's (the zero standing before any), or when the event is earlier
// than a row already written (then the row of the highest seq before a
// moment would otherwise be older than the event that decides it). The
// migration fills it for the events stored before it with nearly the same
// rule: it compares an event's time with every earlier event's, not only
// with the rows written, so when times go back it may write a row more,
// of the standing the record already gives then; the standing read at any
// moment is the same either way.

// noteStandingSQL writes the standing after an event unless the rule
// above says the dossier's rows already give it. Its arguments are the
// dossier, seq, time and standing, then the standing, dossier, time and
// dossier again. One statement with no answer to wait for: in a pipelined
// transaction it is only queued (execLater).
const noteStandingSQL = `INSERT INTO dossier_standings (dossier_id, seq, at, standing)
	SELECT CAST(? AS BIGINT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT)
	WHERE CAST(? AS BIGINT) <> COALESCE((SELECT standing FROM dossier_standings WHERE dossier_id = ? ORDER BY seq DESC LIMIT 1), 0)
	OR CAST(? AS BIGINT) < (SELECT MAX(at) FROM dossier_standings WHERE dossier_id = ?)`

// noteStanding records the standing of e's dossier after e, whose status
// is then s (AppendEvent).
func (t *tx) noteStanding(e *motcua.Event, s *motcua.Status) error {
	p := motcua.Pending766{State: e.ToState, DueAt: e.DueAt, Supplements: len(s.Supplements)}
	if n := len(s.Supplements); n > 0 {
		p.LastRequest = s.Supplements[n-1].RequestedAt
	}
	st, at := int64(motcua.StandingOf(p)), e.At.UnixMilli()
	return t.execLater(-1, noteStandingSQL, e.DossierID, e.Seq, at, st, st, e.DossierID, at, e.DossierID)
}

// standingFold follows a dossier's standing through the events of one
// write (CreateDossier, ImportHistory), whose rows it knows: nothing was
// recorded for the dossier before.
type standingFold struct {
	p       motcua.Pending766
	last    motcua.Standing
	maxAt   int64
	written bool
}

// next returns the row of the record after e (in the order of
// standingColumns) when the rule says one is written.
func (f *standingFold) next(e *motcua.Event) ([]any, bool) {
	f.p = f.p.Next(motcua.HistoryLineOf(e))
	st, at := motcua.StandingOf(f.p), e.At.UnixMilli()
	if st == f.last && (!f.written || at >= f.maxAt) {
		return nil, false
	}
	f.last, f.written, f.maxAt = st, true, max(f.maxAt, at)
	return []any{e.DossierID, e.Seq, at, int64(st)}, true
}

// note records the standing after e when the rule says so.
func (f *standingFold) note(t *tx, e *motcua.Event) error {
	row, ok := f.next(e)
	if !ok {
		return nil
	}
	// A single-row INSERT … VALUES writes its row or fails: no count to
	// check, so a batch's COMMIT still goes in the same round trip.
	return t.execLater(-1, insertStanding, row...)
}

// standingColumns are the columns of a row of the record, in the order
// standingFold.next gives them (its INSERT and a batch import's COPY).
var standingColumns = []string{"dossier_id", "seq", "at", "standing"}

var insertStanding = insertInto("dossier_standings", standingColumns)

// standingsAtSQL reads a chunk's last rows before ? on SQLite (max()
// gives its row's other columns).
const standingsAtSQL = `SELECT dossier_id, MAX(seq), standing FROM dossier_standings
	WHERE dossier_id IN (%s) AND at < ? GROUP BY dossier_id`

// pgStandingsAtSQL reads them on PostgreSQL, the ids as one array of at
// most pgStandingsChunk: an index scan of the primary key per chunk
// (measured on 1.6 million dossiers, 5–8 ms for 1,000 dossiers, as for
// four statements of 250; the 22,891 dossiers of a month's end as one
// array were read by a sequential scan of the table instead, 444 ms, or
// one probe each through unnest, 540 ms).
const pgStandingsAtSQL = `SELECT DISTINCT ON (dossier_id) dossier_id, seq, standing FROM dossier_standings
	WHERE dossier_id = ANY(CAST(? AS BIGINT[])) AND at < ? ORDER BY dossier_id, seq DESC`

var pgStandingsChunk = 1000 // a variable for the tests

// StandingsAt implements motcua.StandingStore.
func (t *tx) StandingsAt(_ ctxT, ids []int64, at time.Time) (map[int64]motcua.Standing, error) {
	out := make(map[int64]motcua.Standing, len(ids))
	scan := func(rows *sql.Rows) error {
		var id, seq, st int64
		if err := rows.Scan(&id, &seq, &st); err != nil {
			return err
		}
		out[id] = motcua.Standing(st)
		return nil
	}
	if t.pgtx == nil {
		return out, t.inChunks(ids, standingsAtSQL, scan, at.UnixMilli())
	}
	for len(ids) > 0 {
		n := min(len(ids), pgStandingsChunk)
		if err := t.scanAll(scan, pgStandingsAtSQL, ids[:n], at.UnixMilli()); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

// scanAll runs a query and calls fn for each row.
func (t *tx) scanAll(fn func(*sql.Rows) error, query string, args ...any) error {
	rows, err := t.query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return mapError(rows.Err())
}
