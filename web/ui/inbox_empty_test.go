package ui_test

import (
	"net/http"
	"strings"
	"testing"
)

// An inbox whose filter is refused (a procedure code not in the
// catalogue) still draws its table, saying that it lists no dossier,
// as it does when a filter matches none.
func TestInboxSaysWhenItListsNothing(t *testing.T) {
	e := newEnv(t)
	b := e.login("cv.anphu")
	for path, status := range map[string]int{
		"/hop-thu?thu-tuc=9.999999":    http.StatusUnprocessableEntity,
		"/hop-thu?trang-thai=returned": http.StatusOK,
	} {
		r := b.get(path)
		if r.status != status {
			t.Errorf("%s: status %d, want %d", path, r.status, status)
		}
		if !strings.Contains(r.body, `<tbody><tr><td colspan="7">Không có hồ sơ nào.</td></tr></tbody>`) {
			t.Errorf("%s: the table does not say it lists no dossier:\n%s", path, r.body)
		}
	}
}
