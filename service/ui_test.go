package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

func (f *fixture) agency(code string) *motcua.Agency {
	f.t.Helper()
	a, _, err := f.svc.Agency(ctx, code)
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func wantCode(t *testing.T, err error, code, reason string) {
	t.Helper()
	if motcua.ErrorCode(err) != code || (reason != "" && motcua.ErrorReason(err) != reason) {
		t.Fatalf("got %v, want %s/%s", err, code, reason)
	}
}

// TestSearchProceduresRanking searches the demo catalogue the ways
// officers type. The demo received 8 birth registrations in the last
// year (7 same-day ones and one in progress, see demo/scenarios.go), more
// than any other procedure, so among the many "đăng ký …" procedures birth
// registration comes first.
func TestSearchProceduresRanking(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		f := newFixture(t, eng, vn(2025, 3, 10, 9, 0), nil)
		first := func(q service.SearchQuery) service.SearchHit {
			t.Helper()
			hits, err := f.svc.SearchProcedures(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) == 0 {
				t.Fatalf("%q found nothing", q.Text)
			}
			return hits[0]
		}
		for _, q := range []string{"dang ky khai sinh", "ĐĂNG KÝ KHAI SINH", "đăng kí khai sinh", "ĐĂNG KÝ", "đăng kí", "Dang Ky", "khai sinh", "1.001193", "1.0011"} {
			h := first(service.SearchQuery{Text: q})
			if h.Procedure.Code != "1.001193" {
				t.Errorf("%q: first hit %s %q, want 1.001193 Thủ tục đăng ký khai sinh", q, h.Procedure.Code, h.Procedure.Name)
			}
		}
		h := first(service.SearchQuery{Text: "dang ky khai sinh"})
		if h.Usage != 8 {
			t.Errorf("usage of birth registration %d, want 8", h.Usage)
		}
		// The exact name outranks names that only start with the query; of
		// those three (none has dossiers) the shortest comes first.
		hits, _ := f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "dang ky khai sinh"})
		var order []string
		for _, h := range hits[:min(len(hits), 4)] {
			order = append(order, h.Procedure.Code)
		}
		if !slices.Equal(order, []string{"1.001193", "2.000528", "1.000689", "1.004772"}) {
			t.Errorf("order %v", order)
		}
		// Every word at a word start, in any order.
		if h := first(service.SearchQuery{Text: "giam ho dang ky"}); h.Procedure.Code != "1.004837" {
			t.Errorf("giam ho dang ky: %s", h.Procedure.Name)
		}
		// Among the five household-business procedures that contain the
		// phrase, the one with dossiers comes first.
		if h := first(service.SearchQuery{Text: "hộ kinh doanh"}); h.Procedure.Code != "1.001612" {
			t.Errorf("hộ kinh doanh: %s %s", h.Procedure.Code, h.Procedure.Name)
		}
		// Receivable leaves out procedures without a time limit (khai tử).
		hits, _ = f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "khai tu", Receivable: true})
		for _, h := range hits {
			if h.Procedure.CanReceive(vn(2025, 3, 10, 9, 0)) != nil {
				t.Errorf("receivable search returned %s", h.Procedure.Name)
			}
		}
		if hits, _ := f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "khai tu"}); len(hits) == 0 || hits[0].Procedure.Code != "1.000656" {
			t.Errorf("khai tu: %v", hits)
		}
		if hits, _ := f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "xyzzy khai sinh"}); len(hits) != 0 {
			t.Errorf("a word that occurs nowhere must find nothing, got %d", len(hits))
		}
		// Limit and level.
		if hits, _ := f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "", Level: motcua.LevelProvince}); len(hits) != 4 {
			t.Errorf("provincial procedures: %d, want 4", len(hits))
		}
		if hits, _ := f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "dang ky", Limit: 3}); len(hits) != 3 {
			t.Errorf("limit 3 gave %d", len(hits))
		}

		// An unpublished procedure is found by administrators only, and a
		// change made by an administrator is searchable at once.
		p, err := f.svc.ProcedureByCode(ctx, "1.004873")
		if err != nil {
			t.Fatal(err)
		}
		p.Published = false
		if err := f.svc.UpdateProcedure(f.as("admin"), p); err != nil {
			t.Fatal(err)
		}
		if hits, _ := f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "tinh trang hon nhan"}); len(hits) != 0 {
			t.Errorf("the public finds an unpublished procedure: %v", hits[0].Procedure.Name)
		}
		if hits, _ := f.svc.SearchProcedures(f.as("admin"), service.SearchQuery{Text: "tinh trang hon nhan"}); len(hits) != 1 {
			t.Errorf("the administrator finds %d unpublished procedures, want 1", len(hits))
		}
	})
}

