package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/motcua/motcua/dvcqg"
)

// maxRequest caps a protocol request's body.
const maxRequest = 4 << 20

// faulty applies the fault switches before a protocol handler: down →
// 503, delay → wait (or give up when the caller does), failing → an
// answer with error_code 99 (a file download fails with HTTP 500 instead:
// it has no JSON answer).
func (s *Sim) faulty(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		f := s.faults
		fail := f.FailNext > 0 || (f.ErrorRate > 0 && rand.Float64() < f.ErrorRate)
		if f.FailNext > 0 && !f.Down {
			s.faults.FailNext--
		}
		if fail && !f.Down {
			s.st.Counts.Failed++
		}
		s.mu.Unlock()
		if f.Delay > 0 {
			t := time.NewTimer(f.Delay)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		if f.Down {
			http.Error(w, "Cổng Dịch vụ công quốc gia tạm ngừng phục vụ (mô phỏng).", http.StatusServiceUnavailable)
			return
		}
		if fail && r.Method == http.MethodGet {
			http.Error(w, "Lỗi hệ thống (mô phỏng).", http.StatusInternalServerError)
			return
		}
		if fail {
			writeJSON(w, http.StatusOK, dvcqg.Answer{ErrorCode: dvcqg.CodeInternal, Message: "Lỗi hệ thống (mô phỏng)."})
			return
		}
		h(w, r)
	}
}

func (s *Sim) handleAuth(w http.ResponseWriter, r *http.Request) {
	var req dvcqg.AuthRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, maxRequest)).Decode(&req); err != nil {
		writeJSON(w, http.StatusOK, dvcqg.AuthAnswer{ErrorCode: dvcqg.CodeInvalidRecord, Message: "Yêu cầu không đúng định dạng."})
		return
	}
	if req.Username != s.cfg.Username || req.Password != s.cfg.Password || r.Header.Get(dvcqg.HeaderDstCode) != s.cfg.DstCode {
		s.count(func(c *Counts) { c.Refused++ })
		writeJSON(w, http.StatusOK, dvcqg.AuthAnswer{ErrorCode: dvcqg.CodeAuthFailed, Message: "Sai tên đăng nhập, mật khẩu hoặc dstcode."})
		return
	}
	session := randomID(16)
	s.mu.Lock()
	s.sessions[session] = s.cfg.Clock().Add(s.cfg.SessionTTL)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, dvcqg.AuthAnswer{ErrorCode: dvcqg.CodeOK, Session: session})
}

// ExpireSessions ends every open session, as the portal does when they
// time out.
func (s *Sim) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.sessions)
}

func (s *Sim) count(f func(*Counts)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.st.Counts)
}

