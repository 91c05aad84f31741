package main

import (
	"context"
	"slices"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
)

// TestCatalogueImportFromThePortalSimulator imports, through the adapter
// over HTTP, the national data the demo catalogue was made from: the only
// differences are time limits still to confirm (the national data words
// them "N Khác" and the demo has none), never the way the two sides write
// the same components, fees, fields, results or legal basis. A fee the
// national database then changes shows up as that procedure's one change.
func TestCatalogueImportFromThePortalSimulator(t *testing.T) {
	w := newPortalWorld(t)
	admin := w.userCtx("admin")
	run, err := w.in.app.svc.ImportCatalogue(admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, items, err := w.in.app.svc.ImportRun(admin, run.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if run.Unchanged < 30 || run.New != 0 || run.Withdrawn != 0 {
		t.Errorf("first import: %d unchanged, %d new, %d withdrawn", run.Unchanged, run.New, run.Withdrawn)
	}
	for _, it := range items {
		for _, d := range it.Diffs {
			if d.Field != "time_limit" || !it.TimeLimitToConfirm {
				t.Errorf("%s: %s differs where both sides hold the same source:\n  %q\n→ %q", it.Code, d.Field, d.Old, d.New)
			}
		}
	}

	var guardianship dvcqg.ThuTuc
	for _, p := range w.portal.Procedures() {
		if p.MaTTHC != nil && *p.MaTTHC == "1.004837" {
			guardianship = p
		}
	}
	guardianship.PhiLePhi = []string{"10.000 đồng/trường hợp (theo Nghị quyết của Hội đồng nhân dân tỉnh năm 2026)"}
	if err := w.portal.SetProcedure(guardianship); err != nil {
		t.Fatal(err)
	}
	again, err := w.in.app.svc.ImportCatalogue(admin, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, items, _ = w.in.app.svc.ImportRun(admin, again.ID, motcua.ImportChanged)
	i := slices.IndexFunc(items, func(it *motcua.ImportItem) bool { return it.Code == "1.004837" })
	if i < 0 || len(items[i].Diffs) != 1 || items[i].Diffs[0].Field != "fees" {
		t.Fatalf("after the national fee changed: %+v", items)
	}
}

// userCtx is a context signed in as a demo user of the first instance.
func (w *portalWorld) userCtx(username string) context.Context {
	w.t.Helper()
	var u *motcua.User
	if err := w.in.app.db.Read(context.Background(), func(tx motcua.Tx) (err error) {
		u, err = tx.UserByUsername(context.Background(), username)
		return err
	}); err != nil {
		w.t.Fatal(err)
	}
	return motcua.NewContextWithUser(context.Background(), u)
}
