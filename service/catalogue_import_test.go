package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// fakeCatalogue is an in-memory national database of procedures, for
// testing the import above the motcua.CatalogueSource interface.
type fakeCatalogue struct {
	mu       sync.Mutex
	refs     []motcua.NationalProcedureRef
	procs    map[string]*motcua.NationalProcedure
	agencies []motcua.NationalAgency
	fields   []motcua.NationalField
	fetched  int
	onFetch  func(n int) // called after each procedure is read
}

func (c *fakeCatalogue) NationalProcedures(ctx context.Context) ([]motcua.NationalProcedureRef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]motcua.NationalProcedureRef(nil), c.refs...), ctx.Err()
}

func (c *fakeCatalogue) NationalProcedure(ctx context.Context, code string) (*motcua.NationalProcedure, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	p, ok := c.procs[code]
	c.fetched++
	n, hook := c.fetched, c.onFetch
	c.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	if !ok {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "not_found", "không có")
	}
	return clone(p), nil
}

func (c *fakeCatalogue) NationalAgencies(ctx context.Context) ([]motcua.NationalAgency, error) {
	return c.agencies, ctx.Err()
}

func (c *fakeCatalogue) NationalFields(ctx context.Context) ([]motcua.NationalField, error) {
	return c.fields, ctx.Err()
}

// put adds or replaces a national procedure and its line in the list.
func (c *fakeCatalogue) put(np *motcua.NationalProcedure) {
	c.mu.Lock()
	defer c.mu.Unlock()
	code := np.Procedure.Code
	c.procs[code] = np
	for i := range c.refs {
		if c.refs[i].Code == code {
			c.refs[i].Name, c.refs[i].Withdrawn = np.Procedure.Name, np.Withdrawn
			return
		}
	}
	c.refs = append(c.refs, motcua.NationalProcedureRef{Code: code, Name: np.Procedure.Name, Level: np.Procedure.Level, Withdrawn: np.Withdrawn})
}

// drop removes a procedure from the national list.
func (c *fakeCatalogue) drop(code string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.procs, code)
	for i := range c.refs {
		if c.refs[i].Code == code {
			c.refs = append(c.refs[:i], c.refs[i+1:]...)
			return
		}
	}
}

func clone[T any](v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return &out
}

// nationalOf is a procedure as the national database would publish it:
// the published facts only.
func nationalOf(p *motcua.Procedure) *motcua.NationalProcedure {
	c := clone(p)
	n := motcua.Procedure{Code: c.Code, Name: c.Name, FieldCode: c.FieldCode, FieldName: c.FieldName, Level: c.Level,
		ServiceLevel: c.ServiceLevel, TimeLimit: c.TimeLimit, NoTimeLimit: c.NoTimeLimit, Components: c.Components,
		Fees: c.Fees, Results: c.Results, LegalBasis: c.LegalBasis}
	return &motcua.NationalProcedure{Procedure: n, TimeLimitText: c.TimeLimitText}
}

