package ui_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// workloadJSON is the part of GET /api/v1/workload the test reads.
type workloadJSON struct {
	Limit  int
	Agency struct {
		Open, Overdue, Staff int
		DueSoon              int `json:"due_soon"`
		Overloaded           bool
	}
	Officers []struct {
		UserID        int64 `json:"user_id"`
		Open, Overdue int
		DueSoon       int `json:"due_soon"`
		Overloaded    bool
		Suggest       []int64
	}
	Own *struct {
		UserID int64 `json:"user_id"`
	}
}

func (e *env) apiGet(who, path string, out any) int {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+e.apiToken(who))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK {
		if err := json.NewDecoder(res.Body).Decode(out); err != nil {
			e.t.Fatal(err)
		}
	}
	return res.StatusCode
}

// TestWorkloadEqualsRecount checks An Phú's workload, as the API and the
// page give it, against a recount from the dossiers themselves (whom each
// waits on, by the transition table, and its deadline); with a threshold
// of one dossier the loaded officers are flagged and a new idle colleague
// is suggested; the assignee picker shows each candidate's load; each
// person sees what the rules give them.
func TestWorkloadEqualsRecount(t *testing.T) {
	e := newEnvWith(t, func(c *service.Config) { c.WorkloadLimit = 1 })
	anPhu, _, _ := e.svc.Agency(ctx, "H99.101")
	now := testNow
	soon := e.svc.Calendar().AddWorking(now, service.DefaultWorkloadDueSoon)
	// A new specialist with nothing to do yet.
	idle, err := e.svc.CreateUser(e.as("admin"), service.NewUser{Username: "cv2.anphu", FullName: "Trương Văn Rảnh", Title: "Công chức",
		Password: "mat-khau-du-dai-123", Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleSpecialist}}})
	if err != nil {
		t.Fatal(err)
	}

	unit, perUser := e.recountWork(anPhu.ID, now, soon)
	if unit.open == 0 || len(perUser) == 0 {
		t.Fatalf("the demo gives An Phú no open work to count: %+v %v", unit, perUser)
	}

	var w workloadJSON
	if st := e.apiGet("ct.anphu", fmt.Sprintf("/api/v1/workload?agency_id=%d", anPhu.ID), &w); st != http.StatusOK {
		t.Fatalf("workload: %d", st)
	}
	if w.Agency.Open != unit.open || w.Agency.Overdue != unit.overdue || w.Agency.DueSoon != unit.soon {
		t.Errorf("An Phú: %+v; recount %+v", w.Agency, unit)
	}
	// Staff who carry dossiers: the one-stop officer and the two
	// specialists (the leader signs, and is not counted).
	if w.Agency.Staff != 3 || w.Agency.Overloaded != (float64(w.Agency.Open)/3 >= 1) {
		t.Errorf("staff %d, overloaded %v for %d open", w.Agency.Staff, w.Agency.Overloaded, w.Agency.Open)
	}
	loaded := 0
	for _, o := range w.Officers {
		c := perUser[o.UserID]
		if c == nil {
			c = &workCount{}
		}
		if o.Open != c.open || o.Overdue != c.overdue || o.DueSoon != c.soon {
			t.Errorf("officer %d: %+v; recount %+v", o.UserID, o, *c)
		}
		if o.Overloaded != (c.open >= 1) {
			t.Errorf("officer %d with %d open: overloaded %v", o.UserID, c.open, o.Overloaded)
		}
		if o.Overloaded {
			loaded++
		}
		if o.UserID == idle.ID && o.Open != 0 {
			t.Errorf("the new specialist has work: %+v", o)
		}
	}
	if len(w.Officers) != 3 || loaded == 0 {
		t.Fatalf("officers %+v", w.Officers)
	}
	var cv *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { cv, err = tx.UserByUsername(ctx, "cv.anphu"); return err })
	suggested := false
	for _, o := range w.Officers {
		if o.UserID == cv.ID && o.Overloaded {
			suggested = len(o.Suggest) > 0 && o.Suggest[0] == idle.ID
		}
	}
	if !suggested {
		t.Errorf("the loaded specialist is not offered the idle one: %+v", w.Officers)
	}

	// The page says the same to the leader; an officer sees only the
	// unit's figures and their own row.
	page := e.login("ct.anphu").get(fmt.Sprintf("/khoi-luong?don-vi=%d", anPhu.ID))
	for _, want := range []string{fmt.Sprintf("Hồ sơ đang giải quyết tại đơn vị: <strong>%d</strong>", unit.open), "Theo cán bộ", "Trương Văn Rảnh", "<svg"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the leader's page lacks %q", want)
		}
	}
	own := e.login("cv.anphu").get(fmt.Sprintf("/khoi-luong?don-vi=%d", anPhu.ID))
	if own.status != http.StatusOK || strings.Contains(own.body, "Theo cán bộ") || !strings.Contains(own.body, "Của tôi:") {
		t.Errorf("the specialist's page: %d, shows others %v", own.status, strings.Contains(own.body, "Theo cán bộ"))
	}
	if st := e.apiGet("cv.anphu", fmt.Sprintf("/api/v1/workload?agency_id=%d", anPhu.ID), &w); st != http.StatusOK || len(w.Officers) != 0 || w.Own == nil {
		t.Errorf("the specialist's API answer: %d, %d officers, own %v", st, len(w.Officers), w.Own)
	}
	if r := e.login("cv.hoabinh").get(fmt.Sprintf("/khoi-luong?don-vi=%d", anPhu.ID)); r.status != http.StatusForbidden {
		t.Errorf("another commune's officer: %d", r.status)
	}

	// The province: the supervisor sees every commune, An Phú with the
	// same figures; a commune's leader only their own.
	var prov struct {
		Agencies []struct {
			Agency     struct{ ID int64 }
			Open       int
			Overdue    int
			Overloaded bool
		}
	}
	if st := e.apiGet("giamsat.tinh", "/api/v1/workload/province", &prov); st != http.StatusOK {
		t.Fatalf("province: %d", st)
	}
	found := false
	for _, a := range prov.Agencies {
		if a.Agency.ID == anPhu.ID {
			found = a.Open == unit.open && a.Overdue == unit.overdue && a.Overloaded == w.Agency.Overloaded
		}
	}
	if !found || len(prov.Agencies) < 3 {
		t.Errorf("the province view: %+v", prov.Agencies)
	}
	if st := e.apiGet("ct.hoabinh", "/api/v1/workload/province", &prov); st != http.StatusOK || len(prov.Agencies) != 1 || prov.Agencies[0].Agency.ID == anPhu.ID {
		t.Errorf("Hòa Bình's leader's province view: %d %+v", st, prov.Agencies)
	}
	if r := e.login("giamsat.tinh").get("/khoi-luong/tinh"); !strings.Contains(r.body, "Ủy ban nhân dân xã An Phú") || !strings.Contains(r.body, "ùn tắc") {
		t.Errorf("the province page: %d", r.status)
	}
}

