package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// memCatalogue is a national database of procedures held in memory.
type memCatalogue struct {
	mu    sync.Mutex
	procs map[string]*motcua.NationalProcedure
	order []string
}

func (m *memCatalogue) NationalProcedures(ctx context.Context) ([]motcua.NationalProcedureRef, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []motcua.NationalProcedureRef
	for _, c := range m.order {
		p := m.procs[c].Procedure
		out = append(out, motcua.NationalProcedureRef{Code: c, Name: p.Name, Level: p.Level})
	}
	return out, ctx.Err()
}

func (m *memCatalogue) NationalProcedure(ctx context.Context, code string) (*motcua.NationalProcedure, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.procs[code]
	if !ok {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "not_found", "không có")
	}
	c := *p
	return &c, ctx.Err()
}

func (m *memCatalogue) NationalAgencies(ctx context.Context) ([]motcua.NationalAgency, error) {
	return nil, ctx.Err()
}

func (m *memCatalogue) NationalFields(ctx context.Context) ([]motcua.NationalField, error) {
	return nil, ctx.Err()
}

// TestCatalogueImportPages: without a source the import button is off and
// says why; with one, an administrator of the province starts an import,
// reads the changed procedure's differences, accepts it and publishes the
// accepted ones; a counter officer may not see the pages.
func TestCatalogueImportPages(t *testing.T) {
	off := newEnv(t)
	admin := off.login("admin")
	r := admin.get("/quan-tri/nhap-danh-muc")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Chưa kết nối Cổng Dịch vụ công quốc gia") || !strings.Contains(r.body, "disabled") {
		t.Fatalf("page without a source: %d", r.status)
	}
	if r := admin.post("/quan-tri/nhap-danh-muc", url.Values{}); r.status != http.StatusConflict {
		t.Errorf("starting without a source: %d", r.status)
	}

	src := &memCatalogue{procs: map[string]*motcua.NationalProcedure{}}
	e := newEnvWith(t, func(c *service.Config) { c.Catalogue = src })
	var u *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "admin"); return err })
	all, err := e.svc.FindProcedures(motcua.NewContextWithUser(ctx, u), motcua.ProcedureFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range all {
		if p.Code == "" || !p.Published || (p.Level != motcua.LevelCommune && p.Level != motcua.LevelProvince) {
			continue
		}
		n := motcua.Procedure{Code: p.Code, Name: p.Name, FieldCode: p.FieldCode, FieldName: p.FieldName, Level: p.Level,
			ServiceLevel: p.ServiceLevel, TimeLimit: p.TimeLimit, NoTimeLimit: p.NoTimeLimit, Components: p.Components,
			Fees: p.Fees, Results: p.Results, LegalBasis: p.LegalBasis}
		if p.Code == "1.004837" {
			n.Name += " (sửa đổi)"
		}
		np := &motcua.NationalProcedure{Procedure: n}
		if p.TimeLimitText != "" { // the national data words it; the province confirmed it
			np.Procedure.TimeLimit, np.TimeLimitText = nil, p.TimeLimitText
		}
		src.procs[p.Code] = np
		src.order = append(src.order, p.Code)
	}
	admin = e.login("admin")
	if r := admin.post("/quan-tri/nhap-danh-muc", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	as := motcua.NewContextWithUser(ctx, u)
	deadline := time.Now().Add(20 * time.Second)
	var prog service.ImportProgress
	for {
		if prog, _ = e.svc.CatalogueImportProgress(as); !prog.Running || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if prog.Running || prog.LastRunID == 0 || prog.LastError != "" || prog.Done != len(src.order) {
		t.Fatalf("import: %+v", prog)
	}
	run := "/quan-tri/nhap-danh-muc/" + itoa(prog.LastRunID)
	for _, path := range []string{"/quan-tri/nhap-danh-muc", run, run + "?loai=khong-doi", run + "?loai=moi", run + "?loai=bai-bo"} {
		r := admin.get(path)
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		doc, err := html.Parse(strings.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		checkPage(t, doc, r.body)
	}
	r = admin.get(run)
	name := src.procs["1.004837"].Procedure.Name
	if !strings.Contains(r.body, "Thay đổi (1)") || !strings.Contains(r.body, html.EscapeString(name)) ||
		!strings.Contains(r.body, html.EscapeString(strings.TrimSuffix(name, " (sửa đổi)"))) {
		t.Fatalf("the changed procedure and its old and new names are not shown:\n%s", between(r.body, "<main", "</main>"))
	}
	itemID := between(r.body, `action="`+run+`/muc/`, `"`)
	if itemID == "" {
		t.Fatal("no action form for the changed item")
	}
	if r := admin.post(run+"/muc/"+itemID, url.Values{"thao-tac": {"chap-nhan"}}); r.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	r = admin.post(run+"/cap-nhat-tat-ca", url.Values{})
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "da-cap-nhat=1") {
		t.Fatalf("publish accepted: %d %s", r.status, r.header.Get("Location"))
	}
	if r = admin.get(r.header.Get("Location")); !strings.Contains(r.body, "Đã cập nhật 1 thủ tục") || !strings.Contains(r.body, "Đã tạo phiên bản mới") {
		t.Errorf("page after publishing lacks the outcome")
	}
	if p, err := e.svc.ProcedureByCode(ctx, "1.004837"); err != nil || p.Name != name {
		t.Errorf("the procedure after publishing: %v %v", p, err)
	}
	officer := e.login("motcua.anphu")
	for _, path := range []string{"/quan-tri/nhap-danh-muc", run} {
		if r := officer.get(path); r.status != http.StatusForbidden {
			t.Errorf("an officer reads %s: %d", path, r.status)
		}
	}
	if r := officer.post("/quan-tri/nhap-danh-muc", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("an officer starts an import: %d", r.status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}
