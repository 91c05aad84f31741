package motcua_test

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// vn builds an instant in Vietnam time.
func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, motcua.VietnamTime).UTC()
}

// Agencies of the fixture: a commune that receives (1), the department
// that settles the provincial procedure (2), a second department consulted
// in parallel (3).
const (
	commune    int64 = 1
	department int64 = 2
	other      int64 = 3
)

type fixture struct {
	t    *testing.T
	dc   motcua.Decider
	proc *motcua.Procedure
	d    *motcua.Dossier
	// staff
	reception, head, specialist, specialist2, leader, stranger *motcua.User
	events                                                     []motcua.Event
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	three := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
	p := &motcua.Procedure{ID: 7, Name: "Thủ tục cấp tỉnh", Level: motcua.LevelProvince, AgencyID: department,
		TimeLimit: &three, Published: true, Version: 1, Process: motcua.DefaultProcess(motcua.LevelProvince),
		Components: []motcua.Component{{ID: 1, Name: "Tờ khai", Mandatory: true}, {ID: 2, Name: "Giấy tờ cư trú", FromNationalDB: true}}}
	user := func(id int64, name string, g ...motcua.Grant) *motcua.User {
		return &motcua.User{ID: id, FullName: name, Grants: g}
	}
	f := &fixture{t: t, dc: motcua.Decider{Calendar: cal, Rules: motcua.DefaultRules()}, proc: p,
		reception:   user(10, "Một cửa xã", motcua.Grant{AgencyID: commune, Role: motcua.RoleReception}),
		head:        user(11, "Trưởng phòng", motcua.Grant{AgencyID: department, Role: motcua.RoleHead}),
		specialist:  user(12, "Chuyên viên", motcua.Grant{AgencyID: department, Role: motcua.RoleSpecialist}),
		specialist2: user(13, "Chuyên viên 2", motcua.Grant{AgencyID: department, Role: motcua.RoleSpecialist}),
		leader:      user(14, "Lãnh đạo", motcua.Grant{AgencyID: department, Role: motcua.RoleLeader}),
		stranger:    user(15, "Người ngoài", motcua.Grant{AgencyID: other, Role: motcua.RoleReception}),
	}
	f.d = &motcua.Dossier{ID: 99, Code: "X", ProcedureID: 7, ProcedureVersion: 1, ReceptionAgencyID: commune,
		CompetentAgencyID: department, Channel: motcua.ChannelCounter, Status: motcua.Status{Step: -1}}
	return f
}

// do performs cmd and applies it, failing the test on error.
func (f *fixture) do(u *motcua.User, at time.Time, cmd motcua.Command) motcua.Event {
	f.t.Helper()
	ev, err := f.try(u, at, cmd)
	if err != nil {
		f.t.Fatalf("%s by %s at %s: %v", cmd.Action, u.FullName, motcua.FormatDateTime(at), err)
	}
	return ev
}

func (f *fixture) try(u *motcua.User, at time.Time, cmd motcua.Command) (motcua.Event, error) {
	ev, err := f.dc.Decide(f.d, f.proc, u, at, cmd)
	if err != nil {
		return ev, err
	}
	st, err := f.d.Status.Apply(ev)
	if err != nil {
		f.t.Fatalf("apply: %v", err)
	}
	f.d.Status = st
	f.events = append(f.events, ev)
	return ev, nil
}

// fails checks that cmd is refused with the code and reason, and that the
// dossier did not change.
func (f *fixture) fails(u *motcua.User, at time.Time, cmd motcua.Command, code, reason string) {
	f.t.Helper()
	before := f.d.Status.Seq
	_, err := f.try(u, at, cmd)
	if motcua.ErrorCode(err) != code || motcua.ErrorReason(err) != reason {
		f.t.Fatalf("%s: got %v (code %q reason %q), want code %q reason %q", cmd.Action, err, motcua.ErrorCode(err), motcua.ErrorReason(err), code, reason)
	}
	if msg := motcua.ErrorMessage(err); !vietnamese(msg) {
		f.t.Errorf("%s: message %q is not Vietnamese", cmd.Action, msg)
	}
	if f.d.Status.Seq != before {
		f.t.Fatalf("%s: a refused action changed the dossier", cmd.Action)
	}
}

// vietnamese reports whether s reads as a Vietnamese sentence: it has
// letters outside ASCII (diacritics) and ends with a full stop.
func vietnamese(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r > 127 && unicode.IsLetter(r) }) >= 0 && strings.HasSuffix(s, ".")
}

func same(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got.In(motcua.VietnamTime).Format("Mon 02/01/2006 15:04"), want.In(motcua.VietnamTime).Format("Mon 02/01/2006 15:04"))
	}
}
