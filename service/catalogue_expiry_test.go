package service_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestUnpublishExpiredOnCatalogue runs the job on the demo catalogue with
// two procedures whose legal basis ends: before the end nothing changes;
// after it both leave the public catalogue and the counter's search, the
// run is audited once with the count, and a second run changes nothing.
func TestUnpublishExpiredOnCatalogue(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		end := vn(2025, 3, 12, 0, 0)
		var codes []string
		for _, code := range []string{"1.004837", "1.001193"} {
			p, err := f.svc.ProcedureByCode(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			p.LegalBasis = append(p.LegalBasis, motcua.LegalDoc{Number: "99/2020/TT-BTP", EffectiveTo: &end})
			if err := f.db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, p) }); err != nil {
				t.Fatal(err)
			}
			codes = append(codes, code)
		}
		if n, err := f.svc.UnpublishExpired(ctx); err != nil || n != 0 {
			t.Fatalf("before the end: %d %v", n, err)
		}
		if n := len(f.auditsOf(motcua.AuditCatalogueExpired)); n != 0 {
			t.Errorf("a run that changed nothing was audited")
		}
		f.set(vn(2025, 3, 12, 8, 0))
		// Before the job runs the counter still finds them, marked.
		hits, err := f.svc.SearchProcedures(f.as("motcua.anphu"), service.SearchQuery{Text: "1.004837"})
		if err != nil || len(hits) == 0 || hits[0].Blocked == nil || hits[0].Blocked.Reason != "procedure_legal_basis_expired" {
			t.Fatalf("search before the job: %+v %v", hits, err)
		}
		if n, err := f.svc.UnpublishExpired(ctx); err != nil || n != 2 {
			t.Fatalf("after the end: %d %v", n, err)
		}
		audits := f.auditsOf(motcua.AuditCatalogueExpired)
		if len(audits) != 1 || !strings.HasPrefix(audits[0].Detail, "2 thủ tục") || !strings.Contains(audits[0].Detail, "1.004837") {
			t.Fatalf("audit of the job: %+v", audits)
		}
		for _, code := range codes {
			if _, err := f.svc.ProcedureByCode(ctx, code); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("%s still public: %v", code, err)
			}
			hits, err := f.svc.SearchProcedures(f.as("motcua.anphu"), service.SearchQuery{Text: code})
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				if h.Procedure.Code == code {
					t.Errorf("%s still found at the counter", code)
				}
			}
			list, _ := f.svc.FindProcedures(ctx, motcua.ProcedureFilter{Query: code})
			if len(list) != 0 {
				t.Errorf("%s still in the public catalogue", code)
			}
		}
		if n, err := f.svc.UnpublishExpired(ctx); err != nil || n != 0 {
			t.Errorf("second run: %d %v", n, err)
		}
		if n := len(f.auditsOf(motcua.AuditCatalogueExpired)); n != 1 {
			t.Errorf("%d audits after a second run that changed nothing", n)
		}
	})
}
