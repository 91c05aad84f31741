package sqlstore

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// TestFactsLeaveOutUsualValues: the facts document leaves out a citizen
// applicant, a personal ID and a return at the counter (migration 0036),
// writes every other value out, the empty one included, and reads each
// back as it was; a document written before 0036, which names them, reads
// as before.
func TestFactsLeaveOutUsualValues(t *testing.T) {
	for _, c := range []struct {
		kind   motcua.ApplicantKind
		idKind motcua.IDKind
		ret    string
		absent []string
	}{
		{motcua.ApplicantCitizen, motcua.IDPersonal, "counter", []string{`"kind"`, `"id_kind"`, `"return_method"`}},
		{"", "", "", nil},
		{motcua.ApplicantOrganization, motcua.IDTaxCode, "online", nil},
		{motcua.ApplicantCitizen, motcua.IDPassport, "post", []string{`"kind"`}},
	} {
		d := &motcua.Dossier{Applicant: motcua.Applicant{Kind: c.kind, IDKind: c.idKind, IDNumber: "001", FullName: "Lê Văn A", Phone: "0900"},
			ReturnMethod: c.ret}
		doc, err := encodeFacts(d)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range []string{`"kind"`, `"id_kind"`, `"return_method"`} {
			want := !contains(c.absent, key)
			if got := strings.Contains(doc, key); got != want {
				t.Errorf("%q/%q/%q: key %s in the document %v, want %v: %s", c.kind, c.idKind, c.ret, key, got, want, doc)
			}
		}
		var back motcua.Dossier
		if err := decodeFacts(&back, doc, "001", "Lê Văn A"); err != nil {
			t.Fatal(err)
		}
		if back.Applicant.Kind != c.kind || back.Applicant.IDKind != c.idKind || back.ReturnMethod != c.ret ||
			back.Applicant.Phone != "0900" || back.Applicant.FullName != "Lê Văn A" {
			t.Errorf("%q/%q/%q read back as %q/%q/%q (%+v)", c.kind, c.idKind, c.ret, back.Applicant.Kind, back.Applicant.IDKind, back.ReturnMethod, back.Applicant)
		}
		var brief motcua.Dossier
		if err := decodeBriefFacts(&brief, doc, "001", "Lê Văn A"); err != nil {
			t.Fatal(err)
		}
		if brief.Applicant.Kind != c.kind || brief.Applicant.IDKind != c.idKind {
			t.Errorf("%q/%q brief read back as %q/%q", c.kind, c.idKind, brief.Applicant.Kind, brief.Applicant.IDKind)
		}
	}
	old := `{"applicant":{"kind":"organization","id_kind":"tax_code","source":"typed"},"return_method":"online","components":[]}`
	var d motcua.Dossier
	if err := decodeFacts(&d, old, "0101", "Công ty B"); err != nil {
		t.Fatal(err)
	}
	if d.Applicant.Kind != motcua.ApplicantOrganization || d.Applicant.IDKind != motcua.IDTaxCode || d.ReturnMethod != "online" {
		t.Errorf("a document written before 0036 read as %q/%q/%q", d.Applicant.Kind, d.Applicant.IDKind, d.ReturnMethod)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
