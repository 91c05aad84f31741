package sqlstore

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// dossierFacts are the parts of a dossier fixed at creation, stored as one
// JSON document. Components keep only what differs per dossier: their
// names come from the procedure version (Dossier.FillComponents), which
// keeps rows small.
type dossierFacts struct {
	Applicant    storedApplicant `json:"applicant"`
	Assisted     bool            `json:"assisted,omitempty"`
	Content      string          `json:"content,omitempty"`
	ReturnMethod *string         `json:"return_method,omitempty"` // facts.go: left out when usual
	// Packed holds the components since migration 0040 (facts_packed.go);
	// Components those of a list that cannot be packed, and of every
	// document written before.
	Packed     string            `json:"cs,omitempty"`
	Components []storedComponent `json:"components,omitempty"`
	Fees       []packedFee       `json:"fees,omitempty"`
	// LookupSecret is kept with the facts (a JSON field, no column): it is
	// read only by the public lookup and copied with the dossier.
	LookupSecret string `json:"lookup_secret,omitempty"`
}

// storedComponent is a DossierComponent without what the procedure says.
type storedComponent struct {
	ID             int64  `json:"id"`
	Provided       bool   `json:"p,omitempty"`
	FromNationalDB bool   `json:"n,omitempty"`
	Reused         bool   `json:"r,omitempty"`
	Digitized      bool   `json:"d,omitempty"`
	FileRef        string `json:"f,omitempty"`
	ReusedResult   string `json:"rr,omitempty"`
	ReusedFrom     string `json:"rf,omitempty"`
	TakenFromStore bool   `json:"s,omitempty"`
}

func storeComponents(cs []motcua.DossierComponent) []storedComponent {
	out := make([]storedComponent, len(cs))
	for i, c := range cs {
		out[i] = storedComponent{ID: c.ComponentID, Provided: c.Provided, FromNationalDB: c.FromNationalDB,
			Reused: c.Reused, Digitized: c.Digitized, FileRef: c.FileRef, ReusedResult: c.ReusedResult, ReusedFrom: c.ReusedFrom,
			TakenFromStore: c.TakenFromStore}
	}
	return out
}

func loadComponents(cs []storedComponent) []motcua.DossierComponent {
	out := make([]motcua.DossierComponent, len(cs))
	for i, c := range cs {
		out[i] = motcua.DossierComponent{ComponentID: c.ID, Provided: c.Provided, FromNationalDB: c.FromNationalDB,
			Reused: c.Reused, Digitized: c.Digitized, FileRef: c.FileRef, ReusedResult: c.ReusedResult, ReusedFrom: c.ReusedFrom,
			TakenFromStore: c.TakenFromStore}
	}
	return out
}

// NextCodeSeq implements motcua.DossierStore. The counter row is updated
// inside the caller's transaction, so the number is unique (the writer is
// single) and returned to the pool if the transaction rolls back.
func (t *tx) NextCodeSeq(_ ctxT, key string) (int, error) {
	row, err := t.queryRow(`INSERT INTO code_counters (key, n) VALUES (?, 1)
		ON CONFLICT (key) DO UPDATE SET n = code_counters.n + 1 RETURNING n`, key)
	if err != nil {
		return 0, err
	}
	var n int
	if err := row.Scan(&n); err != nil {
		return 0, fmt.Errorf("next code sequence: %w", err)
	}
	return n, nil
}

// CreateNumberedDossier implements motcua.DossierStore. SQLite draws the
// number first and inserts the dossier with its code (the single writer
// holds no lock another caller waits for). PostgreSQL draws its number when
// the group commit flushes its numbers, at the end of the batch
// (numbers.go): in a pipeline the dossier's INSERT waits until then and
// takes its code with it; otherwise the dossier is inserted under a
// provisional code that an UPDATE replaces. The draw is a short
// transaction of its own (numbersdraw.go), so no batch waits for another's
// commit on the counter row.
func (t *tx) CreateNumberedDossier(ctx ctxT, d *motcua.Dossier, e *motcua.Event, key string, render func(int) string) error {
	if t.db.dialect == sqliteDialect {
		seq, err := t.NextCodeSeq(ctx, key)
		if err != nil {
			return err
		}
		d.Code = render(seq)
		return t.CreateDossier(ctx, d, e)
	}
	if t.stats == nil {
		// Not in a group commit: a read transaction cannot write.
		return fmt.Errorf("create numbered dossier: not in a write transaction")
	}
	b := make([]byte, 12)
	rand.Read(b)
	// A random provisional code, replaced before commit: no other
	// transaction ever sees it.
	d.Code = "~" + hex.EncodeToString(b)
	// In a pipeline the INSERT waits, out of the queue, for the draw
	// (numbers.go), and the rows that point to the dossier go ahead.
	slot := t.holdDossier()
	err := t.CreateDossier(ctx, d, e)
	if t.pipe != nil {
		t.pipe.holdNext = false
	}
	if err != nil {
		return err
	}
	t.numbers = append(t.numbers, pendingNumber{key: key, d: d, render: render, slot: slot})
	return nil
}

