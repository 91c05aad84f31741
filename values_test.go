package motcua_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
)

func TestValidateIDNumber(t *testing.T) {
	cases := []struct {
		kind motcua.IDKind
		n    string
		ok   bool
	}{
		{motcua.IDPersonal, "089186001234", true},
		{motcua.IDPersonal, "001093012345", true},
		{motcua.IDPersonal, "08918600123", false},   // 11 digits
		{motcua.IDPersonal, "0891860012345", false}, // 13 digits
		{motcua.IDPersonal, "08918600123A", false},
		{motcua.IDPersonal, "003186001234", false}, // no province 003
		{motcua.IDPersonal, "099186001234", false}, // no province 099
		{motcua.IDOldCard, "361234567", true},
		{motcua.IDOldCard, "36123456", false},
		{motcua.IDPassport, "C1234567", true},
		{motcua.IDPassport, "C12-4567", false},
		{motcua.IDTaxCode, "0312345678", true},
		{motcua.IDTaxCode, "0312345678-001", true},
		{motcua.IDTaxCode, "0312345678-01", false},
		{"driving_licence", "0312345678", false},
	}
	for _, c := range cases {
		err := motcua.ValidateIDNumber(c.kind, motcua.NormalizeIDNumber(c.n))
		if (err == nil) != c.ok {
			t.Errorf("%s %q: err = %v, want ok = %v", c.kind, c.n, err, c.ok)
		}
		if err != nil && (motcua.ErrorCode(err) != motcua.EINVALID || !vietnamese(motcua.ErrorMessage(err))) {
			t.Errorf("%s %q: error %v is not a Vietnamese EINVALID", c.kind, c.n, err)
		}
	}
	if got := motcua.NormalizeIDNumber(" 089 186.001 234 "); got != "089186001234" {
		t.Errorf("normalize: %q", got)
	}
	if got := motcua.NormalizePhone("+84 912-345-678"); got != "0912345678" {
		t.Errorf("normalize phone: %q", got)
	}
	for _, p := range []string{"12345", "0912a45678", "912345678"} {
		if motcua.ValidatePhone(p) == nil {
			t.Errorf("phone %q accepted", p)
		}
	}
}

func TestCodePattern(t *testing.T) {
	at := time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC) // 06:30 on 23 Nov in Vietnam
	p, err := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Render("H99.101", at, 7); got != "H99.101-261123-0007" {
		t.Errorf("default: %q", got)
	}
	p2, err := motcua.ParseCodePattern("{agency}.{ddMMyyyy}.{seq:6}")
	if err != nil {
		t.Fatal(err)
	}
	if got := p2.Render("000.00.12.H99", at, 12345); got != "000.00.12.H99.23112026.012345" {
		t.Errorf("custom: %q", got)
	}
	if got, want := motcua.CounterKey("H99.101", at), "H99.101|2026-11-23"; got != want {
		t.Errorf("counter key %q, want %q (the Vietnamese day)", got, want)
	}
	for _, bad := range []string{"{agency}-{seq:4}", "{yyMMdd}-{seq}", "{agency}-{yyMMdd}", "{agency}-{yyMMdd}-{seq:0}", "{agency}-{hh}-{seq}", "{agency-{yyMMdd}-{seq}"} {
		if _, err := motcua.ParseCodePattern(bad); motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("pattern %q accepted (%v)", bad, err)
		}
	}
}

func TestTimeLimitValidate(t *testing.T) {
	cut := motcua.ClockTime(15 * 60)
	ok := []motcua.TimeLimit{{Value: 3, Unit: motcua.UnitWorkingDays}, {Value: 0.5, Unit: motcua.UnitWorkingDays},
		{Value: 0, Unit: motcua.UnitWorkingDays, CutOff: &cut}, {Value: 15, Unit: motcua.UnitCalendarDays},
		{Value: 2, Unit: motcua.UnitMonths}, {Value: 8, Unit: motcua.UnitWorkingHours}}
	for _, l := range ok {
		if err := l.Validate(); err != nil {
			t.Errorf("%+v: %v", l, err)
		}
	}
	bad := []motcua.TimeLimit{{Value: 3, Unit: "weeks"}, {Value: -1, Unit: motcua.UnitWorkingDays},
		{Value: 0.3, Unit: motcua.UnitWorkingDays}, {Value: 1.5, Unit: motcua.UnitCalendarDays}, {Value: 5000, Unit: motcua.UnitCalendarDays}}
	for _, l := range bad {
		if err := l.Validate(); motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("%+v accepted", l)
		}
	}
	if s := (motcua.TimeLimit{Value: 0, Unit: motcua.UnitWorkingDays, CutOff: &cut}).String(); s != "trong ngày làm việc (tiếp nhận sau 15:00 tính từ ngày làm việc tiếp theo)" {
		t.Errorf("label %q", s)
	}
	if _, err := motcua.ParseClockTime("7:5"); err == nil {
		t.Error("7:5 parsed")
	}
}

