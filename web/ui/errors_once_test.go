package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormMessagesShownOnce (issue 13, defect 2): a message that belongs
// to a field is shown next to that field and nowhere else on the page (not
// again in the summary above the form), and no page shows the log form of
// an error.
func TestFormMessagesShownOnce(t *testing.T) {
	e := newEnv(t)
	anPhu, points, _ := e.svc.Agency(ctx, "H99.101")
	p, _ := e.svc.ProcedureByCode(ctx, "1.004837")
	v := url.Values{"thu-tuc": {fmt.Sprint(p.ID)}, "idem": {"k1"}, "reception_point_id": {fmt.Sprint(points[0].ID)},
		"competent_agency_id": {fmt.Sprint(anPhu.ID)}, "channel": {"1"}, "return_method": {"counter"}, "decision": {"receive"},
		"applicant.id_kind": {"personal_id"}, "applicant.id_number": {"12345"}, "applicant.full_name": {"Lê Văn An"},
		"applicant.phone": {"09-abc"}, "applicant.source": {"typed"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			v.Add("nop", fmt.Sprint(c.ID))
		}
	}
	b := e.login("motcua.anphu")
	r := b.post("/tiep-nhan", v)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", r.status)
	}
	once := func(page, says string) {
		t.Helper()
		if n := strings.Count(page, says); n != 1 {
			t.Errorf("%q shown %d times, want once", says, n)
		}
	}
	once(r.body, "12 chữ số")
	once(r.body, "bắt đầu bằng số 0")
	once(r.body, "Thông tin hồ sơ chưa hợp lệ")

	if strings.Contains(r.body, "motcua error") {
		t.Errorf("page shows the log form of an error")
	}
}