// dossierInsertColumns are the columns a new dossier's row is written
// with, in the order dossierValues gives them: the one list CreateDossier's
// INSERT and a batch import's COPY (ImportHistories) share.
var dossierInsertColumns = []string{"code", "procedure_id", "procedure_version", "procedure_code", "procedure_name", "channel",
	"reception_point_id", "reception_agency_id", "competent_agency_id", "applicant_id_number", "applicant_name", "verifier", "facts",
	"created_at", "state", "step", "holder_agency_id", "assignee_id", "submitted_at", "received_at", "clock_start_at", "due_at",
	"step_started_at", "step_due_at", "action_due_at", "finished_at", "returned_at", "next_due_at", "seq", "status",
	"finish_class", "ontime_766", "handle_ms", "supp_count", "supp_last_at", "report_flags", "last_event_at",
	"appraiser_id", "result_number"}

var insertDossier = insertInto("dossiers", dossierInsertColumns)

// dossierValues are the values of d's new row, in the order of
// dossierInsertColumns.
func (t *tx) dossierValues(d *motcua.Dossier) ([]any, error) {
	facts, err := encodeFacts(d)
	if err != nil {
		return nil, err
	}
	s := &d.Status
	status, err := encodeStatusExtra(s)
	if err != nil {
		return nil, err
	}
	r := &s.Report
	return []any{d.Code, d.ProcedureID, d.ProcedureVersion, d.ProcedureCode, t.procedureNameOf(d), int(d.Channel), d.ReceptionPointID,
		d.ReceptionAgencyID, d.CompetentAgencyID, d.Applicant.IDNumber, d.Applicant.FullName, d.Verifier, facts, d.CreatedAt.UnixMilli(),
		s.State, s.Step, s.AgencyID, s.AssigneeID, ms(s.SubmittedAt), ms(s.ReceivedAt), ms(s.ClockStartAt), ms(s.DueAt), ms(s.StepStartedAt),
		ms(s.StepDueAt), ms(s.ActionDueAt), ms(s.FinishedAt), ms(s.ReturnedAt), s.NextDueAt().UnixMilli(), s.Seq, status,
		r.Class, r.OnTime766, r.HandleMS, r.Supplements, ms(r.LastRequestAt), int64(r.Flags), ms(r.LastEventAt),
		s.AppraiserID, s.ResultNumber}, nil
}

// insertInto is the INSERT of one row of table with cols, in the form the
// pipeline's insertLater reads ("INSERT INTO t (a, b) VALUES (?, ?)").
func insertInto(table string, cols []string) string {
	return "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
}

// CreateDossier implements motcua.DossierStore.
func (t *tx) CreateDossier(_ ctxT, d *motcua.Dossier, e *motcua.Event) error {
	return t.createDossier(d, e, &standingFold{})
}

// createDossier stores a dossier and its first event, recording the
// standing after it through f (which ImportHistory goes on with).
func (t *tx) createDossier(d *motcua.Dossier, e *motcua.Event, f *standingFold) error {
	vals, err := t.dossierValues(d)
	if err != nil {
		return err
	}
	id, err := t.insert(insertDossier, vals...)
	if err != nil {
		return conflict(err, "dossier_code_exists", "Mã hồ sơ "+d.Code+" đã tồn tại.")
	}
	d.ID = id
	e.DossierID = id
	if err := t.insertEvent(e); err != nil {
		return err
	}
	if err := f.note(t, e); err != nil {
		return err
	}
	return t.saveDuties(id, &d.Status, d)
}

// workColumns are the columns of an inbox row (dossier_work), in the order
// dutyValues gives them: with what the inbox filters on (state, procedure,
// channel: migration 34), so that a filtered page never looks a dossier up
// to test it.
var workColumns = []string{"agency_id", "role", "user_id", "next_due_at", "dossier_id", "state", "procedure_id", "channel"}

