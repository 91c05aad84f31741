package service_test

import (
	"slices"
	"testing"

	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestSearchToleratesOneTypo: a query word one letter off (wrong, missing,
// extra, or two neighbours swapped) still finds the procedure, ranked
// below every exact match; two letters off, two words off, or a word under four letters off finds
// nothing.
func TestSearchToleratesOneTypo(t *testing.T) {
	f := newFixture(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0), nil)
	search := func(q string) []service.SearchHit {
		t.Helper()
		hits, err := f.svc.SearchProcedures(f.as("motcua.anphu"), service.SearchQuery{Text: q})
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	codes := func(hs []service.SearchHit) []string {
		var out []string
		for _, h := range hs {
			out = append(out, h.Procedure.Code)
		}
		return out
	}
	for _, q := range []string{"khia sinh", "dang ky khia sinh", "khai sinhh", "khaii sinh", "kkai sinh", "đăng kí khia sinh"} {
		got := codes(search(q))
		if !slices.Contains(got, "1.001193") { // Thủ tục đăng ký khai sinh
			t.Errorf("%q: %v, want 1.001193 (đăng ký khai sinh)", q, got)
		}
	}
	// Spelt right, the procedure matches better than any typo does.
	for _, h := range search("khai sinh") {
		if h.Procedure.Code == "1.001193" && h.Score <= search("khia sinh")[0].Score {
			t.Errorf("exact match scored %d, the typo %d", h.Score, search("khia sinh")[0].Score)
		}
	}
	for _, q := range []string{"khia snih", "khxyz sinh", "khai sih"} {
		if got := codes(search(q)); slices.Contains(got, "1.001193") {
			t.Errorf("%q (more than one letter off) found %v", q, got)
		}
	}
}
