package sqlstore_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// inboxFixture is a store with agencies, a reception point and a procedure
// to hang dossiers on.
type inboxFixture struct {
	t        testing.TB
	db       *sqlstore.DB
	agencies []*motcua.Agency
	point    *motcua.ReceptionPoint
	proc     *motcua.Procedure
	base     time.Time
	n        int
}

func newInboxFixture(t testing.TB, e sqltest.Engine, agencies int) *inboxFixture {
	t.Helper()
	f := &inboxFixture{t: t, db: sqltest.Open(t, e), base: time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC)}
	for i := range agencies {
		f.agencies = append(f.agencies, mustAgency(t, f.db, fmt.Sprintf("H99.%03d", 101+i)))
	}
	f.point = &motcua.ReceptionPoint{AgencyID: f.agencies[0].ID, Code: "P1", Name: "Quầy 1"}
	mustWrite(t, f.db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, f.point) })
	three := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
	f.proc = &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, TimeLimit: &three, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
	mustWrite(t, f.db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, f.proc) })
	return f
}

// dossier returns a received dossier due `due` hours after the base time,
// waiting on duties (not yet stored).
func (f *inboxFixture) dossier(due int, duties ...motcua.Duty) (*motcua.Dossier, *motcua.Event) {
	f.n++
	a := f.agencies[0]
	d := &motcua.Dossier{Code: fmt.Sprintf("H99.101-250310-%05d", f.n), ProcedureID: f.proc.ID, ProcedureVersion: 1,
		Channel: motcua.ChannelCounter, ReceptionPointID: f.point.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID,
		Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234", CreatedAt: f.base}
	at := f.base.Add(time.Duration(due) * time.Hour)
	e := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: f.base, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
		ToAgencyID: a.ID, ClockStartAt: f.base, DueAt: at, ActionDueAt: at, Duties: duties}
	st, err := motcua.Replay([]motcua.Event{*e})
	if err != nil {
		f.t.Fatal(err)
	}
	d.Status = st
	return d, e
}

func (f *inboxFixture) create(due int, duties ...motcua.Duty) *motcua.Dossier {
	f.t.Helper()
	d, e := f.dossier(due, duties...)
	mustWrite(f.t, f.db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, e) })
	return d
}

// find pages through FindDossiers two at a time and returns the codes'
// last digits in the order listed.
func (f *inboxFixture) find(flt motcua.DossierFilter) []int {
	f.t.Helper()
	var out []int
	flt.Limit = 2
	for range 50 {
		var got []*motcua.Dossier
		if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { got, err = tx.FindDossiers(ctx, flt); return err }); err != nil {
			f.t.Fatal(err)
		}
		for _, d := range got {
			var n int
			fmt.Sscanf(d.Code[strings.LastIndexByte(d.Code, '-')+1:], "%d", &n)
			out = append(out, n)
		}
		if len(got) < 2 {
			return out
		}
		l := got[len(got)-1]
		flt.After = &motcua.DossierCursor{NextDueAt: l.Status.NextDueAt(), ID: l.ID}
	}
	f.t.Fatal("more than 50 pages")
	return nil
}