// mirror fills src with the fixture's current catalogue (province and
// commune procedures with a code) and agencies, so that an import finds
// nothing changed until the test changes src.
func mirror(t *testing.T, f *fixture, src *fakeCatalogue) {
	t.Helper()
	ps, err := f.svc.FindProcedures(f.as("admin"), motcua.ProcedureFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	src.procs = map[string]*motcua.NationalProcedure{}
	src.refs = nil
	for _, p := range ps {
		if p.Code != "" && p.Published && (p.Level == motcua.LevelCommune || p.Level == motcua.LevelProvince) {
			src.put(nationalOf(p))
		}
	}
	idx, err := f.svc.AgencyIndex(ctx)
	if err != nil {
		t.Fatal(err)
	}
	src.agencies = nil
	for _, a := range idx {
		src.agencies = append(src.agencies, motcua.NationalAgency{Code: a.Code, Name: a.Name})
	}
}

func itemsByCode(items []*motcua.ImportItem) map[string]*motcua.ImportItem {
	m := map[string]*motcua.ImportItem{}
	for _, it := range items {
		m[it.Code] = it
	}
	return m
}

// TestCatalogueImportReviewAndPublish imports a national catalogue with a
// new procedure (time limit only in words), a changed one, one whose
// confirmed limit the national data gives only as "1 Khác", one with no
// limit locally and "5 Khác" nationally, one abolished and one absent;
// publishes them and checks the versions, what the province set is kept,
// the audit, and that importing again finds nothing changed.
func TestCatalogueImportReviewAndPublish(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		src := &fakeCatalogue{}
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Catalogue = src })
		admin := f.as("admin")
		// The province's own process for guardianship, to be kept.
		g, err := f.svc.ProcedureByCode(admin, "1.004837")
		if err != nil {
			t.Fatal(err)
		}
		g.Process.Steps[0].Name = "Thẩm định hồ sơ (quy trình của tỉnh)"
		if err := f.svc.UpdateProcedure(admin, g); err != nil {
			t.Fatal(err)
		}
		mirror(t, f, src)
		all, _ := f.svc.FindProcedures(admin, motcua.ProcedureFilter{Limit: 500})
		var noLimit, abolished, absent *motcua.Procedure
		for _, p := range all {
			if !p.Published || p.Code == "" || p.Level != motcua.LevelCommune || p.Code == "1.004837" || p.Code == "1.001193" {
				continue
			}
			switch {
			case p.TimeLimit == nil && !p.NoTimeLimit && p.TimeLimitText == "" && noLimit == nil:
				noLimit = p
			case p.TimeLimit != nil && abolished == nil:
				abolished = p
			case p.TimeLimit != nil && absent == nil:
				absent = p
			}
		}
		if noLimit == nil || abolished == nil || absent == nil {
			t.Fatalf("demo catalogue lacks the procedures this test needs: %v %v %v", noLimit, abolished, absent)
		}

		fresh := &motcua.NationalProcedure{Procedure: motcua.Procedure{Code: "9.999001", Name: "Thủ tục thử nghiệm mới", Level: motcua.LevelCommune,
			FieldName: "HỘ TỊCH", Components: []motcua.Component{{Name: "Tờ khai", Originals: 1}}}, TimeLimitText: "3 Khác"}
		src.put(fresh)
		changed := nationalOf(g)
		changed.Procedure.Name += " (sửa đổi)"
		fee := int64(15000)
		changed.Procedure.Fees = []motcua.Fee{{Name: "Lệ phí", Amount: &fee}}
		changed.Procedure.Components = append(changed.Procedure.Components, motcua.Component{Name: "Giấy tờ mới bổ sung", Originals: 1, Mandatory: true})
		src.put(changed)
		birth, _ := f.svc.ProcedureByCode(admin, "1.001193")
		words := nationalOf(birth)
		words.Procedure.TimeLimit, words.TimeLimitText = nil, "1 Khác"
		src.put(words)
		nl := nationalOf(noLimit)
		nl.TimeLimitText = "5 Khác"
		src.put(nl)
		ab := nationalOf(abolished)
		ab.Withdrawn = true
		src.put(ab)
		src.drop(absent.Code)
		src.agencies = append(src.agencies, motcua.NationalAgency{Code: "H99.999", Name: "UBND xã Chỉ Có Quốc Gia"})

		var ticks []int
		run, err := f.svc.ImportCatalogue(admin, func(done, total int) { ticks = append(ticks, done) })
		if err != nil {
			t.Fatal(err)
		}
		if len(ticks) != len(src.refs) || ticks[len(ticks)-1] != len(src.refs) {
			t.Errorf("progress ticks %d for %d procedures", len(ticks), len(src.refs))
		}
		if run.New != 1 || run.Changed != 3 || run.Withdrawn != 2 || run.Unchanged != len(src.refs)-1-3-1 || run.ToConfirm != 3 {
			t.Fatalf("run counts: new %d changed %d withdrawn %d unchanged %d to confirm %d (national %d)",
				run.New, run.Changed, run.Withdrawn, run.Unchanged, run.ToConfirm, len(src.refs))
		}
		if !hasListDiff(run.Agencies, "H99.999", "missing_local") {
			t.Errorf("agency only nationally not listed: %+v", run.Agencies)
		}
		_, items, err := f.svc.ImportRun(admin, run.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		by := itemsByCode(items)
		if by["9.999001"].Kind != motcua.ImportNew || !by["9.999001"].TimeLimitToConfirm {
			t.Errorf("new item: %+v", by["9.999001"])
		}
		gi := by["1.004837"]
		if gi.Kind != motcua.ImportChanged || !hasDiff(gi.Diffs, "name") || !hasDiff(gi.Diffs, "fees") || !hasDiff(gi.Diffs, "components") || hasDiff(gi.Diffs, "time_limit") {
			t.Errorf("changed item diffs: %+v", gi.Diffs)
		}
		for _, d := range gi.Diffs {
			if d.Field == "name" && (d.Old != g.Name || d.New != g.Name+" (sửa đổi)") {
				t.Errorf("name diff old %q new %q", d.Old, d.New)
			}
		}
		if bi := by["1.001193"]; bi.Kind != motcua.ImportChanged || !hasDiff(bi.Diffs, "time_limit") || len(bi.Diffs) != 1 {
			t.Errorf("birth item: %+v", bi)
		}
		if by[abolished.Code].Kind != motcua.ImportWithdrawn || by[absent.Code].Kind != motcua.ImportWithdrawn {
			t.Errorf("withdrawn: %v %v", by[abolished.Code], by[absent.Code])
		}
		_, onlyNew, _ := f.svc.ImportRun(admin, run.ID, motcua.ImportNew)
		if len(onlyNew) != 1 {
			t.Errorf("filter by kind: %d new items", len(onlyNew))
		}

		// Publish: one by one, then every accepted one at once.
		if _, err := f.svc.PublishImportItem(admin, run.ID, by["9.999001"].ID); err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{"1.004837", "1.001193", noLimit.Code, abolished.Code, absent.Code} {
			if _, err := f.svc.ReviewImportItem(admin, run.ID, by[code].ID, true); err != nil {
				t.Fatal(code, err)
			}
		}
		if _, err := f.svc.ReviewImportItem(admin, run.ID, itemOfKind(items, motcua.ImportUnchanged).ID, true); motcua.ErrorReason(err) != "import_item_unchanged" {
			t.Errorf("reviewing an unchanged item: %v", err)
		}
		res, err := f.svc.PublishAccepted(admin, run.ID)
		if err != nil || res.Published != 5 || len(res.Failed) != 0 {
			t.Fatalf("publish accepted: %+v %v", res, err)
		}

		nu, err := f.svc.ProcedureByCode(admin, "9.999001")
		if err != nil || nu.Published || nu.TimeLimit != nil || nu.TimeLimitText != "3 Khác" || len(nu.Process.Steps) == 0 {
			t.Fatalf("new procedure: %+v %v", nu, err)
		}
		if motcua.ErrorReason(nu.CanReceive(vn(2025, 3, 10, 9, 0))) != "procedure_unpublished" {
			t.Errorf("a new procedure receives at once")
		}
		g2, _ := f.svc.ProcedureByCode(admin, "1.004837")
		if g2.Version != g.Version+1 || g2.Name != g.Name+" (sửa đổi)" || g2.Process.Steps[0].Name != "Thẩm định hồ sơ (quy trình của tỉnh)" || !g2.Published {
			t.Errorf("changed procedure: version %d→%d name %q step %q published %v", g.Version, g2.Version, g2.Name, g2.Process.Steps[0].Name, g2.Published)
		}
		if g2.FeeTotal() != 15000 || len(g2.Components) != len(g.Components)+1 || g2.Components[0].ID != g.Components[0].ID {
			t.Errorf("changed facts: fee %d components %d (ids %d/%d)", g2.FeeTotal(), len(g2.Components), g2.Components[0].ID, g.Components[0].ID)
		}
		b2, _ := f.svc.ProcedureByCode(admin, "1.001193")
		if b2.TimeLimit == nil || b2.TimeLimit.String() != birth.TimeLimit.String() || b2.TimeLimitText != "1 Khác" || b2.CanReceive(vn(2025, 3, 10, 9, 0)) != nil {
			t.Errorf("a confirmed time limit was not kept: %+v text %q", b2.TimeLimit, b2.TimeLimitText)
		}
		n2, _ := f.svc.ProcedureByCode(admin, noLimit.Code)
		if err := n2.CanReceive(vn(2025, 3, 10, 9, 0)); motcua.ErrorReason(err) != "procedure_time_limit_to_confirm" || !strings.Contains(motcua.ErrorMessage(err), "5 Khác") {
			t.Errorf("time limit to confirm: %v", err)
		}
		for _, code := range []string{abolished.Code, absent.Code} {
			if _, err := f.svc.ProcedureByCode(ctx, code); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("withdrawn %s still public: %v", code, err)
			}
		}
		if n := len(f.auditsOf(motcua.AuditCataloguePublish)); n != 6 {
			t.Errorf("%d publications audited, want 6", n)
		}
		if n := len(f.auditsOf(motcua.AuditCatalogueImport)); n != 1 {
			t.Errorf("%d imports audited, want 1", n)
		}
		if _, err := f.svc.PublishImportItem(admin, run.ID, by["1.004837"].ID); motcua.ErrorReason(err) != "import_item_published" {
			t.Errorf("publishing twice: %v", err)
		}

		// Nothing changed since: only unchanged (the new procedure included).
		run2, err := f.svc.ImportCatalogue(admin, nil)
		if err != nil {
			t.Fatal(err)
		}
		if run2.New != 0 || run2.Changed != 0 || run2.Withdrawn != 0 || run2.Unchanged != len(src.refs)-1 {
			_, items2, _ := f.svc.ImportRun(admin, run2.ID, motcua.ImportChanged)
			for _, it := range items2 {
				t.Logf("still changed: %s %+v", it.Code, it.Diffs)
			}
			t.Fatalf("second import: new %d changed %d withdrawn %d unchanged %d of %d", run2.New, run2.Changed, run2.Withdrawn, run2.Unchanged, len(src.refs))
		}
	})
}