var insertDuty = insertInto("dossier_work", workColumns)

// dutyValues are the values of the inbox row of duty w of the new dossier
// d, whose status is s, due at next (ms), in the order of workColumns.
func dutyValues(w motcua.Duty, next int64, d *motcua.Dossier, s *motcua.Status) []any {
	return []any{w.AgencyID, string(w.Role), w.UserID, next, d.ID, string(s.State), d.ProcedureID, int(d.Channel)}
}

// replaceDuty writes one inbox row of a dossier already stored, taking its
// procedure and channel (which never change) from the dossier's row in the
// same statement: AppendEvent has the status only, and a read first would
// cost PostgreSQL a round trip where this is queued with the change.
const replaceDuty = `INSERT INTO dossier_work (agency_id, role, user_id, next_due_at, dossier_id, state, procedure_id, channel)
	SELECT ?, ?, ?, ?, id, ?, procedure_id, channel FROM dossiers WHERE id = ?`

// saveDuties keeps the inbox rows of a dossier (dossier_work) equal to its
// status's duties, at its present next_due_at and state. A new dossier
// (d not nil) gives its procedure and channel; after a change (d nil) the
// old rows go first and the new ones copy them from the dossier's row,
// which the change has just updated (so it exists, even in a pipeline
// holding new dossiers back: the UPDATE released them).
func (t *tx) saveDuties(id int64, s *motcua.Status, d *motcua.Dossier) error {
	if d == nil {
		// Any number of rows: nothing to wait for (queued in a group
		// commit's pipeline on PostgreSQL, ahead of the new rows).
		if err := t.execLater(-1, `DELETE FROM dossier_work WHERE dossier_id = ?`, id); err != nil {
			return err
		}
	}
	next := s.NextDueAt().UnixMilli()
	for _, w := range s.Duties {
		var err error
		if d != nil {
			err = t.execLater(-1, insertDuty, dutyValues(w, next, d, s)...)
		} else {
			// The dossier exists: AppendEvent's UPDATE has just found
			// its row (and holds it until the commit), so the SELECT
			// gives exactly one row; no count to check, so a batch's
			// COMMIT still goes in the same round trip.
			err = t.execLater(-1, replaceDuty, w.AgencyID, string(w.Role), w.UserID, next, string(s.State), id)
		}
		if err != nil {
			return fmt.Errorf("inbox row of dossier %d: %w", id, err)
		}
	}
	return nil
}

// eventInsertColumns are the columns an event's row is written with, in
// the order eventValues gives them: the one list insertEvent's INSERT and
// a batch import's COPY share.
var eventInsertColumns = []string{"dossier_id", "seq", "action", "at", "actor_id", "actor_agency_id", "from_state", "to_state",
	"from_agency_id", "to_agency_id", "timeliness", "due_at", "actor_name", "actor_role", "from_step", "to_step", "clock_start_at",
	"step_due_at", "action_due_at", "handover_due_at", "duties", "data"}

var insertEventRow = insertInto("dossier_events", eventInsertColumns)

// eventValues are the values of e's row, in the order of
// eventInsertColumns. (The actor's first event also writes its
// event_actors row: see actorOf.)
func (t *tx) eventValues(e *motcua.Event) ([]any, error) {
	data, err := encodeEventExtra(e)
	if err != nil {
		return nil, err
	}
	name, role, err := t.actorOf(e.ActorID, e.ActorName, e.ActorRole)
	if err != nil {
		return nil, err
	}
	return []any{e.DossierID, e.Seq, e.Action, e.At.UnixMilli(), e.ActorID, e.ActorAgencyID, e.FromState, e.ToState, e.FromAgencyID,
		e.ToAgencyID, e.Timeliness, ms(e.DueAt), name, role, e.FromStep, e.ToStep, ms(e.ClockStartAt), ms(e.StepDueAt), ms(e.ActionDueAt),
		ms(e.HandoverDueAt), encodeDuties(e.Duties), data}, nil
}

func (t *tx) insertEvent(e *motcua.Event) error {
	vals, err := t.eventValues(e)
	if err != nil {
		return err
	}
	id, err := t.insert(insertEventRow, vals...)
	if err != nil {
		return conflict(err, "dossier_changed", "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại rồi thực hiện lại.")
	}
	e.ID = id
	return nil
}