// TestFindDossiersByDuty lists dossiers by whom they wait on: the union of
// the duties asked, each once, in deadline order across pages; a change
// moves a dossier from one inbox to another; a finished one leaves them.
func TestFindDossiersByDuty(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newInboxFixture(t, e, 2)
		A, B := f.agencies[0].ID, f.agencies[1].ID
		recA := motcua.Duty{AgencyID: A, Role: motcua.RoleReception}
		specA := motcua.Duty{AgencyID: A, Role: motcua.RoleSpecialist}
		specB := motcua.Duty{AgencyID: B, Role: motcua.RoleSpecialist}
		me := motcua.Duty{AgencyID: A, UserID: 7}
		f.create(5, recA)         // 1
		f.create(1, specA)        // 2
		f.create(3, specA, specB) // 3: a parallel step
		f.create(2, me)           // 4: assigned to user 7
		f.create(4, recA)         // 5
		d6 := f.create(0, specB)  // 6
		f.create(6)               // 7: waits on nobody
		f.create(7, motcua.Duty{AgencyID: A, UserID: 8})
		cases := []struct {
			duties []motcua.Duty
			want   []int
		}{
			{[]motcua.Duty{recA}, []int{5, 1}},
			{[]motcua.Duty{specA, me}, []int{2, 4, 3}},
			{[]motcua.Duty{specA, specB}, []int{6, 2, 3}}, // 3 once
			{[]motcua.Duty{recA, specA, specB, me}, []int{6, 2, 4, 3, 5, 1}},
			{[]motcua.Duty{{AgencyID: B, Role: motcua.RoleLeader}}, nil},
			{[]motcua.Duty{}, nil},
		}
		for _, c := range cases {
			if got := f.find(motcua.DossierFilter{Duties: c.duties}); !slices.Equal(got, c.want) {
				t.Errorf("duties %+v: got %v, want %v", c.duties, got, c.want)
			}
		}
		// Other conditions narrow each duty's range.
		if got := f.find(motcua.DossierFilter{Duties: []motcua.Duty{specA, specB}, States: []motcua.State{motcua.StateProcessing}}); len(got) != 0 {
			t.Errorf("state filter: %v", got)
		}
		// Dossier 6 moves on to A's reception, due later; then finishes.
		e2 := motcua.Event{DossierID: d6.ID, Seq: 2, Action: motcua.ActTransfer, At: f.base.Add(time.Hour), FromState: motcua.StateReceived,
			ToState: motcua.StateProcessing, ToAgencyID: A, FromStep: -1, ToStep: 0, ClockStartAt: f.base,
			DueAt: f.base.Add(9 * time.Hour), StepDueAt: f.base.Add(8 * time.Hour), Duties: []motcua.Duty{recA}}
		st2, err := d6.Status.Apply(e2)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, f.db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, &e2, &st2) })
		if got := f.find(motcua.DossierFilter{Duties: []motcua.Duty{specB}}); !slices.Equal(got, []int{3}) {
			t.Errorf("B's specialists after the move: %v", got)
		}
		if got := f.find(motcua.DossierFilter{Duties: []motcua.Duty{recA}}); !slices.Equal(got, []int{5, 1, 6}) {
			t.Errorf("A's counter after the move: %v", got)
		}
		e3 := motcua.Event{DossierID: d6.ID, Seq: 3, Action: motcua.ActWithdraw, At: f.base.Add(2 * time.Hour), FromState: motcua.StateProcessing,
			ToState: motcua.StateWithdrawn, ToAgencyID: A, FromStep: 0, ToStep: -1, ClockStartAt: f.base, DueAt: f.base.Add(9 * time.Hour)}
		st3, err := st2.Apply(e3)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, f.db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, &e3, &st3) })
		if got := f.find(motcua.DossierFilter{Duties: []motcua.Duty{recA, specA, specB, me}}); !slices.Equal(got, []int{2, 4, 3, 5, 1}) {
			t.Errorf("after withdrawal: %v", got)
		}
		rows, err := f.db.Rows(ctx, "dossier_work")
		if err != nil || len(rows) != 7 {
			t.Errorf("%d inbox rows (%v), want 7", len(rows), err)
		}
	})
}

