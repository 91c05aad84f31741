// Package payment is motcua's adapter to the national payment platform of
// the DVCQG portal: the messages INIT, QUERY and GET_BILL, the payment
// confirmation the platform pushes back, and the integrity code MaXacThuc
// that every one of them carries. The whole field mapping is in this
// file; the rest of motcua sees only motcua.PaymentGateway.
//
// Sources (integrations.md §4): message types, version 1.0.6, the INIT
// fields and the integrity rule are as public code shows them [C]. The
// answer fields (MaGiaoDich, UrlThanhToan, TrangThaiGD, ThoiGianThanhToan,
// SoBienLai, UrlBienLai) and the fields of the confirmation are not in
// any public source we could read [U]: they are our best reading, kept
// here so that a province holding the official specification changes
// this file only.
package payment

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Protocol constants.
const (
	Version      = "1.0.6"
	MsgInit      = "INIT"
	MsgQuery     = "QUERY"
	MsgBill      = "GET_BILL"
	KindPay      = "PAY"   // LoaiHinhThanhToan
	Language     = "vi-VN" // NgonNgu
	Currency     = "VND"   // MaTienTe
	CodeOK       = "00"    // MaLoi of success
	TimeLayout   = "20060102150405"
	MaxReference = 64
)

// Transaction states as the platform writes them (TrangThaiGD) [U].
const (
	StatePending   = "0"
	StatePaid      = "1"
	StateFailed    = "2"
	StateCancelled = "3"
)

// Message is a message carrying an integrity code: SignedFields lists, in
// order, the fields the code covers; MAC points at the code itself.
type Message interface {
	SignedFields() []string
	MAC() *string
}

// Code returns the integrity code of fields under secret: the lower-case
// hex SHA-256 of the fields and then the secret, joined with "|".
func Code(secret string, fields ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(append(fields[:len(fields):len(fields)], secret), "|")))
	return hex.EncodeToString(sum[:])
}

// Sign sets m's integrity code under secret.
func Sign(m Message, secret string) { *m.MAC() = Code(secret, m.SignedFields()...) }

// Verify reports whether m carries the right integrity code under secret,
// comparing in constant time.
func Verify(m Message, secret string) bool {
	want := Code(secret, m.SignedFields()...)
	return subtle.ConstantTimeCompare([]byte(want), []byte(*m.MAC())) == 1
}

// FeeLine is one fee (PhiLePhi) or one item to pay (DSKhoanNop) [U: the
// inner field names].
type FeeLine struct {
	NoiDung string `json:"NoiDung"`
	SoTien  string `json:"SoTien"`
}

// BillInfo is what the receipt (biên lai) will say: the service, procedure,
// agency and dossier, the payee's accounts and the fee lines.
type BillInfo struct {
	MaDVC           string    `json:"MaDVC"`
	MaTTHC          string    `json:"MaTTHC"`
	MaDonVi         string    `json:"MaDonVi"`
	MaHoSo          string    `json:"MaHoSo"`
	TKThuHuong      string    `json:"TKThuHuong"`
	MaNHThuHuong    string    `json:"MaNHThuHuong"`
	KhoBac          string    `json:"KhoBac"`
	TaiKhoanThuNSNN string    `json:"TaiKhoanThuNSNN"`
	PhiLePhi        []FeeLine `json:"PhiLePhi"`
	DSKhoanNop      []FeeLine `json:"DSKhoanNop"`
}

// InitRequest starts a payment.
type InitRequest struct {
	LoaiBanTin        string   `json:"LoaiBanTin"`
	PhienBan          string   `json:"PhienBan"`
	MaDoiTac          string   `json:"MaDoiTac"`
	MaThamChieu       string   `json:"MaThamChieu"`
	SoTien            string   `json:"SoTien"`
	LoaiHinhThanhToan string   `json:"LoaiHinhThanhToan"`
	MaKenhThanhToan   string   `json:"MaKenhThanhToan"`
	MaThietBi         string   `json:"MaThietBi"`
	NgonNgu           string   `json:"NgonNgu"`
	MaTienTe          string   `json:"MaTienTe"`
	ThongTinGiaoDich  string   `json:"ThongTinGiaoDich"`
	ThoiGianGD        string   `json:"ThoiGianGD"`
	Ip                string   `json:"Ip"`
	ThongTinBienLai   BillInfo `json:"ThongTinBienLai"`
	MaXacThuc         string   `json:"MaXacThuc"`
}

