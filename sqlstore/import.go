package sqlstore

import (
	"fmt"

	"github.com/motcua/motcua"
)

// ImportHistory implements motcua.DossierStore: it stores a dossier whose
// Status is already the result of its whole history, the history, and the
// dossier's files in between, in one go (bulk loads: demo data, moves
// between systems).
func (t *tx) ImportHistory(ctx ctxT, d *motcua.Dossier, events []motcua.Event, files []motcua.HistoryFile) error {
	return walkHistory(rowSink{t: t, ctx: ctx, fold: &standingFold{}}, d, events, files)
}

// importSink receives the rows of an imported history in the order
// ImportHistory stores them: rowSink writes each at once, copySink
// (import_copy.go) collects a batch's for COPY. One walk (walkHistory)
// decides for both, so that the two store the same rows.
type importSink interface {
	// dossier stores d's row with its first event and inbox rows, and
	// sets d.ID and first.DossierID; as event, it records the standing
	// after the first event.
	dossier(d *motcua.Dossier, first *motcua.Event) error
	// file stores f (its DossierID set) and sets f.ID.
	file(f *motcua.DossierFile) error
	// event stores e (its DossierID set) and, when the record of
	// standings needs one, its row (standingFold).
	event(e *motcua.Event) error
	// renamed says that d's status, stored with its row, has since named
	// its result file (d.Status.ResultFileRef).
	renamed(d *motcua.Dossier) error
}

// checkHistory refuses a history ImportHistory cannot store, before
// anything of it is written.
func checkHistory(d *motcua.Dossier, events []motcua.Event, files []motcua.HistoryFile) error {
	if len(events) == 0 || events[len(events)-1].Seq != d.Status.Seq {
		return fmt.Errorf("import dossier %s: history of %d events does not end at seq %d", d.Code, len(events), d.Status.Seq)
	}
	for _, f := range files {
		if f.File == nil || f.AfterSeq < events[0].Seq || f.AfterSeq > d.Status.Seq {
			return fmt.Errorf("import dossier %s: a file placed after event %d, outside its history", d.Code, f.AfterSeq)
		}
	}
	return nil
}

// walkHistory hands d's rows to s in the order they are stored.
func walkHistory(s importSink, d *motcua.Dossier, events []motcua.Event, files []motcua.HistoryFile) error {
	if err := checkHistory(d, events, files); err != nil {
		return err
	}
	first := events[0]
	if err := s.dossier(d, &first); err != nil {
		return err
	}
	var result *motcua.DossierFile // the newest signed result file stored so far
	store := func(seq int) error {
		for _, f := range files {
			if f.AfterSeq != seq {
				continue
			}
			f.File.DossierID = d.ID
			if err := s.file(f.File); err != nil {
				return err
			}
			if f.File.ComponentID == motcua.ResultComponent && f.File.Signed() {
				result = f.File
			}
		}
		return nil
	}
	if err := store(first.Seq); err != nil {
		return err
	}
	// The status is written with the dossier, before the files have ids: a
	// result file named by an issue_result is set in it afterwards.
	issued, named := false, ""
	for i := 1; i < len(events); i++ {
		e := events[i]
		e.DossierID = d.ID
		if e.Action == motcua.ActIssueResult {
			if e.ResultFileRef == "" && result != nil {
				e.ResultFileRef = result.IDString()
			}
			if e.ResultSigned && (result == nil || e.ResultFileRef != result.IDString()) {
				return fmt.Errorf("import dossier %s: event %d claims a signed result file the history does not store", d.Code, e.Seq)
			}
			issued, named = true, e.ResultFileRef
		}
		if err := s.event(&e); err != nil {
			return err
		}
		if err := store(e.Seq); err != nil {
			return err
		}
	}
	if issued && named != d.Status.ResultFileRef {
		d.Status.ResultFileRef = named
		return s.renamed(d)
	}
	return nil
}

// rowSink stores an imported history's rows one statement each, as the
// service stores them.
type rowSink struct {
	t    *tx
	ctx  ctxT
	fold *standingFold // the history's standing, fresh for each history
}

func (s rowSink) dossier(d *motcua.Dossier, first *motcua.Event) error {
	return s.t.createDossier(d, first, s.fold)
}
func (s rowSink) file(f *motcua.DossierFile) error { return s.t.AddDossierFile(s.ctx, f) }

func (s rowSink) event(e *motcua.Event) error {
	if err := s.t.insertEvent(e); err != nil {
		return err
	}
	return s.fold.note(s.t, e)
}

func (s rowSink) renamed(d *motcua.Dossier) error {
	status, err := encodeStatusExtra(&d.Status)
	if err != nil {
		return err
	}
	_, err = s.t.exec(`UPDATE dossiers SET status = ? WHERE id = ?`, status, d.ID)
	return err
}

// SetCodeSeq implements motcua.DossierStore.
func (t *tx) SetCodeSeq(_ ctxT, key string, n int) error {
	_, err := t.exec(`INSERT INTO code_counters (key, n) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET n = CASE WHEN code_counters.n > excluded.n THEN code_counters.n ELSE excluded.n END`, key, n)
	return err
}

// CodeSeqs implements motcua.DossierStore.
func (t *tx) CodeSeqs(_ ctxT) (map[string]int, error) {
	rows, err := t.query(`SELECT key, n FROM code_counters`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}
