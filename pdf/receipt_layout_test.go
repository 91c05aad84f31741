package pdf_test

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// pages returns the number of pages of a PDF file (pdfinfo).
func pages(t *testing.T, file string) int {
	t.Helper()
	out, err := exec.Command(tool(t, "pdfinfo"), file).Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			var n int
			fmt.Sscan(strings.TrimSpace(v), &n)
			return n
		}
	}
	t.Fatal("pdfinfo gave no page count")
	return 0
}

// TestReceiptFeesPlaceAndPages (issue 13, defect 8): a fee named like the
// heading is not printed twice and a free one says so; the date line
// starts with the place name; the receipt of an ordinary dossier is one
// page, and a longer one numbers every page, the first too.
func TestReceiptFeesPlaceAndPages(t *testing.T) {
	d := sample()
	d.Fees = []motcua.DossierFee{{Name: "Phí, lệ phí", Amount: 0}}
	var buf bytes.Buffer
	if err := renderer().Receipt(&buf, d); err != nil {
		t.Fatal(err)
	}
	s, file := text(t, buf.Bytes())
	if strings.Contains(s, "Phí, lệ phí: Phí, lệ phí") {
		t.Errorf("the fee's name repeats the heading: %s", s)
	}
	inOrder(t, s, "An Phú, ngày 11 tháng 03 năm 2025", "7. Phí, lệ phí: không thu (0 đồng).")
	if n := pages(t, file); n != 1 || strings.Contains(s, "Trang") {
		t.Errorf("an ordinary receipt has %d pages (page number shown: %v), want 1 without number", n, strings.Contains(s, "Trang"))
	}

	d.Fees = []motcua.DossierFee{{Name: "Phí, lệ phí", Amount: 8000}}
	for i := 0; i < 25; i++ {
		c := motcua.DossierComponent{ComponentID: int64(100 + i), Provided: true, Name: fmt.Sprintf("Giấy tờ kèm theo số %d", i+1)}
		d.Components = append(d.Components, c)
	}
	buf.Reset()
	if err := renderer().Receipt(&buf, d); err != nil {
		t.Fatal(err)
	}
	s, file = text(t, buf.Bytes())
	inOrder(t, s, "7. Phí, lệ phí: 8.000 đồng.")
	n := pages(t, file)
	if n < 2 {
		t.Fatalf("a receipt with 28 components has %d page", n)
	}
	var want []string
	for i := 1; i <= n; i++ {
		want = append(want, fmt.Sprintf("Trang %d/%d", i, n))
	}
	inOrder(t, s, want...)
}
