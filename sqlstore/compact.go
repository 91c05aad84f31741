package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/motcua/motcua"
)

// Bytes per dossier (migration 22, docs/deployment.md §17): what a row holds
// in a column is not repeated in a JSON document, and what repeats in every
// row of a history (the actor's name and role) is stored once.

// statusExtra is the part of a dossier's status without a column of its
// own, stored as JSON in dossiers.status ("" when empty). The rest of the
// status is rebuilt from the columns on read (scanDossier). The key names
// are the Status ones, so rows written before migration 22, which hold the
// whole status, decode the same way, and merge-db finds the ids to remap
// by their key (merge_json.go). The appraiser and the result's number,
// which nearly every dossier has, have columns since migration 41 (42 of
// the document's 63 bytes on a generated province): the migration moved
// them out of the documents written before.
type statusExtra struct {
	Parts         []motcua.PartStatus `json:"parts,omitempty"`
	Supplements   []motcua.Supplement `json:"supplements,omitempty"`
	Extensions    []motcua.Extension  `json:"extensions,omitempty"`
	ResultFileRef string              `json:"result_file_ref,omitempty"`
	ResultSigned  bool                `json:"result_signed,omitempty"`
	Duties        []motcua.Duty       `json:"duties,omitempty"`
}

// encodeStatusExtra returns the JSON of what s holds beyond its columns.
func encodeStatusExtra(s *motcua.Status) (string, error) {
	x := statusExtra{Parts: s.Parts, Supplements: s.Supplements, Extensions: s.Extensions,
		ResultFileRef: s.ResultFileRef, ResultSigned: s.ResultSigned, Duties: s.Duties}
	b, err := json.Marshal(x)
	if err != nil {
		return "", fmt.Errorf("encode status: %w", err)
	}
	if string(b) == "{}" {
		return "", nil
	}
	return string(b), nil
}

// statusColumns are the status's own columns as scanDossier reads them,
// after dossierColumns' earlier ones.
const statusColumns = `state, step, holder_agency_id, assignee_id, submitted_at, received_at, clock_start_at, due_at,
	step_started_at, step_due_at, action_due_at, finished_at, returned_at, seq, appraiser_id, result_number`

// statusCols receives statusColumns.
type statusCols struct {
	state                                               string
	step, seq                                           int
	holder, assignee                                    int64
	submitted, received, clock, due, stepStart, stepDue sql.NullInt64
	action, finished, returned                          sql.NullInt64
	appraiser                                           int64
	result                                              string
}

func (c *statusCols) dest() []any {
	return []any{&c.state, &c.step, &c.holder, &c.assignee, &c.submitted, &c.received, &c.clock, &c.due,
		&c.stepStart, &c.stepDue, &c.action, &c.finished, &c.returned, &c.seq, &c.appraiser, &c.result}
}

// apply sets the status fields kept in columns; the others come from the
// extra document, decoded before. (A document of before migration 41 that
// still named the appraiser or the result's number was moved into the
// columns by it: moveStatusColumns.)
func (c *statusCols) apply(s *motcua.Status) {
	s.AppraiserID, s.ResultNumber = c.appraiser, c.result
	s.State, s.Step, s.AgencyID, s.AssigneeID, s.Seq = motcua.State(c.state), c.step, c.holder, c.assignee, c.seq
	s.SubmittedAt, s.ReceivedAt, s.ClockStartAt, s.DueAt = fromMS(c.submitted), fromMS(c.received), fromMS(c.clock), fromMS(c.due)
	s.StepStartedAt, s.StepDueAt, s.ActionDueAt = fromMS(c.stepStart), fromMS(c.stepDue), fromMS(c.action)
	s.FinishedAt, s.ReturnedAt = fromMS(c.finished), fromMS(c.returned)
}

// eventExtra is the part of an event without a column of its own (the
// duties have theirs, encodeDuties): rare fields, stored as JSON in dossier_events.data ("" when empty). Ids keep
// their usual key names for merge-db (merge_json.go).
type eventExtra struct {
	AssigneeID    int64               `json:"assignee_id,omitempty"`
	Stage         motcua.Stage        `json:"stage,omitempty"`
	Reason        string              `json:"reason,omitempty"`
	Missing       []int64             `json:"missing,omitempty"`
	Supplied      []int64             `json:"supplied,omitempty"`
	AppraiserID   int64               `json:"appraiser_id,omitempty"`
	ResultNumber  string              `json:"result_number,omitempty"`
	ResultFileRef string              `json:"result_file_ref,omitempty"`
	ResultSigned  bool                `json:"result_signed,omitempty"`
	Parts         []motcua.PartStatus `json:"parts,omitempty"`
	PartAgencyID  int64               `json:"part_agency_id,omitempty"`
	MergerID      int64               `json:"merger_id,omitempty"`
}

