package popdb

import (
	"strings"

	"github.com/motcua/motcua"
)

// This file is the one place where the register's names meet motcua's:
// services, headers, codes, and the conversion of its records.

// Services of the register (OpenCPS QLCDConstants, integrations.md §2).
const (
	ServiceLookUp       = "TraCuuThongTinCongDan"
	ServiceVerify       = "XacThucThongTinCongDan"
	ServiceProvide      = "CungCapThongTinCongDan"
	ServiceHousehold    = "CungCapThongTinHoGiaDinh"
	ServiceMarital      = "XacMinhTinhTrangHonNhan"
	ServiceHead         = "XacMinhThongTinChuHo"
	ServiceResidence    = "XacMinhThongTinNoiOHienTai"
	ServiceGuardian     = "XacMinhThongTinNguoiGiamHo"
	ServiceDeathMissing = "XacMinhTinhTrangChetMatTich"
)

// Services lists every service the simulator answers.
var Services = []string{ServiceLookUp, ServiceVerify, ServiceProvide, ServiceHousehold, ServiceMarital, ServiceHead,
	ServiceResidence, ServiceGuardian, ServiceDeathMissing}

// Headers of the JSON rendering. The signature scheme is motcua's own (the
// real service authenticates by its own means, not public): lower-case hex
// HMAC-SHA256 under the shared secret of timestamp "|" body, on the request
// and on the answer alike.
const (
	HeaderClient    = "X-Popdb-Client" // MaTichHop
	HeaderTimestamp = "X-Popdb-Timestamp"
	HeaderSignature = "X-Popdb-Signature"
)

// Answer codes (MaLoi). Only "00" is confirmed as success; the others are
// motcua's reading.
const (
	CodeOK          = "00"
	CodeNotFound    = "01" // no citizen with this number
	CodeMismatch    = "02" // name or birth date given do not match the record
	CodeBadRequest  = "03" // malformed request
	CodeUnauthentic = "04" // unsigned, wrongly signed or stale request
	CodeSystem      = "99"
)

// Gender codes (GioiTinh).
var genders = map[string]string{"1": "Nam", "2": "Nữ"}

// GenderCode is the register's code of a motcua gender ("" when unknown).
func GenderCode(g string) string {
	for k, v := range genders {
		if v == g {
			return k
		}
	}
	return ""
}

// Marital status codes (TinhTrangHonNhan), motcua's reading.
var maritalStatuses = map[string]string{"1": "Chưa kết hôn", "2": "Đã kết hôn", "3": "Đã ly hôn", "4": "Góa"}

// MaritalCodes lists the marital status codes the adapter understands.
var MaritalCodes = []string{"1", "2", "3", "4"}

// Citizen converts the register's record to motcua's. It does no check:
// see parseAnswer.
func Citizen(c *CongDan) *motcua.Citizen {
	out := &motcua.Citizen{IDNumber: c.SoDinhDanh, OldIDNumber: c.SoCMND, TaxCode: c.MaSoThue, FullName: FullName(c.HoVaTen),
		Gender: genders[c.GioiTinh], DateOfBirth: c.NgayThangNamSinh, Email: c.ThuDienTu, Ethnicity: c.DanToc, Religion: c.TonGiao,
		Nationality: c.QuocTich, MaritalStatus: maritalStatuses[c.TinhTrangHonNhan], BloodType: c.NhomMau,
		BirthRegistration: address(c.NoiDangKyKhaiSinh), HomeTown: address(c.QueQuan), Permanent: address(c.ThuongTru),
		Current: address(c.NoiOHienTai), Father: relative(c.Cha), Mother: relative(c.Me), Spouse: relative(c.VoChong),
		Representative: relative(c.NguoiDaiDien), HouseholdHead: relative(c.ChuHo), HouseholdBook: c.SoSoHoKhau,
		Deceased: c.TrangThai == "2", EIDLevel: c.MucDoDinhDanh}
	return out
}

// Household converts the register's household to motcua's.
func Household(h *HoGiaDinh) *motcua.Household {
	out := &motcua.Household{Book: h.SoSoHoKhau, Address: address(h.DiaChi)}
	for i := range h.ThanhVien {
		out.Members = append(out.Members, *relative(&h.ThanhVien[i]))
	}
	return out
}

// FullName joins the parts of a name with single spaces.
func FullName(n HoVaTen) string {
	return strings.Join(strings.Fields(n.Ho+" "+n.ChuDem+" "+n.Ten), " ")
}

// SplitName splits a full name into its parts: the first word is the
// family name, the last the given name, the rest the middle name.
func SplitName(s string) HoVaTen {
	w := strings.Fields(s)
	switch len(w) {
	case 0:
		return HoVaTen{}
	case 1:
		return HoVaTen{Ten: w[0]}
	}
	return HoVaTen{Ho: w[0], ChuDem: strings.Join(w[1:len(w)-1], " "), Ten: w[len(w)-1]}
}

func address(a *DiaChi) motcua.RegisterAddress {
	if a == nil {
		return motcua.RegisterAddress{}
	}
	text := a.DiaChiDayDu
	if text == "" {
		text = a.ChiTiet
	}
	return motcua.RegisterAddress{ProvinceCode: a.MaTinhThanh, CommuneCode: a.MaPhuongXa, Detail: a.ChiTiet, Text: text}
}

func relative(n *NguoiThan) *motcua.Relative {
	if n == nil || (n.HoVaTen == "" && n.SoDinhDanh == "") {
		return nil
	}
	return &motcua.Relative{IDNumber: n.SoDinhDanh, FullName: n.HoVaTen, Relation: n.QuanHe}
}

// request builds the register's request from motcua's query.
func request(q motcua.PopulationQuery, integration string) YeuCau {
	return YeuCau{MaYeuCau: q.RequestID, MaTichHop: integration, MaDonVi: q.AgencyCode, MaCanBo: q.OfficerCode,
		SoDinhDanh: q.IDNumber, HoVaTen: q.FullName, NgayThangNamSinh: q.DateOfBirth, MucDich: q.Purpose}
}