// TestProgressBoardCounts checks the board by the changes a few actions
// make to it, worked out by hand from the counting rules of ProgressBoard.
func TestProgressBoardCounts(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		now := vn(2025, 3, 10, 9, 0)
		f := newFixture(t, eng, now, nil)
		hoaBinh := f.agency("H99.103")
		row := func(p service.BoardPeriod, id int64) service.BoardRow {
			for _, r := range p.Rows {
				if r.Agency.ID == id {
					return r
				}
			}
			return service.BoardRow{}
		}
		check := func(b *service.Board) {
			t.Helper()
			for _, p := range []service.BoardPeriod{b.Month, b.Year} {
				var sum service.BoardRow
				for _, r := range p.Rows {
					sum.Received += r.Received
					sum.Early += r.Early
					sum.OnTime += r.OnTime
					sum.Late += r.Late
					sum.Pending += r.Pending
					sum.Overdue += r.Overdue
					sum.Waiting += r.Waiting
				}
				sum.Agency = p.Total.Agency
				if sum != p.Total {
					t.Errorf("total %+v is not the sum of the rows %+v", p.Total, sum)
				}
			}
			if b.Year.Total.Received < b.Month.Total.Received || b.Year.Total.Finished() < b.Month.Total.Finished() {
				t.Errorf("the year counts less than its month: %+v %+v", b.Year.Total, b.Month.Total)
			}
			if b.Year.Total.Unfinished() != b.Month.Total.Unfinished() {
				t.Errorf("pending now differs between month and year: %d %d", b.Year.Total.Unfinished(), b.Month.Total.Unfinished())
			}
		}
		before, err := f.svc.ProgressBoard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check(before)
		if before.Month.Total.Received == 0 || before.Year.Total.Finished() == 0 {
			t.Fatalf("the demo shows nothing: %+v", before.Year.Total)
		}
		if before.Year.Total.Received <= before.Month.Total.Received {
			t.Errorf("the demo's dossiers of February are not in the year only: %d vs %d", before.Year.Total.Received, before.Month.Total.Received)
		}

		// Receive a birth registration at Hòa Bình at 09:00 (due at the end of
		// the day) and a guardianship one (due in 3 working days).
		_, points, _ := f.svc.Agency(ctx, "H99.103")
		recv := func(code string) string {
			t.Helper()
			p, _ := f.svc.ProcedureByCode(ctx, code)
			n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, CompetentAgencyID: hoaBinh.ID, Channel: motcua.ChannelCounter,
				Applicant: motcua.Applicant{FullName: "Kiều Thị Mơ", IDNumber: "089186001234", Phone: "0912000111"}}
			for _, c := range p.Components {
				if !c.FromNationalDB {
					n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
				}
			}
			in, err := f.svc.ReceiveDossier(f.as("motcua.hoabinh"), "", n)
			if err != nil {
				t.Fatal(err)
			}
			return in.Dossier.Code
		}
		birth := recv("1.001193")
		recv("1.004837")
		// Within the minute the board is served from memory.
		f.set(now.Add(30 * time.Second))
		cached, _ := f.svc.ProgressBoard(ctx)
		if cached != before {
			t.Error("the board was recomputed within its minute")
		}
		f.set(now.Add(2 * time.Minute))
		after, err := f.svc.ProgressBoard(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check(after)
		b, a := row(before.Month, hoaBinh.ID), row(after.Month, hoaBinh.ID)
		if a.Received != b.Received+2 || a.Pending != b.Pending+2 || a.Overdue != b.Overdue || a.Finished() != b.Finished() {
			t.Errorf("after two receptions: %+v, before %+v", a, b)
		}

		// Settle the birth registration the same morning: due and finished the
		// same day, so on time (early needs an earlier day).
		for _, st := range []struct {
			user string
			in   service.ActInput
		}{{"motcua.hoabinh", service.ActInput{Action: motcua.ActTransfer}}, {"cv.hoabinh", service.ActInput{Action: motcua.ActForward}},
			{"ct.hoabinh", service.ActInput{Action: motcua.ActApprove}}, {"cv.hoabinh", service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "9/KS"}}} {
			if _, err := f.svc.Act(f.as(st.user), birth, st.in); err != nil {
				t.Fatal(err)
			}
		}
		f.set(vn(2025, 3, 10, 11, 0))
		settled, _ := f.svc.ProgressBoard(ctx)
		check(settled)
		l := row(settled.Month, hoaBinh.ID)
		if l.OnTime != b.OnTime+1 || l.Early != b.Early || l.Late != b.Late || l.Unfinished() != b.Unfinished()+1 || l.Received != b.Received+2 {
			t.Errorf("after the birth registration was settled: %+v, before %+v", l, b)
		}
		// The guardianship dossier is due on 13 March at 09:00 (3 working
		// days): within time at 08:30, overdue at 09:30.
		f.set(vn(2025, 3, 13, 8, 30))
		early, _ := f.svc.ProgressBoard(ctx)
		f.set(vn(2025, 3, 13, 9, 30))
		late, _ := f.svc.ProgressBoard(ctx)
		e, o := row(early.Month, hoaBinh.ID), row(late.Month, hoaBinh.ID)
		if o.Overdue != e.Overdue+1 || o.Pending != e.Pending-1 || o.Unfinished() != e.Unfinished() {
			t.Errorf("when the guardianship dossier passed its due time: %+v, before %+v", o, e)
		}
	})
}

