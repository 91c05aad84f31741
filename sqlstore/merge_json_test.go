package sqlstore

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestRemapJSON: ids are rewritten by their key wherever they are (nested,
// in arrays, as numbers or digit strings), the procedure's own top-level
// id by its kind, nothing else changes (not a key's look-alike inside a
// string, nor a nested "id"), and malformed documents are errors.
func TestRemapJSON(t *testing.T) {
	m := &mergeMaps{st: &mergeState{Off: map[string]int64{"agencies": 100, "users": 1000, "dossiers": 5000, "dossier_files": 70, "procedures": 10},
		Agencies: map[int64]int64{3: 7}}}
	cases := []struct{ in, want string }{
		{`{"agency_id":3,"assignee_id":2,"x":"\"agency_id\":4","parts":[{"agency_id":4,"done_at":"2025"}],"result_file_ref":"12","dossier_id":0}`,
			`{"agency_id":7,"assignee_id":1002,"x":"\"agency_id\":4","parts":[{"agency_id":104,"done_at":"2025"}],"result_file_ref":"82","dossier_id":0}`},
		{`{"id":5,"components":[{"id":9}],"process":{"steps":[{"agency_id":2}]}}`, `{"id":15,"components":[{"id":9}],"process":{"steps":[{"agency_id":102}]}}`},
		{`{"name":"no ids"}`, `{"name":"no ids"}`},
		{`{"result_file_ref":"abc","user_id":null}`, `{"result_file_ref":"abc","user_id":null}`},
	}
	for _, c := range cases {
		got, err := m.remapJSON(c.in, 'p')
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		var g, w any
		if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(c.want), &w) != nil || !reflect.DeepEqual(g, w) || got != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	for _, bad := range []string{`{"agency_id":1.5}`, `{"user_id":"x`, `{"agency_id":1`} {
		if _, err := m.remapJSON(bad, 0); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
