package pdf_test

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// A name in a script the cut fonts lack switches the receipt to the whole
// fonts: it is still written and read back, with the Vietnamese text
// around it.
func TestReceiptOutsideCutRepertoire(t *testing.T) {
	d := sample()
	d.Applicant.FullName = "Ελένη Παπαδοπούλου (Иванова)"
	var buf bytes.Buffer
	if err := renderer().Receipt(&buf, d); err != nil {
		t.Fatal(err)
	}
	s, file := text(t, buf.Bytes())
	inOrder(t, s, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
		"Tiếp nhận hồ sơ của: Ελένη Παπαδοπούλου (Иванова)",
		"Số định danh cá nhân: 089186001234",
		"NGƯỜI NỘP HỒ SƠ", "Ελένη Παπαδοπούλου (Иванова)", "Huỳnh Thị Ngọc")
	fonts, err := exec.Command(tool(t, "pdffonts"), file).Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Split(strings.TrimSpace(string(fonts)), "\n")) - 2; n <= 3 {
		t.Errorf("want the whole fonts added to the cut ones, got %d fonts:\n%s", n, fonts)
	}
}
