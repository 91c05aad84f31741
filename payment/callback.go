package payment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// MaxCallbackSize bounds a confirmation's body; a real one is a few
// hundred bytes.
const MaxCallbackSize = 8 << 10

func malformed(what string) error {
	return motcua.Errorf(motcua.EINVALID, "payment_callback_malformed", "Xác nhận thanh toán không hợp lệ: %s.", what)
}

// ParseCallback parses a confirmation pushed by the platform and verifies
// its integrity code under secret (in constant time). It returns EINVALID
// for a body that is too large (payment_callback_too_large), not JSON, or
// lacks a valid reference, amount, state or payment time
// (payment_callback_malformed), and EFORBIDDEN (payment_callback_forged)
// when the integrity code is wrong. It never panics, whatever the input.
func ParseCallback(body []byte, secret string) (*motcua.PaymentCallback, error) {
	cb, _, err := parseCallback(body, secret)
	return cb, err
}

func parseCallback(body []byte, secret string) (*motcua.PaymentCallback, *Callback, error) {
	if len(body) > MaxCallbackSize {
		return nil, nil, motcua.Errorf(motcua.EINVALID, "payment_callback_too_large", "Xác nhận thanh toán quá lớn.")
	}
	if !utf8.Valid(body) {
		return nil, nil, malformed("không phải UTF-8")
	}
	var m Callback
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil {
		return nil, nil, malformed("không đúng định dạng JSON")
	}
	if dec.More() {
		return nil, nil, malformed("có phần thừa sau đối tượng JSON")
	}
	if !validReference(m.MaThamChieu) {
		return nil, nil, malformed("thiếu hoặc sai mã tham chiếu")
	}
	amount, ok := ParseAmount(m.SoTien)
	if !ok {
		return nil, nil, malformed("thiếu hoặc sai số tiền")
	}
	if len(m.MaXacThuc) != 64 {
		return nil, nil, motcua.Errorf(motcua.EFORBIDDEN, "payment_callback_forged", "Xác nhận thanh toán sai mã xác thực.")
	}
	if !Verify(&m, secret) {
		return nil, nil, motcua.Errorf(motcua.EFORBIDDEN, "payment_callback_forged", "Xác nhận thanh toán sai mã xác thực.")
	}
	st, ok := StateOf(m.TrangThaiGD)
	if !ok || st == motcua.PaymentPending {
		return nil, nil, malformed("trạng thái giao dịch không xác định")
	}
	// A success code with a state other than paid, or the reverse, is a
	// contradiction: believe neither.
	if (m.MaLoi == CodeOK) != (st == motcua.PaymentPaid) {
		return nil, nil, malformed("mã lỗi và trạng thái giao dịch mâu thuẫn")
	}
	if len(m.MaGiaoDich) > 64 || len(m.MaDoiTac) > 64 {
		return nil, nil, malformed("mã giao dịch quá dài")
	}
	out := &motcua.PaymentCallback{PaymentStatus: motcua.PaymentStatus{Reference: m.MaThamChieu, TransactionID: m.MaGiaoDich,
		State: st, Amount: amount}}
	if st == motcua.PaymentPaid {
		at, ok := ParseTime(m.ThoiGianThanhToan)
		if !ok {
			return nil, nil, malformed("thiếu hoặc sai thời gian thanh toán")
		}
		out.PaidAt = at
	}
	out.Raw = fmt.Sprintf("ref=%s gd=%q tien=%d trang_thai=%s ma_loi=%q", m.MaThamChieu, clip(m.MaGiaoDich, 64), amount, m.TrangThaiGD, clip(m.MaLoi, 8))
	return out, &m, nil
}
