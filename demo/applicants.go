package demo

import (
	"slices"

	"github.com/motcua/motcua"
)

// Applicants returns the invented people of the demo's scenarios, whose
// dossiers the seed receives through the service, so that the demo's
// simulators of the national sign-on and store can know them too.
func Applicants() []motcua.Applicant { return slices.Clone(demoApplicants) }
