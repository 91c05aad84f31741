package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// TestRefusalShownWhereTheOfficerLooks (issue 13, defect 7): after a
// supplement round the specialist's page says why a second request is not
// offered instead of leaving it out; a second request posted anyway comes
// back at the actions (the form's address ends in #thao-tac, so the
// browser scrolls there) with the reason at the top of that section.
func TestRefusalShownWhereTheOfficerLooks(t *testing.T) {
	e := newEnv(t)
	d, _, specialist := appraising(t, e)
	var asked int64
	for _, c := range d.Components {
		if !c.FromNationalDB {
			asked = c.ComponentID
			break
		}
	}
	if _, err := e.svc.Act(specialist, d.Code, service.ActInput{Action: motcua.ActRequestSupplement,
		Reason: "Bản sao chưa chứng thực.", Missing: []int64{asked}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(asUser(t, e, "motcua.anphu"), d.Code, service.ActInput{Action: motcua.ActSupplementReceived}); err != nil {
		t.Fatal(err)
	}
	cv := e.login("cv.anphu")
	page := cv.get("/ho-so/" + d.Code).body
	section := func(page string) string {
		i := strings.Index(page, `<section class="card" id="thao-tac">`)
		if i < 0 {
			t.Fatalf("no actions section:\n%s", page)
		}
		return page[i : i+strings.Index(page[i:], "</section>")]
	}
	acts := section(page)
	if strings.Contains(acts, `value="request_supplement"`) {
		t.Fatal("a second supplement request is offered")
	}
	if !strings.Contains(acts, "<strong>Yêu cầu bổ sung hồ sơ</strong>: Hồ sơ đã được yêu cầu bổ sung") {
		t.Errorf("the page does not say why a second supplement request is not offered:\n%s", acts)
	}
	if !strings.Contains(acts, `action="/ho-so/`+d.Code+`/thao-tac#thao-tac"`) {
		t.Errorf("the action forms do not bring the answer back at the actions")
	}
	r := cv.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"request_supplement"}, "reason": {"Thiếu thêm."}, "missing": {fmt.Sprint(asked)}})
	if r.status != http.StatusConflict {
		t.Fatalf("second request: %d", r.status)
	}
	acts = section(r.body)
	alert := strings.Index(acts, `<div class="alert" role="alert"><p>Hồ sơ đã được yêu cầu bổ sung`)
	if alert < 0 || alert > strings.Index(acts, "<form") && strings.Contains(acts, "<form") {
		t.Errorf("the refusal is not at the top of the actions section:\n%s", acts)
	}
}
