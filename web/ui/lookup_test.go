package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// TestLookupByQRLink: the receipt's QR link (?ma=…&k=secret) opens the
// public view at once and never writes the secret back into the page; a
// browser guessing digits is stopped after twenty tries, yet the QR link
// still opens the dossier from the same address.
func TestLookupByQRLink(t *testing.T) {
	e := newEnv(t)
	codes := e.dossierCodes("H99.101", motcua.StateSubmitted)
	if len(codes) == 0 {
		t.Fatal("no dossier")
	}
	var d *motcua.Dossier
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, codes[0]); return err }); err != nil {
		t.Fatal(err)
	}
	if len(d.LookupSecret) != motcua.LookupSecretLen {
		t.Fatalf("the demo's dossier has lookup secret %q", d.LookupSecret)
	}
	link := "/tra-cuu?" + url.Values{"ma": {d.Code}, "k": {d.LookupSecret}}.Encode()
	b := e.browser()
	r := b.get(link)
	if r.status != http.StatusOK || !strings.Contains(r.body, d.ProcedureName) {
		t.Fatalf("QR link: %d\n%s", r.status, r.body)
	}
	if strings.Contains(r.body, d.LookupSecret) {
		t.Error("the page writes the secret back")
	}
	for i := range 20 {
		if r := b.get(fmt.Sprintf("/tra-cuu?ma=%s&so=%04d", d.Code, 9000+i)); r.status != http.StatusNotFound {
			t.Fatalf("guess %d: %d", i, r.status)
		}
	}
	if r := b.get("/tra-cuu?ma=" + d.Code + "&so=" + d.Verifier); r.status != http.StatusTooManyRequests {
		t.Errorf("after twenty guesses: %d, want 429", r.status)
	}
	if r := b.get(link); r.status != http.StatusOK {
		t.Errorf("the QR link after a stranger's guesses from the same address: %d", r.status)
	}
}