// SetDossierComponents implements motcua.DossierStore. The components live
// in the facts document; the rest of it is kept as it is.
func (t *tx) SetDossierComponents(_ ctxT, id int64, cs []motcua.DossierComponent) error {
	row, err := t.queryRow(`SELECT facts FROM dossiers WHERE id = ?`, id)
	if err != nil {
		return err
	}
	var facts string
	if err := row.Scan(&facts); err != nil {
		return notFound(err, "dossier_not_found", "Không tìm thấy hồ sơ.")
	}
	var f map[string]json.RawMessage
	if err := json.Unmarshal([]byte(facts), &f); err != nil {
		return fmt.Errorf("decode dossier %d: %w", id, err)
	}
	delete(f, "cs")
	delete(f, "components")
	packed, objects := packComponents(storeComponents(cs))
	if packed != "" {
		f["cs"], _ = json.Marshal(packed) // a string always encodes
	} else if objects != nil {
		if f["components"], err = json.Marshal(objects); err != nil {
			return fmt.Errorf("encode components: %w", err)
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode dossier: %w", err)
	}
	_, err = t.exec(`UPDATE dossiers SET facts = ? WHERE id = ?`, string(b), id)
	return err
}

// AppendEvent implements motcua.DossierStore.
func (t *tx) AppendEvent(_ ctxT, e *motcua.Event, s *motcua.Status) error {
	if err := t.insertEvent(e); err != nil {
		return err
	}
	if err := t.noteStanding(e, s); err != nil {
		return err
	}
	status, err := encodeStatusExtra(s)
	if err != nil {
		return err
	}
	r := &s.Report
	res, err := t.exec(`UPDATE dossiers SET state = ?, step = ?, holder_agency_id = ?, assignee_id = ?, submitted_at = ?,
		received_at = ?, clock_start_at = ?, due_at = ?, step_started_at = ?, step_due_at = ?, action_due_at = ?, finished_at = ?,
		returned_at = ?, next_due_at = ?, seq = ?, status = ?, finish_class = ?, ontime_766 = ?, handle_ms = ?, supp_count = ?,
		supp_last_at = ?, report_flags = ?, last_event_at = ?, appraiser_id = ?, result_number = ? WHERE id = ? AND seq = ?`,
		s.State, s.Step, s.AgencyID, s.AssigneeID, ms(s.SubmittedAt), ms(s.ReceivedAt), ms(s.ClockStartAt), ms(s.DueAt),
		ms(s.StepStartedAt), ms(s.StepDueAt), ms(s.ActionDueAt), ms(s.FinishedAt), ms(s.ReturnedAt), s.NextDueAt().UnixMilli(), s.Seq,
		status, r.Class, r.OnTime766, r.HandleMS, r.Supplements, ms(r.LastRequestAt), int64(r.Flags), ms(r.LastEventAt),
		s.AppraiserID, s.ResultNumber, e.DossierID, e.Seq-1)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return motcua.Errorf(motcua.ECONFLICT, "dossier_changed", "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại rồi thực hiện lại.")
	}
	return t.saveDuties(e.DossierID, s, nil)
}

const dossierColumns = `id, code, procedure_id, procedure_version, procedure_code, procedure_name, channel,
	reception_point_id, reception_agency_id, competent_agency_id, verifier, applicant_id_number, applicant_name, facts, created_at, status,
	finish_class, ontime_766, handle_ms, supp_count, supp_last_at, report_flags, last_event_at, ` + statusColumns

func scanDossier(sc interface{ Scan(...any) error }) (*motcua.Dossier, error) {
	return scanDossierAs(sc, false)
}

