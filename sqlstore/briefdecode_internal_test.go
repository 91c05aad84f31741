package sqlstore

import (
	"encoding/json"
	"testing"
)

// FuzzMayHoldKey checks that mayHoldKey never misses a key encoding/json
// would match: whenever decoding a document sets one of the brief fields,
// mayHoldKey must have said the document may hold its key (else the
// inbox would show a dossier without its assisted flag or parts).
func FuzzMayHoldKey(f *testing.F) {
	for _, s := range []string{
		`{"applicant":{"kind":"citizen","phone":"0912"},"assisted":true,"components":[{"id":1,"p":true}]}`,
		`{"applicant":{"full_name":"An","id_number":"0891"}}`,
		`{"ASSISTED":true}`, `{"Assisted" : true}`, `{"applicant":{"Full_Name":"B"}}`,
		`{"content":"\"assisted\":true"}`, `{"a":"x\\","assisted":true}`, `{"assisted":false}`,
		`{"duties":[{"agency_id":2,"role":"reception_officer"}]}`, `{"parts":[{"agency_id":7,"due_at":"2025-03-10T02:00:00Z"}]}`,
		`{"PARTS":[{"agency_id":7}]}`, `{"result_number":"parts","supplements":[]}`, `"`, `{"`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, doc string) {
		var bf briefFacts
		if json.Unmarshal([]byte(doc), &bf) == nil {
			set := bf.Assisted || bf.Applicant.FullName != "" || bf.Applicant.IDNumber != ""
			if set && !mayHoldKey(doc, "assisted", "id_number", "full_name") {
				t.Errorf("mayHoldKey misses a facts key json decodes in %q: %+v", doc, bf)
			}
		}
		var bs briefStatus
		if json.Unmarshal([]byte(doc), &bs) == nil && bs.Parts != nil && !mayHoldKey(doc, "parts") {
			t.Errorf("mayHoldKey misses the parts json decodes in %q", doc)
		}
	})
}

// TestMayHoldKey checks the keys it finds and those it need not decode for.
func TestMayHoldKey(t *testing.T) {
	cases := []struct {
		doc  string
		want bool
	}{
		{`{"applicant":{"kind":"citizen","phone":"0912"},"components":[{"id":1,"p":true}],"fees":[]}`, false},
		{`{"applicant":{"kind":"citizen"},"assisted":true}`, true},
		{`{"Assisted":true}`, true},
		{`{"applicant":{"full_name":"An"}}`, true},
		{`{"content":"assisted"}`, true}, // a value equal to a key: decoded for nothing, never wrong
		{`{"content":"not assisted"}`, false},
		{`{"content":"\"assisted\":true"}`, false}, // escaped quotes are no key
		{`{"duties":[{"agency_id":2,"role":"reception_officer"}]}`, false},
		{``, false},
		{`"`, false},
	}
	for _, c := range cases {
		if got := mayHoldKey(c.doc, "assisted", "id_number", "full_name"); got != c.want {
			t.Errorf("mayHoldKey(%s) = %v, want %v", c.doc, got, c.want)
		}
	}
}
