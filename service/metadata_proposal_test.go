package service_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// TestProposeMetadata reads the Art.19(2) fields of a typical decision's
// text, as OCR gives it (the header's two columns on one line), and
// proposes nothing it cannot find.
func TestProposeMetadata(t *testing.T) {
	text := `UỶ BAN NHÂN DÂN TỈNH MẪU CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
SỞ XÂY DỰNG Độc lập - Tự do - Hạnh phúc
Số: 125/2026/GPXD An Phú, ngày 17 tháng 4 năm 2026
GIẤY PHÉP XÂY DỰNG
V/v cấp phép xây dựng nhà ở riêng lẻ
Giấy phép có giá trị đến ngày 17 tháng 4 năm 2027.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC
Nguyễn Văn Hải`
	m := service.ProposeMetadata(text)
	want := motcua.DocumentMetadata{DocType: "GIẤY PHÉP XÂY DỰNG", NumberSymbol: "125/2026/GPXD",
		IssuedOn: time.Date(2026, 4, 17, 0, 0, 0, 0, motcua.VietnamTime), Issuer: "SỞ XÂY DỰNG", Signer: "Nguyễn Văn Hải",
		ValidUntil: time.Date(2027, 4, 17, 0, 0, 0, 0, motcua.VietnamTime), Summary: "cấp phép xây dựng nhà ở riêng lẻ"}
	if !m.IssuedOn.Equal(want.IssuedOn) || !m.ValidUntil.Equal(want.ValidUntil) {
		t.Errorf("dates: %v %v", m.IssuedOn, m.ValidUntil)
	}
	m.IssuedOn, m.ValidUntil, want.IssuedOn, want.ValidUntil = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if m != want {
		t.Errorf("proposed %+v\nwant     %+v", m, want)
	}
	if empty := service.ProposeMetadata("ảnh mờ, không đọc được"); empty != (motcua.DocumentMetadata{}) {
		t.Errorf("from unreadable text: %+v", empty)
	}
}
