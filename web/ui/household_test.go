package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua/popdb"
)

// TestCounterHousehold: once an administrator marks a component of Đăng ký
// khai sinh as household data, the counter's lookup also asks the register
// for the household and shows its head and members; the reception keeps
// the household in the dossier with the residence.
func TestCounterHousehold(t *testing.T) {
	e, s := popEnv(t)
	p, err := e.svc.ProcedureByCode(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Components {
		if p.Components[i].FromNationalDB {
			p.Components[i].Household = true
		}
	}
	if err := e.svc.UpdateProcedure(e.as("admin"), p); err != nil {
		t.Fatal(err)
	}
	c := adult(s)
	b := e.login("motcua.anphu")
	form := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "phone": "0912345678"})
	r := b.post("/tiep-nhan/tra-cuu-dan-cu", form)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="ho-gia-dinh"`) {
		t.Fatalf("lookup without the household: %d", r.status)
	}
	calls := s.Calls()
	if calls[len(calls)-1].Service != popdb.ServiceHousehold {
		t.Errorf("the register was not asked for the household: %+v", calls[len(calls)-1])
	}
	if !strings.Contains(r.body, "Chủ hộ") {
		t.Error("no head of household shown")
	}
	got, tok := formOf(r.body)
	for k, v := range got {
		form.Set(k, v)
	}
	form.Set("applicant.gender", map[string]string{"1": "Nam", "2": "Nữ"}[c.GioiTinh])
	form.Set("lookup_token", tok)
	form.Set("decision", "receive")
	r = b.post("/tiep-nhan", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("receive: %d\n%s", r.status, r.body)
	}
	d := dossierByCode(t, e, strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/ho-so/"))
	h := d.Applicant.Register
	if h == nil || h.Household == nil || len(h.Household.Members) == 0 {
		t.Fatalf("the dossier does not keep the household: %+v", h)
	}
	in := false
	for _, m := range h.Household.Members {
		in = in || m.IDNumber == c.SoDinhDanh
	}
	if !in {
		t.Errorf("the applicant is not a member of the kept household: %+v", h.Household)
	}
}
