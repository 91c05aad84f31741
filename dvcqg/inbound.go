package dvcqg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// Inbound reads the messages the portal forwards to motcua: online
// dossiers, citizens' supplements and withdrawal requests. Nothing in a
// message is believed before its size, signature, age and fields are
// checked, and files are fetched only from FileBase.
//
// Replays: Read returns the message id in the parsed value (MessageID) and
// does not remember it; the caller must store the ids it has seen for at
// least Window and refuse one seen before (a message older than Window is
// refused here as stale, so that store can be pruned).
type Inbound struct {
	Secret   []byte
	MaxBody  int64 // bytes of the JSON body; 0: 1 MiB
	MaxFile  int64 // bytes of one file; 0: 10 MiB
	MaxTotal int64 // bytes of all the files of a message; 0: 50 MiB
	MaxFiles int   // files in a message; 0: 30
	// FileBase is the only URL prefix files may be fetched from (scheme,
	// host and path prefix), so that a message cannot make motcua fetch
	// an address of the portal's choosing (SSRF).
	FileBase string
	HTTP     *http.Client // nil: a client with a 30 s timeout
	Clock    func() time.Time
	Window   time.Duration // allowed clock difference and message age; 0: 5 min
}

func (in *Inbound) maxBody() int64  { return orDefault(in.MaxBody, 1<<20) }
func (in *Inbound) maxFile() int64  { return orDefault(in.MaxFile, 10<<20) }
func (in *Inbound) maxTotal() int64 { return orDefault(in.MaxTotal, 50<<20) }
func (in *Inbound) maxFiles() int   { return int(orDefault(int64(in.MaxFiles), 30)) }

func orDefault(v, d int64) int64 {
	if v <= 0 {
		return d
	}
	return v
}

// Read verifies and parses one forwarded message and returns exactly one of
// *motcua.PortalSubmission, *motcua.PortalSupplement or
// *motcua.PortalWithdrawal, with every file's bytes fetched. Errors are
// *motcua.Error with an English reason (body_too_large, unsigned,
// bad_signature, stale_message, malformed, unknown_service,
// message_invalid with per-field messages, too_many_files, file_too_large,
// file_outside_base, file_fetch_failed) and a Vietnamese message;
// HTTPStatus gives the status to answer with.
func (in *Inbound) Read(r *http.Request) (any, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, in.maxBody()+1))
	if err != nil {
		return nil, motcua.Errorf(motcua.EINVALID, "malformed", "Không đọc được nội dung thông điệp.")
	}
	if int64(len(body)) > in.maxBody() {
		return nil, motcua.Errorf(motcua.EINVALID, "body_too_large", "Thông điệp vượt quá kích thước cho phép (%d byte).", in.maxBody())
	}
	msgID, ts, sig := r.Header.Get(HeaderMessageID), r.Header.Get(HeaderTimestamp), r.Header.Get(HeaderSignature)
	if msgID == "" || ts == "" || sig == "" {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "unsigned", "Thông điệp thiếu mã thông điệp, thời điểm gửi hoặc chữ ký.")
	}
	if len(in.Secret) == 0 || !validSignature(in.Secret, msgID, ts, body, sig) {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "bad_signature", "Chữ ký của thông điệp không hợp lệ.")
	}
	if !messageIDRe.MatchString(msgID) {
		return nil, motcua.Errorf(motcua.EINVALID, "malformed", "Mã thông điệp không hợp lệ.")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "stale_message", "Thời điểm gửi của thông điệp không hợp lệ.")
	}
	window := in.Window
	if window <= 0 {
		window = 5 * time.Minute
	}
	now := time.Now
	if in.Clock != nil {
		now = in.Clock
	}
	if d := now().Sub(time.Unix(sec, 0)); d > window || d < -window {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "stale_message", "Thông điệp đã quá hạn hoặc thời điểm gửi lệch quá %v.", window)
	}
	msg, files, err := ParseBody(body, msgID, in.maxFiles())
	if err != nil {
		return nil, err
	}
	if err := in.fetchAll(r.Context(), files); err != nil {
		return nil, err
	}
	return msg, nil
}

// PendingFile is a file of a parsed message whose bytes are still to be
// fetched from URL into Upload.Data.
type PendingFile struct {
	URL    string
	Upload *motcua.PortalUpload
}