// TestAdministrationStaysInSubtree gives a commune its own administrator
// and checks that each administrator acts only within their agencies.
func TestAdministrationStaysInSubtree(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		f := newFixture(t, eng, vn(2025, 3, 10, 9, 0), nil)
		anPhu, hoaBinh, province := f.agency("H99.101"), f.agency("H99.103"), f.agency("000.00.00.H99")
		qt, err := f.svc.CreateUser(f.as("admin"), service.NewUser{Username: "qt.anphu", FullName: "Quản Trị Xã", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleAdmin}}})
		if err != nil {
			t.Fatal(err)
		}
		f.users["qt.anphu"] = qt
		commune := f.as("qt.anphu")

		list, err := f.svc.AdministeredAgencies(commune)
		if err != nil || len(list) != 1 || list[0].ID != anPhu.ID {
			t.Fatalf("commune administrator administers %v (%v)", list, err)
		}
		// The provincial People's Committee and the ten agencies under it,
		// the two vertical agencies (police, tax) included.
		if list, _ := f.svc.AdministeredAgencies(f.as("admin")); len(list) != 11 {
			t.Errorf("province administrator administers %d agencies, want 11", len(list))
		}
		_, err = f.svc.AdministeredAgencies(f.as("cv.anphu"))
		wantCode(t, err, motcua.EFORBIDDEN, "not_admin")

		// Agencies.
		a := *anPhu
		a.Name = "Ủy ban nhân dân xã An Phú (mới)"
		a.Phone = "0270 3822 111"
		if err := f.svc.UpdateAgency(commune, &a); err != nil {
			t.Fatal(err)
		}
		if got := f.agency("H99.101"); got.Name != a.Name {
			t.Errorf("name after update: %q", got.Name)
		}
		h := *hoaBinh
		h.Name = "Không được sửa"
		wantCode(t, f.svc.UpdateAgency(commune, &h), motcua.EFORBIDDEN, "not_admin")
		p := *province
		p.ParentID = anPhu.ID
		wantCode(t, f.svc.UpdateAgency(f.as("admin"), &p), motcua.EINVALID, "parent_cycle")
		bad := *anPhu
		bad.Code, bad.Name = "an phu", ""
		err = f.svc.UpdateAgency(f.as("admin"), &bad)
		wantCode(t, err, motcua.EINVALID, "")
		if e := err.(*motcua.Error); e.Fields["name"] == "" {
			t.Errorf("missing name not flagged: %v", e.Fields)
		}
		wantCode(t, f.svc.CreateReceptionPoint(commune, &motcua.ReceptionPoint{AgencyID: hoaBinh.ID, Code: "X", Name: "X"}), motcua.EFORBIDDEN, "not_admin")
		wantCode(t, f.svc.CreateReceptionPoint(commune, &motcua.ReceptionPoint{AgencyID: anPhu.ID}), motcua.EINVALID, "reception_point_invalid")
		if err := f.svc.CreateReceptionPoint(commune, &motcua.ReceptionPoint{AgencyID: anPhu.ID, Code: "H99.101.03", Name: "Điểm tiếp nhận ấp Nam"}); err != nil {
			t.Fatal(err)
		}
		if _, pts, _ := f.svc.Agency(ctx, "H99.101"); len(pts) != 3 {
			t.Errorf("An Phú has %d reception points, want 3", len(pts))
		}

		// Accounts.
		cv := f.users["cv.anphu"]
		if cv == nil {
			f.as("cv.anphu")
			cv = f.users["cv.anphu"]
		}
		f.as("cv.hoabinh")
		_, err = f.svc.User(commune, f.users["cv.hoabinh"].ID)
		wantCode(t, err, motcua.EFORBIDDEN, "not_admin")
		ch := service.UserChange{ID: cv.ID, FullName: "Võ Văn Tài", Title: "Công chức Tư pháp – Hộ tịch",
			Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleSpecialist}, {AgencyID: hoaBinh.ID, Role: motcua.RoleSpecialist}}}
		_, err = f.svc.UpdateUser(commune, ch)
		wantCode(t, err, motcua.EINVALID, "not_admin")
		ch.Grants = []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleSpecialist}, {AgencyID: anPhu.ID, Role: motcua.RoleReception}}
		ch.Password = "short"
		_, err = f.svc.UpdateUser(commune, ch)
		wantCode(t, err, motcua.EINVALID, "user_invalid")
		ch.Password = "MậtKhẩuMới@2026"
		u, err := f.svc.UpdateUser(commune, ch)
		if err != nil {
			t.Fatal(err)
		}
		if !u.Has(motcua.RoleReception, anPhu.ID) {
			t.Errorf("grant not added: %+v", u.Grants)
		}
		if _, err := f.svc.Login(ctx, "cv.anphu", "MậtKhẩuMới@2026", "", ""); err != nil {
			t.Errorf("the new password does not work: %v", err)
		}
		// Locking ends the session at once.
		in, err := f.svc.Login(ctx, "cv.anphu", "MậtKhẩuMới@2026", "", "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, in.Token); err != nil {
			t.Fatal(err)
		}
		ch.Password, ch.Disabled = "", true
		if _, err := f.svc.UpdateUser(commune, ch); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Authenticate(ctx, in.Token)
		wantCode(t, err, motcua.EUNAUTHORIZED, "")
		// No self-lockout.
		_, err = f.svc.UpdateUser(commune, service.UserChange{ID: qt.ID, FullName: qt.FullName, Disabled: true, Grants: qt.Grants})
		wantCode(t, err, motcua.EINVALID, "cannot_lock_self")
		_, err = f.svc.UpdateUser(commune, service.UserChange{ID: qt.ID, FullName: qt.FullName, Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleLeader}}})
		wantCode(t, err, motcua.EINVALID, "cannot_drop_own_admin")

		// Procedures: each commune's procedures belong to the province's
		// catalogue, so a commune administrator cannot add one.
		np := &motcua.Procedure{Name: "Thủ tục thử nghiệm", Level: motcua.LevelCommune, Published: true,
			TimeLimit: &motcua.TimeLimit{Value: 2, Unit: motcua.UnitWorkingDays}}
		wantCode(t, f.svc.CreateProcedure(commune, np), motcua.EFORBIDDEN, "not_admin")
	})
}