// SignedFields implements Message.
func (m *InitRequest) SignedFields() []string {
	return []string{m.LoaiBanTin, m.PhienBan, m.MaDoiTac, m.MaThamChieu, m.SoTien, m.LoaiHinhThanhToan, m.MaKenhThanhToan,
		m.MaThietBi, m.NgonNgu, m.MaTienTe, m.ThongTinGiaoDich, m.ThoiGianGD, m.Ip}
}

// MAC implements Message.
func (m *InitRequest) MAC() *string { return &m.MaXacThuc }

// InitResponse is the answer to INIT: where to send the payer.
type InitResponse struct {
	MaLoi        string `json:"MaLoi"`
	MoTaLoi      string `json:"MoTaLoi"`
	MaThamChieu  string `json:"MaThamChieu"`
	MaGiaoDich   string `json:"MaGiaoDich"`
	UrlThanhToan string `json:"UrlThanhToan"`
	MaXacThuc    string `json:"MaXacThuc"`
}

// SignedFields implements Message.
func (m *InitResponse) SignedFields() []string {
	return []string{m.MaLoi, m.MaThamChieu, m.MaGiaoDich, m.UrlThanhToan}
}

// MAC implements Message.
func (m *InitResponse) MAC() *string { return &m.MaXacThuc }

// QueryRequest asks where a payment stands (LoaiBanTin QUERY) or for its
// receipt (LoaiBanTin GET_BILL).
type QueryRequest struct {
	LoaiBanTin  string `json:"LoaiBanTin"`
	PhienBan    string `json:"PhienBan"`
	MaDoiTac    string `json:"MaDoiTac"`
	MaThamChieu string `json:"MaThamChieu"`
	ThoiGianGD  string `json:"ThoiGianGD"`
	MaXacThuc   string `json:"MaXacThuc"`
}

// SignedFields implements Message.
func (m *QueryRequest) SignedFields() []string {
	return []string{m.LoaiBanTin, m.PhienBan, m.MaDoiTac, m.MaThamChieu, m.ThoiGianGD}
}

// MAC implements Message.
func (m *QueryRequest) MAC() *string { return &m.MaXacThuc }

// QueryResponse is the answer to QUERY.
type QueryResponse struct {
	MaLoi             string `json:"MaLoi"`
	MoTaLoi           string `json:"MoTaLoi"`
	MaThamChieu       string `json:"MaThamChieu"`
	MaGiaoDich        string `json:"MaGiaoDich"`
	SoTien            string `json:"SoTien"`
	TrangThaiGD       string `json:"TrangThaiGD"`
	ThoiGianThanhToan string `json:"ThoiGianThanhToan"`
	MaXacThuc         string `json:"MaXacThuc"`
}

// SignedFields implements Message.
func (m *QueryResponse) SignedFields() []string {
	return []string{m.MaLoi, m.MaThamChieu, m.MaGiaoDich, m.SoTien, m.TrangThaiGD, m.ThoiGianThanhToan}
}

// MAC implements Message.
func (m *QueryResponse) MAC() *string { return &m.MaXacThuc }

// BillResponse is the answer to GET_BILL: the receipt.
type BillResponse struct {
	MaLoi       string `json:"MaLoi"`
	MoTaLoi     string `json:"MoTaLoi"`
	MaThamChieu string `json:"MaThamChieu"`
	SoBienLai   string `json:"SoBienLai"`
	UrlBienLai  string `json:"UrlBienLai"`
	MaXacThuc   string `json:"MaXacThuc"`
}

// SignedFields implements Message.
func (m *BillResponse) SignedFields() []string {
	return []string{m.MaLoi, m.MaThamChieu, m.SoBienLai, m.UrlBienLai}
}

// MAC implements Message.
func (m *BillResponse) MAC() *string { return &m.MaXacThuc }

// Callback is the confirmation the platform pushes to motcua when a payer
// has paid, failed or cancelled.
type Callback struct {
	MaDoiTac          string `json:"MaDoiTac"`
	MaThamChieu       string `json:"MaThamChieu"`
	MaGiaoDich        string `json:"MaGiaoDich"`
	SoTien            string `json:"SoTien"`
	MaLoi             string `json:"MaLoi"`
	TrangThaiGD       string `json:"TrangThaiGD"`
	ThoiGianThanhToan string `json:"ThoiGianThanhToan"`
	MaXacThuc         string `json:"MaXacThuc"`
}