// scanDossierAs scans a dossier's row, brief or whole.
func scanDossierAs(sc interface{ Scan(...any) error }, brief bool) (*motcua.Dossier, error) {
	var d motcua.Dossier
	var channel int
	var idNumber, name, facts, status string
	var created, flags int64
	var last, lastRequest sqlNullInt
	var r motcua.ReportFacts
	var sc2 statusCols
	if err := sc.Scan(append([]any{&d.ID, &d.Code, &d.ProcedureID, &d.ProcedureVersion, &d.ProcedureCode, &d.ProcedureName, &channel, &d.ReceptionPointID,
		&d.ReceptionAgencyID, &d.CompetentAgencyID, &d.Verifier, &idNumber, &name, &facts, &created, &status,
		&r.Class, &r.OnTime766, &r.HandleMS, &r.Supplements, &lastRequest, &flags, &last}, sc2.dest()...)...); err != nil {
		return nil, err
	}
	r.Flags, r.LastEventAt, r.LastRequestAt = motcua.ReportFlags(flags), fromMS(last), fromMS(lastRequest)
	d.Channel = motcua.Channel(channel)
	d.CreatedAt = time.UnixMilli(created).UTC()
	if brief {
		if err := decodeBriefFacts(&d, facts, idNumber, name); err != nil {
			return nil, err
		}
	} else if err := decodeFacts(&d, facts, idNumber, name); err != nil {
		return nil, err
	}
	if brief {
		if err := decodeBriefStatus(d.ID, status, &d.Status); err != nil {
			return nil, err
		}
	} else if status != "" {
		if err := json.Unmarshal([]byte(status), &d.Status); err != nil {
			return nil, fmt.Errorf("decode dossier %d status: %w", d.ID, err)
		}
	}
	sc2.apply(&d.Status)
	// The report facts as stored: the live counters' changes at the next
	// event are computed against them.
	d.Status.Report = r
	return &d, nil
}

// Dossier implements motcua.DossierStore.
func (t *tx) Dossier(_ ctxT, id int64) (*motcua.Dossier, error) {
	row, err := t.queryRow(`SELECT `+dossierColumns+` FROM dossiers WHERE id = ?`, id)
	if err != nil {
		return nil, err
	}
	d, err := scanDossier(row)
	if err != nil {
		return nil, notFound(err, "dossier_not_found", "Không tìm thấy hồ sơ.")
	}
	return d, t.fillNames(d)
}

// DossierByCode implements motcua.DossierStore.
func (t *tx) DossierByCode(_ ctxT, code string) (*motcua.Dossier, error) {
	row, err := t.queryRow(`SELECT `+dossierColumns+` FROM dossiers WHERE code = ?`, code)
	if err != nil {
		return nil, err
	}
	d, err := scanDossier(row)
	if err != nil {
		return nil, notFound(err, "dossier_not_found", "Không tìm thấy hồ sơ có mã "+code+".")
	}
	return d, t.fillNames(d)
}