// TestProcedureAdministration creates and changes a procedure with its
// components and steps.
func TestProcedureAdministration(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		f := newFixture(t, eng, vn(2025, 3, 10, 9, 0), nil)
		admin := f.as("admin")
		bad := &motcua.Procedure{Name: "", Level: motcua.LevelCommune,
			Components: []motcua.Component{{Name: "Tờ khai", Mandatory: true, FromNationalDB: true}},
			Process:    motcua.Process{Steps: []motcua.Step{{Name: "Duyệt", Kind: motcua.StepApprove, Role: motcua.RoleLeader, Share: 0.5}}}}
		err := f.svc.CreateProcedure(admin, bad)
		wantCode(t, err, motcua.EINVALID, "procedure_invalid")
		for _, field := range []string{"name", "components", "process"} {
			if err.(*motcua.Error).Fields[field] == "" {
				t.Errorf("field %s not flagged: %v", field, err.(*motcua.Error).Fields)
			}
		}
		amount := int64(8000)
		p := &motcua.Procedure{Code: "9.999001", Name: "Thủ tục cấp giấy phép thử nghiệm", Level: motcua.LevelCommune, Published: true,
			TimeLimit:  &motcua.TimeLimit{Value: 2, Unit: motcua.UnitWorkingDays},
			Components: []motcua.Component{{Name: "Tờ khai", Mandatory: true, Originals: 1}, {Name: "Giấy khai sinh", FromNationalDB: true}},
			Fees:       []motcua.Fee{{Name: "Lệ phí", Amount: &amount}}}
		if err := f.svc.CreateProcedure(admin, p); err != nil {
			t.Fatal(err)
		}
		if p.Version != 1 || len(p.Process.Steps) != 3 || p.Components[1].ID == 0 {
			t.Errorf("created %+v", p)
		}
		if hits, _ := f.svc.SearchProcedures(ctx, service.SearchQuery{Text: "giay phep thu nghiem"}); len(hits) != 1 {
			t.Errorf("the new procedure is not searchable at once: %d hits", len(hits))
		}
		p.Name = "Thủ tục cấp giấy phép thử nghiệm (sửa đổi)"
		p.Components = append(p.Components, motcua.Component{Name: "Ảnh 4x6", Copies: 2})
		stale := *p
		if err := f.svc.UpdateProcedure(admin, p); err != nil {
			t.Fatal(err)
		}
		if p.Version != 2 {
			t.Errorf("version %d after an update", p.Version)
		}
		wantCode(t, f.svc.UpdateProcedure(admin, &stale), motcua.ECONFLICT, "procedure_version_conflict")
		got, _ := f.svc.ProcedureByCode(ctx, "9.999001")
		if got.Name != p.Name || len(got.Components) != 3 {
			t.Errorf("stored %+v", got)
		}
		wantCode(t, f.svc.UpdateProcedure(f.as("motcua.anphu"), p), motcua.EFORBIDDEN, "not_admin")
	})
}

