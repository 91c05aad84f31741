package sqlstore

import (
	"reflect"
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
