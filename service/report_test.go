package service_test

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// small is a province of two communes with one three-working-day
// procedure, for reports whose figures are worked out by hand.
type small struct {
	*fixture
	a, b           *motcua.Agency
	pointA, pointB int64
	proc           *motcua.Procedure
	codes          map[string]string
	staff          map[string]*motcua.User
	docs           motcua.BlobStore // where the service keeps documents
}

// newSmall sets up two communes with their staff and one procedure, which
// attrs (if any) may complete before it is published. Documents are kept in
// a folder and every member of staff has a demo certificate, so that a
// component is digitized, and a result electronic, only by a signed file.
func newSmall(t *testing.T, e sqltest.Engine, attrs ...func(*motcua.Procedure)) *small {
	t.Helper()
	f := &fixture{t: t, users: map[string]*motcua.User{}}
	f.set(vn(2025, 2, 1, 8, 0))
	db := sqltest.Open(t, e)
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	f.db = db
	docs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir()
	var holders []sign.DemoHolder
	for _, name := range []string{"reception.a", "specialist.a", "leader.a", "reception.b", "specialist.b", "leader.b"} {
		holders = append(holders, sign.DemoHolder{Username: name, Name: name, Organization: "Xã thử"})
	}
	if err := sign.EnsureDemo(keys, vn(2025, 2, 1, 8, 0), "Tỉnh thử", holders); err != nil {
		t.Fatal(err)
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = service.New(db, cal, cheap, service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern,
		SessionTTL: time.Hour, Now: func() time.Time { return *f.clock.Load() }, Blobs: docs, Signer: ring})
	s := &small{fixture: f, codes: map[string]string{}, staff: map[string]*motcua.User{}, docs: docs}
	root := &motcua.Agency{Code: "H98", Name: "Tỉnh thử", Level: motcua.LevelProvince, Kind: motcua.KindProvinceCommittee}
	must(t, f.svc.SetupAgency(ctx, root))
	s.a = &motcua.Agency{Code: "H98.001", Name: "Xã A", Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee, ParentID: root.ID, OneStop: true}
	s.b = &motcua.Agency{Code: "H98.002", Name: "Xã B", Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee, ParentID: root.ID, OneStop: true}
	must(t, f.svc.SetupAgency(ctx, s.a))
	must(t, f.svc.SetupAgency(ctx, s.b))
	for _, x := range []struct {
		ag *motcua.Agency
		id *int64
	}{{s.a, &s.pointA}, {s.b, &s.pointB}} {
		pt := &motcua.ReceptionPoint{AgencyID: x.ag.ID, Code: x.ag.Code + ".01", Name: "Quầy " + x.ag.Name}
		must(t, f.svc.SetupReceptionPoint(ctx, pt))
		*x.id = pt.ID
	}
	for _, u := range []struct {
		name string
		ag   *motcua.Agency
		role motcua.Role
	}{{"reception.a", s.a, motcua.RoleReception}, {"specialist.a", s.a, motcua.RoleSpecialist}, {"leader.a", s.a, motcua.RoleLeader},
		{"reception.b", s.b, motcua.RoleReception}, {"specialist.b", s.b, motcua.RoleSpecialist}, {"leader.b", s.b, motcua.RoleLeader},
		{"portal", root, motcua.RoleIntegration}} {
		nu, err := f.svc.SetupUser(ctx, service.NewUser{Username: u.name, FullName: u.name, Password: "mật khẩu thử nghiệm",
			Grants: []motcua.Grant{{AgencyID: u.ag.ID, Role: u.role}}})
		must(t, err)
		s.staff[u.name] = nu
	}
	three := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
	s.proc = &motcua.Procedure{Code: "9.000001", Name: "Thủ tục thử", Level: motcua.LevelCommune, TimeLimit: &three, Published: true,
		Components: []motcua.Component{{Name: "Tờ khai", Mandatory: true}, {Name: "Giấy chứng nhận cũ", Reusable: true}}}
	for _, a := range attrs {
		a(s.proc)
	}
	must(t, f.svc.SetupProcedure(ctx, s.proc))
	return s
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (s *small) ctxOf(user string) contextT { return motcua.NewContextWithUser(ctx, s.staff[user]) }

type contextT = interface {
	Deadline() (time.Time, bool)
	Done() <-chan struct{}
	Err() error
	Value(any) any
}

// receive records a dossier at commune "a" or "b" at t with the given
// component choices and applicant; decision as the service takes it.
func (s *small) receive(name, commune string, t time.Time, channel motcua.Channel, decision string, comp [2]service.ComponentInput, a motcua.Applicant) {
	s.t.Helper()
	s.set(t)
	ag, point, user := s.a, s.pointA, "reception.a"
	if commune == "b" {
		ag, point, user = s.b, s.pointB, "reception.b"
	}
	if channel == motcua.ChannelOnline {
		user = "portal"
	}
	comp[0].ComponentID, comp[1].ComponentID = s.proc.Components[0].ID, s.proc.Components[1].ID
	if a.FullName == "" {
		a = motcua.Applicant{FullName: "Người nộp " + name, IDNumber: "089186001234", Phone: "0912345678"}
	}
	n := service.NewDossier{ProcedureID: s.proc.ID, ReceptionPointID: point, CompetentAgencyID: ag.ID, Channel: channel,
		Applicant: a, Components: []service.ComponentInput{comp[0], comp[1]}, Decision: decision, Reason: "Thiếu giấy tờ."}
	in, err := s.svc.ReceiveDossier(s.ctxOf(user), "", n)
	if err != nil {
		s.t.Fatalf("%s: %v", name, err)
	}
	s.codes[name] = in.Dossier.Code
}

func (s *small) act(name, user string, t time.Time, in service.ActInput) {
	s.t.Helper()
	s.set(t)
	if in.Reason == "" {
		in.Reason = "Lý do."
	}
	if _, err := s.svc.Act(s.ctxOf(user), s.codes[name], in); err != nil {
		s.t.Fatalf("%s %s: %v", name, in.Action, err)
	}
}

// finish takes a received dossier of commune c through transfer, appraisal
// and approval to its result at t, an electronic one when withFile.
func (s *small) finish(name, c string, received, t time.Time, withFile bool) {
	s.t.Helper()
	s.act(name, "reception."+c, received.Add(30*time.Minute), service.ActInput{Action: motcua.ActTransfer})
	s.act(name, "specialist."+c, received.Add(time.Hour), service.ActInput{Action: motcua.ActForward})
	s.act(name, "leader."+c, received.Add(90*time.Minute), service.ActInput{Action: motcua.ActApprove})
	ref := ""
	if withFile {
		s.set(t)
		ref = s.resultFile(name, "specialist."+c)
	}
	s.act(name, "specialist."+c, t, service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "1/KQ", ResultFileRef: ref})
}