// answer writes an answer; a non-zero code is counted as a refusal.
func (s *Sim) answer(w http.ResponseWriter, code int, msg string, data any) {
	a := dvcqg.Answer{ErrorCode: code, Message: msg}
	if code != dvcqg.CodeOK {
		s.count(func(c *Counts) { c.Refused++ })
	}
	if data != nil {
		raw, err := json.Marshal(data)
		if err != nil {
			a = dvcqg.Answer{ErrorCode: dvcqg.CodeInternal, Message: err.Error()}
		}
		a.Data = raw
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Sim) handleIntegration(w http.ResponseWriter, r *http.Request) {
	var req dvcqg.Request
	if err := json.NewDecoder(io.LimitReader(r.Body, maxRequest)).Decode(&req); err != nil {
		s.answer(w, dvcqg.CodeInvalidRecord, "Yêu cầu không đúng định dạng: "+err.Error(), nil)
		return
	}
	if r.Header.Get(dvcqg.HeaderDstCode) != s.cfg.DstCode {
		s.answer(w, dvcqg.CodeAuthFailed, "Sai dstcode.", nil)
		return
	}
	s.mu.Lock()
	exp, ok := s.sessions[req.Session]
	if ok && !s.cfg.Clock().Before(exp) {
		delete(s.sessions, req.Session)
		ok = false
	}
	s.mu.Unlock()
	if !ok {
		s.answer(w, dvcqg.CodeSessionExpired, "Phiên làm việc không tồn tại hoặc đã hết hạn.", nil)
		return
	}
	if req.MaDonVi == "" {
		s.answer(w, dvcqg.CodeInvalidRecord, "Thiếu madonvi.", nil)
		return
	}
	switch req.Service {
	case dvcqg.ServiceSyncDossier:
		s.syncDossier(w, req)
	case dvcqg.ServiceSyncProgress:
		s.syncProgress(w, req)
	case dvcqg.ServiceProcedureList:
		s.answer(w, dvcqg.CodeOK, "", s.cat.list())
	case dvcqg.ServiceProcedure:
		var q dvcqg.TraCuu
		if err := json.Unmarshal(req.Data, &q); err != nil || q.MaTTHC == "" {
			s.answer(w, dvcqg.CodeInvalidRecord, "Thiếu MaTTHC.", nil)
			return
		}
		raw, ok := s.cat.get(q.MaTTHC)
		if !ok {
			s.answer(w, dvcqg.CodeNotFound, "Không có thủ tục mã "+q.MaTTHC+".", nil)
			return
		}
		s.answer(w, dvcqg.CodeOK, "", raw)
	case dvcqg.ServiceAgencies:
		s.answer(w, dvcqg.CodeOK, "", s.cat.agencies)
	case dvcqg.ServiceFields:
		s.answer(w, dvcqg.CodeOK, "", s.cat.fields)
	case dvcqg.ServiceLookupDossier:
		var q dvcqg.TraCuu
		if err := json.Unmarshal(req.Data, &q); err != nil || q.MaHoSo == "" {
			s.answer(w, dvcqg.CodeInvalidRecord, "Thiếu MaHoSo.", nil)
			return
		}
		s.mu.Lock()
		d, ok := s.st.Dossiers[q.MaHoSo]
		var out any
		if ok {
			out = dvcqg.DossierOnPortal{HoSo: d.Record, TienDo: rowsOf(d)}
		}
		s.mu.Unlock()
		if !ok {
			s.answer(w, dvcqg.CodeRecordUnknown, "Không có hồ sơ "+q.MaHoSo+".", nil)
			return
		}
		s.answer(w, dvcqg.CodeOK, "", out)
	default:
		s.answer(w, dvcqg.CodeUnknownService, fmt.Sprintf("Dịch vụ %q không tồn tại.", req.Service), nil)
	}
}

func rowsOf(d *Dossier) []dvcqg.TienDo {
	out := make([]dvcqg.TienDo, 0, len(d.Rows))
	for _, r := range d.Rows {
		out = append(out, r.TienDo)
	}
	return out
}

// syncDossier takes DongBoHoSoMC: every record of the message is checked
// before any is kept (all or nothing).
func (s *Sim) syncDossier(w http.ResponseWriter, req dvcqg.Request) {
	var update bool
	switch req.IsUpdating {
	case "True":
		update = true
	case "False":
	default:
		s.answer(w, dvcqg.CodeInvalidRecord, "isUpdating phải là True hoặc False.", nil)
		return
	}
	var recs []dvcqg.HoSo
	if err := strictJSON(req.Data, &recs); err != nil || len(recs) == 0 {
		s.answer(w, dvcqg.CodeInvalidRecord, "Danh sách hồ sơ không đúng định dạng.", nil)
		return
	}
	for i := range recs {
		if msg := checkRecord(&recs[i]); msg != "" {
			s.answer(w, dvcqg.CodeInvalidRecord, "Hồ sơ "+recs[i].MaHoSo+": "+msg, nil)
			return
		}
	}
	code, msg := s.keepRecords(recs, update)
	if code != dvcqg.CodeOK {
		s.answer(w, code, msg, nil)
		return
	}
	writeJSON(w, http.StatusOK, dvcqg.Answer{ErrorCode: dvcqg.CodeOK, Message: "Thành công"})
}

// keepRecords stores checked records, or refuses them all: the update of a
// dossier the simulator does not hold, the create of one it holds.
func (s *Sim) keepRecords(recs []dvcqg.HoSo, update bool) (int, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range recs {
		_, exists := s.st.Dossiers[h.MaHoSo]
		if update && !exists {
			return dvcqg.CodeRecordUnknown, "Cổng chưa có hồ sơ " + h.MaHoSo + " để cập nhật."
		}
		if !update && exists {
			return dvcqg.CodeRecordExists, "Cổng đã có hồ sơ " + h.MaHoSo + "."
		}
	}
	now := s.cfg.Clock()
	for _, h := range recs {
		d := s.st.Dossiers[h.MaHoSo]
		if d == nil {
			d = &Dossier{CreatedAt: now}
			s.st.Dossiers[h.MaHoSo] = d
			s.st.Order = append(s.st.Order, h.MaHoSo)
			s.st.Counts.Records++
			s.st.Counts.Creates++
		} else {
			d.Updates++
			s.st.Counts.Updates++
		}
		if n := len(d.Statuses); n == 0 || d.Statuses[n-1] != h.TrangThaiHoSo {
			d.Statuses = append(d.Statuses, h.TrangThaiHoSo)
		}
		d.Record, d.UpdatedAt = h, now
	}
	if err := s.saveLocked(); err != nil {
		return dvcqg.CodeInternal, "Không lưu được: " + err.Error()
	}
	return dvcqg.CodeOK, ""
}

// syncProgress takes CapNhatTienDoHoSoMC rows: a row for an unknown dossier
// is refused; the same row again is kept once and counted as a repeat; a
// row earlier than the last one held is kept and marked out of order.
func (s *Sim) syncProgress(w http.ResponseWriter, req dvcqg.Request) {
	var rows []dvcqg.TienDo
	if err := strictJSON(req.Data, &rows); err != nil || len(rows) == 0 {
		s.answer(w, dvcqg.CodeInvalidRecord, "Danh sách tiến độ không đúng định dạng.", nil)
		return
	}
	for i := range rows {
		if msg := checkRow(&rows[i]); msg != "" {
			s.answer(w, dvcqg.CodeInvalidRecord, "Tiến độ hồ sơ "+rows[i].MaHoSo+": "+msg, nil)
			return
		}
	}
	s.mu.Lock()
	for _, r := range rows {
		if s.st.Dossiers[r.MaHoSo] == nil {
			s.mu.Unlock()
			s.answer(w, dvcqg.CodeRecordUnknown, "Cổng chưa có hồ sơ "+r.MaHoSo+".", nil)
			return
		}
	}
	now := s.cfg.Clock()
rows:
	for _, r := range rows {
		d := s.st.Dossiers[r.MaHoSo]
		for i := range d.Rows {
			if d.Rows[i].TienDo == r {
				d.Rows[i].Repeats++
				s.st.Counts.Repeats++
				continue rows
			}
		}
		row := Row{TienDo: r, ReceivedAt: now}
		if n := len(d.Rows); n > 0 && r.ThoiDiemXuLy < d.Rows[n-1].ThoiDiemXuLy {
			row.OutOfOrder = true
			s.st.Counts.OutOfOrder++
		}
		d.Rows = append(d.Rows, row)
		s.st.Counts.Rows++
	}
	err := s.saveLocked()
	s.mu.Unlock()
	if err != nil {
		s.answer(w, dvcqg.CodeInternal, "Không lưu được: "+err.Error(), nil)
		return
	}
	writeJSON(w, http.StatusOK, dvcqg.Answer{ErrorCode: dvcqg.CodeOK, Message: "Thành công"})
}

func strictJSON(data []byte, out any) error {
	return dvcqg.DecodeAnswerData(data, out)
}

// checkRecord returns what is wrong with a dossier record, in Vietnamese,
// or "".
func checkRecord(h *dvcqg.HoSo) string {
	switch {
	case h.MaHoSo == "":
		return "thiếu MaHoSo."
	case h.MaTTHC == "" || h.TenTTHC == "":
		return "thiếu MaTTHC hoặc TenTTHC."
	case h.ChuHoSo == "":
		return "thiếu ChuHoSo."
	case !dvcqg.ValidStatus(h.TrangThaiHoSo):
		return fmt.Sprintf("TrangThaiHoSo %d ngoài khoảng 1–10.", h.TrangThaiHoSo)
	case h.KenhThucHien < 1 || h.KenhThucHien > 3:
		return fmt.Sprintf("KenhThucHien %d không hợp lệ.", h.KenhThucHien)
	case h.DuocThanhToanTrucTuyen < 0 || h.DuocThanhToanTrucTuyen > 2:
		return "DuocThanhToanTrucTuyen không hợp lệ."
	case h.HoSoCoThanhPhanSoHoa > 1 || h.HoSoCoThanhPhanSoHoa < 0 || h.TaiKhoanDuocXacThucVoiVNeID > 1 || h.TaiKhoanDuocXacThucVoiVNeID < 0:
		return "cờ HoSoCoThanhPhanSoHoa / TaiKhoanDuocXacThucVoiVNeID chỉ nhận 0 hoặc 1."
	case h.NgayNopHoSo == "" && h.NgayTiepNhan == "":
		return "thiếu cả NgayNopHoSo và NgayTiepNhan."
	}
	for name, d := range map[string]string{"NgayTiepNhan": h.NgayTiepNhan, "NgayHenTra": h.NgayHenTra, "NgayTra": h.NgayTra,
		"NgayKetThucXuLy": h.NgayKetThucXuLy, "NgayTuChoi": h.NgayTuChoi, "NgayNopHoSo": h.NgayNopHoSo} {
		if _, err := dvcqg.ParseTime(d); err != nil {
			return name + " phải có dạng yyyyMMddHHmmss."
		}
	}
	if h.TrangThaiHoSo == dvcqg.StatusReturned && h.NgayTra == "" {
		return "hồ sơ đã trả kết quả phải có NgayTra."
	}
	if h.TrangThaiHoSo == dvcqg.StatusNotReceived && h.NgayTuChoi == "" {
		return "hồ sơ không được tiếp nhận phải có NgayTuChoi."
	}
	for _, f := range h.TaiLieuNop {
		for _, v := range []int{f.DuocSoHoa, f.DuocTaiSuDung, f.DuocLayTuKhoDMQG, f.IsDeleted} {
			if v != 0 && v != 1 {
				return "cờ của tài liệu nộp chỉ nhận 0 hoặc 1."
			}
		}
	}
	for _, k := range h.DanhSachGiayToKetQua {
		// An electronic result's file is fetched by the portal: an
		// absolute http(s) address, and only with the result's code.
		if p := k.DuongDanTepTinKetQua; p != "" {
			u, err := url.Parse(p)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return "DuongDanTepTinKetQua phải là địa chỉ http(s) đầy đủ."
			}
			if k.MaGiayToKetQua == "" {
				return "giấy tờ kết quả có tệp điện tử phải có MaGiayToKetQua."
			}
		}
	}
	return ""
}

// checkRow returns what is wrong with a progress row, or "".
func checkRow(r *dvcqg.TienDo) string {
	switch {
	case r.MaHoSo == "":
		return "thiếu MaHoSo."
	case r.ThoiDiemXuLy == "":
		return "thiếu ThoiDiemXuLy."
	case r.NoiDungXuLy == "":
		return "thiếu NoiDungXuLy."
	case !dvcqg.ValidStatus(r.TrangThai):
		return fmt.Sprintf("TrangThai %d ngoài khoảng 1–10.", r.TrangThai)
	}
	for name, d := range map[string]string{"ThoiDiemXuLy": r.ThoiDiemXuLy, "NgayBatDau": r.NgayBatDau, "NgayKetThucTheoQuyDinh": r.NgayKetThucTheoQuyDinh} {
		if _, err := dvcqg.ParseTime(d); err != nil {
			return name + " phải có dạng yyyyMMddHHmmss."
		}
	}
	return ""
}