var (
	messageIDRe    = regexp.MustCompile(`^[A-Za-z0-9._:\-]{1,100}$`)
	nationalCodeRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$`)
	// procedureCodeRe: "1.000593" or the full form "1.003560.000.00.00.H56".
	procedureCodeRe = regexp.MustCompile(`^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?$`)
	agencyCodeRe    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]{0,39}$`)
	birthRe         = regexp.MustCompile(`^\d{8}$`)
)

// ParseBody parses and checks the JSON body of a forwarded message (without
// its signature, which Read has checked) and returns the parsed value and
// the files to fetch. At most maxFiles files are accepted.
func ParseBody(body []byte, msgID string, maxFiles int) (any, []PendingFile, error) {
	var env Envelope
	if err := strictDecode(body, &env); err != nil {
		return nil, nil, malformed(err)
	}
	if len(env.Data) == 0 || string(env.Data) == "null" {
		return nil, nil, motcua.Errorf(motcua.EINVALID, "malformed", "Thông điệp không có dữ liệu.")
	}
	v := &validator{fields: map[string]string{}}
	switch env.Service {
	case InboundSubmit:
		var h HoSoTrucTuyen
		if err := strictDecode(env.Data, &h); err != nil {
			return nil, nil, malformed(err)
		}
		if err := tooMany(len(h.TaiLieuNop), maxFiles); err != nil {
			return nil, nil, err
		}
		s, files := v.submission(&h, msgID)
		if err := v.err(); err != nil {
			return nil, nil, err
		}
		return s, files, nil
	case InboundSupplement:
		var b BoSungHoSo
		if err := strictDecode(env.Data, &b); err != nil {
			return nil, nil, malformed(err)
		}
		if err := tooMany(len(b.TaiLieuNop), maxFiles); err != nil {
			return nil, nil, err
		}
		s := &motcua.PortalSupplement{MessageID: msgID, NationalCode: v.code(b.MaHoSo), At: v.date("NgayBoSung", b.NgayBoSung, true),
			Note: v.text("NoiDung", b.NoiDung, 2000, false)}
		var files []PendingFile
		s.Components, files = v.components(b.TaiLieuNop)
		if len(s.Components) == 0 && s.Note == "" {
			v.fail("TaiLieuNop", "Hồ sơ bổ sung không có giấy tờ nào.")
		}
		if err := v.err(); err != nil {
			return nil, nil, err
		}
		return s, files, nil
	case InboundWithdraw:
		var w RutHoSo
		if err := strictDecode(env.Data, &w); err != nil {
			return nil, nil, malformed(err)
		}
		out := &motcua.PortalWithdrawal{MessageID: msgID, NationalCode: v.code(w.MaHoSo), At: v.date("NgayYeuCau", w.NgayYeuCau, true),
			Reason: v.text("LyDo", w.LyDo, 2000, true)}
		if err := v.err(); err != nil {
			return nil, nil, err
		}
		return out, nil, nil
	}
	return nil, nil, motcua.Errorf(motcua.EINVALID, "unknown_service", "Loại thông điệp %q không được hỗ trợ.", truncate(env.Service, 60))
}

func tooMany(n, max int) error {
	if n > max {
		return motcua.Errorf(motcua.EINVALID, "too_many_files", "Thông điệp có %d tệp, vượt quá %d tệp cho phép.", n, max)
	}
	return nil
}

func strictDecode(data []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

func malformed(err error) error {
	return motcua.Errorf(motcua.EINVALID, "malformed", "Thông điệp không đúng định dạng JSON của giao thức: %s", truncate(err.Error(), 200))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// validator gathers per-field Vietnamese messages, keyed by the national
// field name.
type validator struct{ fields map[string]string }

func (v *validator) fail(field, msg string) {
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = msg
	}
}

func (v *validator) err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &motcua.Error{Code: motcua.EINVALID, Reason: "message_invalid", Message: "Thông điệp có dữ liệu không hợp lệ.", Fields: v.fields}
}

func (v *validator) code(s string) string {
	if !nationalCodeRe.MatchString(s) {
		v.fail("MaHoSo", "Mã hồ sơ quốc gia thiếu hoặc không đúng định dạng.")
	}
	return s
}

