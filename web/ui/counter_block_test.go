package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// TestCounterNeverOpensAFormItCannotReceive (issue 13, defect 1): the
// counter's search shows a procedure that cannot receive — time limit
// missing, time limit to confirm (national "N Khác"), legal basis expired
// — with the reason and who must set it, without a link to the reception
// form; opening it directly shows the reason and no form; a receivable
// procedure still opens its form.
func TestCounterNeverOpensAFormItCannotReceive(t *testing.T) {
	e := newEnv(t)
	var u *motcua.User
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "admin"); return err })
	admin := motcua.NewContextWithUser(ctx, u)
	all, err := e.svc.FindProcedures(admin, motcua.ProcedureFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var missing, toConfirm, expired *motcua.Procedure
	for _, p := range all {
		if !p.Published || p.Level != motcua.LevelCommune || p.Code == "" || p.Code == "1.001193" {
			continue
		}
		switch {
		case p.TimeLimit == nil && !p.NoTimeLimit && missing == nil:
			missing = p
		case p.TimeLimit == nil && !p.NoTimeLimit && toConfirm == nil:
			toConfirm = p
		case p.TimeLimit != nil && expired == nil:
			expired = p
		}
	}
	if missing == nil || toConfirm == nil || expired == nil {
		t.Fatalf("demo catalogue lacks the procedures this test needs")
	}
	toConfirm.TimeLimitText = "3 Khác"
	if err := e.svc.UpdateProcedure(admin, toConfirm); err != nil {
		t.Fatal(err)
	}
	end := testNow.AddDate(0, 0, -1)
	expired.LegalBasis = append(expired.LegalBasis, motcua.LegalDoc{Number: "99/2020/TT-BTP", EffectiveTo: &end})
	// Written under the store: an administrator's edit would unpublish it
	// at once, and the job may not have run yet.
	if err := e.db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, expired) }); err != nil {
		t.Fatal(err)
	}
	e.svc.DropCached(ctx, motcua.CacheKey{Kind: motcua.CacheCatalogue})
	root, _, err := e.svc.Agency(ctx, "000.00.00.H99")
	if err != nil {
		t.Fatal(err)
	}
	who := "Quản trị viên thủ tục của " + root.Name

	b := e.login("motcua.anphu")
	anPhu, points, err := e.svc.Agency(ctx, "H99.101")
	if err != nil || len(points) == 0 {
		t.Fatal("An Phú and its counter", err)
	}
	cases := []struct {
		p      *motcua.Procedure
		reason string
		words  string
	}{
		{missing, "procedure_time_limit_missing", "chưa có thời hạn giải quyết"},
		{toConfirm, "procedure_time_limit_to_confirm", "3 Khác"},
		{expired, "procedure_legal_basis_expired", "99/2020/TT-BTP"},
	}
	for _, c := range cases {
		t.Run(c.reason, func(t *testing.T) {
			r := b.get("/tiep-nhan?q=" + url.QueryEscape(c.p.Code))
			if r.status != http.StatusOK {
				t.Fatalf("search: %d", r.status)
			}
			form := fmt.Sprintf(`href="/tiep-nhan?thu-tuc=%d"`, c.p.ID)
			if strings.Contains(r.body, form) {
				t.Errorf("the search links to the reception form of %s", c.p.Code)
			}
			for _, want := range []string{"Chưa tiếp nhận được", `data-reason="` + c.reason + `"`, c.words, "Người cần cập nhật: " + who} {
				if !strings.Contains(r.body, want) {
					t.Errorf("search result lacks %q", want)
				}
			}
			r = b.get(fmt.Sprintf("/tiep-nhan?thu-tuc=%d", c.p.ID))
			if r.status != http.StatusOK {
				t.Fatalf("procedure page: %d", r.status)
			}
			for _, no := range []string{`id="reception"`, `name="applicant.full_name"`, `action="/tiep-nhan/quet"`} {
				if strings.Contains(r.body, no) {
					t.Errorf("the page of %s shows the reception form (%s)", c.p.Code, no)
				}
			}
			for _, want := range []string{`data-reason="` + c.reason + `"`, c.words, who} {
				if !strings.Contains(r.body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			// A form posted anyway is refused and not shown again.
			r = b.post("/tiep-nhan", url.Values{"thu-tuc": {fmt.Sprint(c.p.ID)}, "decision": {"receive"}, "channel": {"1"},
				"reception_point_id": {fmt.Sprint(points[0].ID)}, "competent_agency_id": {fmt.Sprint(anPhu.ID)}, "return_method": {"counter"},
				"applicant.full_name": {"Lê Văn A"}, "applicant.id_number": {"001093012345"}})
			if r.status != http.StatusConflict || strings.Contains(r.body, `id="reception"`) || !strings.Contains(r.body, c.reason) {
				t.Errorf("posting a form for %s: %d, form shown %v", c.p.Code, r.status, strings.Contains(r.body, `id="reception"`))
			}
		})
	}
	// A procedure that can receive opens its form.
	birth := e.procedureID("1.001193")
	r := b.get("/tiep-nhan?q=1.001193")
	if !strings.Contains(r.body, fmt.Sprintf(`href="/tiep-nhan?thu-tuc=%d"`, birth)) {
		t.Errorf("a receivable procedure is not linked")
	}
	if r = b.get(fmt.Sprintf("/tiep-nhan?thu-tuc=%d", birth)); !strings.Contains(r.body, `id="reception"`) || strings.Contains(r.body, "data-reason") {
		t.Errorf("a receivable procedure does not open its form")
	}

	// The job unpublishes the expired one: gone from the counter's search.
	if n, err := e.svc.UnpublishExpired(ctx); err != nil || n != 1 {
		t.Fatalf("job: %d %v", n, err)
	}
	if r := b.get("/tiep-nhan?q=" + url.QueryEscape(expired.Code)); strings.Contains(r.body, expired.Name) {
		t.Errorf("an unpublished procedure is still found at the counter")
	}
}
