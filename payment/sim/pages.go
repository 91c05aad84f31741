package sim

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// timeUnit is the precision of the protocol's times (ThoiGianThanhToan).
const timeUnit = time.Second

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"money": func(n int64) string {
		s := strconv.FormatInt(n, 10)
		var b strings.Builder
		for i, c := range s {
			if i > 0 && (len(s)-i)%3 == 0 {
				b.WriteByte('.')
			}
			b.WriteRune(c)
		}
		return b.String() + " đồng"
	},
	"label": func(s string) string { return motcua.PaymentState(s).Label() },
}).Parse(`
{{define "head"}}<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{.}} – Nền tảng thanh toán (mô phỏng)</title>
<style>body{font-family:sans-serif;max-width:46em;margin:1em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}button{font-size:1.1em;padding:.4em 1em;margin-right:1em}</style>
</head><body><p><em>Nền tảng thanh toán – bản mô phỏng để thử nghiệm, không thu tiền thật.</em></p>{{end}}
{{define "pay"}}{{template "head" "Thanh toán"}}<h1>Thanh toán phí, lệ phí</h1>
<table><tr><th>Mã tham chiếu</th><td>{{.Reference}}</td></tr><tr><th>Mã giao dịch</th><td>{{.TransactionID}}</td></tr>
<tr><th>Hồ sơ</th><td>{{.DossierCode}}</td></tr><tr><th>Nội dung</th><td>{{.Description}}</td></tr>
{{range .Fees}}<tr><th>{{.NoiDung}}</th><td>{{.SoTien}} đồng</td></tr>{{end}}
<tr><th>Tổng số tiền</th><td><strong>{{money .Amount}}</strong></td></tr><tr><th>Trạng thái</th><td>{{label .State}}</td></tr></table>
{{if eq .State "pending"}}<form method="post"><p><button name="action" value="pay">Thanh toán</button><button name="action" value="cancel">Hủy giao dịch</button></p></form>{{end}}
</body></html>{{end}}
{{define "bill"}}{{template "head" "Biên lai"}}<h1>Biên lai thu phí, lệ phí (điện tử)</h1>
<table><tr><th>Số biên lai</th><td>{{.BillNumber}}</td></tr><tr><th>Hồ sơ</th><td>{{.DossierCode}}</td></tr><tr><th>Thủ tục</th><td>{{.ProcedureCode}}</td></tr>
<tr><th>Đơn vị</th><td>{{.AgencyCode}}</td></tr>{{range .Fees}}<tr><th>{{.NoiDung}}</th><td>{{.SoTien}} đồng</td></tr>{{end}}
<tr><th>Tổng số tiền</th><td>{{money .Amount}}</td></tr><tr><th>Mã giao dịch</th><td>{{.TransactionID}}</td></tr></table></body></html>{{end}}
{{define "home"}}{{template "head" "Giao dịch"}}<h1>Giao dịch đang lưu</h1>
<p>Sự cố đang mô phỏng: {{if .Faults.Down}}ngừng hoạt động; {{end}}{{if .Faults.SlowMS}}chậm {{.Faults.SlowMS}} ms; {{end}}{{if .Faults.DropCallback}}không gửi xác nhận; {{end}}{{if .Faults.ForgeAnswers}}ký sai phản hồi; {{end}}không có gì khác.</p>
<table><tr><th>Mã tham chiếu</th><th>Hồ sơ</th><th>Số tiền</th><th>Trạng thái</th><th>Biên lai</th><th>Lần gửi xác nhận</th></tr>
{{range .Transactions}}<tr><td><a href="pay/{{.Reference}}">{{.Reference}}</a></td><td>{{.DossierCode}}</td><td>{{money .Amount}}</td><td>{{label .State}}</td><td>{{.BillNumber}}</td><td>{{.Callbacks}}{{if .CallbackOK}} (đã nhận){{end}}</td></tr>
{{else}}<tr><td colspan="6">Chưa có giao dịch nào.</td></tr>{{end}}</table></body></html>{{end}}
`))

func render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := pages.ExecuteTemplate(w, name, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (s *Sim) home(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st := s.snapshot()
	s.mu.Unlock()
	render(w, "home", st)
}

func (s *Sim) payPage(w http.ResponseWriter, r *http.Request) {
	if s.currentFaults().Down {
		http.Error(w, "Nền tảng thanh toán đang tạm ngừng.", http.StatusServiceUnavailable)
		return
	}
	t, ok := s.Transaction(r.PathValue("ref"))
	if !ok {
		http.Error(w, "Không tìm thấy giao dịch.", http.StatusNotFound)
		return
	}
	render(w, "pay", t)
}

func (s *Sim) bill(w http.ResponseWriter, r *http.Request) {
	t, ok := s.Transaction(r.PathValue("ref"))
	if !ok || t.BillNumber == "" {
		http.Error(w, "Không tìm thấy biên lai.", http.StatusNotFound)
		return
	}
	render(w, "bill", t)
}

// pay takes the payer's choice, sends the confirmation and sends the
// browser back to motcua.
func (s *Sim) pay(w http.ResponseWriter, r *http.Request) {
	if s.currentFaults().Down {
		http.Error(w, "Nền tảng thanh toán đang tạm ngừng.", http.StatusServiceUnavailable)
		return
	}
	ref := r.PathValue("ref")
	action := r.FormValue("action")
	if action != "pay" && action != "cancel" {
		http.Error(w, "Thao tác không hợp lệ.", http.StatusBadRequest)
		return
	}
	t, err := s.Settle(ref, action == "pay")
	if err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	s.callback(t)
	if s.cfg.ReturnURL == "" {
		render(w, "pay", t)
		return
	}
	sep := "?"
	if strings.Contains(s.cfg.ReturnURL, "?") {
		sep = "&"
	}
	http.Redirect(w, r, s.cfg.ReturnURL+sep+"ref="+url.QueryEscape(ref), http.StatusSeeOther)
}

// Settle pays (or cancels) a pending transaction as a payer would, without
// sending the confirmation; it returns the transaction after.
func (s *Sim) Settle(ref string, pay bool) (Txn, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.txns[ref]
	if !ok {
		return Txn{}, fmt.Errorf("Không tìm thấy giao dịch %s.", ref)
	}
	if t.State != string(motcua.PaymentPending) {
		return Txn{}, fmt.Errorf("Giao dịch đã %s.", strings.ToLower(motcua.PaymentState(t.State).Label()))
	}
	if pay {
		t.State, t.PaidAt = string(motcua.PaymentPaid), s.cfg.Now().UTC().Truncate(timeUnit)
		s.seq++
		t.BillNumber = fmt.Sprintf("BL%s-%06d", t.PaidAt.Format("2006"), s.seq)
	} else {
		t.State = string(motcua.PaymentCancelled)
	}
	s.save()
	return *t, nil
}

// Complete is what a payer does on the payment page, without a browser:
// pay (or cancel) a pending transaction and push the confirmation (unless
// told to drop it). The demo uses it to make payments.
func (s *Sim) Complete(ref string, pay bool) (Txn, error) {
	t, err := s.Settle(ref, pay)
	if err != nil {
		return Txn{}, err
	}
	s.callback(t)
	t, _ = s.Transaction(ref)
	return t, nil
}