func encodeEventExtra(e *motcua.Event) (string, error) {
	b, err := json.Marshal(eventExtra{AssigneeID: e.AssigneeID, Stage: e.Stage, Reason: e.Reason, Missing: e.Missing,
		Supplied: e.Supplied, AppraiserID: e.AppraiserID, ResultNumber: e.ResultNumber, ResultFileRef: e.ResultFileRef,
		ResultSigned: e.ResultSigned, Parts: e.Parts, PartAgencyID: e.PartAgencyID, MergerID: e.MergerID})
	if err != nil {
		return "", fmt.Errorf("encode event: %w", err)
	}
	if string(b) == "{}" {
		return "", nil
	}
	return string(b), nil
}

// eventActor is the name and role an actor's events carry unless the event
// says otherwise (event_actors): the first ones recorded, never changed, so
// a renamed account's earlier events keep the name it had then and its
// later ones store the new name themselves.
type eventActor struct{ name, role string }

// actorCache holds event_actors rows known to be committed. Rows are never
// updated, so a cached row stays true; only a row this process saw
// committed is cached (see actorOf).
type actorCache struct{ m sync.Map } // int64 → eventActor

// actorOf returns the stored name and role for an event of actor id: NULL
// (nil) for each that equals the actor's event_actors row. Without a row,
// the event keeps both, and the row is written with this transaction (the
// first one committed wins; later ones are ignored).
func (t *tx) actorOf(id int64, name string, role motcua.Role) (storedName, storedRole any, err error) {
	storedName, storedRole = name, string(role)
	if id == 0 {
		return // no account: citizens, the system
	}
	var a eventActor
	if v, ok := t.db.actors.m.Load(id); ok {
		a = v.(eventActor)
	} else if t.newActors[id] {
		return // this transaction wrote the row: it may still roll back
	} else {
		row, err := t.queryRow(`SELECT name, role FROM event_actors WHERE actor_id = ?`, id)
		if err != nil {
			return nil, nil, err
		}
		switch err := row.Scan(&a.name, &a.role); err {
		case nil:
			// Not written by this transaction, so committed by another.
			t.db.actors.m.Store(id, a)
		case sql.ErrNoRows:
			if t.newActors == nil {
				t.newActors = map[int64]bool{}
			}
			t.newActors[id] = true
			err := t.execLater(-1, `INSERT INTO event_actors (actor_id, name, role) VALUES (?, ?, ?) ON CONFLICT (actor_id) DO NOTHING`,
				id, name, string(role))
			return storedName, storedRole, err
		default:
			return nil, nil, err
		}
	}
	if a.name == name {
		storedName = nil
	}
	if a.role == string(role) {
		storedRole = nil
	}
	return storedName, storedRole, nil
}

// dutyRoles are the one-letter codes of the roles an event's duties name
// (dossier_events.duties). A role without a code is written out; codes are
// one letter and roles longer, so the two never meet.
var dutyRoles = map[motcua.Role]string{
	motcua.RoleReception: "r", motcua.RoleSpecialist: "s", motcua.RoleHead: "h", motcua.RoleLeader: "l",
	motcua.RoleAdmin: "a", motcua.RoleSupervisor: "v", motcua.RoleIntegration: "i", motcua.RoleSystem: "y",
}

var dutyCodes = func() map[string]motcua.Role {
	m := map[string]motcua.Role{}
	for r, c := range dutyRoles {
		m[c] = r
	}
	return m
}()

// encodeDuties writes duties as "agency:role[:user]" joined by commas
// ("13:r", "13::32"), NULL (nil) when there are none: the duties are in
// nearly every event, and as JSON they were most of its data.
func encodeDuties(ds []motcua.Duty) any {
	if len(ds) == 0 {
		return nil
	}
	b := make([]byte, 0, 8*len(ds))
	for i, d := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, d.AgencyID, 10)
		b = append(b, ':')
		if c, ok := dutyRoles[d.Role]; ok {
			b = append(b, c...)
		} else {
			b = append(b, d.Role...)
		}
		if d.UserID != 0 {
			b = append(b, ':')
			b = strconv.AppendInt(b, d.UserID, 10)
		}
	}
	return string(b)
}