// TestCalendarYearAdministration declares an extra day off and checks that
// deadlines see it at once.
func TestCalendarYearAdministration(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		f := newFixture(t, eng, vn(2025, 3, 10, 9, 0), nil)
		v, err := f.svc.CalendarYear(f.as("cv.anphu"), 2025)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Builtin || v.Saved != nil || len(v.Days.DaysOff) == 0 {
			t.Fatalf("2025: builtin %v saved %v days %d", v.Builtin, v.Saved, len(v.Days.DaysOff))
		}
		// Wednesday 19 March 2025 becomes a day off.
		wed := vn(2025, 3, 19, 10, 0)
		if !f.svc.Calendar().IsWorkingDay(wed) {
			t.Fatal("19/03/2025 should be a working day before the change")
		}
		y := v.Data
		y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: calendar.NewDate(2025, 3, 19), Kind: calendar.KindExtra,
			Name: "Nghỉ thử nghiệm", LegalBasis: "Quyết định thử nghiệm"})
		wantCode(t, func() error { _, err := f.svc.SaveCalendarYear(f.as("motcua.anphu"), y); return err }(), motcua.EFORBIDDEN, "not_admin")
		v2, err := f.svc.SaveCalendarYear(f.as("admin"), y)
		if err != nil {
			t.Fatal(err)
		}
		if v2.Saved == nil || f.svc.Calendar().IsWorkingDay(wed) {
			t.Error("the new day off is not in force")
		}
		if _, ok := v2.Days.Off(calendar.NewDate(2025, 3, 19)); !ok {
			t.Error("the year's days do not show the new day off")
		}
		// A swap whose worked day is a weekday is refused with the JSON path.
		y.Swaps = append(y.Swaps, calendar.Swap{Off: calendar.NewDate(2025, 3, 20), Worked: calendar.NewDate(2025, 3, 21), Name: "Sai"})
		_, err = f.svc.SaveCalendarYear(f.as("admin"), y)
		wantCode(t, err, motcua.EINVALID, "")
		found := false
		for k := range err.(*motcua.Error).Fields {
			found = found || strings.HasPrefix(k, "swaps[")
		}
		if !found {
			t.Errorf("fields %v do not point at the swap", err.(*motcua.Error).Fields)
		}
	})
}