func (v *validator) text(field, s string, max int, required bool) string {
	s = strings.TrimSpace(s)
	switch {
	case required && s == "":
		v.fail(field, "Thiếu "+field+".")
	case utf8.RuneCountInString(s) > max:
		v.fail(field, fmt.Sprintf("%s dài quá %d ký tự.", field, max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' }):
		v.fail(field, field+" chứa ký tự điều khiển.")
	}
	return s
}

func (v *validator) date(field, s string, required bool) time.Time {
	if s == "" {
		if required {
			v.fail(field, "Thiếu "+field+".")
		}
		return time.Time{}
	}
	t, err := ParseTime(s)
	if err != nil || t.Year() < 2000 || t.Year() > 2200 {
		v.fail(field, field+" phải có dạng yyyyMMddHHmmss.")
	}
	return t
}

func (v *validator) flag(field string, n int) bool {
	if n != 0 && n != 1 {
		v.fail(field, field+" chỉ nhận 0 hoặc 1.")
	}
	return n == 1
}

func (v *validator) submission(h *HoSoTrucTuyen, msgID string) (*motcua.PortalSubmission, []PendingFile) {
	s := &motcua.PortalSubmission{MessageID: msgID, NationalCode: v.code(h.MaHoSo), ProcedureCode: h.MaTTHC, AgencyCode: h.MaDonVi}
	if !procedureCodeRe.MatchString(h.MaTTHC) {
		v.fail("MaTTHC", "Mã thủ tục hành chính thiếu hoặc không đúng định dạng.")
	}
	if !agencyCodeRe.MatchString(h.MaDonVi) {
		v.fail("MaDonVi", "Mã đơn vị tiếp nhận thiếu hoặc không đúng định dạng.")
	}
	a := &s.Applicant
	a.Kind = motcua.ApplicantCitizen
	switch h.LoaiDoiTuong {
	case applicantCitizen, 0:
	case applicantOrganization:
		a.Kind = motcua.ApplicantOrganization
	default:
		v.fail("LoaiDoiTuong", "Loại đối tượng không hợp lệ.")
	}
	a.FullName = v.text("ChuHoSo", h.ChuHoSo, 200, true)
	a.IDKind = motcua.IDPersonal
	if a.Kind == motcua.ApplicantOrganization {
		a.IDKind = motcua.IDTaxCode
	}
	if len(h.DinhDanhCHS) > 5 {
		v.fail("DinhDanhCHS", "Quá nhiều định danh chủ hồ sơ.")
	} else if len(h.DinhDanhCHS) > 0 {
		if k := IDKindFromCode(h.DinhDanhCHS[0].LoaiDinhDanh); k != "" {
			a.IDKind = k
		} else {
			v.fail("DinhDanhCHS", "Loại định danh chủ hồ sơ không hợp lệ.")
		}
		if h.SoGiayToChuHoSo == "" {
			h.SoGiayToChuHoSo = h.DinhDanhCHS[0].SoDinhDanh
		} else if motcua.NormalizeIDNumber(h.SoGiayToChuHoSo) != motcua.NormalizeIDNumber(h.DinhDanhCHS[0].SoDinhDanh) {
			v.fail("DinhDanhCHS", "Số định danh chủ hồ sơ không khớp với số giấy tờ.")
		}
	}
	a.IDNumber = motcua.NormalizeIDNumber(h.SoGiayToChuHoSo)
	if err := motcua.ValidateIDNumber(a.IDKind, a.IDNumber); err != nil {
		v.fail("SoGiayToChuHoSo", motcua.ErrorMessage(err))
	}
	a.Phone = motcua.NormalizePhone(h.SoDienThoai)
	if err := motcua.ValidatePhone(a.Phone); err != nil {
		v.fail("SoDienThoai", motcua.ErrorMessage(err))
	}
	a.Email = v.text("Email", h.Email, 254, false)
	if a.Email != "" && (!strings.Contains(a.Email, "@") || strings.ContainsAny(a.Email, " <>\"")) {
		v.fail("Email", "Địa chỉ thư điện tử không hợp lệ.")
	}
	a.Address = v.text("DiaChi", h.DiaChi, 500, false)
	if h.NgaySinh != "" {
		t, err := time.Parse("20060102", h.NgaySinh)
		if !birthRe.MatchString(h.NgaySinh) || err != nil || t.Year() < 1900 {
			v.fail("NgaySinh", "Ngày sinh phải có dạng yyyyMMdd.")
		} else {
			a.DateOfBirth = t.Format("2006-01-02")
		}
	}
	a.VNeIDVerified = v.flag("TaiKhoanDuocXacThucVoiVNeID", h.TaiKhoanDuocXacThucVoiVNeID)
	switch {
	case h.MucDoTaiKhoan < 0 || h.MucDoTaiKhoan > 2:
		v.fail("MucDoTaiKhoan", "Mức độ tài khoản định danh điện tử chỉ là 1 hoặc 2.")
	case a.VNeIDVerified && h.MucDoTaiKhoan == 0:
		v.fail("MucDoTaiKhoan", "Tài khoản đã xác thực với VNeID phải có mức độ 1 hoặc 2.")
	case !a.VNeIDVerified && h.MucDoTaiKhoan != 0:
		v.fail("MucDoTaiKhoan", "Tài khoản chưa xác thực với VNeID không có mức độ định danh.")
	}
	s.AccountLevel = h.MucDoTaiKhoan
	s.SubmittedAt = v.date("NgayNopHoSo", h.NgayNopHoSo, true)
	s.Summary = v.text("TrichYeuHoSo", h.TrichYeuHoSo, 2000, false)
	s.ReturnMethod = returnMethods[h.HinhThucNhanKetQua]
	if s.ReturnMethod == "" {
		v.fail("HinhThucNhanKetQua", "Hình thức nhận kết quả không hợp lệ.")
	}
	if len(h.DanhSachLePhi) > 20 {
		v.fail("DanhSachLePhi", "Quá nhiều khoản phí, lệ phí.")
		h.DanhSachLePhi = nil
	}
	for _, f := range h.DanhSachLePhi {
		name := v.text("DanhSachLePhi", f.TenPhiLePhi, 300, true)
		if f.MucPhi < 0 || f.MucPhi > 1_000_000_000_000 {
			v.fail("DanhSachLePhi", "Mức phí, lệ phí không hợp lệ.")
		}
		paid, online := v.flag("DanhSachLePhi", f.DaThanhToan), v.flag("DanhSachLePhi", f.ThanhToanTrucTuyen)
		if !paid {
			continue
		}
		if !online {
			v.fail("DanhSachLePhi", "Khoản phí đã nộp qua Cổng phải là thanh toán trực tuyến.")
		}
		at := v.date("DanhSachLePhi", f.NgayThanhToan, true)
		ref := v.text("DanhSachLePhi", f.MaGiaoDich, 100, true)
		s.Payments = append(s.Payments, motcua.PortalPayment{Name: name, Amount: f.MucPhi, PaidAt: at, Reference: ref})
	}
	var files []PendingFile
	s.Components, files = v.components(h.TaiLieuNop)
	return s, files
}

// components groups the submitted files by component, in the order they
// come. A file may have no URL only when it stands for a reused result or
// one taken from the national store.
func (v *validator) components(list []TaiLieu) ([]motcua.PortalComponent, []PendingFile) {
	type key struct{ code, name string }
	index := map[key]int{}
	var comps []motcua.PortalComponent
	var pending []struct {
		comp int
		url  string
		name string
	}
	for _, f := range list {
		name := v.text("TenThanhPhanHoSo", f.TenThanhPhanHoSo, 500, false)
		code := v.text("MaThanhPhanHoSo", f.MaThanhPhanHoSo, 100, false)
		file := v.text("TenTepDinhKem", f.TenTepDinhKem, 255, false)
		if name == "" {
			name = file
		}
		if name == "" {
			v.fail("TenThanhPhanHoSo", "Thành phần hồ sơ không có tên.")
		}
		if f.IsDeleted != 0 {
			v.flag("IsDeleted", f.IsDeleted)
			continue
		}
		k := key{code, name}
		i, ok := index[k]
		if !ok {
			i = len(comps)
			index[k] = i
			seq, _ := strconv.Atoi(code)
			comps = append(comps, motcua.PortalComponent{Code: code, Name: name, Seq: max(seq, 0)})
		}
		c := &comps[i]
		c.Digitized = v.flag("DuocSoHoa", f.DuocSoHoa) || c.Digitized
		c.Reused = v.flag("DuocTaiSuDung", f.DuocTaiSuDung) || c.Reused
		c.FromStore = v.flag("DuocLayTuKhoDMQG", f.DuocLayTuKhoDMQG) || c.FromStore
		if r := v.text("MaKetQuaThayThe", f.MaKetQuaThayThe, 100, false); r != "" {
			c.ReplacedBy = r
		}
		if f.DuongDanTaiTepTin == "" {
			if f.DuocTaiSuDung == 0 && f.DuocLayTuKhoDMQG == 0 && f.MaKetQuaThayThe == "" {
				v.fail("DuongDanTaiTepTin", "Tệp \""+truncate(file, 100)+"\" không có đường dẫn tải.")
			}
			continue
		}
		if file == "" || strings.ContainsAny(file, "/\\") {
			v.fail("TenTepDinhKem", "Tên tệp đính kèm thiếu hoặc không hợp lệ.")
		}
		pending = append(pending, struct {
			comp int
			url  string
			name string
		}{i, f.DuongDanTaiTepTin, file})
	}
	// Uploads are appended after the components are final, so that the
	// pointers handed out stay valid.
	for _, p := range pending {
		comps[p.comp].Files = append(comps[p.comp].Files, motcua.PortalUpload{Name: p.name})
	}
	var files []PendingFile
	seen := make([]int, len(comps))
	for _, p := range pending {
		files = append(files, PendingFile{URL: p.url, Upload: &comps[p.comp].Files[seen[p.comp]]})
		seen[p.comp]++
	}
	return comps, files
}

// fetchAll fetches every pending file, under FileBase only, each at most
// MaxFile bytes and all together at most MaxTotal.
func (in *Inbound) fetchAll(ctx context.Context, files []PendingFile) error {
	if len(files) == 0 {
		return nil
	}
	base, err := url.Parse(in.FileBase)
	if in.FileBase == "" || err != nil || base.Host == "" {
		return motcua.Errorf(motcua.EINTERNAL, "file_base_unset", "Chưa cấu hình địa chỉ tải tệp của Cổng Dịch vụ công quốc gia.")
	}
	hc := http.Client{Timeout: 30 * time.Second}
	if in.HTTP != nil {
		hc = *in.HTTP
	}
	// A redirect could lead anywhere: refuse it.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	total := int64(0)
	for _, f := range files {
		if !underBase(base, f.URL) {
			return motcua.Errorf(motcua.EINVALID, "file_outside_base", "Đường dẫn tệp \"%s\" không thuộc địa chỉ tải tệp của Cổng Dịch vụ công quốc gia.", truncate(f.URL, 200))
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
		if err != nil {
			return motcua.Errorf(motcua.EINVALID, "file_outside_base", "Đường dẫn tệp không hợp lệ.")
		}
		resp, err := hc.Do(req)
		if err != nil {
			return motcua.Errorf(motcua.EINTERNAL, "file_fetch_failed", "Không tải được tệp \"%s\" từ Cổng Dịch vụ công quốc gia.", f.Upload.Name)
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, in.maxFile()+1))
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			return motcua.Errorf(motcua.EINTERNAL, "file_fetch_failed", "Không tải được tệp \"%s\" từ Cổng Dịch vụ công quốc gia.", f.Upload.Name)
		}
		if int64(len(data)) > in.maxFile() {
			return motcua.Errorf(motcua.EINVALID, "file_too_large", "Tệp \"%s\" vượt quá %d byte.", f.Upload.Name, in.maxFile())
		}
		if total += int64(len(data)); total > in.maxTotal() {
			return motcua.Errorf(motcua.EINVALID, "file_too_large", "Tổng dung lượng các tệp vượt quá %d byte.", in.maxTotal())
		}
		f.Upload.Data = data
	}
	return nil
}

// underBase reports whether raw is an http(s) URL on base's scheme and
// host whose cleaned path lies under base's path, with no user info.
func underBase(base *url.URL, raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Scheme != base.Scheme || u.Host != base.Host || u.Opaque != "" {
		return false
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	if strings.Contains(u.EscapedPath(), "%2") || strings.Contains(u.Path, "..") {
		return false // encoded slashes or dots, or a way up: no
	}
	prefix := strings.TrimSuffix(base.Path, "/") + "/"
	return strings.HasPrefix(path.Clean(u.Path), prefix)
}

// HTTPStatus is the status motcua answers a forwarded message with when
// Read fails: 413 for a body or file over the limits, 401 for an unsigned,
// badly signed or stale message, 400 for one that is not the protocol's
// JSON, 422 for fields that break the rules, 502 when a file could not be
// fetched from the portal (the portal should try again), 500 otherwise.
func HTTPStatus(err error) int {
	switch motcua.ErrorReason(err) {
	case "body_too_large", "file_too_large", "too_many_files":
		return http.StatusRequestEntityTooLarge
	case "malformed", "unknown_service":
		return http.StatusBadRequest
	case "file_fetch_failed":
		return http.StatusBadGateway
	}
	switch motcua.ErrorCode(err) {
	case "":
		return http.StatusOK
	case motcua.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case motcua.EINVALID:
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}
