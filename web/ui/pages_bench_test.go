package ui_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/motcua/motcua"
)

// BenchmarkPages measures, in the same run and over real HTTP on loopback,
// the pages an officer opens all day against the server's cheapest answer
// (GET /healthz, a few bytes of JSON through the same middleware): the
// ratio is the cost of the page itself (session, service, store, template).
//
//	go test -run XXX -bench BenchmarkPages -benchtime 2s ./web/ui/
func BenchmarkPages(b *testing.B) {
	e := newEnv(b)
	officer := e.login("motcua.anphu")
	specialist := e.login("cv.anphu")
	code := e.dossierCodes("H99.101", motcua.StateProcessing)[0]
	anPhu, _, err := e.svc.Agency(ctx, "H99.101")
	if err != nil {
		b.Fatal(err)
	}
	pages := []struct {
		name string
		b    *browser
		path string
	}{
		{"baseline-healthz", e.browser(), "/healthz"},
		{"counter-form", officer, fmt.Sprintf("/tiep-nhan?thu-tuc=%d", e.procedureID("1.001193"))},
		{"counter-search", officer, "/tiep-nhan?q=dang+ky"},
		{"inbox", specialist, "/hop-thu"},
		{"dossier", specialist, "/ho-so/" + code},
		{"catalogue", e.browser(), "/thu-tuc?q=chung+thuc"},
		{"board", e.browser(), "/bang-tien-do"},
		{"statistics", e.browser(), "/thong-ke"},
		{"report-06a", specialist, "/bao-cao/06a"},
		{"index-766", specialist, "/bao-cao/chi-so-766"},
		{"drill-down", specialist, fmt.Sprintf("/bao-cao/ho-so?cot=3&don-vi=%d&tu=2025-01-01&den=2025-03-10", anPhu.ID)},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if r := p.b.get(p.path); r.status != http.StatusOK {
					b.Fatalf("%s: %d", p.path, r.status)
				}
			}
		})
	}
}