// SignedFields implements Message.
func (m *Callback) SignedFields() []string {
	return []string{m.MaDoiTac, m.MaThamChieu, m.MaGiaoDich, m.SoTien, m.MaLoi, m.TrangThaiGD, m.ThoiGianThanhToan}
}

// MAC implements Message.
func (m *Callback) MAC() *string { return &m.MaXacThuc }

// CallbackAnswer is motcua's answer to a confirmation.
type CallbackAnswer struct {
	MaLoi     string `json:"MaLoi"`
	MoTaLoi   string `json:"MoTaLoi"`
	MaXacThuc string `json:"MaXacThuc"`
}

// SignedFields implements Message.
func (m *CallbackAnswer) SignedFields() []string { return []string{m.MaLoi, m.MoTaLoi} }

// MAC implements Message.
func (m *CallbackAnswer) MAC() *string { return &m.MaXacThuc }

// StateOf maps TrangThaiGD to a payment state; ok is false for a value the
// protocol does not define.
func StateOf(trangThai string) (s motcua.PaymentState, ok bool) {
	switch trangThai {
	case StatePending:
		return motcua.PaymentPending, true
	case StatePaid:
		return motcua.PaymentPaid, true
	case StateFailed:
		return motcua.PaymentFailed, true
	case StateCancelled:
		return motcua.PaymentCancelled, true
	}
	return "", false
}

// StateCode maps a payment state to TrangThaiGD.
func StateCode(s motcua.PaymentState) string {
	switch s {
	case motcua.PaymentPaid:
		return StatePaid
	case motcua.PaymentFailed:
		return StateFailed
	case motcua.PaymentCancelled:
		return StateCancelled
	}
	return StatePending
}

// maxAmount bounds SoTien (a thousand billion đồng): fees are far smaller,
// and the bound keeps every sum of them in an int64.
const maxAmount = 1_000_000_000_000

// Amount writes an amount in đồng as SoTien (decimal digits, no sign).
func Amount(n int64) string { return strconv.FormatInt(n, 10) }

// ParseAmount reads SoTien: 1 to 13 decimal digits, more than 0 and at
// most maxAmount.
func ParseAmount(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 13 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0 && n <= maxAmount
}

// FormatTime writes an instant as the protocol does: yyyyMMddHHmmss in
// Vietnam time.
func FormatTime(t time.Time) string { return t.In(motcua.VietnamTime).Format(TimeLayout) }

// ParseTime reads a protocol time (Vietnam time) back to an instant.
func ParseTime(s string) (time.Time, bool) {
	t, err := time.ParseInLocation(TimeLayout, s, motcua.VietnamTime)
	return t.UTC(), err == nil
}

// validReference reports whether s can be a MaThamChieu: 1 to 64
// letters, digits, '-', '_' or '.'.
func validReference(s string) bool {
	if len(s) == 0 || len(s) > MaxReference {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// ValidReference reports whether s can be a MaThamChieu.
func ValidReference(s string) bool { return validReference(s) }

// initRequest maps a payment request to INIT, unsigned.
func initRequest(cfg Config, req motcua.PaymentRequest) InitRequest {
	bill := BillInfo{MaDVC: req.ProcedureCode, MaTTHC: req.ProcedureCode, MaDonVi: req.AgencyCode, MaHoSo: req.DossierCode,
		TKThuHuong: cfg.Payee.Account, MaNHThuHuong: cfg.Payee.Bank, KhoBac: cfg.Payee.Treasury,
		TaiKhoanThuNSNN: cfg.Payee.BudgetAccount, PhiLePhi: []FeeLine{}, DSKhoanNop: []FeeLine{}}
	for _, f := range req.Fees {
		line := FeeLine{NoiDung: f.Name, SoTien: Amount(f.Amount)}
		bill.PhiLePhi = append(bill.PhiLePhi, line)
		bill.DSKhoanNop = append(bill.DSKhoanNop, line)
	}
	return InitRequest{LoaiBanTin: MsgInit, PhienBan: Version, MaDoiTac: cfg.Partner, MaThamChieu: req.Reference,
		SoTien: Amount(req.Amount), LoaiHinhThanhToan: KindPay, MaKenhThanhToan: cfg.Channel, MaThietBi: cfg.Device,
		NgonNgu: Language, MaTienTe: Currency, ThongTinGiaoDich: req.Description, ThoiGianGD: FormatTime(req.At), Ip: req.IP,
		ThongTinBienLai: bill}
}
