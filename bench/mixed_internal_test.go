package bench

import "testing"

// The workload reads the dossier codes an inbox page links to, and only
// those (not the links under a dossier, nor a cut-off link).
func TestInboxCodes(t *testing.T) {
	page := []byte(`<a href="/ho-so/H99.101-250310-0001">x</a> <a href="/ho-so/H99.101-250310-0002/in/receipt">r</a>` +
		`<a href="/ho-so/?q=1">q</a><a href="/ho-so/H99.2-1">y</a><a href="/ho-so/`)
	got := inboxCodes(nil, page)
	if len(got) != 2 || got[0] != "H99.101-250310-0001" || got[1] != "H99.2-1" {
		t.Errorf("codes %q", got)
	}
}
