package sim

import (
	"errors"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
)

// The page is for the person watching the demo: what the simulator holds
// of each side, its switches, and a form to submit as a citizen would. It
// is served on loopback by the demo and has no login: it is a simulator.

var funcs = template.FuncMap{
	"status": func(code int) string { return dvcqg.StatusName(code) },
	"when": func(s string) string {
		t, err := dvcqg.ParseTime(s)
		if err != nil || t.IsZero() {
			return s
		}
		return motcua.FormatDateTime(t)
	},
	"at":    motcua.FormatDateTime,
	"ms":    func(d time.Duration) int64 { return d.Milliseconds() },
	"pct":   func(f float64) float64 { return f * 100 },
	"short": func(s string) string { return truncateText(s, 160) },
}

func truncateText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

var page = template.Must(template.New("page").Funcs(funcs).Parse(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Mô phỏng Cổng Dịch vụ công quốc gia</title>
<style>body{font-family:sans-serif;margin:1.5em;max-width:75em}table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}.msg{background:#eef;padding:.5em}</style></head>
<body>
<h1>Mô phỏng Cổng Dịch vụ công quốc gia (DVCQG)</h1>
<p>Trình mô phỏng của motcua, không phải Cổng thật: nhận hồ sơ và tiến độ từ motcua, chuyển hồ sơ trực tuyến sang motcua.</p>
{{with .Msg}}<p class="msg">{{.}}</p>{{end}}
<h2>Số liệu</h2>
<table><tr><th>Hồ sơ đang giữ</th><th>Lượt tạo</th><th>Lượt cập nhật</th><th>Dòng tiến độ</th><th>Dòng gửi lặp</th><th>Dòng sai thứ tự</th><th>Lượt từ chối</th><th>Lượt lỗi giả lập</th></tr>
<tr><td>{{.St.Counts.Records}}</td><td>{{.St.Counts.Creates}}</td><td>{{.St.Counts.Updates}}</td><td>{{.St.Counts.Rows}}</td><td>{{.St.Counts.Repeats}}</td><td>{{.St.Counts.OutOfOrder}}</td><td>{{.St.Counts.Refused}}</td><td>{{.St.Counts.Failed}}</td></tr></table>
<h2>Công tắc lỗi</h2>
<form method="post" action="/faults">
<label><input type="checkbox" name="down"{{if .F.Down}} checked{{end}}> Ngừng phục vụ (trả 503)</label><br>
<label>Trả lời chậm (mili giây): <input name="delay_ms" value="{{ms .F.Delay}}" size="6"></label><br>
<label>Tỉ lệ trả lỗi (%): <input name="error_rate" value="{{pct .F.ErrorRate}}" size="4"></label><br>
<label>Trả lỗi cho N lượt tới: <input name="fail_next" value="{{.F.FailNext}}" size="4"></label><br>
<label><input type="checkbox" name="expire_sessions"> Hủy mọi phiên đăng nhập</label><br>
<button>Cập nhật</button></form>
<h2>Hồ sơ motcua đồng bộ lên Cổng</h2>
{{if not .Dossiers}}<p>Chưa có hồ sơ nào.</p>{{end}}
{{range .Dossiers}}<h3>{{.Record.MaHoSo}} — {{.Record.TenTTHC}}</h3>
<p>Chủ hồ sơ: {{.Record.ChuHoSo}}. Trạng thái: <b>{{.Record.TrangThaiHoSo}} – {{status .Record.TrangThaiHoSo}}</b>.
Hẹn trả: {{when .Record.NgayHenTra}}. Số lần cập nhật: {{.Updates}}.</p>
<p>Các trạng thái đã nhận: {{range $i, $s := .Statuses}}{{if $i}} → {{end}}{{$s}}{{end}}</p>
{{with .Record.DanhSachGiayToKetQua}}<p>Giấy tờ kết quả: {{range $i, $k := .}}{{if $i}}; {{end}}{{$k.TenGiayTo}}{{with $k.SoKyHieu}}, số {{.}}{{end}}{{with $k.MaGiayToKetQua}}, kết quả điện tử mã <b>{{.}}</b>{{end}}{{with $k.DuongDanTepTinKetQua}} (<a href="{{.}}">tải tệp kết quả đã ký số</a>){{end}}{{end}}.</p>{{end}}
{{if .Rows}}<table><tr><th>#</th><th>Thời điểm</th><th>Người xử lý</th><th>Đơn vị</th><th>Nội dung</th><th>Trạng thái</th><th>Hạn</th><th>Ghi chú</th></tr>
{{range $i, $r := .Rows}}<tr><td>{{$i}}</td><td>{{when $r.ThoiDiemXuLy}}</td><td>{{$r.NguoiXuLy}} ({{$r.ChucDanh}})</td><td>{{$r.PhongBanXuLy}}</td>
<td>{{$r.NoiDungXuLy}}</td><td>{{$r.TrangThai}} – {{status $r.TrangThai}}</td><td>{{when $r.NgayKetThucTheoQuyDinh}}</td>
<td>{{if $r.OutOfOrder}}sai thứ tự {{end}}{{if $r.Repeats}}gửi lặp {{$r.Repeats}} lần{{end}}</td></tr>{{end}}</table>{{end}}
{{end}}
<h2>Hồ sơ Cổng đã chuyển sang motcua</h2>
{{if not .St.Forwarded}}<p>Chưa chuyển hồ sơ nào.</p>{{end}}
{{if .St.Forwarded}}<table><tr><th>Thời điểm</th><th>Loại</th><th>Mã hồ sơ</th><th>Mã thông điệp</th><th>motcua trả lời</th></tr>
{{range .St.Forwarded}}<tr><td>{{at .At}}</td><td>{{.Service}}</td><td>{{.NationalCode}}</td><td>{{.MessageID}}</td>
<td>{{if .HTTPStatus}}{{.HTTPStatus}}: {{short .Answer}}{{else}}không trả lời: {{.Error}}{{end}}</td></tr>{{end}}</table>{{end}}
<h2>Nộp hồ sơ trực tuyến (như công dân)</h2>
<p>Công dân coi như đã đăng nhập bằng tài khoản định danh điện tử mức 2 (VNeID).</p>
<form method="post" action="/submit" enctype="multipart/form-data">
<label>Thủ tục: <select name="procedure">{{range .Procedures}}<option value="{{.Code}}">{{.Code}} – {{.Name}}</option>{{end}}</select></label><br>
<label>Mã cơ quan giải quyết: <select name="agency">{{range .Agencies}}<option value="{{.MaCoQuan}}">{{.MaCoQuan}} – {{.TenCoQuan}}</option>{{end}}</select></label><br>
<label>Họ và tên: <input name="name" required></label><br>
<label>Số định danh cá nhân: <input name="id_number" required pattern="[0-9]{12}"></label><br>
<label>Số điện thoại: <input name="phone"></label><br>
<label>Trích yếu: <input name="summary" size="60"></label><br>
<label>Tệp đính kèm: <input type="file" name="file"></label><br>
<button>Nộp hồ sơ</button></form>
</body></html>`))

type procOption struct{ Code, Name string }

type pageData struct {
	Msg        string
	St         *State
	F          Faults
	Dossiers   []*Dossier
	Procedures []procOption
	Agencies   []dvcqg.CoQuan
}

func (s *Sim) handlePage(w http.ResponseWriter, r *http.Request) {
	st := s.Snapshot()
	d := pageData{Msg: r.URL.Query().Get("msg"), St: st, F: st.Faults, Agencies: s.cat.agencies}
	for _, code := range st.Order {
		d.Dossiers = append(d.Dossiers, st.Dossiers[code])
	}
	for _, p := range s.cat.list() {
		if p.MaTTHC != nil && !p.BaiBo {
			d.Procedures = append(d.Procedures, procOption{*p.MaTTHC, truncateText(p.TenTTHC, 90)})
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := page.Execute(w, d); err != nil {
		http.Error(w, "Lỗi hiển thị trang.", http.StatusInternalServerError)
	}
}

// handleSubmitForm forwards a dossier typed into the page's form.
func (s *Sim) handleSubmitForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 11<<20)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		http.Error(w, "Biểu mẫu không hợp lệ hoặc tệp quá lớn (tối đa 10 MB).", http.StatusBadRequest)
		return
	}
	req := SubmitRequest{ProcedureCode: r.PostFormValue("procedure"), AgencyCode: r.PostFormValue("agency"),
		FullName: strings.TrimSpace(r.PostFormValue("name")), IDNumber: strings.TrimSpace(r.PostFormValue("id_number")),
		Phone: strings.TrimSpace(r.PostFormValue("phone")), Summary: strings.TrimSpace(r.PostFormValue("summary")),
		VNeIDVerified: true, AccountLevel: 2}
	if f, hdr, err := r.FormFile("file"); err == nil {
		data, err := io.ReadAll(io.LimitReader(f, 10<<20))
		f.Close()
		if err != nil {
			http.Error(w, "Không đọc được tệp.", http.StatusBadRequest)
			return
		}
		req.Files = append(req.Files, SubmitFile{ComponentCode: "1", Component: "Tờ khai", Name: hdr.Filename, Data: data})
	} else if !errors.Is(err, http.ErrMissingFile) {
		http.Error(w, "Không đọc được tệp.", http.StatusBadRequest)
		return
	}
	code, err := s.Submit(r.Context(), req)
	msg := "Đã chuyển hồ sơ " + code + " sang motcua."
	var fe *ForwardError
	if errors.As(err, &fe) {
		msg = "motcua từ chối hồ sơ " + code + " (" + truncateText(fe.Answer, 300) + ")."
	} else if err != nil {
		msg = "Không chuyển được hồ sơ " + code + ": " + err.Error()
	}
	http.Redirect(w, r, "/?msg="+urlQuery(msg), http.StatusSeeOther)
}

func urlQuery(s string) string { return url.QueryEscape(s) }
