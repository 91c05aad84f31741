package pdf_test

import (
	"bytes"
	"strings"
	"testing"
)

// TestControlSheetNamesWhoReceived (issue 13, defect 10): a handover to
// an agency with no one assigned by name names the next person of that
// agency who acted on the dossier; the last one stays blank to be written
// by hand.
func TestControlSheetNamesWhoReceived(t *testing.T) {
	var buf bytes.Buffer
	if err := renderer().ControlSheet(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	s, _ := text(t, buf.Bytes())
	inOrder(t, s,
		"09 giờ 00 phút, ngày 10/03/2025 Người giao: Huỳnh Thị Ngọc Người nhận: Huỳnh Thị Ngọc",
		"10 giờ 15 phút, ngày 10/03/2025 Người giao: Huỳnh Thị Ngọc Người nhận: Đinh Văn Phúc",
		"14 giờ 00 phút, ngày 11/03/2025 Người giao: Đinh Văn Phúc Người nhận:")
	if n := strings.Count(s, "Người nhận: Đinh Văn Phúc"); n != 1 {
		t.Errorf("the last handover names a receiver (%d rows name Đinh Văn Phúc)", n)
	}
}
