package popdb_test

import (
	"encoding/json"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/popdb"
)

// FuzzParseAnswer: whatever the register answers, ParseAnswer never
// panics, and whatever it accepts is about the person asked, with a name
// and a birth date, and converts to motcua's types.
func FuzzParseAnswer(f *testing.F) {
	req := popdb.YeuCau{MaYeuCau: "R1", SoDinhDanh: "089190001234"}
	good := popdb.TraLoi{MaYeuCau: "R1", MaLoi: "00", CongDan: &popdb.CongDan{SoDinhDanh: "089190001234",
		HoVaTen: popdb.HoVaTen{Ho: "Nguyễn", ChuDem: "Thị", Ten: "Lan"}, NgayThangNamSinh: "1990-02-28", GioiTinh: "2",
		ThuongTru: &popdb.DiaChi{MaTinhThanh: "99", MaPhuongXa: "99101", ChiTiet: "Ấp Bắc", DiaChiDayDu: "Ấp Bắc, xã An Phú, tỉnh Mẫu"},
		ChuHo:     &popdb.NguoiThan{SoDinhDanh: "089160004321", HoVaTen: "Nguyễn Văn Ba", QuanHe: "Con"}}}
	b, _ := json.Marshal(good)
	f.Add(b)
	house := popdb.TraLoi{MaYeuCau: "R1", MaLoi: "00", HoGiaDinh: &popdb.HoGiaDinh{SoSoHoKhau: "990000001",
		ThanhVien: []popdb.NguoiThan{{SoDinhDanh: "089190001234", HoVaTen: "Nguyễn Thị Lan", QuanHe: "Chủ hộ"}}}}
	b, _ = json.Marshal(house)
	f.Add(b)
	f.Add([]byte(`{"MaYeuCau":"R1","MaLoi":"01"}`))
	f.Add([]byte(`{"MaYeuCau":"R1","MaLoi":"00","CongDan":{"SoDinhDanh":"001190009999","HoVaTen":{"Ten":"X"},"NgayThangNamSinh":"1990"}}`))
	f.Add([]byte(`{"MaYeuCau":"R1","MaLoi":"00","CongDan":{"SoDinhDanh":"089190001234","HoVaTen":{"Ten":"X\u0000"},"NgayThangNamSinh":"1990-02-30"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, svc := range []string{popdb.ServiceLookUp, popdb.ServiceHousehold} {
			a, err := popdb.ParseAnswer(svc, req, body)
			if err != nil {
				if a != nil {
					t.Fatal("an answer with an error")
				}
				continue
			}
			if svc == popdb.ServiceHousehold {
				h := popdb.Household(a.HoGiaDinh)
				found := false
				for _, m := range h.Members {
					found = found || m.IDNumber == req.SoDinhDanh
				}
				if !found {
					t.Fatalf("household without the person asked: %+v", h)
				}
				continue
			}
			c := popdb.Citizen(a.CongDan)
			if c.IDNumber != req.SoDinhDanh || c.FullName == "" || c.DateOfBirth == "" {
				t.Fatalf("accepted %+v", c)
			}
			_, _ = motcua.CompareWithRegister(motcua.Applicant{FullName: "a", DateOfBirth: "1990-01-01", Address: "x"}, c)
		}
	})
}