// Events implements motcua.DossierStore. An event whose actor_name or
// actor_role is NULL has its actor's event_actors ones (compact.go).
func (t *tx) Events(_ ctxT, dossierID int64) ([]motcua.Event, error) {
	rows, err := t.query(eventsSelect+`e.dossier_id = ? ORDER BY e.seq`, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanEvents(rows)
}

// eventsSelect is the start of a query for events, up to its WHERE: the
// columns scanEvents reads.
const eventsSelect = `SELECT ` + eventsColumns + ` FROM dossier_events e LEFT JOIN event_actors a ON a.actor_id = e.actor_id WHERE `

// eventsByCode selects the events of the dossier whose code is its one
// argument, in order. It joins the dossier rather than comparing
// dossier_id with a subquery: given the subquery's id as an unknown
// value, PostgreSQL's generic plan expects 35 events and hashes all of
// event_actors for each page; through the join it expects a dossier's
// few and looks each actor up (pg_stat_statements' mean 82 µs against
// 46 µs on the 1.6 M province, docs/deployment.md §17).
const eventsByCode = `SELECT ` + eventsColumns + ` FROM dossiers d JOIN dossier_events e ON e.dossier_id = d.id
		LEFT JOIN event_actors a ON a.actor_id = e.actor_id WHERE d.code = ? ORDER BY e.seq`

// eventsColumns are the columns scanEvents reads, of dossier_events e and
// event_actors a.
const eventsColumns = `e.id, e.dossier_id, e.seq, e.action, e.at, e.actor_id, e.actor_agency_id, e.from_state, e.to_state,
		e.from_agency_id, e.to_agency_id, e.timeliness, e.due_at, COALESCE(e.actor_name, a.name, ''), COALESCE(e.actor_role, a.role, ''),
		e.from_step, e.to_step, e.clock_start_at, e.step_due_at, e.action_due_at, e.handover_due_at, e.duties, e.data`

// scanEvents reads the events of rows (eventsColumns).
func scanEvents(rows rowsScanner) ([]motcua.Event, error) {
	var out []motcua.Event
	for rows.Next() {
		var e motcua.Event
		var at int64
		var due, clock, stepDue, actionDue, handover sql.NullInt64
		var data string
		var duties sql.NullString
		if err := rows.Scan(&e.ID, &e.DossierID, &e.Seq, &e.Action, &at, &e.ActorID, &e.ActorAgencyID, &e.FromState, &e.ToState,
			&e.FromAgencyID, &e.ToAgencyID, &e.Timeliness, &due, &e.ActorName, &e.ActorRole, &e.FromStep, &e.ToStep,
			&clock, &stepDue, &actionDue, &handover, &duties, &data); err != nil {
			return nil, err
		}
		var err error
		if e.Duties, err = decodeDuties(duties.String); err != nil {
			return nil, fmt.Errorf("decode event %d: %w", e.ID, err)
		}
		var x eventExtra
		if data != "" {
			if err := json.Unmarshal([]byte(data), &x); err != nil {
				return nil, fmt.Errorf("decode event %d: %w", e.ID, err)
			}
		}
		e.At, e.DueAt = time.UnixMilli(at).UTC(), fromMS(due)
		e.ClockStartAt, e.StepDueAt, e.ActionDueAt, e.HandoverDueAt = fromMS(clock), fromMS(stepDue), fromMS(actionDue), fromMS(handover)
		e.AssigneeID, e.Stage, e.Reason, e.Missing, e.ResultNumber, e.ResultFileRef = x.AssigneeID, x.Stage, x.Reason, x.Missing, x.ResultNumber, x.ResultFileRef
		e.Parts, e.PartAgencyID, e.Supplied, e.AppraiserID = x.Parts, x.PartAgencyID, x.Supplied, x.AppraiserID
		e.ResultSigned = x.ResultSigned
		e.MergerID = x.MergerID
		out = append(out, e)
	}
	return out, rows.Err()
}

// FindDossiers implements motcua.DossierStore. With Duties, each duty is
// one range of the dossier_work primary key, read in deadline order and cut
// at the page size; the page is the first of their union.
func (t *tx) FindDossiers(_ ctxT, f motcua.DossierFilter) ([]*motcua.Dossier, error) {
	q, args, ok := findDossiersQuery(f)
	if !ok {
		return nil, nil
	}
	if f.Brief {
		return t.dossiersAs(true, q, args...)
	}
	return t.dossiers(q, args...)
}

// findDossiersQuery builds FindDossiers' query; ok is false when the
// filter selects nothing.
func findDossiersQuery(f motcua.DossierFilter) (q string, args []any, ok bool) {
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	if f.Duties == nil {
		where, wargs, ok := dossierWhere(f, "")
		if !ok {
			return "", nil, false
		}
		if f.After != nil {
			where = append(where, "(next_due_at, id) > (?, ?)")
			wargs = append(wargs, f.After.NextDueAt.UnixMilli(), f.After.ID)
		}
		q = `SELECT ` + dossierColumns + ` FROM dossiers`
		if len(where) > 0 {
			q += " WHERE " + strings.Join(where, " AND ")
		}
		return q + " ORDER BY next_due_at, id LIMIT ?", append(wargs, limit), true
	}
	if len(f.Duties) == 0 {
		return "", nil, false
	}
	// What the inbox filters on is in the inbox rows themselves (migration
	// 34): the dossiers are joined only for the other conditions.
	rest, rargs, ok := heldWhere(f, "d.")
	if !ok {
		return "", nil, false
	}
	// One branch per duty and state asked: each is then one range of an
	// index of dossier_work read in deadline order (dossier_work_state),
	// where a list of states would be tested on every row of the duty.
	states := []motcua.State{""}
	if len(f.States) > 0 {
		states = slices.Compact(slices.Sorted(slices.Values(f.States)))
	}
	nf := f
	nf.States = nil
	carried, cargs := carriedWhere(nf, "w.")
	// Each branch reads its range in key order up to the page size, and
	// needs the dossiers themselves only for the other conditions; the
	// union of their keys (a dossier two duties select, such as both
	// agencies of a parallel step, once) is cut to the page, whose rows
	// are then found by key. The page size is written into the query, not
	// bound: SQLite plans a subquery's bound LIMIT with its value, and so
	// prepares the statement again at every run that binds it (a sixth of
	// an inbox's CPU); a limit is one of a few numbers (≤ 500).
	lim := strconv.Itoa(limit)
	join := ""
	if len(rest) > 0 {
		join = " JOIN dossiers d ON d.id = w.dossier_id"
	}
	var branches []string
	for _, w := range f.Duties {
		for _, st := range states {
			where := []string{"w.agency_id = ?", "w.role = ?", "w.user_id = ?"}
			args = append(args, w.AgencyID, string(w.Role), w.UserID)
			if st != "" {
				where = append(where, "w.state = ?")
				args = append(args, string(st))
			}
			if f.After != nil {
				where = append(where, "(w.next_due_at, w.dossier_id) > (?, ?)")
				args = append(args, f.After.NextDueAt.UnixMilli(), f.After.ID)
			}
			where = append(where, carried...)
			args = append(args, cargs...)
			where = append(where, rest...)
			args = append(args, rargs...)
			branches = append(branches, fmt.Sprintf(`SELECT next_due_at, dossier_id FROM (SELECT w.next_due_at, w.dossier_id FROM dossier_work w%s
			WHERE %s ORDER BY w.next_due_at, w.dossier_id LIMIT %s) AS b%d`, join, strings.Join(where, " AND "), lim, len(branches)))
		}
	}
	var cols []string
	for _, c := range strings.Split(dossierColumns, ",") {
		cols = append(cols, "d."+strings.TrimSpace(c))
	}
	q = `SELECT ` + strings.Join(cols, ", ") + ` FROM (` + strings.Join(branches, " UNION ") +
		` ORDER BY next_due_at, dossier_id LIMIT ` + lim + `) AS u JOIN dossiers d ON d.id = u.dossier_id ORDER BY u.next_due_at, u.dossier_id`
	return q, args, true
}

// dossierWhere returns the conditions of f other than duties and cursor on
// columns named with prefix; ok is false when f selects nothing.
func dossierWhere(f motcua.DossierFilter, prefix string) (where []string, args []any, ok bool) {
	where, args, ok = heldWhere(f, prefix)
	if !ok {
		return nil, nil, false
	}
	cw, ca := carriedWhere(f, prefix)
	return append(where, cw...), append(args, ca...), true
}

// carriedWhere returns the conditions of f on what the inbox rows carry as
// well as the dossiers (state, procedure, channel), on columns named with
// prefix.
func carriedWhere(f motcua.DossierFilter, prefix string) (where []string, args []any) {
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, s := range f.States {
			ph[i] = "?"
			args = append(args, string(s))
		}
		where = append(where, prefix+"state IN ("+strings.Join(ph, ", ")+")")
	}
	if f.ProcedureID != 0 {
		where = append(where, prefix+"procedure_id = ?")
		args = append(args, f.ProcedureID)
	}
	if f.Channel != 0 {
		where = append(where, prefix+"channel = ?")
		args = append(args, int(f.Channel))
	}
	return where, args
}

