package motcua_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
)

// A QR content as a card holds it (invented person, well-formed numbers),
// with the Enter a keyboard-wedge reader types at the end.
const goodQR = "089186001234|352123456|Nguyễn Thị Thanh Hà|14031986|Nữ|Ấp Trung, xã An Phú, tỉnh Mẫu|10052021\r\n"

func TestParseIDCardQR(t *testing.T) {
	c, err := motcua.ParseIDCardQR(goodQR)
	if err != nil {
		t.Fatal(err)
	}
	want := motcua.IDCard{IDNumber: "089186001234", OldIDNumber: "352123456", FullName: "Nguyễn Thị Thanh Hà",
		DateOfBirth: "1986-03-14", Gender: "Nữ", Address: "Ấp Trung, xã An Phú, tỉnh Mẫu", IssuedOn: "2021-05-10"}
	if *c != want {
		t.Fatalf("got %+v\nwant %+v", *c, want)
	}
	a := c.Applicant()
	if a.Source != motcua.SourceIDCardQR || a.IDKind != motcua.IDPersonal || a.IDNumber != want.IDNumber || a.DateOfBirth != "1986-03-14" || a.Gender != "Nữ" {
		t.Errorf("applicant %+v", a)
	}

	// An empty old number and a male card with spaces to collapse.
	c, err = motcua.ParseIDCardQR("079201009876||Phạm  Minh Khang|09012001|Nam|Khu phố 1,  xã Hòa Bình|29022024")
	if err != nil {
		t.Fatal(err)
	}
	if c.OldIDNumber != "" || c.FullName != "Phạm Minh Khang" || c.Gender != "Nam" || c.Address != "Khu phố 1, xã Hòa Bình" || c.IssuedOn != "2024-02-29" {
		t.Errorf("got %+v", *c)
	}
}

func TestParseIDCardQRRejects(t *testing.T) {
	fields := strings.Split(strings.TrimSpace(goodQR), "|")
	with := func(i int, v string) string {
		f := append([]string(nil), fields...)
		f[i] = v
		return strings.Join(f, "|")
	}
	cases := []struct {
		name, in, says string
	}{
		{"empty", "   ", "Chưa có dữ liệu"},
		{"six fields", strings.Join(fields[:6], "|"), "dữ liệu quét được có 6 trường"},
		{"eight fields", strings.TrimSpace(goodQR) + "|x", "có 8 trường"},
		{"id too short", with(0, "08918600123"), "12 chữ số"},
		{"id unknown province", with(0, "999186001234"), "mã tỉnh \"999\""},
		{"old id 10 digits", with(1, "3521234567"), "9 hoặc 12 chữ số"},
		{"name empty", with(2, ""), "Họ tên"},
		{"name with digits", with(2, "Nguyễn 3 Hà"), "Họ tên"},
		{"birth 31 Feb", with(3, "31021986"), "Ngày sinh"},
		{"birth as yyyy-mm-dd", with(3, "1986-03-14"), "Ngày sinh"},
		{"birth before 1900", with(3, "01011899"), "Ngày sinh"},
		{"issue 29 Feb non-leap", with(6, "29022023"), "Ngày cấp"},
		{"issued before birth", with(6, "01011980"), "trước ngày sinh"},
		{"sex unknown", with(4, "Khác"), "Giới tính"},
		{"address empty", with(5, " "), "Địa chỉ"},
		{"control char", with(5, "Ấp\x00Trung"), "ký tự điều khiển"},
		{"invalid utf-8", with(2, "Nguy\xffn"), "không đọc được"},
		{"too long", with(5, strings.Repeat("a", 1200)), "quá dài"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := motcua.ParseIDCardQR(tc.in)
			if err == nil {
				t.Fatalf("accepted %q as %+v", tc.in, c)
			}
			e, ok := err.(*motcua.Error)
			if !ok || e.Code != motcua.EINVALID || e.Fields["cccd_qr"] == "" {
				t.Fatalf("want an EINVALID error on cccd_qr, got %#v", err)
			}
			if !strings.Contains(e.Message, tc.says) {
				t.Errorf("message %q does not say %q", e.Message, tc.says)
			}
		})
	}
}

// FuzzParseIDCardQR checks that no input crashes the parser, and that what
// it accepts is a card whose values read back the same when written out
// again in the QR format.
func FuzzParseIDCardQR(f *testing.F) {
	f.Add(goodQR)
	f.Add("079201009876||Phạm Minh Khang|09012001|Nam|Khu phố 1|29022024")
	f.Add("||||||")
	f.Add("089186001234|352123456|N|14031986|nu|x|14031986")
	f.Add(strings.Repeat("|", 500))
	f.Fuzz(func(t *testing.T, s string) {
		c, err := motcua.ParseIDCardQR(s)
		if err != nil {
			if motcua.ErrorCode(err) != motcua.EINVALID {
				t.Fatalf("error of code %q: %v", motcua.ErrorCode(err), err)
			}
			return
		}
		if motcua.ValidateIDNumber(motcua.IDPersonal, c.IDNumber) != nil {
			t.Fatalf("accepted an invalid ID number %q", c.IDNumber)
		}
		if c.Gender != "Nam" && c.Gender != "Nữ" {
			t.Fatalf("gender %q", c.Gender)
		}
		back := func(iso string) string { return iso[8:] + iso[5:7] + iso[:4] }
		again := strings.Join([]string{c.IDNumber, c.OldIDNumber, c.FullName, back(c.DateOfBirth), c.Gender, c.Address, back(c.IssuedOn)}, "|")
		c2, err := motcua.ParseIDCardQR(again)
		if err != nil {
			t.Fatalf("written back as %q, not accepted: %v", again, err)
		}
		if *c2 != *c {
			t.Fatalf("round trip changed %+v into %+v", *c, *c2)
		}
	})
}
