// Package popdb is motcua's adapter to the national population database
// (Cơ sở dữ liệu quốc gia về dân cư, CSDLQG về dân cư): it implements
// motcua.PopulationRegister.
//
// The real system is a SOAP service (namespace http://dancuquocgia.bca)
// whose specification is not public. This adapter speaks a JSON-over-HTTP
// rendering of it with the same service and field names (integrations.md
// §2): one POST per service to {base}/{service}, the request and answer
// fields named as the national ones. A province with the official
// specification replaces the transport of client.go and the names of
// mapping.go; the service layer does not change. See docs/popdb.md.
package popdb

// YeuCau is a request to any service of the register. The first nine
// fields are the confirmed request fields; MucDich (why the officer asks)
// is motcua's own, so that the register's log can say it too.
type YeuCau struct {
	MaYeuCau         string `json:"MaYeuCau"`   // unique per request, at most 40 characters
	MaDVC            string `json:"MaDVC"`      // the public service (procedure) code, when known
	MaTichHop        string `json:"MaTichHop"`  // the integrating system's code, given by the register
	MaDonVi          string `json:"MaDonVi"`    // the agency's e-ID code
	MaCanBo          string `json:"MaCanBo"`    // the officer
	SoDinhDanh       string `json:"SoDinhDanh"` // 12 digits
	SoCMND           string `json:"SoCMND,omitempty"`
	HoVaTen          string `json:"HoVaTen,omitempty"`
	NgayThangNamSinh string `json:"NgayThangNamSinh,omitempty"` // yyyy-mm-dd or yyyy
	MucDich          string `json:"MucDich,omitempty"`
}

// TraLoi is the register's answer. MaLoi "00" is success; CongDan is set
// by the services about one citizen, HoGiaDinh by CungCapThongTinHoGiaDinh.
type TraLoi struct {
	MaYeuCau  string     `json:"MaYeuCau"`
	MaLoi     string     `json:"MaLoi"`
	MoTaLoi   string     `json:"MoTaLoi,omitempty"`
	CongDan   *CongDan   `json:"CongDan,omitempty"`
	HoGiaDinh *HoGiaDinh `json:"HoGiaDinh,omitempty"`
}

// CongDan is the citizen record: the 23 fields of CSDLDanCuDto as a
// provincial system reads them (integrations.md §2), followed by two
// fields that are motcua's reading of other services
// (XacMinhTinhTrangChetMatTich, the VNeID account level).
type CongDan struct {
	SoDinhDanh        string     `json:"SoDinhDanh"`
	LoaiTaiKhoan      string     `json:"LoaiTaiKhoan,omitempty"` // 1 citizen, 2 organisation
	SoCMND            string     `json:"SoCMND,omitempty"`
	MaSoThue          string     `json:"MaSoThue,omitempty"`
	HoVaTen           HoVaTen    `json:"HoVaTen"`
	GioiTinh          string     `json:"GioiTinh,omitempty"` // codes in mapping.go
	ThuDienTu         string     `json:"ThuDienTu,omitempty"`
	DanToc            string     `json:"DanToc,omitempty"`
	TonGiao           string     `json:"TonGiao,omitempty"`
	TinhTrangHonNhan  string     `json:"TinhTrangHonNhan,omitempty"` // codes in mapping.go
	NhomMau           string     `json:"NhomMau,omitempty"`
	NgayThangNamSinh  string     `json:"NgayThangNamSinh"` // yyyy-mm-dd or yyyy
	NoiDangKyKhaiSinh *DiaChi    `json:"NoiDangKyKhaiSinh,omitempty"`
	QuocTich          string     `json:"QuocTich,omitempty"`
	QueQuan           *DiaChi    `json:"QueQuan,omitempty"`
	ThuongTru         *DiaChi    `json:"ThuongTru,omitempty"`
	NoiOHienTai       *DiaChi    `json:"NoiOHienTai,omitempty"`
	Cha               *NguoiThan `json:"Cha,omitempty"`
	Me                *NguoiThan `json:"Me,omitempty"`
	VoChong           *NguoiThan `json:"VoChong,omitempty"`
	NguoiDaiDien      *NguoiThan `json:"NguoiDaiDien,omitempty"`
	ChuHo             *NguoiThan `json:"ChuHo,omitempty"`
	SoSoHoKhau        string     `json:"SoSoHoKhau,omitempty"`

	// TrangThai is "1" alive, "2" deceased, "3" missing (motcua's reading).
	TrangThai string `json:"TrangThai,omitempty"`
	// MucDoDinhDanh is the VNeID account level, 0 when there is none
	// (motcua's reading).
	MucDoDinhDanh int `json:"MucDoDinhDanh"`
}

// HoVaTen is a name in its three parts.
type HoVaTen struct {
	Ho     string `json:"Ho"`
	ChuDem string `json:"ChuDem,omitempty"`
	Ten    string `json:"Ten"`
}

// DiaChi is an address with its administrative codes (two levels since
// 1 July 2025: province and commune).
type DiaChi struct {
	MaTinhThanh string `json:"MaTinhThanh,omitempty"`
	MaPhuongXa  string `json:"MaPhuongXa,omitempty"`
	ChiTiet     string `json:"ChiTiet,omitempty"`
	DiaChiDayDu string `json:"DiaChiDayDu,omitempty"`
}

// NguoiThan is a related person; QuanHe is the relation to the head of
// household (for ChuHo and household members).
type NguoiThan struct {
	SoDinhDanh string `json:"SoDinhDanh,omitempty"`
	SoCMND     string `json:"SoCMND,omitempty"`
	HoVaTen    string `json:"HoVaTen"`
	QuocTich   string `json:"QuocTich,omitempty"`
	QuanHe     string `json:"QuanHe,omitempty"`
}

// HoGiaDinh is a household: its book, address and members.
type HoGiaDinh struct {
	SoSoHoKhau string      `json:"SoSoHoKhau"`
	DiaChi     *DiaChi     `json:"DiaChi,omitempty"`
	ThanhVien  []NguoiThan `json:"ThanhVien"`
}
