// Package kho is motcua's adapter of the national store of results and
// personal electronic data (Kho quản lý dữ liệu điện tử của tổ chức, cá
// nhân on the national portal, NĐ 118/2025 Art.22): it asks the store for
// the documents of a citizen that a procedure can reuse, and pushes the
// results motcua issues. It implements motcua.NationalResultStore. The
// official specification is not public; the query and answer fields are
// those docs/integrations.md §5 confirms [C] (TD's KhoSoHoaDVCQGParams),
// carried as signed JSON over HTTP like the population database's
// adapter [own]. Every national name is in this file and mapping.go.
package kho

// Services (paths under the base URL) [own names].
const (
	ServiceQuery = "TraCuuGiayToKetQua" // the owner's documents
	ServicePush  = "DongBoKetQua"       // a result issued by motcua
)

// Headers of the signed exchange: the integration code, the Unix time and
// the HMAC-SHA256 of "timestamp|body" under the shared secret.
const (
	HeaderClient    = "X-Kho-Client"
	HeaderTimestamp = "X-Kho-Timestamp"
	HeaderSignature = "X-Kho-Signature"
)

// MaxAnswer bounds an answer, in bytes.
const MaxAnswer = 256 << 10

// MaxDocuments bounds the documents of one answer.
const MaxDocuments = 200

// DanhMucKetQua names a wanted document type (and, optionally, number).
type DanhMucKetQua struct {
	MaKetQua string `json:"MaKetQua"`
	SoKyHieu string `json:"SoKyHieu,omitempty"`
}

// TruyVan is the query [C].
type TruyVan struct {
	MaYeuCau              string          `json:"MaYeuCau"` // [own] echoed by the answer
	SoDinhDanhChuSoHuu    string          `json:"SoDinhDanhChuSoHuu"`
	SoDinhDanhNguoiYeuCau string          `json:"SoDinhDanhNguoiYeuCau"`
	HoTenNguoiYeuCau      string          `json:"HoTenNguoiYeuCau"`
	KenhThucHien          int             `json:"KenhThucHien"`
	MaThuTuc              string          `json:"MaThuTuc"`
	DanhSachDanhMucKetQua []DanhMucKetQua `json:"DanhSachDanhMucKetQua,omitempty"`
}

// TepDinhKem is a file of a document [C].
type TepDinhKem struct {
	TenTep   string `json:"TenTep"`
	DuongDan string `json:"DuongDan"`
}

// GiayToKetQua is a document of the answer [C]; SoDinhDanhChuSoHuu [own]
// says whose it is, so that an answer about another person is refused.
type GiayToKetQua struct {
	MaKetQua           string       `json:"MaKetQua"`
	TenGiayTo          string       `json:"TenGiayTo"`
	SoKyHieu           string       `json:"SoKyHieu"`
	CoQuanChuQuan      string       `json:"CoQuanChuQuan"`
	SoDinhDanhChuSoHuu string       `json:"SoDinhDanhChuSoHuu"`
	DanhSachTepDinhKem []TepDinhKem `json:"DanhSachTepDinhKem,omitempty"`
}

// TraLoi is the answer: MaLoi "00" success, "01" malformed query, "04"
// unauthenticated, "99" failure [own codes].
type TraLoi struct {
	MaYeuCau             string         `json:"MaYeuCau"`
	MaLoi                string         `json:"MaLoi"`
	MoTaLoi              string         `json:"MoTaLoi,omitempty"`
	DanhSachGiayToKetQua []GiayToKetQua `json:"DanhSachGiayToKetQua"`
}

// KetQuaDongBo is a result pushed to the store [own shape, §5's names].
type KetQuaDongBo struct {
	MaYeuCau           string       `json:"MaYeuCau"`
	MaHoSo             string       `json:"MaHoSo"`
	MaThuTuc           string       `json:"MaThuTuc"`
	SoDinhDanhChuSoHuu string       `json:"SoDinhDanhChuSoHuu"`
	MaKetQua           string       `json:"MaKetQua"`
	TenGiayTo          string       `json:"TenGiayTo"`
	SoKyHieu           string       `json:"SoKyHieu"`
	CoQuanChuQuan      string       `json:"CoQuanChuQuan"`
	MaCoQuan           string       `json:"MaCoQuan"`
	NgayCap            string       `json:"NgayCap"` // yyyy-mm-dd, Vietnam time
	DanhSachTepDinhKem []TepDinhKem `json:"DanhSachTepDinhKem,omitempty"`
}
