package sqlstore

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/motcua/motcua"
)

// Batch imports (ImportHistories).
//
// A generated province-year is some 6.5 events, 0.1 inbox rows and, with
// scans, a few file records per dossier. Stored one INSERT each (pipelined
// since pgpipeline.go, but still one statement each on the server), the
// server's parse-bind-execute per row bounded PostgreSQL's generator at
// about 2,000 dossiers/s. In the optimistic run of a PostgreSQL group
// commit a batch is therefore written with one COPY per table: the ids are
// drawn beforehand (from the same pool, in the same order, as the INSERTs
// would take them), the rows built by the walk ImportHistory itself makes
// (walkHistory), and sent in foreign-key order. Elsewhere (SQLite, whose
// single writer pays no round trip; the isolated run of a group commit,
// where each transaction gets its own errors) each history is imported
// with ImportHistory.

// ImportHistories implements motcua.DossierStore.
func (t *tx) ImportHistories(ctx ctxT, hs []motcua.HistoryImport) error {
	for _, h := range hs {
		if h.Dossier == nil {
			return fmt.Errorf("import: a history without its dossier")
		}
		if err := checkHistory(h.Dossier, h.Events, h.Files); err != nil {
			return err
		}
	}
	if !t.pipelined() {
		for _, h := range hs {
			if err := t.ImportHistory(ctx, h.Dossier, h.Events, h.Files); err != nil {
				return err
			}
		}
		return nil
	}
	return t.copyHistories(hs)
}

// copyHistories writes checked histories with one COPY per table.
func (t *tx) copyHistories(hs []motcua.HistoryImport) error {
	events, files := 0, 0
	for _, h := range hs {
		events += len(h.Events)
		files += storedFiles(h)
	}
	// What was queued before goes first (it may be what these rows point
	// to), and the ids are drawn in the order the INSERTs would draw them.
	if err := t.flushBefore("dossiers"); err != nil {
		return err
	}
	s := &copySink{t: t}
	var err error
	if s.dossierIDs, err = t.db.pgids.take(t, "dossiers", len(hs)); err != nil {
		return err
	}
	if s.eventIDs, err = t.db.pgids.take(t, "dossier_events", events); err != nil {
		return err
	}
	if files > 0 {
		// Not pooled: one INSERT … RETURNING id each would draw them
		// from the sequence in this order.
		if s.fileIDs, err = t.db.pgids.unpooled(t, "dossier_files", files); err != nil {
			return err
		}
	}
	for _, h := range hs {
		s.fold = standingFold{}
		if err := walkHistory(s, h.Dossier, h.Events, h.Files); err != nil {
			return err
		}
		if err := s.finish(h.Dossier); err != nil {
			return err
		}
	}
	// The event_actors rows the events' first actors queued (actorOf).
	if err := t.flushPipe(); err != nil {
		return err
	}
	// The foreign keys to dossiers are checked by plans this connection may
	// have made when the table held a handful of rows: a sequential scan,
	// kept until something invalidates it. At the end of the events' COPY
	// every event then scanned the whole table, this batch's uncommitted
	// dossiers included: the first 40,000-dossier day of a 10-million
	// generation ran for minutes in those checks. Dropping the cached
	// plans makes the first check plan again, after the dossiers' COPY, on
	// the table as it now is (an index probe); it costs a few re-plans.
	if _, err := t.pgtx.ExecContext(t.ctx, `DISCARD PLANS`); err != nil {
		return fmt.Errorf("import: discard cached plans: %w", err)
	}
	if err := t.copyRows("dossiers", append([]string{"id"}, dossierInsertColumns...), s.dossiers); err != nil {
		return conflict(err, "dossier_code_exists", "Mã hồ sơ của một hồ sơ nhập vào đã tồn tại.")
	}
	if err := t.copyRows("dossier_files", append([]string{"id"}, fileInsertColumns...), s.files); err != nil {
		return conflict(err, "doc_code_taken", "Mã kết quả của một tài liệu nhập vào đã được dùng cho một tài liệu khác.")
	}
	if err := t.copyRows("dossier_events", append([]string{"id"}, eventInsertColumns...), s.events); err != nil {
		return conflict(err, "dossier_changed", "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại rồi thực hiện lại.")
	}
	if err := t.copyRows("dossier_standings", standingColumns, s.standings); err != nil {
		return err
	}
	return t.copyRows("dossier_work", workColumns, s.work)
}