// decodeDuties reads what encodeDuties wrote.
func decodeDuties(s string) ([]motcua.Duty, error) {
	if s == "" {
		return nil, nil
	}
	var out []motcua.Duty
	for _, part := range strings.Split(s, ",") {
		f := strings.Split(part, ":")
		if len(f) < 2 || len(f) > 3 {
			return nil, fmt.Errorf("duty %q", part)
		}
		var d motcua.Duty
		var err error
		if d.AgencyID, err = strconv.ParseInt(f[0], 10, 64); err != nil {
			return nil, fmt.Errorf("duty %q: %w", part, err)
		}
		switch r, ok := dutyCodes[f[1]]; {
		case ok:
			d.Role = r
		case len(f[1]) == 1:
			return nil, fmt.Errorf("duty %q: unknown role code", part)
		default:
			d.Role = motcua.Role(f[1])
		}
		if len(f) == 3 {
			if d.UserID, err = strconv.ParseInt(f[2], 10, 64); err != nil {
				return nil, fmt.Errorf("duty %q: %w", part, err)
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// remapDuties rewrites the agency and user ids of an encoded duties value
// for merge-db.
func (m *mergeMaps) remapDuties(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil // NULL
	}
	ds, err := decodeDuties(s)
	if err != nil {
		return nil, err
	}
	for i := range ds {
		ds[i].AgencyID = m.mapID('a', ds[i].AgencyID)
		if ds[i].UserID != 0 {
			ds[i].UserID = m.mapID('u', ds[i].UserID)
		}
	}
	return encodeDuties(ds), nil
}

// fixEvents adds to an events merge rule the ids inside the duties column.
func fixEvents(fix func(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error)) func(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
	duties := col(specByName("dossier_events"), "duties")
	return func(m *mergeMaps, c *mergeCtx, rows [][]any) ([][]any, error) {
		rows, err := fix(m, c, rows)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			if r[duties], err = m.remapDuties(r[duties]); err != nil {
				return nil, fmt.Errorf("dossier_events.duties: %w", err)
			}
		}
		return rows, nil
	}
}

// A dossier's procedure name is its procedure version's (the service copies
// it at reception), and versions are never changed once written: the row
// stores '' for "the version's name" and the name itself only when it
// differs (fillNames, procedureNameOf).

// versionNames caches the names of committed procedure versions: key
// [2]int64{procedure id, version} → name; loading marks keys being read.
type versionNames struct{ m, loading sync.Map }

// versionName returns the name of a procedure version. Only a read
// transaction caches it: what a write transaction reads may be its own
// uncommitted version, so it has the name read again from committed data.
func (t *tx) versionName(pid int64, version int) (string, error) {
	key := [2]int64{pid, int64(version)}
	if v, ok := t.db.versions.m.Load(key); ok {
		return v.(string), nil
	}
	row, err := t.queryRow(`SELECT data FROM procedure_versions WHERE procedure_id = ? AND version = ?`, pid, version)
	if err != nil {
		return "", err
	}
	var data string
	if err := row.Scan(&data); err != nil {
		return "", fmt.Errorf("procedure %d version %d: %w", pid, version, err)
	}
	var p struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(data), &p); err != nil {
		return "", fmt.Errorf("decode procedure %d version %d: %w", pid, version, err)
	}
	if !t.write {
		t.db.versions.m.Store(key, p.Name)
	} else {
		t.db.loadVersionName(key)
	}
	return p.Name, nil
}

// loadVersionName reads the name of a procedure version in the background,
// in a read transaction (committed data only), for the cache; at most one
// read per version at a time.
func (db *DB) loadVersionName(key [2]int64) {
	if _, busy := db.versions.loading.LoadOrStore(key, true); busy {
		return
	}
	go func() {
		defer db.versions.loading.Delete(key)
		_ = db.Read(context.Background(), func(mt motcua.Tx) error {
			_, err := mt.(*tx).versionName(key[0], int(key[1]))
			return err
		})
	}()
}

// procedureNameOf returns what dossiers.procedure_name stores for d: ” when
// the cached name of its version is the same. Without a cached name the
// name is stored, and the version's name is read in the background (from
// committed data) for the next dossiers.
func (t *tx) procedureNameOf(d *motcua.Dossier) string {
	key := [2]int64{d.ProcedureID, int64(d.ProcedureVersion)}
	if v, ok := t.db.versions.m.Load(key); ok {
		if v.(string) == d.ProcedureName && d.ProcedureName != "" {
			return ""
		}
		return d.ProcedureName
	}
	t.db.loadVersionName(key)
	return d.ProcedureName
}

// fillNames gives the dossiers read whose row stores ” their version's
// procedure name. (Called after their rows are closed: a PostgreSQL
// transaction runs one query at a time.)
func (t *tx) fillNames(ds ...*motcua.Dossier) error {
	for _, d := range ds {
		if d == nil || d.ProcedureName != "" {
			continue
		}
		name, err := t.versionName(d.ProcedureID, d.ProcedureVersion)
		if err != nil {
			return err
		}
		d.ProcedureName = name
	}
	return nil
}