// workCount is a recount of open work.
type workCount struct{ open, soon, overdue int }

// recountWork counts the open work at an agency from the dossiers
// themselves: whom each waits on (motcua.DutiesOf, read off the transition
// table) and its next deadline; not from the store's work table.
func (e *env) recountWork(agencyID int64, now, soon time.Time) (workCount, map[int64]*workCount) {
	e.t.Helper()
	var unit workCount
	perUser := map[int64]*workCount{}
	add := func(c *workCount, due time.Time) {
		c.open++
		if due.Before(now) {
			c.overdue++
		} else if due.Before(soon) {
			c.soon++
		}
	}
	err := e.db.Read(ctx, func(tx motcua.Tx) error {
		f := motcua.DossierFilter{InvolvedAgencyIDs: []int64{agencyID}, Limit: 200}
		for {
			ds, err := tx.FindDossiers(ctx, f)
			if err != nil {
				return err
			}
			for _, d := range ds {
				p, err := tx.ProcedureVersion(ctx, d.ProcedureID, d.ProcedureVersion)
				if err != nil {
					return err
				}
				due := d.Status.NextDueAt()
				at := false
				for _, du := range motcua.DutiesOf(d, p) {
					if du.AgencyID != agencyID {
						continue
					}
					at = true
					if du.UserID != 0 {
						if perUser[du.UserID] == nil {
							perUser[du.UserID] = &workCount{}
						}
						add(perUser[du.UserID], due)
					}
				}
				if at {
					add(&unit, due)
				}
			}
			if len(ds) < f.Limit {
				return nil
			}
			last := ds[len(ds)-1]
			f.After = &motcua.DossierCursor{NextDueAt: last.Status.NextDueAt(), ID: last.ID}
		}
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return unit, perUser
}

// TestAssigneePickerShowsLoad opens, as the head of a department, a dossier
// waiting for assignment: each candidate in the picker carries the open
// dossiers a recount gives them.
func TestAssigneePickerShowsLoad(t *testing.T) {
	e := newEnv(t)
	dept, _, _ := e.svc.Agency(ctx, "000.00.12.H99")
	_, perUser := e.recountWork(dept.ID, testNow, testNow)
	b := e.login("tp.noivu")
	shown := 0
	for _, code := range e.dossierCodes("000.00.12.H99") {
		r := b.get("/ho-so/" + code)
		i := strings.Index(r.body, `id="assign-assignee"`)
		if i < 0 {
			continue
		}
		sel := r.body[i:]
		sel = sel[:strings.Index(sel, "</select>")]
		for _, name := range []string{"cv.noivu", "cv2.noivu"} {
			var u *motcua.User
			e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, name); return err })
			n := 0
			if c := perUser[u.ID]; c != nil {
				n = c.open
			}
			want := fmt.Sprintf(`<option value="%d">%s – %s (đang xử lý %d hồ sơ)</option>`, u.ID, u.FullName, u.Title, n)
			if !strings.Contains(sel, want) {
				t.Errorf("the picker of %s lacks %s:\n%s", code, want, sel)
			}
		}
		shown++
	}
	if shown == 0 {
		t.Fatal("no dossier of the department waits for assignment in the demo")
	}
}
