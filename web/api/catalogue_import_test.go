package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// apiCatalogue is a national database of procedures held in memory.
type apiCatalogue struct {
	procs map[string]*motcua.NationalProcedure
	order []string
}

func (c *apiCatalogue) NationalProcedures(ctx context.Context) ([]motcua.NationalProcedureRef, error) {
	var out []motcua.NationalProcedureRef
	for _, code := range c.order {
		out = append(out, motcua.NationalProcedureRef{Code: code, Name: c.procs[code].Procedure.Name, Level: c.procs[code].Procedure.Level})
	}
	return out, ctx.Err()
}

func (c *apiCatalogue) NationalProcedure(ctx context.Context, code string) (*motcua.NationalProcedure, error) {
	p, ok := c.procs[code]
	if !ok {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "not_found", "không có")
	}
	cp := *p
	return &cp, ctx.Err()
}

func (c *apiCatalogue) NationalAgencies(ctx context.Context) ([]motcua.NationalAgency, error) {
	return []motcua.NationalAgency{{Code: "000.00.99.H99", Name: "Sở Chỉ Có Quốc Gia"}}, ctx.Err()
}

func (c *apiCatalogue) NationalFields(ctx context.Context) ([]motcua.NationalField, error) {
	return nil, ctx.Err()
}

// TestCatalogueImportAPI: without a source the import is refused with a
// machine reason; with one the province's administrator starts an import,
// reads the run (a new procedure whose time limit is "2 Khác"), accepts and
// publishes it; a counter officer is forbidden. Every response is checked
// against openapi.json.
func TestCatalogueImportAPI(t *testing.T) {
	now := vn(2025, 3, 10, 9, 0)
	off := newEnv(t, sqltest.SQLite, now)
	tok := off.login("admin")
	if r := off.call("POST", "/catalogue/imports", tok, nil, nil); r.status != http.StatusConflict || r.errorBody(t).Reason != "catalogue_source_off" {
		t.Fatalf("import without a source: %d %s", r.status, r.body)
	}

	src := &apiCatalogue{procs: map[string]*motcua.NationalProcedure{
		"9.999002": {Procedure: motcua.Procedure{Code: "9.999002", Name: "Thủ tục thử nghiệm API", Level: motcua.LevelCommune,
			Components: []motcua.Component{{Name: "Tờ khai", Originals: 1}}}, TimeLimitText: "2 Khác"},
	}, order: []string{"9.999002"}}
	e := newEnvWith(t, sqltest.SQLite, now, func(c *service.Config) { c.Catalogue = src })
	tok = e.login("admin")
	if r := e.call("POST", "/catalogue/imports", tok, nil, nil); r.status != http.StatusAccepted {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	var list struct {
		SourceConfigured bool `json:"source_configured"`
		Progress         struct {
			Running   bool
			LastRunID int64  `json:"last_run_id"`
			LastError string `json:"last_error"`
		}
		Runs []struct {
			ID, New, Withdrawn int64
			Agencies           []motcua.ListDiff
		}
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		r := e.call("GET", "/catalogue/imports", tok, nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		r.decode(t, &list)
		if !list.Progress.Running || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !list.SourceConfigured || list.Progress.LastRunID == 0 || len(list.Runs) != 1 || list.Runs[0].New != 1 || list.Runs[0].Withdrawn == 0 {
		t.Fatalf("after the import: %+v", list)
	}
	if len(list.Runs[0].Agencies) == 0 {
		t.Errorf("agency differences not listed")
	}
	run := fmt.Sprint(list.Runs[0].ID)
	r := e.call("GET", "/catalogue/imports/"+run+"?kind=new", tok, nil, nil)
	var detail struct {
		Items []struct {
			ID                    int64
			Kind                  string
			TimeLimitToConfirm    bool   `json:"time_limit_to_confirm"`
			NationalTimeLimitText string `json:"national_time_limit_text"`
			Status                string
		}
	}
	r.decode(t, &detail)
	if len(detail.Items) != 1 || !detail.Items[0].TimeLimitToConfirm || detail.Items[0].NationalTimeLimitText != "2 Khác" {
		t.Fatalf("new items: %+v", detail.Items)
	}
	item := fmt.Sprint(detail.Items[0].ID)
	if r := e.call("GET", "/catalogue/imports/"+run+"?kind=odd", tok, nil, nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown kind: %d", r.status)
	}
	if r := e.call("POST", "/catalogue/imports/"+run+"/items/"+item+"/review", tok, map[string]any{}, nil); r.status != http.StatusUnprocessableEntity {
		t.Errorf("review without a decision: %d", r.status)
	}
	if r := e.call("POST", "/catalogue/imports/"+run+"/items/"+item+"/review", tok, map[string]any{"accept": true}, nil); r.status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	r = e.call("POST", "/catalogue/imports/"+run+"/publish", tok, nil, nil)
	var pub struct {
		Published int
		Failed    []any
	}
	r.decode(t, &pub)
	if r.status != http.StatusOK || pub.Published != 1 || len(pub.Failed) != 0 {
		t.Fatalf("publish accepted: %d %s", r.status, r.body)
	}
	if r := e.call("POST", "/catalogue/imports/"+run+"/items/"+item+"/publish", tok, nil, nil); r.status != http.StatusConflict {
		t.Errorf("publishing twice: %d", r.status)
	}
	if r := e.call("DELETE", "/catalogue/imports/current", tok, nil, nil); r.status != http.StatusConflict {
		t.Errorf("cancel with nothing running: %d", r.status)
	}
	if r := e.call("GET", "/catalogue/imports/99999", tok, nil, nil); r.status != http.StatusNotFound {
		t.Errorf("missing run: %d", r.status)
	}
	officer := e.login("motcua.anphu")
	for _, c := range [][2]string{{"GET", "/catalogue/imports"}, {"POST", "/catalogue/imports"}, {"GET", "/catalogue/imports/" + run},
		{"POST", "/catalogue/imports/" + run + "/publish"}, {"POST", "/catalogue/imports/" + run + "/items/" + item + "/publish"}} {
		if r := e.call(c[0], c[1], officer, nil, nil); r.status != http.StatusForbidden {
			t.Errorf("officer %s %s: %d", c[0], c[1], r.status)
		}
	}
}
