package motcua

import "slices"

// Duty is someone's turn to act on a dossier: a role at an agency, or, when
// the work at the agency was assigned to one person, that person (UserID,
// with Role empty). Inboxes list a dossier for the duties it waits on.
type Duty struct {
	AgencyID int64 `json:"agency_id"`
	Role     Role  `json:"role,omitempty"`
	UserID   int64 `json:"user_id,omitempty"`
}

// DutiesOf returns whom dossier d, received under procedure p, waits on in
// its present status. It is read off the transition table, never kept
// apart from it: the roles of the rows that apply to the dossier's state,
// step and supplement stage, other than side rows (Transition.Side), each
// at the row's place; a row without roles names the step's role. Where the
// step's work was assigned to one person (Status.AssigneeID), that person
// replaces the role at the agency holding the dossier; the other agencies of
// a parallel step keep theirs. The scheduler's role and integration
// accounts (which act anywhere) are nobody's inbox. Finished dossiers wait
// on nobody.
func DutiesOf(d *Dossier, p *Procedure) []Duty {
	s := &d.Status
	if s.State == StateNone || s.State.Terminal() {
		return nil
	}
	step := currentStep(s, p)
	var out []Duty
	add := func(x Duty) {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	for _, t := range Transitions {
		if t.Side || !t.applies(d, step) {
			continue
		}
		for _, r := range t.rolesAt(step) {
			if r == RoleSystem {
				continue
			}
			for _, ag := range placesOf(d, t.Place) {
				switch {
				case ag <= 0:
				case t.Place == AtStep && s.AssigneeID != 0 && ag == s.AgencyID:
					add(Duty{AgencyID: ag, UserID: s.AssigneeID})
				default:
					add(Duty{AgencyID: ag, Role: r})
				}
			}
		}
	}
	return out
}

// Duties returns the duties u can take up: each role u holds at its agency,
// and u in person at every agency where u holds a role (work assigned to u
// there). A disabled account has none.
func (u *User) Duties() []Duty {
	if u == nil || u.Disabled {
		return nil
	}
	out := make([]Duty, 0, 2*len(u.Grants))
	for _, g := range u.Grants {
		out = append(out, Duty{AgencyID: g.AgencyID, Role: g.Role})
	}
	for _, id := range u.AgencyIDs() {
		out = append(out, Duty{AgencyID: id, UserID: u.ID})
	}
	return out
}