// TestCatalogueImportStaleItem: a procedure edited after the import is not
// overwritten by the import's older comparison.
func TestCatalogueImportStaleItem(t *testing.T) {
	src := &fakeCatalogue{}
	f := newFixture(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Catalogue = src })
	admin := f.as("admin")
	mirror(t, f, src)
	g, _ := f.svc.ProcedureByCode(admin, "1.004837")
	ch := nationalOf(g)
	ch.Procedure.Name += " (sửa đổi)"
	src.put(ch)
	run, err := f.svc.ImportCatalogue(admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, items, _ := f.svc.ImportRun(admin, run.ID, motcua.ImportChanged)
	if len(items) != 1 {
		t.Fatalf("%d changed", len(items))
	}
	g.Notes = "sửa tay sau lần nhập"
	if err := f.svc.UpdateProcedure(admin, g); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.PublishImportItem(admin, run.ID, items[0].ID); motcua.ErrorReason(err) != "import_item_stale" {
		t.Fatalf("publishing over a later edit: %v", err)
	}
}

// TestCatalogueImportRootAdminOnly: a commune's administrator and an
// officer may neither import nor publish; without a source the import is
// off.
func TestCatalogueImportRootAdminOnly(t *testing.T) {
	src := &fakeCatalogue{}
	f := newFixture(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Catalogue = src })
	mirror(t, f, src)
	qt, err := f.svc.CreateUser(f.as("admin"), service.NewUser{Username: "qt.anphu", FullName: "Quản Trị Xã", Password: "MotCua@2026xx",
		Grants: []motcua.Grant{{AgencyID: f.agency("H99.101").ID, Role: motcua.RoleAdmin}}})
	if err != nil {
		t.Fatal(err)
	}
	f.users[qt.Username] = qt
	run, err := f.svc.ImportCatalogue(f.as("admin"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"qt.anphu", "motcua.anphu"} {
		if _, err := f.svc.ImportCatalogue(f.as(who), nil); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("%s imports: %v", who, err)
		}
		if _, err := f.svc.PublishImportItem(f.as(who), run.ID, 1); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("%s publishes: %v", who, err)
		}
		if _, err := f.svc.PublishAccepted(f.as(who), run.ID); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("%s publishes all: %v", who, err)
		}
		if _, _, err := f.svc.ImportRun(f.as(who), run.ID, ""); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("%s reads a run: %v", who, err)
		}
	}
	if _, err := f.svc.ImportCatalogue(ctx, nil); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
		t.Errorf("anonymous import: %v", err)
	}
	off := service.New(f.db, f.svc.Calendar(), cheap, f.cfg)
	if _, err := off.ImportCatalogue(f.as("admin"), nil); err != nil {
		t.Fatal("the fixture's config has a source:", err)
	}
	cfg := f.cfg
	cfg.Catalogue = nil
	off = service.New(f.db, f.svc.Calendar(), cheap, cfg)
	if _, err := off.ImportCatalogue(f.as("admin"), nil); motcua.ErrorReason(err) != "catalogue_source_off" || off.CatalogueSourceOn() {
		t.Errorf("import without a source: %v", err)
	}
}

