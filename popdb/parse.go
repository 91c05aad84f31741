package popdb

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// MaxAnswer caps an answer's size: one citizen's record is about two
// kilobytes, a household's a few.
const MaxAnswer = 64 << 10

// Error is a failure of the exchange with the register that is not an
// answer about the citizen: transport, HTTP status, a missing or wrong
// signature, a malformed, oversize or inconsistent answer (one for another
// person), or a system error of the register. The counter treats it as
// "the register cannot answer now".
type Error struct {
	Service string
	Message string
}

// Error implements error.
func (e *Error) Error() string { return "popdb " + e.Service + ": " + e.Message }

func failf(service, format string, args ...any) *Error {
	return &Error{Service: service, Message: fmt.Sprintf(format, args...)}
}

// ParseAnswer reads the register's answer body to req and checks it: its
// size, that it answers this request (MaYeuCau), that a record is for the
// ID number asked (a household must contain it), and the shape and size
// of every field. A "not found" answer is an ENOTFOUND error, a "does not
// match the name or birth date given" answer an EINVALID error; every
// other failure is an *Error. It never panics, whatever the bytes.
func ParseAnswer(service string, req YeuCau, body []byte) (*TraLoi, error) {
	if len(body) > MaxAnswer {
		return nil, failf(service, "answer larger than %d bytes", MaxAnswer)
	}
	var a TraLoi
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, failf(service, "malformed answer: %v", err)
	}
	if a.MaYeuCau != req.MaYeuCau {
		return nil, failf(service, "answer to another request (MaYeuCau %.40q)", a.MaYeuCau)
	}
	switch a.MaLoi {
	case CodeOK:
	case CodeNotFound:
		return nil, motcua.Errorf(motcua.ENOTFOUND, "citizen_not_found",
			"Cơ sở dữ liệu quốc gia về dân cư không có công dân mang số định danh này.")
	case CodeMismatch:
		return nil, motcua.Errorf(motcua.EINVALID, "citizen_data_mismatch",
			"Họ tên hoặc ngày sinh không khớp với cơ sở dữ liệu quốc gia về dân cư.")
	default:
		return nil, failf(service, "register error %.8q: %.200s", a.MaLoi, a.MoTaLoi)
	}
	if service == ServiceHousehold {
		if a.HoGiaDinh == nil {
			return nil, failf(service, "success without a household")
		}
		if err := checkHousehold(a.HoGiaDinh, req.SoDinhDanh); err != "" {
			return nil, failf(service, "%s", err)
		}
		return &a, nil
	}
	if a.CongDan == nil {
		return nil, failf(service, "success without a citizen")
	}
	if a.CongDan.SoDinhDanh != req.SoDinhDanh {
		// Never echo the other person's number into logs.
		return nil, failf(service, "answer is for another person than the one asked")
	}
	if err := checkCitizen(a.CongDan); err != "" {
		return nil, failf(service, "%s", err)
	}
	return &a, nil
}

// maxField caps one text field of a record.
const maxField = 400

func checkCitizen(c *CongDan) string {
	if FullName(c.HoVaTen) == "" {
		return "record without a name"
	}
	if !birthDate(c.NgayThangNamSinh) {
		return "record with a malformed birth date"
	}
	if c.GioiTinh != "" && c.GioiTinh != "0" && genders[c.GioiTinh] == "" {
		return "record with an unknown gender code"
	}
	if c.MucDoDinhDanh < 0 || c.MucDoDinhDanh > 2 {
		return "record with an unknown e-ID level"
	}
	texts := []string{c.SoDinhDanh, c.LoaiTaiKhoan, c.SoCMND, c.MaSoThue, c.HoVaTen.Ho, c.HoVaTen.ChuDem, c.HoVaTen.Ten, c.GioiTinh,
		c.ThuDienTu, c.DanToc, c.TonGiao, c.TinhTrangHonNhan, c.NhomMau, c.QuocTich, c.SoSoHoKhau, c.TrangThai}
	for _, a := range []*DiaChi{c.NoiDangKyKhaiSinh, c.QueQuan, c.ThuongTru, c.NoiOHienTai} {
		if a != nil {
			texts = append(texts, a.MaTinhThanh, a.MaPhuongXa, a.ChiTiet, a.DiaChiDayDu)
		}
	}
	for _, n := range []*NguoiThan{c.Cha, c.Me, c.VoChong, c.NguoiDaiDien, c.ChuHo} {
		if n != nil {
			texts = append(texts, n.SoDinhDanh, n.SoCMND, n.HoVaTen, n.QuocTich, n.QuanHe)
		}
	}
	return checkTexts(texts)
}

func checkHousehold(h *HoGiaDinh, asked string) string {
	if len(h.ThanhVien) == 0 || len(h.ThanhVien) > 60 {
		return "household with no or too many members"
	}
	texts := []string{h.SoSoHoKhau}
	if h.DiaChi != nil {
		texts = append(texts, h.DiaChi.MaTinhThanh, h.DiaChi.MaPhuongXa, h.DiaChi.ChiTiet, h.DiaChi.DiaChiDayDu)
	}
	member := false
	for _, m := range h.ThanhVien {
		member = member || m.SoDinhDanh == asked
		texts = append(texts, m.SoDinhDanh, m.SoCMND, m.HoVaTen, m.QuocTich, m.QuanHe)
	}
	if !member {
		return "household does not contain the person asked"
	}
	return checkTexts(texts)
}

func checkTexts(texts []string) string {
	for _, s := range texts {
		if len(s) > maxField {
			return "record with an oversize field"
		}
		if !utf8.ValidString(s) {
			return "record with invalid text"
		}
		for _, r := range s {
			if r < ' ' || r == 0x7f || r == utf8.RuneError {
				return "record with control characters"
			}
		}
	}
	return ""
}

// birthDate accepts yyyy-mm-dd (a real date) or yyyy.
func birthDate(s string) bool {
	digits := func(t string) bool {
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return false
			}
		}
		return t != ""
	}
	switch len(s) {
	case 4:
		return digits(s) && s >= "1880"
	case 10:
		if s[4] != '-' || s[7] != '-' || !digits(s[:4]) || !digits(s[5:7]) || !digits(s[8:]) || s[:4] < "1880" {
			return false
		}
		m, d := (s[5]-'0')*10+s[6]-'0', (s[8]-'0')*10+s[9]-'0'
		days := [13]byte{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}
		if m < 1 || m > 12 || d < 1 || d > days[m] {
			return false
		}
		y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
		return m != 2 || d < 29 || (y%4 == 0 && y%100 != 0 || y%400 == 0)
	}
	return false
}