// TestInboxQueryPlan checks on each engine that an inbox query reads one
// index range per duty (and per state asked), in deadline order (no sort
// but the final one of the page's few rows), never a whole table: with a
// province's worth of open dossiers, the query must not grow with them.
// The filters the inbox offers (state, procedure, channel) are answered
// from the inbox rows (migration 34): the dossiers are read for the page
// only, while a condition the rows do not carry (the holder) still looks
// each one up.
func TestInboxQueryPlan(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newInboxFixture(t, e, 10)
		roles := []motcua.Role{motcua.RoleReception, motcua.RoleSpecialist, motcua.RoleHead, motcua.RoleLeader}
		// 6,000 open dossiers, 600 at each agency; PostgreSQL plans by
		// the table sizes, which must make reading the whole table
		// dearer than the ranges, as in a province's database.
		for chunk := range 6 {
			mustWrite(t, f.db, func(tx motcua.Tx) error {
				for i := chunk * 1000; i < (chunk+1)*1000; i++ {
					ag, k := f.agencies[i%10].ID, i/10
					w := motcua.Duty{AgencyID: ag, Role: roles[k%3]}
					if k%7 == 0 {
						w = motcua.Duty{AgencyID: ag, UserID: int64(k % 13)}
					}
					d, ev := f.dossier(k%97, w)
					if err := tx.CreateDossier(ctx, d, ev); err != nil {
						return err
					}
				}
				return nil
			})
		}
		if e == sqltest.Postgres {
			if err := f.db.Analyze(ctx); err != nil {
				t.Fatal(err)
			}
		}
		A := f.agencies[0].ID
		duties := []motcua.Duty{{AgencyID: A, Role: motcua.RoleSpecialist}, {AgencyID: A, Role: motcua.RoleHead}, {AgencyID: A, UserID: 5}}
		after := &motcua.DossierCursor{NextDueAt: f.base.Add(3 * time.Hour), ID: 40}
		const (
			pk        = "SEARCH w USING PRIMARY KEY (agency_id=? AND role=? AND user_id=? AND (next_due_at,dossier_id)>(?,?))"
			byState   = "SEARCH w USING COVERING INDEX dossier_work_state (agency_id=? AND role=? AND user_id=? AND state=? AND (next_due_at,dossier_id)>(?,?))"
			byProc    = "SEARCH w USING COVERING INDEX dossier_work_procedure (agency_id=? AND role=? AND user_id=? AND procedure_id=? AND (next_due_at,dossier_id)>(?,?))"
			pgRange   = "Index Cond: ((agency_id = "
			pgLookups = "Index Scan using dossiers_pkey on dossiers"
		)
		cases := []struct {
			name   string
			flt    motcua.DossierFilter
			ranges int    // reads of dossier_work, one per duty and state
			sqlite string // how SQLite reads each
			// look-ups of dossiers by key: the page's, and one per
			// range when a condition needs the dossier itself
			lookups int
		}{
			{"no filter", motcua.DossierFilter{}, 3, pk, 1},
			{"states", motcua.DossierFilter{States: []motcua.State{motcua.StateReceived, motcua.StateProcessing}}, 6, byState, 1},
			{"procedure", motcua.DossierFilter{ProcedureID: f.proc.ID}, 3, byProc, 1},
			{"state and channel", motcua.DossierFilter{States: []motcua.State{motcua.StateReceived}, Channel: motcua.ChannelOnline}, 3, byState, 1},
			{"channel", motcua.DossierFilter{Channel: motcua.ChannelPost}, 3, pk, 1},
			{"holder", motcua.DossierFilter{HolderAgencyIDs: []int64{A}}, 3, pk, 4},
		}
		for _, c := range cases {
			flt := c.flt
			flt.Duties, flt.After, flt.Limit = duties, after, 50
			plan, err := f.db.ExplainFindDossiers(ctx, flt)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(plan, "\n")
			count := func(sub string) int { return strings.Count(text, sub) }
			if e == sqltest.SQLite {
				// Lines are "id parent detail". Each range is read in
				// order inside its co-routine (no sort there); the only
				// sorts are of the co-routines' few rows, to merge them.
				if n := count(c.sqlite); n != c.ranges {
					t.Errorf("%s: %d reads of dossier_work as %q, want %d", c.name, n, c.sqlite, c.ranges)
				}
				if n := count("SEARCH d USING INTEGER PRIMARY KEY (rowid=?)"); n != c.lookups {
					t.Errorf("%s: %d look-ups of dossiers by key, want %d", c.name, n, c.lookups)
				}
				coroutine := map[string]bool{}
				for _, l := range plan {
					var id, parent int
					var detail string
					fmt.Sscanf(l, "%d %d", &id, &parent)
					detail = strings.SplitN(l, " ", 3)[2]
					if strings.HasPrefix(detail, "CO-ROUTINE b") {
						coroutine[fmt.Sprint(id)] = true
					}
					if strings.HasPrefix(detail, "SCAN ") && !strings.HasPrefix(detail, "SCAN b") && detail != "SCAN u" {
						t.Errorf("%s: full scan: %s", c.name, l)
					}
					if strings.HasPrefix(detail, "USE TEMP B-TREE") && coroutine[fmt.Sprint(parent)] {
						t.Errorf("%s: a range is sorted instead of read in order: %s", c.name, l)
					}
				}
			} else {
				if n := count("Seq Scan"); n != 0 {
					t.Errorf("%s: %d sequential scans", c.name, n)
				}
				// Every read of dossier_work is a range of one of its
				// indexes on (agency, role, user) and the cursor.
				if n := count(pgRange); n != c.ranges {
					t.Errorf("%s: %d index ranges of dossier_work, want %d", c.name, n, c.ranges)
				}
				if n := count(pgLookups); n != c.lookups {
					t.Errorf("%s: %d look-ups of dossiers by key, want %d", c.name, n, c.lookups)
				}
				// A state no dossier here is at (processing) is a probe
				// of the state index for each duty. (Ranges of 140 rows,
				// as the others are here, PostgreSQL may read unordered
				// and sort; a province's ranges of thousands it reads in
				// order, checked on 1.6 M dossiers: deployment.md §17.)
				if c.name == "states" {
					if n := count("Scan using dossier_work_state on dossier_work"); n < len(duties) {
						t.Errorf("%s: %d ordered reads of the state index, want at least %d", c.name, n, len(duties))
					}
				}
			}
			if t.Failed() {
				t.Logf("plan of %s on %s:\n%s", c.name, e, text)
				return
			}
		}
	})
}

