package motcua_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// TestExtensionBounded: a re-appointment cannot move the due date to 9999
// (which would hide a late dossier from reports 06a and 766) nor beyond
// the rules' ExtensionMax after the due time it replaces; a procedure's
// override lets its own dossiers go further.
func TestExtensionBounded(t *testing.T) {
	ext := func(due time.Time) motcua.Command {
		return motcua.Command{Action: motcua.ActExtend, Reason: "Xin lỗi vì chậm trễ.", NewDueAt: due}
	}
	at := vn(2025, 3, 12, 9, 0) // due Thu 13 Mar 09:00 (see reach)
	f := reach(t)
	limit := f.dc.Calendar.Due(f.d.Status.DueAt, f.dc.Rules.ExtensionMax)
	for _, far := range []time.Time{
		time.Date(9999, 12, 31, 10, 0, 0, 0, motcua.VietnamTime),
		time.Date(2100, 3, 15, 10, 0, 0, 0, motcua.VietnamTime),
		f.dc.Calendar.AddWorking(limit, 24*time.Hour), // a working day past the bound
	} {
		f.fails(f.leader, at, ext(far), motcua.EINVALID, "new_due_too_far")
	}
	f.do(f.leader, at, ext(limit))

	// Sectoral law may need longer: the procedure's override.
	f = reach(t)
	sixty := motcua.TimeLimit{Value: 60, Unit: motcua.UnitWorkingDays}
	f.proc.Overrides.ExtensionMax = &sixty
	f.do(f.leader, at, ext(f.dc.Calendar.AddWorking(limit, 24*time.Hour)))
}
