package sqlstore

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// TestPackedFactsReadBack: every flag of a component, alone and together,
// and fees of any name read back as written; a component holding text
// keeps the whole list as objects; an empty list writes no key; a
// document of before 0040 reads as before.
func TestPackedFactsReadBack(t *testing.T) {
	all := []motcua.DossierComponent{{ComponentID: 1}, {ComponentID: 2, Provided: true}, {ComponentID: 3, FromNationalDB: true},
		{ComponentID: 4, Reused: true}, {ComponentID: 5, Digitized: true}, {ComponentID: 6, TakenFromStore: true},
		{ComponentID: 123456789012, Provided: true, FromNationalDB: true, Reused: true, Digitized: true, TakenFromStore: true}}
	withText := []motcua.DossierComponent{{ComponentID: 1, Provided: true}, {ComponentID: 2, Reused: true, ReusedResult: "12/QĐ",
		ReusedFrom: "motcua:H99-1"}}
	fees := []motcua.DossierFee{{Name: "Phí, lệ phí", Amount: 0}, {Name: `Lệ phí "cấp bản sao" [2]`, Amount: 1500000}}
	for _, c := range []struct {
		name   string
		comps  []motcua.DossierComponent
		fees   []motcua.DossierFee
		want   []string
		absent []string
	}{
		{"every flag", all, fees, []string{`"cs":"1:0,2:1,3:2,4:4,5:8,6:16,123456789012:31"`, `"fees":[["Phí, lệ phí",0],[`}, []string{`"components"`, `"name"`}},
		{"text", withText, nil, []string{`"components":[{"id":1,"p":true},{"id":2,"r":true,"rr":"12/QĐ"`}, []string{`"cs"`, `"fees"`}},
		{"none", []motcua.DossierComponent{}, []motcua.DossierFee{}, nil, []string{`"cs"`, `"components"`, `"fees"`}},
	} {
		d := &motcua.Dossier{Applicant: motcua.Applicant{IDNumber: "001", FullName: "Lê Văn A"}, Components: c.comps, Fees: c.fees}
		doc, err := encodeFacts(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(doc, w) {
				t.Errorf("%s: %s not in %s", c.name, w, doc)
			}
		}
		for _, a := range c.absent {
			if strings.Contains(doc, a) {
				t.Errorf("%s: %s in %s", c.name, a, doc)
			}
		}
		var back motcua.Dossier
		if err := decodeFacts(&back, doc, "001", "Lê Văn A"); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.Components, c.comps) {
			t.Errorf("%s: components read back as %+v, want %+v", c.name, back.Components, c.comps)
		}
		if len(c.fees) > 0 && !reflect.DeepEqual(back.Fees, c.fees) || len(c.fees) == 0 && len(back.Fees) != 0 {
			t.Errorf("%s: fees read back as %+v, want %+v", c.name, back.Fees, c.fees)
		}
	}

	old := `{"applicant":{"source":"typed"},"components":[{"id":1,"p":true,"d":true},{"id":2,"n":true}],"fees":[{"name":"Phí","amount":50000}]}`
	var d motcua.Dossier
	if err := decodeFacts(&d, old, "001", "A"); err != nil {
		t.Fatal(err)
	}
	want := []motcua.DossierComponent{{ComponentID: 1, Provided: true, Digitized: true}, {ComponentID: 2, FromNationalDB: true}}
	if !reflect.DeepEqual(d.Components, want) || !reflect.DeepEqual(d.Fees, []motcua.DossierFee{{Name: "Phí", Amount: 50000}}) {
		t.Errorf("a document of before 0040 read as %+v %+v", d.Components, d.Fees)
	}
}

// TestPackedFactsRefuseWhatTheyCannotRead: a packed list or fee this
// program did not write is an error, never a dossier read wrong.
func TestPackedFactsRefuseWhatTheyCannotRead(t *testing.T) {
	for _, doc := range []string{
		`{"cs":"1:1,x:2"}`, `{"cs":"1"}`, `{"cs":"1:"}`, `{"cs":"1:64"}`, `{"cs":"1:-1"}`, `{"cs":"1:1,"}`,
		`{"cs":"1:1","components":[{"id":2}]}`,
		`{"fees":[["Phí"]]}`, `{"fees":[["Phí",1,2]]}`, `{"fees":[[1,"Phí"]]}`, `{"fees":[["Phí","1"]]}`, `{"fees":["Phí"]}`,
	} {
		var d motcua.Dossier
		if err := decodeFacts(&d, doc, "", ""); err == nil {
			t.Errorf("%s read as %+v %+v", doc, d.Components, d.Fees)
		}
	}
	var f packedFee
	if err := json.Unmarshal([]byte(` [ "Phí" , 7 ] `), &f); err != nil || f.Name != "Phí" || f.Amount != 7 {
		t.Errorf("a fee with spaces read as %+v, %v", f, err)
	}
}
