package motcua

import (
	"slices"
	"testing"
)

// TestSuppliedComponents (issue 13, defect 3): a supplement records the
// components that arrived: by default those asked for; a named component
// must be the dossier's and handed in by the applicant.
func TestSuppliedComponents(t *testing.T) {
	d := &Dossier{Components: []DossierComponent{{ComponentID: 1, Provided: true}, {ComponentID: 2}, {ComponentID: 3, FromNationalDB: true}, {ComponentID: 4}}}
	sup := &Supplement{Missing: []int64{4, 2}}
	if got, err := suppliedComponents(d, sup, nil); err != nil || !slices.Equal(got, []int64{2, 4}) {
		t.Errorf("default: %v %v, want [2 4]", got, err)
	}
	if got, err := suppliedComponents(d, sup, []int64{4}); err != nil || !slices.Equal(got, []int64{4}) {
		t.Errorf("named: %v %v, want [4]", got, err)
	}
	for _, bad := range [][]int64{{9}, {3}} {
		if _, err := suppliedComponents(d, sup, bad); ErrorReason(err) != "supplied_component_unknown" {
			t.Errorf("named %v: %v, want supplied_component_unknown", bad, err)
		}
	}
	if !d.MarkSupplied([]int64{2}) || !d.Components[1].Provided || d.Components[3].Provided || d.MarkSupplied([]int64{2}) {
		t.Errorf("MarkSupplied: %+v", d.Components)
	}
}