// storedFiles counts the files of h that ImportHistory stores: those
// placed right after one of its events.
func storedFiles(h motcua.HistoryImport) int {
	n := 0
	for _, f := range h.Files {
		if slices.ContainsFunc(h.Events, func(e motcua.Event) bool { return e.Seq == f.AfterSeq }) {
			n++
		}
	}
	return n
}

// copySink collects the rows of a batch of histories for COPY, numbered
// with ids drawn beforehand.
type copySink struct {
	t                             *tx
	dossierIDs, eventIDs, fileIDs []int64
	dossiers, events, files, work [][]any
	standings                     [][]any      // rows of the record of standings (migration 0035)
	fold                          standingFold // the standing of the dossier being walked
}

// pop takes the next id of a list drawn for exactly the batch's rows.
func pop(ids *[]int64, table string) (int64, error) {
	if len(*ids) == 0 {
		return 0, fmt.Errorf("import: more rows of %s than ids drawn for them", table)
	}
	id := (*ids)[0]
	*ids = (*ids)[1:]
	return id, nil
}

func (s *copySink) dossier(d *motcua.Dossier, first *motcua.Event) error {
	id, err := pop(&s.dossierIDs, "dossiers")
	if err != nil {
		return err
	}
	d.ID, first.DossierID = id, id
	if err := s.event(first); err != nil {
		return err
	}
	// As saveDuties at creation: the duties of the status it is created
	// with (naming the result later does not change them).
	next := d.Status.NextDueAt().UnixMilli()
	for _, w := range d.Status.Duties {
		s.work = append(s.work, dutyValues(w, next, d, &d.Status))
	}
	return nil
}

func (s *copySink) file(f *motcua.DossierFile) error {
	id, err := pop(&s.fileIDs, "dossier_files")
	if err != nil {
		return err
	}
	f.ID = id
	s.files = append(s.files, append([]any{id}, fileValues(f)...))
	return nil
}

func (s *copySink) event(e *motcua.Event) error {
	id, err := pop(&s.eventIDs, "dossier_events")
	if err != nil {
		return err
	}
	vals, err := s.t.eventValues(e)
	if err != nil {
		return err
	}
	e.ID = id
	s.events = append(s.events, append([]any{id}, vals...))
	if row, ok := s.fold.next(e); ok {
		s.standings = append(s.standings, row)
	}
	return nil
}

// renamed needs nothing: the row is made by finish, after the walk, from
// d's status as the renaming left it (what rowSink's UPDATE writes).
func (s *copySink) renamed(*motcua.Dossier) error { return nil }

// finish makes d's row once its history was walked: the row
// CreateDossier writes, with the status document the UPDATE of a renamed
// result would leave in it.
func (s *copySink) finish(d *motcua.Dossier) error {
	vals, err := s.t.dossierValues(d)
	if err != nil {
		return err
	}
	s.dossiers = append(s.dossiers, append([]any{d.ID}, vals...))
	return nil
}

// copyRows writes rows into table's cols with one COPY on the pipelined
// transaction's connection, and checks that the server took them all.
func (t *tx) copyRows(table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	var n int64
	err := t.pipe.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy: driver connection is %T, not pgx", dc)
		}
		var err error
		// Not the caller's context: cancelling a COPY half-way would break
		// the connection the whole batch shares (see opCtx).
		n, err = c.Conn().CopyFrom(context.Background(), pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
	if err != nil {
		return fmt.Errorf("copy into %s: %w", table, mapError(err))
	}
	if n != int64(len(rows)) {
		return fmt.Errorf("copy into %s: %d rows written of %d", table, n, len(rows))
	}
	return nil
}
