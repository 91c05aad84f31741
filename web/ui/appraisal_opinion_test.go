package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAppraisalOpinionAndIcon (issue 13, defect 10): the specialist's
// form that finishes the appraisal takes the appraisal opinion, which the
// history then shows; /favicon.ico is the site's icon, not a 404.
func TestAppraisalOpinionAndIcon(t *testing.T) {
	e := newEnv(t)
	d, _, _ := appraising(t, e)
	cv := e.login("cv.anphu")
	page := cv.get("/ho-so/" + d.Code).body
	i := strings.Index(page, `class="act forward"`)
	if i < 0 || !strings.Contains(page[i:i+strings.Index(page[i:], "</form>")], `<label for="forward-reason">Ý kiến thẩm định`) {
		t.Fatalf("the appraisal's forward form has no field for the opinion")
	}
	opinion := "Hồ sơ đủ điều kiện; đề nghị công nhận giám hộ."
	if r := cv.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"forward"}, "reason": {opinion}}); r.status != http.StatusSeeOther {
		t.Fatalf("forward: %d\n%s", r.status, r.body)
	}
	if page = e.login("motcua.anphu").get("/ho-so/" + d.Code).body; !strings.Contains(page, opinion) {
		t.Errorf("the history does not show the appraisal opinion")
	}

	r := e.browser().get("/favicon.ico")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(r.body, "<svg") {
		t.Errorf("/favicon.ico: %d %s", r.status, r.header.Get("Content-Type"))
	}
}
