package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
)

// SubmitRequest is an online dossier as a citizen submits it on the
// portal; the simulator plays the portal that authenticated them.
type SubmitRequest struct {
	// NationalCode, when set, forwards again a dossier already forwarded
	// (the portal retrying); empty: a new code is issued.
	NationalCode  string
	ProcedureCode string
	AgencyCode    string // the competent agency's e-ID code
	IDKind        motcua.IDKind
	IDNumber      string
	FullName      string
	Organization  bool
	Phone         string
	Email         string
	Address       string
	BirthDate     string // yyyyMMdd
	Summary       string
	ReturnMethod  string // "counter" (default), "post" or "online"
	VNeIDVerified bool
	AccountLevel  int // 1 or 2 when VNeIDVerified
	Files         []SubmitFile
	Fees          []SubmitFee
}

// SubmitFile is a file of a submission or a supplement. A file with no
// Data and Reused, FromStore or ReplacedBy set stands for a document the
// citizen did not upload.
type SubmitFile struct {
	ComponentCode string
	Component     string
	Name          string
	Data          []byte
	Digitized     bool
	Reused        bool
	FromStore     bool
	ReplacedBy    string
}

// SubmitFee is a fee line; Paid ones were paid on the portal's payment
// platform, with Reference as the transaction.
type SubmitFee struct {
	Name      string
	Amount    int64
	Paid      bool
	Reference string
}

// ForwardError is motcua's refusal of a forwarded message (an HTTP status
// other than 2xx), with its answer.
type ForwardError struct {
	Status int
	Answer string
}

// Error implements error.
func (e *ForwardError) Error() string {
	return fmt.Sprintf("sim: motcua answered %d: %s", e.Status, e.Answer)
}

// nationalCode issues the next dossier code. Its form, G22.{yyMMdd}.{6
// digits}, is the simulator's own, only meant to look like the portal's.
func (s *Sim) nationalCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Seq++
	return fmt.Sprintf("G22.%s.%06d", s.cfg.Clock().In(motcua.VietnamTime).Format("060102"), s.st.Seq)
}

// Submit forwards an online dossier to motcua and returns its national
// code. As on the portal, only a procedure of the catalogue that is not
// withdrawn can be submitted. The message is recorded with motcua's answer whatever happens; an
// error means motcua did not accept it (a *ForwardError when it answered).
func (s *Sim) Submit(ctx context.Context, r SubmitRequest) (string, error) {
	raw, ok := s.cat.get(r.ProcedureCode)
	var t dvcqg.ThuTucTomTat
	if !ok || json.Unmarshal(raw, &t) != nil || t.BaiBo {
		return "", fmt.Errorf("sim: procedure %q is not in the catalogue or was withdrawn", r.ProcedureCode)
	}
	code := r.NationalCode
	if code == "" {
		code = s.nationalCode()
	}
	kind := r.IDKind
	if kind == "" {
		kind = motcua.IDPersonal
		if r.Organization {
			kind = motcua.IDTaxCode
		}
	}
	h := dvcqg.HoSoTrucTuyen{MaHoSo: code, MaTTHC: r.ProcedureCode, MaDonVi: r.AgencyCode, LoaiDoiTuong: 1,
		ChuHoSo: r.FullName, SoGiayToChuHoSo: r.IDNumber,
		DinhDanhCHS: []dvcqg.DinhDanh{{LoaiDinhDanh: dvcqg.IDKindCode(kind), SoDinhDanh: r.IDNumber}},
		Email:       r.Email, SoDienThoai: r.Phone, DiaChi: r.Address, NgaySinh: r.BirthDate, TrichYeuHoSo: r.Summary,
		NgayNopHoSo: dvcqg.FormatTime(s.cfg.Clock()), MucDoTaiKhoan: r.AccountLevel,
		HinhThucNhanKetQua: dvcqg.ReturnMethodCode(r.ReturnMethod), DanhSachLePhi: []dvcqg.LePhi{}}
	if r.Organization {
		h.LoaiDoiTuong = 2
	}
	if r.VNeIDVerified {
		h.TaiKhoanDuocXacThucVoiVNeID = 1
	}
	if r.ReturnMethod == "" {
		h.HinhThucNhanKetQua = dvcqg.ReturnMethodCode("counter")
	}
	var err error
	if h.TaiLieuNop, err = s.keepFiles(r.Files); err != nil {
		return code, err
	}
	for _, f := range r.Fees {
		l := dvcqg.LePhi{TenPhiLePhi: f.Name, MucPhi: f.Amount}
		if f.Paid {
			l.DaThanhToan, l.ThanhToanTrucTuyen = 1, 1
			l.NgayThanhToan, l.MaGiaoDich = dvcqg.FormatTime(s.cfg.Clock()), f.Reference
		}
		h.DanhSachLePhi = append(h.DanhSachLePhi, l)
	}
	return code, s.forward(ctx, dvcqg.InboundSubmit, code, h)
}

