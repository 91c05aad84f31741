package ui_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// TestAccessLogPage: the province's supervisor reads, without script, the
// access log of a dossier (a view just made, named); the administrator is
// refused the page and has no link to it.
func TestAccessLogPage(t *testing.T) {
	e := newEnv(t)
	codes := e.dossierCodes("H99.101", motcua.StateSubmitted)
	if r := e.login("motcua.anphu").get("/ho-so/" + codes[0]); r.status != http.StatusOK {
		t.Fatalf("dossier page: %d", r.status)
	}
	sup := e.login("giamsat.tinh")
	r := sup.get("/nhat-ky-truy-cap?ma=" + codes[0])
	if r.status != http.StatusOK || !strings.Contains(r.body, "Xem dữ liệu cá nhân") || !strings.Contains(r.body, "motcua.anphu") {
		t.Errorf("the supervisor's page: %d\n%s", r.status, r.body)
	}
	if r := sup.get("/nhat-ky-truy-cap?loai=view_refused"); r.status != http.StatusOK {
		t.Errorf("the whole log's refusals: %d", r.status)
	}
	if r := sup.get("/nhat-ky-truy-cap?ma=KHONG-CO"); r.status != http.StatusNotFound {
		t.Errorf("unknown code: %d", r.status)
	}
	admin := e.login("admin")
	if r := admin.get("/nhat-ky-truy-cap?ma=" + codes[0]); r.status != http.StatusForbidden {
		t.Errorf("the administrator: %d", r.status)
	}
	if r := admin.get("/quan-tri"); strings.Contains(r.body, "/nhat-ky-truy-cap") {
		t.Error("the administrator's menu links the access log")
	}
}