func TestProcedureCanReceive(t *testing.T) {
	three := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
	from := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	p := &motcua.Procedure{Name: "X", Published: true, TimeLimit: &three,
		LegalBasis: []motcua.LegalDoc{{Number: "01/2024/TT-X", EffectiveFrom: &from, EffectiveTo: &to}}}
	if err := p.CanReceive(to.Add(-time.Second)); err != nil {
		t.Errorf("in force: %v", err)
	}
	if err := p.CanReceive(to); motcua.ErrorReason(err) != "procedure_legal_basis_expired" {
		t.Errorf("expired basis: %v", err)
	}
	if err := p.CanReceive(from.Add(-time.Second)); motcua.ErrorReason(err) != "procedure_legal_basis_expired" {
		t.Errorf("basis not yet in force: %v", err)
	}
	p.TimeLimit = nil
	if err := p.CanReceive(from.Add(time.Hour)); motcua.ErrorReason(err) != "procedure_time_limit_missing" {
		t.Errorf("no time limit: %v", err)
	}
	p.NoTimeLimit = true
	if err := p.CanReceive(from.Add(time.Hour)); err != nil {
		t.Errorf("law sets no limit: %v", err)
	}
	p.Published = false
	if err := p.CanReceive(from.Add(time.Hour)); motcua.ErrorReason(err) != "procedure_unpublished" {
		t.Errorf("unpublished: %v", err)
	}
}

func TestProcessValidate(t *testing.T) {
	for _, lvl := range []motcua.AgencyLevel{motcua.LevelProvince, motcua.LevelCommune} {
		if err := motcua.DefaultProcess(lvl).Validate(); err != nil {
			t.Errorf("default %s process: %v", lvl, err)
		}
	}
	approve := motcua.Step{Name: "Duyệt", Kind: motcua.StepApprove, Role: motcua.RoleLeader, Share: 0.5}
	issue := motcua.Step{Name: "Ban hành", Kind: motcua.StepIssue, Role: motcua.RoleSpecialist, Share: 0.1}
	appraise := motcua.Step{Name: "Thẩm định", Kind: motcua.StepAppraise, Role: motcua.RoleSpecialist, Share: 0.5}
	bad := []motcua.Process{
		{},
		{Steps: []motcua.Step{appraise, issue}}, // no approval
		{Steps: []motcua.Step{approve, appraise, issue}},        // approval not last but one
		{Steps: []motcua.Step{appraise, approve, issue, issue}}, // shares over 1
		{Steps: []motcua.Step{{Name: "X", Kind: "dance", Role: motcua.RoleHead}, approve, issue}},
		{Steps: []motcua.Step{{Name: "X", Kind: motcua.StepAppraise, Role: motcua.RoleReception}, approve, issue}},
		{Steps: []motcua.Step{{Name: "X", Kind: motcua.StepAssign, Role: motcua.RoleSpecialist}, appraise, approve, issue}}, // only heads and leaders assign
		{Steps: []motcua.Step{{Name: "X", Kind: motcua.StepAppraise, Role: motcua.RoleSpecialist, Parts: []motcua.StepPart{{AgencyID: 2}}}, approve, issue}},
		{Steps: []motcua.Step{{Name: "X", Kind: motcua.StepConsult, Role: motcua.RoleSpecialist, Parts: []motcua.StepPart{{AgencyID: 2}, {AgencyID: 2}}}, approve, issue}},
	}
	for i, p := range bad {
		if err := p.Validate(); motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("bad process %d accepted", i)
		}
	}
}

func TestJudge(t *testing.T) {
	due := vn(2025, 3, 13, 9, 0)
	cases := []struct {
		done time.Time
		want motcua.Timeliness
	}{
		{vn(2025, 3, 12, 16, 59), motcua.Early},
		{vn(2025, 3, 13, 0, 1), motcua.OnTime},
		{due, motcua.OnTime},
		{due.Add(time.Second), motcua.Late},
		{time.Time{}, ""},
	}
	for _, c := range cases {
		if got := motcua.Judge(c.done, due, motcua.VietnamTime); got != c.want {
			t.Errorf("Judge(%v) = %q, want %q", c.done, got, c.want)
		}
	}
	if motcua.Pending(due.Add(time.Minute), due) != motcua.Overdue || motcua.Pending(due, due) != motcua.WithinTime {
		t.Error("Pending")
	}
}