// Supplement forwards a citizen's supplement to a dossier.
func (s *Sim) Supplement(ctx context.Context, nationalCode, note string, files []SubmitFile) error {
	list, err := s.keepFiles(files)
	if err != nil {
		return err
	}
	b := dvcqg.BoSungHoSo{MaHoSo: nationalCode, NgayBoSung: dvcqg.FormatTime(s.cfg.Clock()), NoiDung: note, TaiLieuNop: list}
	return s.forward(ctx, dvcqg.InboundSupplement, nationalCode, b)
}

// Withdraw forwards a citizen's request to withdraw a dossier.
func (s *Sim) Withdraw(ctx context.Context, nationalCode, reason string) error {
	return s.forward(ctx, dvcqg.InboundWithdraw, nationalCode,
		dvcqg.RutHoSo{MaHoSo: nationalCode, NgayYeuCau: dvcqg.FormatTime(s.cfg.Clock()), LyDo: reason})
}

// keepFiles stores the files the simulator will serve and lists them as
// TaiLieuNop.
func (s *Sim) keepFiles(files []SubmitFile) ([]dvcqg.TaiLieu, error) {
	out := []dvcqg.TaiLieu{}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range files {
		t := dvcqg.TaiLieu{TenTepDinhKem: f.Name, MaThanhPhanHoSo: f.ComponentCode, TenThanhPhanHoSo: f.Component,
			DuocSoHoa: b2i(f.Digitized), DuocTaiSuDung: b2i(f.Reused), DuocLayTuKhoDMQG: b2i(f.FromStore), MaKetQuaThayThe: f.ReplacedBy}
		if f.Data != nil {
			id := randomID(12)
			s.st.Files[id] = &File{Name: f.Name, Data: f.Data}
			t.TepDinhKemId, t.DuongDanTaiTepTin = id, s.cfg.BaseURL+"/files/"+id
		}
		out = append(out, t)
	}
	return out, s.saveLocked()
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// forward signs and posts one message to motcua and records it.
func (s *Sim) forward(ctx context.Context, service, code string, data any) error {
	if s.cfg.InboundURL == "" {
		return errors.New("sim: no InboundURL configured")
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	body, err := json.Marshal(dvcqg.Envelope{Service: service, Data: raw})
	if err != nil {
		return err
	}
	f := &Forwarded{MessageID: "dvcqg-" + randomID(12), Service: service, NationalCode: code, At: s.cfg.Clock(), Body: string(body)}
	err = s.send(ctx, f, body)
	s.mu.Lock()
	s.st.Forwarded = append(s.st.Forwarded, f)
	serr := s.saveLocked()
	s.mu.Unlock()
	if err != nil {
		return err
	}
	return serr
}

// Resend posts a recorded message again, unchanged (same id, signed anew
// with the current time): what a replay by the network looks like when
// fresh is true, or an old capture when it is false (original timestamp).
func (s *Sim) Resend(ctx context.Context, messageID string, fresh bool) (int, error) {
	s.mu.Lock()
	var orig *Forwarded
	for _, f := range s.st.Forwarded {
		if f.MessageID == messageID {
			orig = f
		}
	}
	s.mu.Unlock()
	if orig == nil {
		return 0, fmt.Errorf("sim: no forwarded message %s", messageID)
	}
	f := *orig
	if fresh {
		f.At = s.cfg.Clock()
	}
	err := s.send(ctx, &f, []byte(f.Body))
	return f.HTTPStatus, err
}

func (s *Sim) send(ctx context.Context, f *Forwarded, body []byte) error {
	req, err := dvcqg.NewSignedRequest(ctx, s.cfg.InboundURL, s.cfg.Secret, f.MessageID, f.At, body)
	if err != nil {
		f.Error = err.Error()
		return err
	}
	resp, err := s.cfg.HTTP.Do(req)
	if err != nil {
		f.Error = err.Error()
		return err
	}
	defer resp.Body.Close()
	ans, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	f.HTTPStatus, f.Answer = resp.StatusCode, string(ans)
	if resp.StatusCode/100 != 2 {
		return &ForwardError{Status: resp.StatusCode, Answer: string(ans)}
	}
	return nil
}

func (s *Sim) handleFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	f := s.st.Files[r.PathValue("id")]
	s.mu.Unlock()
	if f == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(f.Data)
}