// heldWhere returns the conditions of f on who holds, settles or is
// assigned a dossier, on columns named with prefix; ok is false when f
// selects nothing.
func heldWhere(f motcua.DossierFilter, prefix string) (where []string, args []any, ok bool) {
	in := func(col string, ids []int64) string {
		ph := make([]string, len(ids))
		for i, id := range ids {
			ph[i] = "?"
			args = append(args, id)
		}
		return prefix + col + " IN (" + strings.Join(ph, ", ") + ")"
	}
	if f.HolderAgencyIDs != nil {
		if len(f.HolderAgencyIDs) == 0 {
			return nil, nil, false
		}
		// Open dossiers only: the index of holders lists no others
		// (migration 39), and a finished dossier is held by nobody.
		where = append(where, in("holder_agency_id", f.HolderAgencyIDs), prefix+"finished_at IS NULL")
	}
	if f.InvolvedAgencyIDs != nil {
		if len(f.InvolvedAgencyIDs) == 0 {
			return nil, nil, false
		}
		where = append(where, "("+in("holder_agency_id", f.InvolvedAgencyIDs)+" OR "+
			in("reception_agency_id", f.InvolvedAgencyIDs)+" OR "+in("competent_agency_id", f.InvolvedAgencyIDs)+")")
	}
	if f.AssigneeID != 0 {
		where = append(where, prefix+"assignee_id = ?")
		args = append(args, f.AssigneeID)
	}
	return where, args, true
}

func (t *tx) dossiers(q string, args ...any) ([]*motcua.Dossier, error) {
	return t.dossiersAs(false, q, args...)
}

