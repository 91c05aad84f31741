package sqlstore

import (
	"reflect"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// TestDutiesEncoding reads back every kind of duty as written, and refuses
// what encodeDuties never writes.
func TestDutiesEncoding(t *testing.T) {
	for _, ds := range [][]motcua.Duty{
		nil,
		{{AgencyID: 13, Role: motcua.RoleReception}},
		{{AgencyID: 13, UserID: 32}},
		{{AgencyID: 7, Role: motcua.RoleSpecialist, UserID: 5}, {AgencyID: 9, Role: "other_role"}, {AgencyID: 10}},
	} {
		v := encodeDuties(ds)
		s, _ := v.(string)
		if (v == nil) != (len(ds) == 0) {
			t.Errorf("%v encoded as %v", ds, v)
		}
		got, err := decodeDuties(s)
		if err != nil || !reflect.DeepEqual(got, ds) {
			t.Errorf("%v encoded as %q reads back as %v (%v)", ds, s, got, err)
		}
	}
	if s := encodeDuties([]motcua.Duty{{AgencyID: 13, Role: motcua.RoleReception}}); s != "13:r" {
		t.Errorf("one duty takes %q", s)
	}
	for _, bad := range []string{"13", "x:r", "13:q", "13:r:x", "13:r:1:2", ","} {
		if ds, err := decodeDuties(bad); err == nil {
			t.Errorf("%q read as %v", bad, ds)
		}
	}
}

// jsonNames lists the JSON names of a struct type's fields.
func jsonNames(v any) map[string]bool {
	out := map[string]bool{}
	typ := reflect.TypeOf(v)
	for i := 0; i < typ.NumField(); i++ {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		out[name] = true
	}
	return out
}

// TestCompactCoversEveryField fails when a field is added to Status or
// Event without a column or a place in the extra JSON: the store would
// drop it silently.
func TestCompactCoversEveryField(t *testing.T) {
	cases := []struct {
		whole   any
		extra   any
		columns []string
	}{
		{motcua.Status{}, statusExtra{}, []string{"state", "step", "agency_id", "assignee_id", "submitted_at", "received_at",
			"clock_start_at", "due_at", "step_started_at", "step_due_at", "action_due_at", "finished_at", "returned_at", "seq",
			"appraiser_id", "result_number", "-"}}, // Report: its own columns
		{motcua.Event{}, eventExtra{}, []string{"id", "dossier_id", "seq", "action", "at", "actor_id", "actor_name", "actor_role",
			"actor_agency_id", "from_state", "to_state", "from_agency_id", "to_agency_id", "from_step", "to_step", "clock_start_at",
			"due_at", "step_due_at", "action_due_at", "handover_due_at", "timeliness", "duties"}},
	}
	for _, c := range cases {
		covered := jsonNames(c.extra)
		for _, col := range c.columns {
			covered[col] = true
		}
		for name := range jsonNames(c.whole) {
			if !covered[name] {
				t.Errorf("%T.%s has neither a column nor a place in %T", c.whole, name, c.extra)
			}
		}
	}
}
