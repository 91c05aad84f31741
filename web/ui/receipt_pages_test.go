package ui_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoReceiptsFitOnePage (issue 13, defect 8): the receipt of every
// dossier the An Phú counter received in the demo (catalogue component
// names run to several lines) prints on one sheet, with the place name on
// its date line and no fee line that repeats its heading.
func TestDemoReceiptsFitOnePage(t *testing.T) {
	info := need(t, "MOTCUA_REQUIRE_PDFTOOLS", "pdfinfo", "apt-get install poppler-utils")
	totext := need(t, "MOTCUA_REQUIRE_PDFTOOLS", "pdftotext", "apt-get install poppler-utils")
	e := newEnv(t)
	b := e.login("motcua.anphu")
	dir := t.TempDir()
	n := 0
	for _, code := range e.dossierCodes("H99.101") {
		if !strings.HasPrefix(code, "H99.101-") {
			continue
		}
		r := b.get("/ho-so/" + code + "/in/receipt")
		if r.status != 200 {
			continue // never received (refused, or waiting for a supplement asked at reception)
		}
		n++
		f := filepath.Join(dir, code+".pdf")
		if err := os.WriteFile(f, []byte(r.body), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(info, f).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), "\nPages:           1\n") {
			t.Errorf("receipt of %s runs to more than one page:\n%s", code, out)
		}
		txt, err := exec.Command(totext, "-enc", "UTF-8", f, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Join(strings.Fields(string(txt)), " ")
		if !strings.Contains(s, "An Phú, ngày ") || strings.Contains(s, "Phí, lệ phí: Phí, lệ phí") || strings.Contains(s, ". –") {
			t.Errorf("receipt of %s: place name missing or a line repeats itself:\n%s", code, s)
		}
	}
	if n < 5 {
		t.Fatalf("only %d receipts printed", n)
	}
}