// dossiersAs reads the dossiers of q, brief or whole.
func (t *tx) dossiersAs(brief bool, q string, args ...any) ([]*motcua.Dossier, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.Dossier
	for rows.Next() {
		d, err := scanDossierAs(rows, brief)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	return out, t.fillNames(out...)
}

// PublicDossier implements motcua.DossierStore.
func (t *tx) PublicDossier(_ ctxT, code string) (*motcua.PublicRecord, error) {
	row, err := t.queryRow(`SELECT id, code, verifier, facts, procedure_code, procedure_name, competent_agency_id, state,
		received_at, due_at, finished_at, returned_at, action_due_at, procedure_id, procedure_version FROM dossiers WHERE code = ?`, code)
	if err != nil {
		return nil, err
	}
	var r motcua.PublicRecord
	var received, due, finished, returned, action sql.NullInt64
	var facts string
	var pid int64
	var version int
	if err := row.Scan(&r.ID, &r.Code, &r.Verifier, &facts, &r.ProcedureCode, &r.ProcedureName, &r.CompetentAgencyID, &r.Status.State,
		&received, &due, &finished, &returned, &action, &pid, &version); err != nil {
		return nil, notFound(err, "dossier_not_found", "Không tìm thấy hồ sơ có mã "+code+".")
	}
	if r.ProcedureName == "" {
		if r.ProcedureName, err = t.versionName(pid, version); err != nil {
			return nil, err
		}
	}
	r.Status.ReceivedAt, r.Status.DueAt, r.Status.FinishedAt = fromMS(received), fromMS(due), fromMS(finished)
	r.Status.ReturnedAt, r.Status.ActionDueAt = fromMS(returned), fromMS(action)
	var secret struct {
		LookupSecret string `json:"lookup_secret"`
	}
	if err := json.Unmarshal([]byte(facts), &secret); err != nil {
		return nil, fmt.Errorf("decode dossier %d: %w", r.ID, err)
	}
	r.Secret = secret.LookupSecret
	rows, err := t.query(`SELECT at, action, actor_agency_id, from_agency_id, timeliness FROM dossier_events WHERE dossier_id = ? ORDER BY seq`, r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var e motcua.PublicEvent
		var at, from int64
		if err := rows.Scan(&at, &e.Action, &e.AgencyID, &from, &e.Timeliness); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		if e.AgencyID == 0 {
			e.AgencyID = from
		}
		r.Events = append(r.Events, e)
	}
	return &r, rows.Err()
}

// DossiersAwaitingClosure implements motcua.DossierStore.
func (t *tx) DossiersAwaitingClosure(_ ctxT, now time.Time, limit int) ([]*motcua.Dossier, error) {
	return t.dossiers(`SELECT `+dossierColumns+` FROM dossiers WHERE state = 'awaiting_supplement' AND action_due_at < ?
		ORDER BY action_due_at, id LIMIT ?`, now.UnixMilli(), limit)
}

// Idempotency implements motcua.DossierStore.
func (t *tx) Idempotency(_ ctxT, userID int64, key string) (*motcua.IdempotencyRecord, error) {
	row, err := t.queryRow(`SELECT request_hash, dossier_id, created_at FROM idempotency_keys WHERE user_id = ? AND key = ?`, userID, key)
	if err != nil {
		return nil, err
	}
	r := motcua.IdempotencyRecord{UserID: userID, Key: key}
	var hash string
	var created int64
	if err := row.Scan(&hash, &r.DossierID, &created); err != nil {
		return nil, notFound(err, "idempotency_key_not_found", "Không tìm thấy khóa chống trùng.")
	}
	r.CreatedAt = time.UnixMilli(created).UTC()
	var err2 error
	if r.RequestHash, err2 = hex.DecodeString(hash); err2 != nil {
		return nil, fmt.Errorf("decode request hash: %w", err2)
	}
	return &r, nil
}

// SaveIdempotency implements motcua.DossierStore.
func (t *tx) SaveIdempotency(_ ctxT, r *motcua.IdempotencyRecord) error {
	err := t.execLater(-1, `INSERT INTO idempotency_keys (user_id, key, request_hash, dossier_id, created_at) VALUES (?, ?, ?, ?, ?)`,
		r.UserID, r.Key, hex.EncodeToString(r.RequestHash), r.DossierID, r.CreatedAt.UnixMilli())
	return conflict(err, "idempotency_key_reused", "Khóa chống trùng đã được dùng cho một yêu cầu khác.")
}
