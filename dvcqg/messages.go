package dvcqg

import "encoding/json"

// This file holds the portal's messages with their national field names.
// Names marked [C] are confirmed by integrations.md §1; every other name is
// motcua's own, chosen to read like the portal's, and unconfirmed.

// AuthRequest is the body of POST {base}/auth [C].
type AuthRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// AuthAnswer is the portal's answer to AuthRequest [C]: error_code 0 and a
// session.
type AuthAnswer struct {
	ErrorCode int    `json:"error_code"`
	Message   string `json:"message,omitempty"`
	Session   string `json:"session,omitempty"`
}

// Request is the body of POST {base}/integration [C: session, madonvi,
// service, isUpdating]. Data holds the service's payload: a list of records
// for the two sync services, a query object for the catalogue services
// (motcua's choice of shape).
type Request struct {
	Session    string          `json:"session"`
	MaDonVi    string          `json:"madonvi"`
	Service    string          `json:"service"`
	IsUpdating string          `json:"isUpdating,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
}

// Answer is the portal's answer to a Request [C: error_code, message]; Data
// carries what a query returns.
type Answer struct {
	ErrorCode int             `json:"error_code"`
	Message   string          `json:"message,omitempty"`
	Data      json.RawMessage `json:"data,omitempty"`
}

// HoSo is one DongBoHoSoMC record [C, except where marked].
type HoSo struct {
	MaHoSo                      string         `json:"MaHoSo"`
	MaTTHC                      string         `json:"MaTTHC"`
	TenTTHC                     string         `json:"TenTTHC"`
	MaLinhVuc                   string         `json:"MaLinhVuc"`
	TenLinhVuc                  string         `json:"TenLinhVuc"`
	ChuHoSo                     string         `json:"ChuHoSo"`
	LoaiDoiTuong                int            `json:"LoaiDoiTuong"` // numbering motcua's own
	MaDoiTuong                  string         `json:"MaDoiTuong"`   // motcua writes the ID number
	Email                       string         `json:"Email"`
	SoDienThoai                 string         `json:"SoDienThoai"`
	TrichYeuHoSo                string         `json:"TrichYeuHoSo"`
	NgayTiepNhan                string         `json:"NgayTiepNhan"`
	NgayHenTra                  string         `json:"NgayHenTra"`
	TrangThaiHoSo               int            `json:"TrangThaiHoSo"`
	NgayTra                     string         `json:"NgayTra"`
	HinhThuc                    int            `json:"HinhThuc"` // meaning unconfirmed
	NgayKetThucXuLy             string         `json:"NgayKetThucXuLy"`
	DonViXuLy                   string         `json:"DonViXuLy"`
	MaDonViXuLy                 string         `json:"MaDonViXuLy"` // motcua's own: the agency's e-ID code
	DanhSachLePhi               []LePhi        `json:"DanhSachLePhi"`
	DanhSachHoSoBoSung          []HoSoBoSung   `json:"DanhSachHoSoBoSung"`
	TaiLieuNop                  []TaiLieu      `json:"TaiLieuNop"`
	DanhSachGiayToKetQua        []GiayToKetQua `json:"DanhSachGiayToKetQua"`
	KenhThucHien                int            `json:"KenhThucHien"`
	SoGiayToChuHoSo             string         `json:"SoGiayToChuHoSo"`
	NoiNopHoSo                  string         `json:"NoiNopHoSo"` // motcua writes the agency code
	HoSoCoThanhPhanSoHoa        int            `json:"HoSoCoThanhPhanSoHoa"`
	TaiKhoanDuocXacThucVoiVNeID int            `json:"TaiKhoanDuocXacThucVoiVNeID"`
	DuocThanhToanTrucTuyen      int            `json:"DuocThanhToanTrucTuyen"`
	NgayTuChoi                  string         `json:"NgayTuChoi"`
	NgayNopHoSo                 string         `json:"NgayNopHoSo"`
	DinhDanhCHS                 []DinhDanh     `json:"DinhDanhCHS"`
}

// LePhi is a fee line (items of DanhSachLePhi; the item names are motcua's
// own). On inbound messages a paid line carries the payment's reference.
type LePhi struct {
	TenPhiLePhi        string `json:"TenPhiLePhi"`
	MucPhi             int64  `json:"MucPhi"`
	DaThanhToan        int    `json:"DaThanhToan"`
	ThanhToanTrucTuyen int    `json:"ThanhToanTrucTuyen"`
	NgayThanhToan      string `json:"NgayThanhToan,omitempty"`
	MaGiaoDich         string `json:"MaGiaoDich,omitempty"`
}

// HoSoBoSung is a supplement request (items of DanhSachHoSoBoSung; item
// names motcua's own).
type HoSoBoSung struct {
	NgayYeuCau           string   `json:"NgayYeuCau"`
	NoiDungYeuCau        string   `json:"NoiDungYeuCau"`
	DanhSachGiayToBoSung []string `json:"DanhSachGiayToBoSung"`
	NgayBoSung           string   `json:"NgayBoSung"`
}

// TaiLieu is a submitted file (TaiLieuNop) [C: TepDinhKemId,
// TenTepDinhKem, MaThanhPhanHoSo, DuongDanTaiTepTin, IsDeleted, DuocSoHoa,
// DuocTaiSuDung, DuocLayTuKhoDMQG, MaKetQuaThayThe; TenThanhPhanHoSo is
// motcua's own]. The flags are 1/0 (motcua's reading).
type TaiLieu struct {
	TepDinhKemId      string `json:"TepDinhKemId"`
	TenTepDinhKem     string `json:"TenTepDinhKem"`
	MaThanhPhanHoSo   string `json:"MaThanhPhanHoSo"`
	TenThanhPhanHoSo  string `json:"TenThanhPhanHoSo"`
	DuongDanTaiTepTin string `json:"DuongDanTaiTepTin"`
	IsDeleted         int    `json:"IsDeleted"`
	DuocSoHoa         int    `json:"DuocSoHoa"`
	DuocTaiSuDung     int    `json:"DuocTaiSuDung"`
	DuocLayTuKhoDMQG  int    `json:"DuocLayTuKhoDMQG"`
	MaKetQuaThayThe   string `json:"MaKetQuaThayThe"`
}

// GiayToKetQua is a result document (DanhSachGiayToKetQua) [C: TenGiayTo,
// MaThanhPhanHoSo, GiayToId, DuongDanTepTinKetQua, MaGiayToKetQua; SoKyHieu
// borrowed from the store-of-results query].
type GiayToKetQua struct {
	TenGiayTo            string `json:"TenGiayTo"`
	MaThanhPhanHoSo      string `json:"MaThanhPhanHoSo"`
	GiayToId             string `json:"GiayToId"`
	DuongDanTepTinKetQua string `json:"DuongDanTepTinKetQua"`
	MaGiayToKetQua       string `json:"MaGiayToKetQua"`
	SoKyHieu             string `json:"SoKyHieu"`
}

// DinhDanh identifies the applicant (DinhDanhCHS) [C]; LoaiDinhDanh's
// numbering is motcua's own (see IDKindCode).
type DinhDanh struct {
	LoaiDinhDanh int    `json:"LoaiDinhDanh"`
	SoDinhDanh   string `json:"SoDinhDanh"`
}

// TienDo is one CapNhatTienDoHoSoMC row [C].
type TienDo struct {
	MaHoSo                 string `json:"MaHoSo"`
	NguoiXuLy              string `json:"NguoiXuLy"`
	ChucDanh               string `json:"ChucDanh"`
	ThoiDiemXuLy           string `json:"ThoiDiemXuLy"`
	PhongBanXuLy           string `json:"PhongBanXuLy"`
	NoiDungXuLy            string `json:"NoiDungXuLy"`
	TrangThai              int    `json:"TrangThai"`
	NgayBatDau             string `json:"NgayBatDau"`
	NgayKetThucTheoQuyDinh string `json:"NgayKetThucTheoQuyDinh"`
}

// TraCuu is the query of TraCuuHoSo and LayThuTuc (motcua's shape).
type TraCuu struct {
	MaHoSo string `json:"MaHoSo,omitempty"`
	MaTTHC string `json:"MaTTHC,omitempty"`
}

// ThuTucTomTat is one line of LayDanhSachTTHC (field names motcua's own
// except MaTTHC, TenTTHC, MaLinhVuc).
type ThuTucTomTat struct {
	MaTTHC      *string `json:"MaTTHC"`
	TenTTHC     string  `json:"TenTTHC"`
	MaLinhVuc   *string `json:"MaLinhVuc"`
	CapThucHien *string `json:"CapThucHien"`
	NgayCapNhat string  `json:"NgayCapNhat"`
	BaiBo       bool    `json:"BaiBo"`
}

// ThuTuc is a procedure as LayThuTuc returns it. Values are the national
// data's, verbatim: a null stays nil. Field names other than MaTTHC,
// TenTTHC, MaLinhVuc, TenLinhVuc are motcua's own.
type ThuTuc struct {
	MaTTHC            *string         `json:"MaTTHC"`
	TenTTHC           string          `json:"TenTTHC"`
	MaLinhVuc         *string         `json:"MaLinhVuc"`
	TenLinhVuc        *string         `json:"TenLinhVuc"`
	CapThucHien       *string         `json:"CapThucHien"`
	CoQuanThucHien    *string         `json:"CoQuanThucHien"`
	ThoiHanGiaiQuyet  []ThoiHan       `json:"ThoiHanGiaiQuyet"`
	PhiLePhi          []string        `json:"PhiLePhi"`
	ThanhPhanHoSo     []string        `json:"ThanhPhanHoSo"`
	KetQuaThucHien    *string         `json:"KetQuaThucHien"`
	CanCuPhapLy       []string        `json:"CanCuPhapLy"`
	MucDo             *string         `json:"MucDo"`
	NguonDuLieu       *string         `json:"NguonDuLieu"`
	CacNguon          json.RawMessage `json:"CacNguon,omitempty"`
	VanBanDanChieu    []string        `json:"VanBanDanChieu,omitempty"`
	GhiChuThoiHan     *string         `json:"GhiChuThoiHan,omitempty"`
	GhiChu            *string         `json:"GhiChu,omitempty"`
	GhiChuPhiLePhi    *string         `json:"GhiChuPhiLePhi,omitempty"`
	CanCuPhiLePhi     *string         `json:"CanCuPhiLePhi,omitempty"`
	GhiChuCapThucHien *string         `json:"GhiChuCapThucHien,omitempty"`
	CachThucThucHien  []string        `json:"CachThucThucHien,omitempty"`
	YeuCauDieuKien    *string         `json:"YeuCauDieuKien,omitempty"`
	NgayCapNhat       string          `json:"NgayCapNhat"`
	BaiBo             bool            `json:"BaiBo"`
}

// ThoiHan is a time limit of a procedure for a channel: ThoiGian is the
// national value verbatim ("5 Ngày làm việc", "1 Khác", "10 WORKING_DAY —
// …" or words).
type ThoiHan struct {
	KenhThucHien string  `json:"KenhThucHien"`
	TruongHop    *string `json:"TruongHop,omitempty"`
	ThoiGian     string  `json:"ThoiGian"`
	MoTa         *string `json:"MoTa,omitempty"`
	NguonDuLieu  *string `json:"NguonDuLieu,omitempty"`
	NguonGoc     *string `json:"NguonGoc,omitempty"`
}

// CoQuan is an agency of LayDanhMucCoQuan (names motcua's own).
type CoQuan struct {
	MaCoQuan    string  `json:"MaCoQuan"`
	TenCoQuan   string  `json:"TenCoQuan"`
	MaCoQuanCha *string `json:"MaCoQuanCha"`
}

// LinhVuc is a field of LayDanhMucLinhVuc [C: MaLinhVuc, TenLinhVuc].
type LinhVuc struct {
	MaLinhVuc  string `json:"MaLinhVuc"`
	TenLinhVuc string `json:"TenLinhVuc"`
}

// Envelope is a message the portal forwards to motcua (motcua's own,
// unconfirmed scheme): a service name and its data.
type Envelope struct {
	Service string          `json:"service"`
	Data    json.RawMessage `json:"data"`
}

// HoSoTrucTuyen is the data of a forwarded online dossier
// (TiepNhanHoSoTrucTuyen). National field names as the sync record's where
// they exist; DiaChi, NgaySinh (yyyyMMdd), MucDoTaiKhoan, MaDonVi and
// HinhThucNhanKetQua are motcua's own.
type HoSoTrucTuyen struct {
	MaHoSo                      string     `json:"MaHoSo"`
	MaTTHC                      string     `json:"MaTTHC"`
	MaDonVi                     string     `json:"MaDonVi"`
	LoaiDoiTuong                int        `json:"LoaiDoiTuong"`
	ChuHoSo                     string     `json:"ChuHoSo"`
	SoGiayToChuHoSo             string     `json:"SoGiayToChuHoSo"`
	DinhDanhCHS                 []DinhDanh `json:"DinhDanhCHS"`
	Email                       string     `json:"Email"`
	SoDienThoai                 string     `json:"SoDienThoai"`
	DiaChi                      string     `json:"DiaChi"`
	NgaySinh                    string     `json:"NgaySinh"`
	TrichYeuHoSo                string     `json:"TrichYeuHoSo"`
	NgayNopHoSo                 string     `json:"NgayNopHoSo"`
	TaiKhoanDuocXacThucVoiVNeID int        `json:"TaiKhoanDuocXacThucVoiVNeID"`
	MucDoTaiKhoan               int        `json:"MucDoTaiKhoan"`
	HinhThucNhanKetQua          int        `json:"HinhThucNhanKetQua"`
	TaiLieuNop                  []TaiLieu  `json:"TaiLieuNop"`
	DanhSachLePhi               []LePhi    `json:"DanhSachLePhi"`
}

// BoSungHoSo is the data of a citizen's supplement (BoSungHoSo, motcua's
// own).
type BoSungHoSo struct {
	MaHoSo     string    `json:"MaHoSo"`
	NgayBoSung string    `json:"NgayBoSung"`
	NoiDung    string    `json:"NoiDung"`
	TaiLieuNop []TaiLieu `json:"TaiLieuNop"`
}

// RutHoSo is the data of a withdrawal request (RutHoSo, motcua's own).
type RutHoSo struct {
	MaHoSo     string `json:"MaHoSo"`
	NgayYeuCau string `json:"NgayYeuCau"`
	LyDo       string `json:"LyDo"`
}
