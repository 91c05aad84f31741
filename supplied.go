package motcua

import "slices"

// suppliedComponents checks the components said to have arrived with the
// supplement sup (open on dossier d) and returns them in the dossier's
// order. None named means those the request asked for: the action says
// the completed dossier is back. Each named component must be one of the
// dossier's own that the applicant hands in (not one taken from a
// national database).
func suppliedComponents(d *Dossier, sup *Supplement, named []int64) ([]int64, error) {
	strict := len(named) > 0
	if !strict && sup != nil {
		named = sup.Missing
	}
	var out []int64
	for _, c := range d.Components {
		if slices.Contains(named, c.ComponentID) && !c.FromNationalDB && !slices.Contains(out, c.ComponentID) {
			out = append(out, c.ComponentID)
		}
	}
	for _, id := range named {
		if strict && !slices.Contains(out, id) {
			return nil, FieldError("supplied", "supplied_component_unknown",
				"Thành phần đã nhận phải là thành phần của hồ sơ do người nộp cung cấp.")
		}
	}
	return out, nil
}

// MarkSupplied records that the components ids arrived (a supplement):
// each is then provided. It reports whether anything changed.
func (d *Dossier) MarkSupplied(ids []int64) bool {
	changed := false
	for i := range d.Components {
		if c := &d.Components[i]; slices.Contains(ids, c.ComponentID) && !c.Provided {
			c.Provided, changed = true, true
		}
	}
	return changed
}