// scanPage is a scanned paper, a small PDF.
func scanPage(t *testing.T, title string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdf.WriteScan(&b, pdf.Scan{Title: title, Subject: "thử"}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// scan uploads, as user, a scan of the first component of the dossier
// name; the service signs it with user's certificate, which is what makes
// the component digitized.
func (s *small) scan(name, user string) {
	s.t.Helper()
	f, err := s.svc.AttachFile(s.ctxOf(user), s.codes[name], s.proc.Components[0].ID, "scan.pdf", bytes.NewReader(scanPage(s.t, name)))
	if err != nil {
		s.t.Fatalf("scan of %s: %v", name, err)
	}
	if !f.Signed() {
		s.t.Fatalf("scan of %s stored unsigned", name)
	}
}

// resultFile uploads, as user, the result of the approved dossier name,
// signed by the service with user's certificate, and returns its reference
// for issue_result.
func (s *small) resultFile(name, user string) string {
	s.t.Helper()
	f, err := s.svc.AttachFile(s.ctxOf(user), s.codes[name], motcua.ResultComponent, "ket-qua.pdf", bytes.NewReader(scanPage(s.t, "Kết quả "+name)))
	if err != nil {
		s.t.Fatalf("result file of %s: %v", name, err)
	}
	return f.IDString()
}

var provided = [2]service.ComponentInput{{Provided: true}, {Provided: true}}

// TestReportsByHand builds the dossiers below (three working days each,
// periods of 07:30–11:30 and 13:00–17:00, no holiday in February–April
// 2025) and checks report 06a for March 2025 and indicators of the index,
// both worked out by hand.
func TestReportsByHand(t *testing.T) {
	sqltest.Run(t, reportsByHand)
}

func reportsByHand(t *testing.T, e sqltest.Engine) {
	s := newSmall(t, e)
	reused := [2]service.ComponentInput{{Provided: true}, {Reused: true}}
	// D8: received and finished on 28 Feb: outside March entirely.
	s.receive("D8", "a", vn(2025, 2, 28, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("D8", "a", vn(2025, 2, 28, 9, 0), vn(2025, 2, 28, 16, 0), false)
	// D10: received Thu 27 Feb 09:00, due Tue 4 Mar 09:00 (6.5 + 8 + 8 +
	// 1.5 h); still pending at the end of March, finished 2 Apr: carried
	// over, overdue at the period's end (known only from its history).
	s.receive("D10", "a", vn(2025, 2, 27, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.act("D10", "reception.a", vn(2025, 2, 27, 9, 30), service.ActInput{Action: motcua.ActTransfer})
	// D1: received Fri 28 Feb 10:00, due Wed 5 Mar 10:00, result Tue 4
	// Mar: carried over, early.
	s.receive("D1", "a", vn(2025, 2, 28, 10, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("D1", "a", vn(2025, 2, 28, 10, 0), vn(2025, 3, 4, 10, 0), false)
	// D2: online, received Mon 3 Mar 09:00, due Thu 6 Mar 09:00, result
	// Thu 08:00 with its file: on time; digitized and with a result file.
	s.set(vn(2025, 3, 3, 8, 0))
	s.receive("D2", "a", vn(2025, 3, 3, 8, 0), motcua.ChannelOnline, service.DecisionSubmit, provided, motcua.Applicant{})
	s.act("D2", "reception.a", vn(2025, 3, 3, 9, 0), service.ActInput{Action: motcua.ActReceive})
	s.scan("D2", "reception.a")
	s.finish("D2", "a", vn(2025, 3, 3, 9, 0), vn(2025, 3, 6, 8, 0), true)
	// D3: received Mon 3 Mar 10:00, due Thu 6 Mar 10:00, result Fri 7 Mar
	// without a file: late; digitized components but no electronic result.
	s.receive("D3", "a", vn(2025, 3, 3, 10, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.scan("D3", "reception.a")
	s.finish("D3", "a", vn(2025, 3, 3, 10, 0), vn(2025, 3, 7, 9, 0), false)
	// D7: received Mon 10 Mar 09:00 (due Thu 13 Mar 09:00), withdrawn Tue
	// 11 Mar: on time in 06a; for 2.1 it ended before its appointment.
	// Applicant data from the population database.
	s.receive("D7", "a", vn(2025, 3, 10, 9, 0), motcua.ChannelCounter, "", provided,
		motcua.Applicant{FullName: "Dân cư", IDNumber: "089186001234", Source: motcua.SourcePopulationDB})
	s.act("D7", "reception.a", vn(2025, 3, 11, 9, 0), service.ActInput{Action: motcua.ActWithdraw})
	// D14: asked for a supplement at the counter Mon 17 Mar, received Tue
	// 18 Mar 09:00, asked again after appraisal Wed 19 Mar, supplemented
	// Thu 20 Mar 09:00 (due restarts: Tue 25 Mar 09:00), result Fri 21 Mar:
	// early in 06a, but two requests make it overdue for 2.1.
	s.receive("D14", "a", vn(2025, 3, 17, 9, 0), motcua.ChannelCounter, service.DecisionSupplement, provided, motcua.Applicant{})
	s.act("D14", "reception.a", vn(2025, 3, 18, 9, 0), service.ActInput{Action: motcua.ActReceive})
	s.act("D14", "reception.a", vn(2025, 3, 18, 9, 30), service.ActInput{Action: motcua.ActTransfer})
	s.act("D14", "specialist.a", vn(2025, 3, 19, 9, 0), service.ActInput{Action: motcua.ActRequestSupplement})
	s.act("D14", "reception.a", vn(2025, 3, 20, 9, 0), service.ActInput{Action: motcua.ActSupplementReceived})
	s.act("D14", "specialist.a", vn(2025, 3, 20, 10, 0), service.ActInput{Action: motcua.ActForward})
	s.act("D14", "leader.a", vn(2025, 3, 20, 11, 0), service.ActInput{Action: motcua.ActApprove})
	s.act("D14", "specialist.a", vn(2025, 3, 21, 15, 0), service.ActInput{Action: motcua.ActIssueResult})
	// D6: received Mon 24 Mar 09:00, due Thu 27 Mar 09:00, still pending:
	// overdue at the end of March. The applicant authenticated with VNeID.
	s.receive("D6", "a", vn(2025, 3, 24, 9, 0), motcua.ChannelCounter, "", provided,
		motcua.Applicant{FullName: "VNeID", IDNumber: "089186001234", VNeIDVerified: true})
	// D4: received Tue 25 Mar 09:00 (due Fri 28 Mar 09:00), digitized,
	// supplement asked Wed 26 Mar 09:00 and brought Wed 2 Apr: waiting at
	// the end of March (column 9); for 2.1 it ended at the request, on time.
	s.receive("D4", "a", vn(2025, 3, 25, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.scan("D4", "reception.a")
	s.act("D4", "reception.a", vn(2025, 3, 25, 9, 30), service.ActInput{Action: motcua.ActTransfer})
	s.act("D4", "specialist.a", vn(2025, 3, 26, 9, 0), service.ActInput{Action: motcua.ActRequestSupplement})
	// D5: received Thu 27 Mar 09:00, due Tue 1 Apr 09:00: within time at
	// the end of March. A component reused from an earlier result.
	s.receive("D5", "a", vn(2025, 3, 27, 9, 0), motcua.ChannelCounter, "", reused, motcua.Applicant{})
	// D13 at commune B: received Mon 3 Mar, result Wed 5 Mar: early.
	s.receive("D13", "b", vn(2025, 3, 3, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("D13", "b", vn(2025, 3, 3, 9, 0), vn(2025, 3, 5, 9, 0), false)
	// April: D4's supplement arrives, D10 is finished.
	s.act("D4", "reception.a", vn(2025, 4, 2, 9, 0), service.ActInput{Action: motcua.ActSupplementReceived})
	s.act("D10", "specialist.a", vn(2025, 4, 2, 10, 0), service.ActInput{Action: motcua.ActForward})
	s.act("D10", "leader.a", vn(2025, 4, 2, 11, 0), service.ActInput{Action: motcua.ActApprove})
	s.act("D10", "specialist.a", vn(2025, 4, 2, 14, 0), service.ActInput{Action: motcua.ActIssueResult})
	s.set(vn(2025, 4, 4, 12, 0))

	march := motcua.Period{From: motcua.DayOf(vn(2025, 3, 1, 0, 0)), To: motcua.DayOf(vn(2025, 3, 31, 12, 0))}
	// Columns 3–13 of commune A, worked out from the list above:
	//   4 online received: D2; 5 direct: D3 D4 D5 D6 D7 D14; 6 carried over: D1 D10;
	//   8 early: D1 D14; 9 on time: D2, D7 (withdrawn), D4 (waiting); 10 late: D3;
	//   12 within: D5; 13 overdue: D6 D10.
	wantA := map[int]int64{3: 9, 4: 1, 5: 6, 6: 2, 7: 6, 8: 2, 9: 3, 10: 1, 11: 3, 12: 1, 13: 2}
	wantB := map[int]int64{3: 1, 4: 0, 5: 1, 6: 0, 7: 1, 8: 1, 9: 0, 10: 0, 11: 0, 12: 0, 13: 0}
	for _, source := range []string{service.SourceBase, service.SourceLive} {
		rep, err := s.svc.Report06a(ctx, march, source)
		if err != nil {
			t.Fatal(err)
		}
		rows := map[int64]motcua.Row06a{}
		for _, r := range rep.Rows {
			rows[r.AgencyID] = r
		}
		for _, c := range []struct {
			name string
			row  motcua.Row06a
			want map[int]int64
		}{{"A", rows[s.a.ID], wantA}, {"B", rows[s.b.ID], wantB}} {
			for col := 3; col <= 13; col++ {
				if got := c.row.Col(col); got != c.want[col] {
					t.Errorf("%s: commune %s column %d = %d, want %d", source, c.name, col, got, c.want[col])
				}
			}
		}
		if rep.Total.Col(3) != 10 || rep.Total.Col(7) != 7 || rep.Total.Col(13) != 2 || !rep.Total.Balanced() {
			t.Errorf("%s: province total %+v", source, rep.Total)
		}
	}

	// The dashboard over March (live counters): receptions D2 (online),
	// D3 D4 D5 D6 D7 D14 D13 (counter); handled early D1 D14 D13, on time
	// D2 D7, late D3 (D4, waiting, is not "handled"); digitized by 4.2: D2
	// and D4 of 8; overdue: commune A's D6 and D10. Trends from January:
	// February received D8 D10 D1 and handled D8 (early).
	dash, err := s.svc.Dashboard(ctx, march)
	if err != nil {
		t.Fatal(err)
	}
	if dash.Online != 1 || dash.Counter != 7 || dash.Post != 0 || dash.ReceivedTotal != 8 || dash.Handled != 6 ||
		abs(dash.OnlineRate-1.0/8) > 1e-12 || abs(dash.DigitizedRate-2.0/8) > 1e-12 ||
		abs(dash.OnTimeRate-5.0/6) > 1e-12 || len(dash.Overdue) != 1 || dash.Overdue[0] != (service.AgencyCount{AgencyID: s.a.ID, N: 2}) {
		t.Errorf("dashboard %+v", dash)
	}
	wantMonths := []service.MonthFigures{{Month: time.January}, {Month: time.February, Direct: 3, Handled: 1, OnTimeRate: 1, HasHandled: true},
		{Month: time.March, Online: 1, Direct: 7, Handled: 6, OnTimeRate: 5.0 / 6, HasHandled: true}}
	if !reflect.DeepEqual(dash.Months, wantMonths) {
		t.Errorf("months %+v\nwant %+v", dash.Months, wantMonths)
	}

	// 4.5a and 4.5b count only what the service verified itself: with no
	// register connected and no lookup recorded, they have no data.
	if idx, err := s.svc.Index766(ctx, march); err != nil {
		t.Fatal(err)
	} else {
		for _, u := range idx.Units {
			for _, v := range u.Values {
				if (v.ID == "4.5b" || v.ID == "4.5a") && v.Status != "no_data" {
					t.Errorf("%s held without lookups: %+v", v.ID, v)
				}
			}
		}
	}
	must(t, s.db.Write(ctx, func(tx motcua.Tx) error {
		return tx.SavePopulationLookup(ctx, &motcua.PopulationLookup{At: vn(2025, 3, 3, 9, 0), UserID: s.staff["reception.a"].ID,
			AgencyID: s.a.ID, IDNumber: "089186001234", Purpose: "Tiếp nhận hồ sơ", Outcome: motcua.LookupNotFound})
	}))
	for _, source := range []string{service.SourceBase, service.SourceLive} {
		indexByHand(t, s, march, source)
	}
}

// indexByHand checks the index of March for commune A (see reportsByHand).
func indexByHand(t *testing.T, s *small, march motcua.Period, source string) {
	idx, err := s.svc.Index766From(ctx, march, source)
	if err != nil {
		t.Fatal(err)
	}
	if idx.Source != source {
		t.Errorf("index from %q says %q", source, idx.Source)
	}
	// 2.2, working hours from reception to the end, waits for supplements
	// taken out (07:30–11:30, 13:00–17:00): D1 16 (Fri 5.5, Mon 8, Tue
	// 2.5), D2 23 (6.5 + 8 + 8 + 0.5), D3 31 (5.5 + 8 + 8 + 8 + 1.5), D7 8
	// (6.5 + 1.5), D14 20.5 (28.5 less the wait Wed 09:00–Thu 09:00 of 8),
	// D13 16 (6.5 + 8 + 1.5): 114.5 h over 6 dossiers, in days of 8 h.
	if len(idx.Averages) != 1 || idx.Averages[0].ProcedureID != s.proc.ID || idx.Averages[0].Finished != 6 ||
		abs(idx.Averages[0].Average-114.5/6/8) > 1e-9 {
		t.Errorf("%s: averages %+v, want 6 finished in %.6f working days", source, idx.Averages, 114.5/6/8)
	}
	var unitA motcua.IndexResult
	for _, u := range idx.Units {
		if u.AgencyID == s.a.ID {
			unitA = u
		}
	}
	vals := map[string]motcua.IndicatorValue{}
	for _, v := range unitA.Values {
		vals[v.ID] = v
	}
	// 2.1: of the 9 dossiers in scope, on time are D1, D2, D7 (ended Tue
	// 11 Mar, before Thu 13 Mar), D4 (ended at its request, before Fri 28
	// Mar), D5 (the period's end, before Tue 1 Apr); not D3 (late), D6 and
	// D10 (overdue at the end), D14 (two requests). 5/9 of 20 points.
	// 4.2: received in March and digitized with, where a result exists, its
	// file: D2 and D4 (not D3: result without file) — 2/7, under the 80 %
	// threshold: 4 × (2/7) / 0.8. 4.3: D5 — 1/7 → 2 × (1/7) / 0.8.
	// 4.5b: D6 (VNeID), D7 (population data) — 2/7 → 2 × 2/7.
	for _, w := range []struct {
		id       string
		num, den int64
		points   float64
	}{
		{"2.1", 5, 9, 20.0 * 5 / 9},
		{"4.2", 2, 7, 4.0 * (2.0 / 7) / 0.8},
		{"4.3", 1, 7, 2.0 * (1.0 / 7) / 0.8},
		{"4.5b", 2, 7, 2.0 * 2 / 7},
	} {
		v := vals[w.id]
		if v.Status != "ok" || v.Num != w.num || v.Den != w.den || abs(v.Points-w.points) > 1e-9 {
			t.Errorf("%s: indicator %s = %+v, want %d/%d, %.4f points", source, w.id, v, w.num, w.den, w.points)
		}
	}
	for _, id := range []string{"1.1", "1.4", "3.1", "3.6", "4.4", "5.4"} {
		if v := vals[id]; v.Status != "no_data" || v.Reason == "" || v.Points != 0 {
			t.Errorf("%s: indicator %s has no input but shows %+v", source, id, v)
		}
	}
	if want := 20.0*5/9 + 4.0*(2.0/7)/0.8 + 2.0*(1.0/7)/0.8 + 2.0*2/7; abs(unitA.Points-want) > 1e-9 || unitA.Available != 28 {
		t.Errorf("%s: unit A points %.4f of %.0f available, want %.4f of 28", source, unitA.Points, unitA.Available, want)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestProvinceListsForProvinceStaff checks who may list the dossiers behind
// the province's figures: the province's own staff, not the head of a
// vertical agency (who still lists his own agency's).
func TestProvinceListsForProvinceStaff(t *testing.T) {
	s := newSmall(t, sqltest.SQLite)
	police := &motcua.Agency{Code: "000.00.20.H98", Name: "Công an tỉnh thử", Level: motcua.LevelVertical, Kind: motcua.KindVerticalAgency,
		ParentID: s.a.ParentID}
	must(t, s.svc.SetupAgency(ctx, police))
	head, err := s.svc.SetupUser(ctx, service.NewUser{Username: "ca.head", FullName: "Trưởng phòng", Password: "mật khẩu thử nghiệm",
		Grants: []motcua.Grant{{AgencyID: police.ID, Role: motcua.RoleLeader}}})
	must(t, err)
	s.staff["ca.head"] = head
	province, err := s.svc.SetupUser(ctx, service.NewUser{Username: "tinh.leader", FullName: "Lãnh đạo tỉnh", Password: "mật khẩu thử nghiệm",
		Grants: []motcua.Grant{{AgencyID: s.a.ParentID, Role: motcua.RoleLeader}}})
	must(t, err)
	s.staff["tinh.leader"] = province
	march := motcua.Period{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)}
	if _, err := s.svc.ReportDossiers(s.ctxOf("ca.head"), march, 0, "06a.4", 0); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
		t.Errorf("a vertical agency's head lists the province's dossiers: %v", err)
	}
	if _, err := s.svc.ReportDossiers(s.ctxOf("ca.head"), march, police.ID, "06a.4", 0); err != nil {
		t.Errorf("the head of the police cannot list his own agency's: %v", err)
	}
	if _, err := s.svc.ReportDossiers(s.ctxOf("tinh.leader"), march, 0, "06a.4", 0); err != nil {
		t.Errorf("the province's leader cannot list the province's dossiers: %v", err)
	}
}

// TestIndexFollowsCatalogue checks that the index, which keeps the
// published catalogue in memory, sees a procedure unpublished through this
// instance at once.
func TestIndexFollowsCatalogue(t *testing.T) {
	s := newSmall(t, sqltest.SQLite)
	admin, err := s.svc.SetupUser(ctx, service.NewUser{Username: "admin", FullName: "Quản trị", Password: "mật khẩu thử nghiệm",
		Grants: []motcua.Grant{{AgencyID: s.a.ParentID, Role: motcua.RoleAdmin}}})
	must(t, err)
	s.staff["admin"] = admin
	s.receive("D1", "a", vn(2025, 3, 3, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("D1", "a", vn(2025, 3, 3, 9, 0), vn(2025, 3, 4, 9, 0), false)
	march := motcua.Period{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)}
	idx, err := s.svc.Index766(ctx, march)
	must(t, err)
	if len(idx.Averages) != 1 {
		t.Fatalf("averages %+v, want the one procedure", idx.Averages)
	}
	p := *s.proc
	p.Published = false
	must(t, s.svc.UpdateProcedure(s.ctxOf("admin"), &p))
	idx, err = s.svc.Index766(ctx, march)
	must(t, err)
	if len(idx.Averages) != 0 {
		t.Errorf("the unpublished procedure is still in the index: %+v", idx.Averages)
	}
}

// TestIndicator42bFromSignedCopies: indicator 4.2b counts, of the dossiers
// of a procedure that certifies copies from originals, those whose result
// is a signed electronic copy; it has no data where no procedure is known
// to certify copies.
func TestIndicator42bFromSignedCopies(t *testing.T) {
	yes := true
	s := newSmall(t, sqltest.SQLite, func(p *motcua.Procedure) { p.CertifiesCopies = &yes })
	s.receive("C1", "a", vn(2025, 3, 3, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("C1", "a", vn(2025, 3, 3, 9, 0), vn(2025, 3, 4, 9, 0), true)
	s.receive("C2", "a", vn(2025, 3, 5, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("C2", "a", vn(2025, 3, 5, 9, 0), vn(2025, 3, 6, 9, 0), false)
	s.receive("C3", "b", vn(2025, 3, 5, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	march := motcua.Period{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)}
	for _, src := range []string{service.SourceBase, service.SourceLive} {
		idx, err := s.svc.Index766From(ctx, march, src)
		must(t, err)
		got := map[int64]motcua.IndicatorValue{}
		for _, u := range idx.Units {
			for _, v := range u.Values {
				if v.ID == "4.2b" {
					got[u.AgencyID] = v
				}
			}
		}
		if a := got[s.a.ID]; a.Status != "ok" || a.Num != 1 || a.Den != 2 {
			t.Errorf("source %v, commune A: 4.2b %+v, want 1/2", src, a)
		}
		if b := got[s.b.ID]; b.Status != "ok" || b.Num != 0 || b.Den != 1 {
			t.Errorf("source %v, commune B: 4.2b %+v, want 0/1", src, b)
		}
	}
	plain := newSmall(t, sqltest.SQLite)
	plain.receive("P1", "a", vn(2025, 3, 3, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	idx, err := plain.svc.Index766(ctx, march)
	must(t, err)
	for _, u := range idx.Units {
		for _, v := range u.Values {
			if v.ID == "4.2b" && v.Status != "no_data" {
				t.Errorf("4.2b without a certifying procedure: %+v", v)
			}
		}
	}
}