// TestCatalogueImportCancelled: an import cancelled half-way stores no run
// and no item; the background import reports progress and can be
// cancelled.
func TestCatalogueImportCancelled(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		src := &fakeCatalogue{}
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Catalogue = src })
		mirror(t, f, src)
		cctx, cancel := context.WithCancel(f.as("admin"))
		defer cancel()
		src.onFetch = func(n int) {
			if n == len(src.refs)/2 {
				cancel()
			}
		}
		if _, err := f.svc.ImportCatalogue(cctx, nil); motcua.ErrorReason(err) != "import_cancelled" {
			t.Fatalf("cancelled import: %v", err)
		}
		runs, err := f.svc.ImportRuns(f.as("admin"))
		if err != nil || len(runs) != 0 {
			t.Fatalf("runs after a cancelled import: %d %v", len(runs), err)
		}
		if n := len(f.auditsOf(motcua.AuditCatalogueImport)); n != 0 {
			t.Errorf("a cancelled import audited %d times", n)
		}

		// In the background: started, seen running, cancelled, nothing kept.
		src.mu.Lock()
		src.fetched = 0
		src.mu.Unlock()
		started, release := make(chan struct{}), make(chan struct{})
		src.onFetch = func(n int) {
			if n == 3 {
				close(started)
				<-release
			}
		}
		admin := f.as("admin")
		if err := f.svc.StartCatalogueImport(admin); err != nil {
			t.Fatal(err)
		}
		<-started
		if err := f.svc.StartCatalogueImport(admin); motcua.ErrorReason(err) != "import_running" {
			t.Errorf("a second import at once: %v", err)
		}
		p, _ := f.svc.CatalogueImportProgress(admin)
		if !p.Running || p.Done != 2 || p.Total != len(src.refs) {
			t.Errorf("progress while running: %+v", p)
		}
		if err := f.svc.CancelCatalogueImport(admin); err != nil {
			t.Fatal(err)
		}
		close(release)
		for i := 0; ; i++ {
			if p, _ = f.svc.CatalogueImportProgress(admin); !p.Running {
				break
			}
			if i > 5000 {
				t.Fatal("the cancelled import did not stop")
			}
			sleepMs(1)
		}
		if p.LastRunID != 0 || p.LastError == "" {
			t.Errorf("after cancelling: %+v", p)
		}
		if runs, _ := f.svc.ImportRuns(admin); len(runs) != 0 {
			t.Errorf("%d runs kept by a cancelled background import", len(runs))
		}
	})
}

func hasDiff(ds []motcua.FieldDiff, field string) bool {
	for _, d := range ds {
		if d.Field == field {
			return true
		}
	}
	return false
}

func hasListDiff(ds []motcua.ListDiff, code, kind string) bool {
	for _, d := range ds {
		if d.Code == code && d.Kind == kind {
			return true
		}
	}
	return false
}

func itemOfKind(items []*motcua.ImportItem, k motcua.ImportKind) *motcua.ImportItem {
	for _, it := range items {
		if it.Kind == k {
			return it
		}
	}
	return nil
}

func (f *fixture) auditsOf(action string) []*motcua.AuditEntry {
	f.t.Helper()
	var out []*motcua.AuditEntry
	if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) {
		out, err = tx.AuditEntries(ctx, motcua.AuditFilter{Action: action, Limit: 1000})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return out
}

func sleepMs(n int) { time.Sleep(time.Duration(n) * time.Millisecond) }