// TestDossierBookAndCounterDesk receives two dossiers at An Phú and reads
// the day's tracking book.
func TestDossierBookAndCounterDesk(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		now := vn(2025, 3, 10, 9, 0)
		f := newFixture(t, eng, now, nil)
		desk, err := f.svc.CounterDesk(f.as("motcua.anphu"))
		if err != nil {
			t.Fatal(err)
		}
		if len(desk.Points) != 2 || desk.Points[0].Code != "H99.101.01" || len(desk.Communes) != 3 {
			t.Errorf("desk: %d points, %d communes", len(desk.Points), len(desk.Communes))
		}
		_, err = f.svc.CounterDesk(f.as("cv.anphu"))
		wantCode(t, err, motcua.EFORBIDDEN, "not_reception_officer")

		var codes []string
		for _, phone := range []string{"0912000001", "0912000002"} {
			in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier(phone))
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, in.Dossier.Code)
		}
		anPhu := f.agency("H99.101")
		book, err := f.svc.DossierBook(f.as("cv.anphu"), anPhu.ID, now, now, "192.0.2.1")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range book {
			got = append(got, d.Code)
		}
		if !slices.Equal(got, []string{"H99.101-250310-0001", "H99.101-250310-0002"}) || !slices.Equal(got, codes) {
			t.Errorf("book of 10/03/2025: %v", got)
		}
		var audit []*motcua.AuditEntry
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			audit, err = tx.AuditEntries(ctx, motcua.AuditFilter{Action: motcua.AuditViewPersonalData, Limit: 1})
			return err
		})
		if len(audit) != 1 || !strings.Contains(audit[0].Detail, "tracking book") || audit[0].IP != "192.0.2.1" {
			t.Errorf("the reading is not audited: %+v", audit)
		}
		_, err = f.svc.DossierBook(f.as("cv.hoabinh"), anPhu.ID, now, now, "")
		wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
		_, err = f.svc.DossierBook(f.as("cv.anphu"), anPhu.ID, now, now.AddDate(0, 0, -1), "")
		wantCode(t, err, motcua.EINVALID, "period_reversed")
		// The province's supervisor (above the commune) may read it; its
		// administrator, who manages accounts, may not.
		if _, err := f.svc.DossierBook(f.as("giamsat.tinh"), anPhu.ID, now.AddDate(0, -1, 0), now, ""); err != nil {
			t.Error(err)
		}
		_, err = f.svc.DossierBook(f.as("admin"), anPhu.ID, now.AddDate(0, -1, 0), now, "")
		wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
	})
}
