package pdf_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
)

// layout is pdftotext -layout of a PDF: the text where it stands on the
// page, so that two writers placing a word differently give two texts.
func layout(t *testing.T, b []byte) string {
	t.Helper()
	bin := tool(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// pixelsApart renders the pages of two PDFs in grey at 100 dpi
// (pdftoppm) and counts the pixels that differ: the same glyphs drawn at
// the same places give the same pixels.
func pixelsApart(t *testing.T, a, b []byte) (int, int) {
	t.Helper()
	bin := tool(t, "pdftoppm")
	dir := t.TempDir()
	var pix [2][]byte
	for i, doc := range [][]byte{a, b} {
		f := filepath.Join(dir, "f.pdf")
		if err := os.WriteFile(f, doc, 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(bin, "-r", "100", "-gray", f).Output()
		if err != nil {
			t.Fatalf("pdftoppm: %v", err)
		}
		pix[i] = out
	}
	if len(pix[0]) != len(pix[1]) {
		return max(len(pix[0]), len(pix[1])), max(len(pix[0]), len(pix[1]))
	}
	n := 0
	for i := range pix[0] {
		if pix[0][i] != pix[1][i] {
			n++
		}
	}
	return n, len(pix[0])
}

// eventful is the sample dossier with an event of every kind a form
// records, so that every form can be printed.
func eventful() *pdf.Dossier {
	d := sample()
	last := d.Events[len(d.Events)-1]
	for i, a := range []motcua.Action{motcua.ActRequestSupplement, motcua.ActRefuse, motcua.ActStop} {
		e := last
		e.Seq, e.Action, e.Reason = last.Seq+1+i, a, "Lý do thứ "+string(rune('1'+i))+": giấy tờ chưa đầy đủ, cần bổ sung bản sao chứng thực"
		e.At = last.At.Add(time.Duration(i+1) * time.Hour)
		e.Missing = []int64{1, 3}
		d.Events = append(d.Events, e)
	}
	return d
}

// TestFastWriterLaysOutLikeFpdf: every dossier form reads the same, word
// for word where it stands on the page (pdftotext -layout), from the fast
// writer as from fpdf — for the sample dossier, a long receipt that runs
// to a second page, and texts that make lines break inside long words.
func TestFastWriterLaysOutLikeFpdf(t *testing.T) {
	long := eventful()
	for i := 0; i < 25; i++ {
		long.Components = append(long.Components, motcua.DossierComponent{ComponentID: int64(100 + i), Provided: true,
			Name: "Bản sao giấy tờ chứng minh nơi cư trú hợp pháp của người được giám hộ, số " + strings.Repeat("9", i)})
	}
	long.Applicant.Address = "Số 12, đường Nguyễn Thị Minh Khai, khu phố Trung, " + strings.Repeat("Ấp Trung ", 12) + "xã An Phú, tỉnh Mẫu"
	long.Content = "Đề nghị đăng ký giám hộ cho cháu " + strings.Repeat("Nguyễn", 30) + " (trẻ em dưới 6 tuổi)."
	r := renderer()
	for name, d := range map[string]*pdf.Dossier{"sample": eventful(), "long": long} {
		for _, form := range d.Available() {
			var fast, slow bytes.Buffer
			if err := r.RenderWith(&fast, form, d, true); err != nil {
				t.Fatalf("%s %s fast: %v", name, form, err)
			}
			if err := r.RenderWith(&slow, form, d, false); err != nil {
				t.Fatalf("%s %s fpdf: %v", name, form, err)
			}
			lf, ls := layout(t, fast.Bytes()), layout(t, slow.Bytes())
			if lf != ls {
				t.Errorf("%s %s: the fast writer's layout differs from fpdf's\nfast:\n%s\nfpdf:\n%s", name, form, lf, ls)
			}
			if n, total := pixelsApart(t, fast.Bytes(), slow.Bytes()); n > 0 {
				t.Errorf("%s %s: %d of %d pixels differ between the two writers' pages", name, form, n, total)
			}
			if form == pdf.FormReceipt && !strings.Contains(lf, "Nguyễn Thị Thanh Hà") {
				t.Errorf("%s receipt: no applicant name in\n%s", name, lf)
			}
		}
	}
}

// TestFastWriterFallsBackToFpdf: a text with a letter outside the fast
// fonts (a name in Greek) makes the fast writer give up, and the receipt
// is then written through fpdf, whole and readable.
func TestFastWriterFallsBackToFpdf(t *testing.T) {
	d := sample()
	d.Applicant.FullName = "Νίκος Παπαδόπουλος"
	r := renderer()
	var buf bytes.Buffer
	if err := r.RenderWith(&buf, pdf.FormReceipt, d, true); !errors.Is(err, pdf.ErrGlyphs) {
		t.Fatalf("the fast writer with a Greek name: %v, want ErrGlyphs", err)
	}
	if buf.Len() != 0 {
		t.Fatalf("the fast writer wrote %d bytes before giving up", buf.Len())
	}
	if err := r.Receipt(&buf, d); err != nil {
		t.Fatal(err)
	}
	s, _ := text(t, buf.Bytes())
	inOrder(t, s, "Mã số hồ sơ: H99.101-250310-0001", "Tiếp nhận hồ sơ của: Νίκος Παπαδόπουλος", "NGƯỜI TIẾP NHẬN HỒ SƠ")
	if bytes.Contains(buf.Bytes(), []byte("/Producer (motcua)")) {
		t.Error("the receipt with a Greek name was written by the fast writer")
	}
}

// TestFastWriterPDFsAreValid: qpdf finds no syntax or stream error in the
// fast writer's forms (cross-reference table, object streams, the font
// programs and their Unicode maps), of one page and of several.
func TestFastWriterPDFsAreValid(t *testing.T) {
	bin := tool(t, "qpdf")
	long := eventful()
	for i := 0; i < 30; i++ {
		long.Components = append(long.Components, motcua.DossierComponent{ComponentID: int64(100 + i), Provided: true, Name: "Giấy tờ kèm theo"})
	}
	r := renderer()
	dir := t.TempDir()
	for name, d := range map[string]*pdf.Dossier{"sample": eventful(), "long": long} {
		for _, form := range d.Available() {
			var b bytes.Buffer
			if err := r.RenderWith(&b, form, d, true); err != nil {
				t.Fatal(err)
			}
			f := filepath.Join(dir, name+string(form)+".pdf")
			if err := os.WriteFile(f, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(bin, "--check", f).CombinedOutput()
			if err != nil || !strings.Contains(string(out), "No syntax or stream encoding errors found") || strings.Contains(string(out), "WARNING") {
				t.Errorf("%s %s: qpdf --check: %v\n%s", name, form, err, out)
			}
		}
	}
}

// TestLongLookupAddressQR: a lookup address long enough for the largest
// version the forms' own QR encoder makes (10) and one beyond it (made by
// boombuler/barcode) both decode from the printed receipt.
func TestLongLookupAddressQR(t *testing.T) {
	ppm, zbar := tool(t, "pdftoppm"), tool(t, "zbarimg")
	for _, n := range []int{200, 260} {
		want := "https://dichvucong.tinhmau.gov.vn/motcua/tra-cuu?ma=H99.101-250310-0001&k=" + strings.Repeat("q7Rk2mWx9P", 30)
		want = want[:n]
		r := &pdf.Renderer{Forms: pdf.DefaultForms(), LookupURL: func(string, string) string { return want }}
		var buf bytes.Buffer
		if err := r.Receipt(&buf, sample()); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		f := filepath.Join(dir, "r.pdf")
		if err := os.WriteFile(f, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		png := filepath.Join(dir, "page")
		if out, err := exec.Command(ppm, "-r", "200", "-png", "-f", "1", "-l", "1", "-singlefile", f, png).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		out, err := exec.Command(zbar, "--raw", "-q", png+".png").Output()
		if err != nil {
			t.Fatalf("%d bytes: zbarimg found no code: %v", n, err)
		}
		if got := strings.TrimSpace(string(out)); got != want {
			t.Errorf("%d bytes: QR code holds %q, want %q", n, got, want)
		}
	}
}

// TestFastWriterReusesItsMemorySafely: the fast writer builds each
// document in memory kept from the last (the document, its compressed
// streams, the fonts' programs). A document written after others, or
// beside others at the same time, must be byte for byte what it is when
// written alone: nothing of another document's glyphs, pages or length
// may stay in it.
func TestFastWriterReusesItsMemorySafely(t *testing.T) {
	long := eventful()
	for i := 0; i < 30; i++ {
		long.Components = append(long.Components, motcua.DossierComponent{ComponentID: int64(100 + i), Provided: true,
			Name: "Giấy tờ kèm theo: bản sao Sổ hộ khẩu, Giấy xác nhận tình trạng hôn nhân, Ủy quyền"})
	}
	other := sample()
	other.Applicant.FullName = "Đặng Thị Ánh Tuyết"
	r := renderer()
	render := func(form pdf.Form, d *pdf.Dossier) []byte {
		var b bytes.Buffer
		if err := r.RenderWith(&b, form, d, true); err != nil {
			t.Error(err)
		}
		return b.Bytes()
	}
	type job struct {
		form pdf.Form
		d    *pdf.Dossier
	}
	var jobs []job
	for _, d := range []*pdf.Dossier{sample(), long, other} {
		for _, form := range d.Available() {
			jobs = append(jobs, job{form, d})
		}
	}
	want := make([][]byte, len(jobs))
	for i, j := range jobs { // alone, each after the one before
		want[i] = render(j.form, j.d)
	}
	for i := len(jobs) - 1; i >= 0; i-- { // after others, in the other order
		if got := render(jobs[i].form, jobs[i].d); !bytes.Equal(got, want[i]) {
			t.Errorf("%s written after others: %d bytes, alone %d", jobs[i].form, len(got), len(want[i]))
		}
	}
	done := make(chan struct{})
	for w := range 4 { // beside others
		go func() {
			defer func() { done <- struct{}{} }()
			for k := range 3 * len(jobs) {
				i := (k + w*5) % len(jobs)
				if got := render(jobs[i].form, jobs[i].d); !bytes.Equal(got, want[i]) {
					t.Errorf("%s written beside others: %d bytes, alone %d", jobs[i].form, len(got), len(want[i]))
					return
				}
			}
		}()
	}
	for range 4 {
		<-done
	}
}