// TestMigrationWritesInboxRows takes the demo province back to a schema
// without inbox rows, as databases made before them are, and migrates it
// again: the program writes the rows of the open dossiers from their
// statuses and processes, the same rows the changes themselves recorded —
// one for each of the 14 dossiers the demo leaves open (demo/scenarios.go).
func TestMigrationWritesInboxRows(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		recorded, err := db.Rows(ctx, "dossier_work")
		if err != nil {
			t.Fatal(err)
		}
		if len(recorded) != 14 {
			t.Errorf("%d inbox rows recorded, want 14", len(recorded))
		}
		if err := db.Rewind(ctx, 4, "DROP TABLE dossier_files", "DROP TABLE dossier_work"); err != nil {
			t.Fatal(err)
		}
		if err := db.CheckSchema(ctx); motcua.ErrorReason(err) != "schema_outdated" {
			t.Fatalf("schema without migration 4: %v", err)
		}
		var ran []string
		if err := db.Migrate(ctx, func(_ int, name string) { ran = append(ran, name) }); err != nil {
			t.Fatal(err)
		}
		if len(ran) < 3 || !slices.Equal(ran[:3], []string{"0004_dossier_work", "0005_procedure_search_text", "0006_dossier_files"}) {
			t.Errorf("migrations run: %v", ran)
		}
		rebuilt, err := db.Rows(ctx, "dossier_work")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rebuilt, recorded) {
			t.Errorf("inbox rows written by the migration differ from those recorded:\n%v\n%v", rebuilt, recorded)
		}
	})
}

// seedDemo returns a store on e holding the demo province.
func seedDemo(t *testing.T, e sqltest.Engine) *sqlstore.DB {
	t.Helper()
	db := sqltest.Open(t, e)
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern, SessionTTL: time.Hour}
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32},
		Service: cfg, Now: time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestMigrationRefoldsSearchText takes the demo catalogue back to the
// search texts of before (code first), migrates, and finds every
// procedure's search text as the program writes it for a new procedure,
// with the name first: the ranking of names that start with the query
// works on old databases too.
func TestMigrationRefoldsSearchText(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		written, err := db.Rows(ctx, "procedures")
		if err != nil {
			t.Fatal(err)
		}
		var birth *motcua.Procedure
		db.Read(ctx, func(tx motcua.Tx) (err error) { birth, err = tx.ProcedureByCode(ctx, "1.001193"); return err })
		if birth == nil || birth.Name != "Thủ tục đăng ký khai sinh" {
			t.Fatalf("birth registration: %+v", birth)
		}
		// The old form: code, then name and field.
		if err := db.Rewind(ctx, 5, "DROP TABLE dossier_files", "UPDATE procedures SET search_text = code || ' ' || name"); err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		refolded, err := db.Rows(ctx, "procedures")
		if err != nil {
			t.Fatal(err)
		}
		if len(refolded) != len(written) || !slices.Equal(refolded, written) {
			t.Errorf("search texts after the migration differ from those written by the program")
		}
		var found []*motcua.Procedure
		db.Read(ctx, func(tx motcua.Tx) (err error) {
			found, err = tx.FindProcedures(ctx, motcua.ProcedureFilter{Query: "đăng ký khai sinh"})
			return err
		})
		if len(found) == 0 || found[0].Code != "1.001193" {
			t.Errorf("đăng ký khai sinh after the migration: %+v", found)
		}
		var text string
		rows, _ := db.Rows(ctx, "procedures")
		for _, r := range rows {
			if strings.Contains(r, "dang ki khai sinh 1.001193 ho tich thu tuc") {
				text = r
			}
		}
		if text == "" {
			t.Errorf("no search text reads \"dang ki khai sinh 1.001193 ho tich thu tuc\"")
		}
	})
}
