package sqlstore

import (
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// TestTemplateOf: a code pattern is rendered by the server only when it is
// a prefix, one zero-padded number and a suffix, checked on numbers of
// every length; otherwise the client renders the codes (ok false).
func TestTemplateOf(t *testing.T) {
	at := time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)
	pattern := func(s string) func(int) string {
		p, err := motcua.ParseCodePattern(s)
		if err != nil {
			t.Fatal(err)
		}
		return func(seq int) string { return p.Render("H98.10", at, seq) }
	}
	for _, c := range []struct {
		name   string
		render func(int) string
		ok     bool
	}{
		{"default", pattern("{agency}-{yyMMdd}-{seq:4}"), true},
		{"number first", pattern("{seq:6}/{yyyy}/{agency}"), true},
		{"no padding", pattern("{agency}.{yy}.{seq:1}"), true},
		// The date touches the number: still one prefix.
		{"date touching", pattern("{agency}-{yyMMdd}{seq:4}"), true},
		{"twice", func(n int) string { return fmt.Sprintf("A%04d-%04d", n, n) }, false},
		{"cut", func(n int) string { return fmt.Sprintf("A%04d", n%10000) }, false},
	} {
		tmpl, ok := templateOf(c.render)
		if ok != c.ok {
			t.Errorf("%s: ok %v, want %v (%+v)", c.name, ok, c.ok, tmpl)
			continue
		}
		if !ok {
			continue
		}
		for _, n := range []int{1, 7, 42, 1234, 56789, 1000000} {
			if got, want := tmpl.render(n), c.render(n); got != want {
				t.Errorf("%s: %d renders %q, want %q", c.name, n, got, want)
			}
		}
	}
}
