package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/payment"
)

// Error codes the simulator answers with (MaLoi) [U].
const (
	codeMalformed = "01"
	codeUnknown   = "02"
	codeExists    = "03"
	codeNotPaid   = "04"
	codePartner   = "05"
	codeMAC       = "07"
)

// message answers INIT, QUERY and GET_BILL.
func (s *Sim) message(w http.ResponseWriter, r *http.Request) {
	f := s.currentFaults()
	if f.Down {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	if f.SlowMS > 0 {
		select {
		case <-time.After(time.Duration(f.SlowMS) * time.Millisecond):
		case <-r.Context().Done():
			return
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	var kind struct{ LoaiBanTin string }
	if err := json.Unmarshal(body, &kind); err != nil {
		s.answer(w, &payment.InitResponse{MaLoi: codeMalformed, MoTaLoi: "Bản tin không đúng định dạng"})
		return
	}
	switch kind.LoaiBanTin {
	case payment.MsgInit:
		var m payment.InitRequest
		if err := json.Unmarshal(body, &m); err != nil {
			s.answer(w, &payment.InitResponse{MaLoi: codeMalformed, MoTaLoi: "Bản tin không đúng định dạng"})
			return
		}
		s.answer(w, s.init(r, &m))
	case payment.MsgQuery, payment.MsgBill:
		var m payment.QueryRequest
		if err := json.Unmarshal(body, &m); err != nil {
			s.answer(w, &payment.QueryResponse{MaLoi: codeMalformed, MoTaLoi: "Bản tin không đúng định dạng"})
			return
		}
		if kind.LoaiBanTin == payment.MsgQuery {
			s.answer(w, s.query(&m))
		} else {
			s.answer(w, s.getBill(r, &m))
		}
	default:
		s.answer(w, &payment.QueryResponse{MaLoi: codeMalformed, MoTaLoi: "Loại bản tin không hỗ trợ"})
	}
}

func (s *Sim) answer(w http.ResponseWriter, m payment.Message) {
	s.sign(m)
	writeJSON(w, m)
}

func (s *Sim) init(r *http.Request, m *payment.InitRequest) *payment.InitResponse {
	ans := &payment.InitResponse{MaThamChieu: m.MaThamChieu}
	amount, ok := payment.ParseAmount(m.SoTien)
	switch {
	case !payment.Verify(m, s.cfg.Secret):
		ans.MaLoi, ans.MoTaLoi = codeMAC, "Sai mã xác thực"
	case m.MaDoiTac != s.cfg.Partner:
		ans.MaLoi, ans.MoTaLoi = codePartner, "Đối tác không hợp lệ"
	case !ok || !payment.ValidReference(m.MaThamChieu) || m.PhienBan != payment.Version || m.LoaiHinhThanhToan != payment.KindPay ||
		m.MaTienTe != payment.Currency:
		ans.MaLoi, ans.MoTaLoi = codeMalformed, "Thiếu hoặc sai thông tin giao dịch"
	}
	if ans.MaLoi != "" {
		return ans
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.txns[m.MaThamChieu]; exists {
		ans.MaLoi, ans.MoTaLoi = codeExists, "Mã tham chiếu đã tồn tại"
		return ans
	}
	s.seq++
	t := &Txn{Reference: m.MaThamChieu, TransactionID: fmt.Sprintf("GD%s%06d", s.cfg.Now().Format("060102"), s.seq), Amount: amount,
		Description: m.ThongTinGiaoDich, DossierCode: m.ThongTinBienLai.MaHoSo, ProcedureCode: m.ThongTinBienLai.MaTTHC,
		AgencyCode: m.ThongTinBienLai.MaDonVi, Fees: m.ThongTinBienLai.PhiLePhi, State: string(motcua.PaymentPending),
		CreatedAt: s.cfg.Now().UTC()}
	s.txns[t.Reference] = t
	s.save()
	ans.MaLoi, ans.MoTaLoi, ans.MaGiaoDich = payment.CodeOK, "Thành công", t.TransactionID
	ans.UrlThanhToan = s.baseURL(r) + "/pay/" + t.Reference
	return ans
}

// lookup checks a QUERY or GET_BILL and finds its transaction; on failure
// it fills code and text.
func (s *Sim) lookup(m *payment.QueryRequest) (t Txn, code, text string) {
	if !payment.Verify(m, s.cfg.Secret) {
		return t, codeMAC, "Sai mã xác thực"
	}
	if m.MaDoiTac != s.cfg.Partner {
		return t, codePartner, "Đối tác không hợp lệ"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.txns[m.MaThamChieu]
	if !ok {
		return t, codeUnknown, "Không tìm thấy giao dịch"
	}
	return *cur, "", ""
}

func (s *Sim) query(m *payment.QueryRequest) *payment.QueryResponse {
	t, code, text := s.lookup(m)
	if code != "" {
		return &payment.QueryResponse{MaLoi: code, MoTaLoi: text, MaThamChieu: m.MaThamChieu}
	}
	ans := &payment.QueryResponse{MaLoi: payment.CodeOK, MoTaLoi: "Thành công", MaThamChieu: t.Reference, MaGiaoDich: t.TransactionID,
		SoTien: payment.Amount(t.Amount), TrangThaiGD: payment.StateCode(motcua.PaymentState(t.State))}
	if !t.PaidAt.IsZero() {
		ans.ThoiGianThanhToan = payment.FormatTime(t.PaidAt)
	}
	return ans
}

func (s *Sim) getBill(r *http.Request, m *payment.QueryRequest) *payment.BillResponse {
	t, code, text := s.lookup(m)
	if code == "" && t.BillNumber == "" {
		code, text = codeNotPaid, "Giao dịch chưa thanh toán"
	}
	if code != "" {
		return &payment.BillResponse{MaLoi: code, MoTaLoi: text, MaThamChieu: m.MaThamChieu}
	}
	return &payment.BillResponse{MaLoi: payment.CodeOK, MoTaLoi: "Thành công", MaThamChieu: t.Reference, SoBienLai: t.BillNumber,
		UrlBienLai: s.baseURL(r) + "/bill/" + t.Reference}
}
