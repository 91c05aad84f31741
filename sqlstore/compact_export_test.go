package sqlstore

import (
	"encoding/json"
	"time"

	"github.com/motcua/motcua"
)

// migrationUndoFuncs undo, by version, the migrations that rewrote rows
// (run after the statements of migrationUndo for the same version).
var migrationUndoFuncs = map[int]func(t *tx) error{
	22: undoCompactRows,
}

// undoCompactRows writes the rows of migration 22 back in the form of
// before it: the whole status as JSON in dossiers.status, the event's
// fields in its JSON data with the actor's name and role copied in.
func undoCompactRows(t *tx) error {
	dossiers, err := t.dossiers(`SELECT ` + dossierColumns + ` FROM dossiers`)
	if err != nil {
		return err
	}
	for _, d := range dossiers {
		b, err := json.Marshal(&d.Status)
		if err != nil {
			return err
		}
		if _, err := t.exec(`UPDATE dossiers SET status = ?, procedure_name = ? WHERE id = ?`, string(b), d.ProcedureName, d.ID); err != nil {
			return err
		}
		events, err := t.Events(t.ctx, d.ID)
		if err != nil {
			return err
		}
		for _, e := range events {
			b, err := json.Marshal(eventData{ActorName: e.ActorName, ActorRole: e.ActorRole, FromStep: e.FromStep, ToStep: e.ToStep,
				AssigneeID: e.AssigneeID, ClockStartAt: e.ClockStartAt, StepDueAt: e.StepDueAt, ActionDueAt: e.ActionDueAt,
				HandoverDueAt: e.HandoverDueAt, Stage: e.Stage, Reason: e.Reason, Missing: e.Missing, Supplied: e.Supplied,
				AppraiserID: e.AppraiserID, ResultNumber: e.ResultNumber, ResultFileRef: e.ResultFileRef, Parts: e.Parts,
				PartAgencyID: e.PartAgencyID, Duties: e.Duties, MergerID: e.MergerID})
			if err != nil {
				return err
			}
			if _, err := t.exec(`UPDATE dossier_events SET data = ? WHERE id = ?`, string(b), e.ID); err != nil {
				return err
			}
		}
	}
	for _, q := range []string{"ALTER TABLE dossiers DROP COLUMN step_started_at", "DROP TABLE event_actors"} {
		if _, err := t.exec(q); err != nil {
			return err
		}
	}
	for _, c := range []string{"actor_name", "actor_role", "from_step", "to_step", "clock_start_at", "step_due_at", "action_due_at", "handover_due_at", "duties"} {
		if _, err := t.exec("ALTER TABLE dossier_events DROP COLUMN " + c); err != nil {
			return err
		}
	}
	t.db.actors.m.Clear()
	t.db.versions.m.Clear()
	return nil
}

// eventData is the JSON data of an event before migration 22: the part
// of an event without a column of its own then, stored
// as JSON. (Rows written before this split hold the whole event; they
// decode the same way.)
type eventData struct {
	ActorName     string              `json:"actor_name,omitempty"`
	ActorRole     motcua.Role         `json:"actor_role,omitempty"`
	FromStep      int                 `json:"from_step"`
	ToStep        int                 `json:"to_step"`
	AssigneeID    int64               `json:"assignee_id,omitempty"`
	ClockStartAt  time.Time           `json:"clock_start_at,omitzero"`
	StepDueAt     time.Time           `json:"step_due_at,omitzero"`
	ActionDueAt   time.Time           `json:"action_due_at,omitzero"`
	HandoverDueAt time.Time           `json:"handover_due_at,omitzero"`
	Stage         motcua.Stage        `json:"stage,omitempty"`
	Reason        string              `json:"reason,omitempty"`
	Missing       []int64             `json:"missing,omitempty"`
	Supplied      []int64             `json:"supplied,omitempty"`
	AppraiserID   int64               `json:"appraiser_id,omitempty"`
	ResultNumber  string              `json:"result_number,omitempty"`
	ResultFileRef string              `json:"result_file_ref,omitempty"`
	Parts         []motcua.PartStatus `json:"parts,omitempty"`
	PartAgencyID  int64               `json:"part_agency_id,omitempty"`
	Duties        []motcua.Duty       `json:"duties,omitempty"`
	MergerID      int64               `json:"merger_id,omitempty"`
	// DueAt is only read, from rows written before the due_at column.
	DueAt time.Time `json:"due_at,omitzero"`
}
