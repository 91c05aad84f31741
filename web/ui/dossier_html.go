package ui

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
)

// The staff dossier page's content in Go, as the inbox's (inbox_html.go)
// and the lookup's (lookup_html.go). After its actions card and its history
// moved to Go, the rest of the template still cost about 290 µs of CPU per
// page in html/template's reflective execution: in the PostgreSQL mixed
// workload's CPU profile, ExecuteTemplate under showDossier took 1.15 s for
// 3,937 pages: every condition, field and method of the template found and
// called by reflection, every value escaped through a function called by
// reflection. The page is the one an officer opens for every dossier they
// work on. All of it is Go, its rarer forms (cash, signing, upload) too,
// written with fieldHTML as the lookup's form is. The HTML is what the
// template wrote, byte for byte (dossier_html_test.go renders both); every
// value is escaped as html/template escaped it in that place: text and
// quoted attributes as htmlText, a value in a link's path as urlPath, a
// whole link as urlAttr, a value in a link's query as urlQuery.

// dossierContent is the dossier page's content for its template: the
// HTML of dossierHTML with the titles of the UI's printed forms and the
// working time left by the service's calendar.
func (u *UI) dossierContent(p *page) template.HTML {
	return dossierHTML(p, u.opts.Forms, u.workLeft)
}

// dossierHTML writes the content of the dossier page p (p.Data a
// *dossierData, p.Form the form posted back or an empty one): the summary
// and its dates, the applicant and the components, the fees, the actions
// card, the files with the signing and upload forms, the national portal's
// synchronisation, the forms to print, the history and the deadline
// warnings sent. forms names the printed forms; workLeft says the working
// time left until a due date (UI.workLeft).
func dossierHTML(p *page, forms pdf.Forms, workLeft func(due, now time.Time) string) template.HTML {
	w := &dossierWriter{d: p.Data.(*dossierData), f: p.Form, forms: forms, workLeft: workLeft}
	w.b.Grow(8 << 10) // a dossier's content is about 7 KB
	w.summary()
	w.b.WriteString("\n\n<div class=\"grid2\">\n")
	w.applicant()
	w.b.WriteByte('\n')
	w.components()
	w.b.WriteString("\n</div>\n\n")
	w.payments()
	w.b.WriteString("\n\n")
	w.b.WriteString(string(dossierActions(w.d, w.f)))
	w.b.WriteString("\n\n")
	w.files()
	w.b.WriteString("\n\n")
	w.portalSync()
	w.b.WriteString("\n\n")
	w.prints()
	w.b.WriteString("\n\n<section class=\"card\">\n<h2>Quá trình xử lý</h2>\n<div class=\"scroll\"><table class=\"list timeline\">\n" +
		"<thead><tr><th scope=\"col\">Thời gian</th><th scope=\"col\">Thao tác</th><th scope=\"col\">Người thực hiện</th><th scope=\"col\">Giao → nhận</th><th scope=\"col\">Đánh giá</th><th scope=\"col\">Ghi chú</th></tr></thead>\n<tbody>")
	w.b.WriteString(string(timelineBody(w.d.V.Events, w.d.V.Agencies)))
	w.b.WriteString("</tbody>\n</table></div>\n</section>\n")
	w.warnings()
	return template.HTML(w.b.String())
}

// dossierWriter holds the dossier page being written by dossierHTML and
// what its parts read.
type dossierWriter struct {
	b        strings.Builder
	d        *dossierData
	f        *form
	forms    pdf.Forms
	workLeft func(due, now time.Time) string
}

// text writes s escaped as html/template escapes text and attribute values.
func (w *dossierWriter) text(s string) { htmlText(&w.b, s) }

// datetime writes t as the template's datetime did ("" when zero).
func (w *dossierWriter) datetime(t time.Time) { htmlText(&w.b, motcua.FormatDateTime(t)) }

// bracketed writes " (s)", s escaped, when s is not empty: a
// procedure's code after its name, a form's number after its title.
func (w *dossierWriter) bracketed(s string) {
	if s != "" {
		w.b.WriteString(" (")
		w.text(s)
		w.b.WriteByte(')')
	}
}

// agency writes the name of agency id, nothing when the view does not
// know it (the template's agency).
func (w *dossierWriter) agency(id int64) {
	if a, ok := w.d.V.Agencies[id]; ok {
		htmlText(&w.b, a.Name)
	}
}

// summary writes the heading, the button that prints the form an action
// just produced, and the card of the dossier's state and dates.
func (w *dossierWriter) summary() {
	b, d, x := &w.b, w.d, w.d.D
	s := &x.Status
	b.WriteString("\n<p><a href=\"/hop-thu\">← Hộp thư hồ sơ</a></p>\n<h1>Hồ sơ ")
	w.text(x.Code)
	b.WriteString("</h1>\n")
	if d.Print != "" {
		b.WriteString(`<p class="print-now"><a class="button primary" href="/ho-so/`)
		urlPath(b, x.Code)
		b.WriteString("/in/")
		urlPath(b, string(d.Print))
		b.WriteString(`" target="_blank" autofocus>In `)
		w.text(w.forms[d.Print].Title)
		b.WriteString("</a></p>")
	}
	b.WriteString("\n<section class=\"card summary\">\n<p class=\"state\">")
	w.text(s.State.Label())
	if d.Step != nil {
		b.WriteString(" – bước “")
		w.text(d.Step.Name)
		b.WriteString("”")
	}
	b.WriteByte(' ')
	writeVerdict(b, d.V.Result)
	b.WriteString("</p>\n")
	if d.V.Alert != "" {
		b.WriteString(`<p class="warn warn-`)
		w.text(d.V.Alert)
		b.WriteString(`" role="status">Cảnh báo: `)
		w.text(motcua.WarningLevelLabel(d.V.Alert))
		b.WriteString(" — ")
		w.text(motcua.ClockLabel(d.V.AlertClock.Kind))
		b.WriteByte(' ')
		w.datetime(d.V.AlertClock.DueAt)
		b.WriteString(".</p>")
	}
	b.WriteString("\n<dl class=\"facts\">\n<dt>Thủ tục</dt><dd>")
	w.text(x.ProcedureName)
	w.bracketed(x.ProcedureCode)
	b.WriteString("</dd>\n<dt>Kênh nộp</dt><dd>")
	w.text(x.Channel.Label())
	if x.Assisted {
		b.WriteString(" (cán bộ hỗ trợ nộp)")
	}
	b.WriteString("</dd>\n<dt>Nơi tiếp nhận</dt><dd>")
	w.agency(x.ReceptionAgencyID)
	b.WriteString("</dd>\n<dt>Cơ quan giải quyết</dt><dd>")
	w.agency(x.CompetentAgencyID)
	b.WriteString("</dd>\n<dt>Đang ở</dt><dd>")
	w.agency(s.AgencyID)
	b.WriteString("</dd>\n")
	// A dated fact, its line always ended, as the template's were.
	dated := func(label string, t time.Time) {
		if !t.IsZero() {
			b.WriteString("<dt>" + label + "</dt><dd>")
			w.datetime(t)
			b.WriteString("</dd>")
		}
		b.WriteByte('\n')
	}
	dated("Tiếp nhận", s.ReceivedAt)
	if !s.DueAt.IsZero() {
		b.WriteString("<dt>Hẹn trả kết quả</dt><dd>")
		w.datetime(s.DueAt)
		if !s.State.Finished() {
			b.WriteString(` – <span class="left">`)
			w.text(w.workLeft(s.DueAt, d.Now))
			b.WriteString("</span>")
		}
		b.WriteString("</dd>")
	}
	b.WriteByte('\n')
	dated("Hạn của bước hiện tại", s.StepDueAt)
	dated("Hạn việc cần làm tại Một cửa", s.ActionDueAt)
	if s.ResultNumber != "" {
		b.WriteString("<dt>Số kết quả</dt><dd>")
		w.text(s.ResultNumber)
		b.WriteString("</dd>")
	}
	b.WriteString("\n</dl>\n</section>")
}

// applicant writes the applicant's card: who they are, how to reach them,
// where their data came from and what the population register answered
// at reception.
func (w *dossierWriter) applicant() {
	b, a := &w.b, &w.d.D.Applicant
	b.WriteString("<section class=\"card\">\n<h2>Người nộp</h2>\n<dl class=\"facts\">\n<dt>Họ và tên</dt><dd>")
	w.text(a.FullName)
	b.WriteString("</dd>\n<dt>")
	w.text(a.IDKind.Label())
	b.WriteString("</dt><dd>")
	w.text(a.IDNumber)
	b.WriteString("</dd>\n")
	// An optional fact, its line always ended, as the template's were.
	fact := func(label, v string) {
		if v != "" {
			b.WriteString("<dt>" + label + "</dt><dd>")
			w.text(v)
			b.WriteString("</dd>")
		}
		b.WriteByte('\n')
	}
	fact("Ngày sinh", isoToVN(a.DateOfBirth)) // "" stays ""
	fact("Điện thoại", a.Phone)
	fact("Thư điện tử", a.Email)
	fact("Địa chỉ", a.Address)
	notify := ""
	if a.Notify != "" {
		notify = a.Notify.Label()
	}
	fact("Nhận thông báo qua", notify)
	fact("Người nộp thay", a.OnBehalfOf)
	b.WriteString(`<dt>Nguồn thông tin</dt><dd id="applicant-source">`)
	switch a.Source {
	case motcua.SourcePopulationDB:
		b.WriteString("Cơ sở dữ liệu quốc gia về dân cư")
	case motcua.SourceIDCardQR:
		b.WriteString("Mã QR trên thẻ căn cước (chưa xác thực với CSDL dân cư)")
	default:
		b.WriteString("Nhập tay (chưa xác thực với CSDL dân cư)")
	}
	if a.VNeIDVerified {
		b.WriteString("; tài khoản VNeID đã xác thực")
	}
	if a.EIDHelped {
		b.WriteString("; cán bộ đã hỗ trợ đăng ký tài khoản định danh điện tử mức 1")
	}
	b.WriteString("</dd>\n")
	if r := a.Register; r != nil {
		b.WriteString("<dt>Tra cứu CSDL dân cư</dt><dd>lúc ")
		w.datetime(r.LookedUpAt)
		b.WriteString("; đã xác thực: ")
		for i, f := range r.Verified {
			if i > 0 {
				b.WriteString(", ")
			}
			w.text(popLabels[f])
		}
		if len(r.Verified) == 0 {
			b.WriteString("—")
		}
		b.WriteString("</dd>\n<dt>Nơi thường trú khi tiếp nhận</dt><dd>")
		w.textOrDash(r.Permanent.Text)
		b.WriteString("</dd>\n<dt>Nơi ở hiện tại khi tiếp nhận</dt><dd>")
		w.textOrDash(r.Current.Text)
		b.WriteString("</dd>\n")
		for _, c := range r.Conflicts {
			b.WriteString(`<dt class="warn">Khác CSDL dân cư</dt><dd class="warn">`)
			w.text(popLabels[c.Field])
			b.WriteString(": đã nhập «")
			w.text(c.Typed)
			b.WriteString("», CSDL ghi «")
			w.text(c.Register)
			b.WriteString("»</dd>")
		}
	}
	b.WriteString("\n</dl>\n</section>")
}

// textOrDash writes s, or a dash when it is empty.
func (w *dossierWriter) textOrDash(s string) {
	if s == "" {
		s = "—"
	}
	w.text(s)
}

// components writes the card of the dossier's components, each with how
// it was provided.
func (w *dossierWriter) components() {
	b := &w.b
	b.WriteString("<section class=\"card\">\n<h2>Thành phần hồ sơ</h2>\n<ul class=\"comps\">")
	for i := range w.d.D.Components {
		c := &w.d.D.Components[i]
		b.WriteString("<li>")
		w.text(clause(c.Name))
		b.WriteString(": ")
		switch {
		case c.FromNationalDB:
			b.WriteString("khai thác từ cơ sở dữ liệu quốc gia")
		case c.Reused:
			b.WriteString("dùng lại kết quả điện tử")
			if c.ReusedResult != "" {
				b.WriteString(" số ")
				w.text(c.ReusedResult)
				b.WriteString(" (")
				w.text(reusedFrom(c.ReusedFrom))
				b.WriteByte(')')
			}
		case c.Provided:
			b.WriteString("đã nộp")
			if c.Digitized {
				b.WriteString(", đã số hóa")
			}
		default:
			b.WriteString("<strong>chưa nộp</strong>")
		}
		b.WriteString("</li>")
	}
	b.WriteString("</ul>\n</section>")
}

// payments writes the card of the fees when the dossier has any: each
// fee, the payment that paid them, every payment tried, the online
// payment an officer may start for the applicant and the form that
// records a cash payment.
func (w *dossierWriter) payments() {
	v := w.d.V.Payments
	if v == nil || len(v.Fees) == 0 {
		return
	}
	b := &w.b
	b.WriteString("<section class=\"card\" id=\"phi-le-phi\">\n<h2>Phí, lệ phí</h2>\n")
	if w.f.Action == "cash" {
		writeFormError(b, w.f)
	}
	b.WriteString("\n<table class=\"list\">\n<thead><tr><th scope=\"col\">Khoản</th><th scope=\"col\">Số tiền</th><th scope=\"col\">Tình trạng</th></tr></thead>\n<tbody>")
	for i := range v.Fees {
		fee := &v.Fees[i]
		b.WriteString("<tr><td>")
		w.text(fee.Name)
		b.WriteString("</td><td>")
		w.text(money(fee.Amount))
		b.WriteString("</td><td>")
		switch {
		case fee.Paid && fee.PaidOnline:
			b.WriteString("Đã nộp trực tuyến")
		case fee.Paid:
			b.WriteString("Đã nộp tiền mặt")
		default:
			b.WriteString("<strong>Chưa nộp</strong>")
		}
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody>\n</table>\n")
	if p := v.Paid; p != nil {
		b.WriteString("<p>Đã nộp ")
		w.text(money(p.Amount))
		b.WriteString(" – ")
		writeMethod(b, p.Method)
		b.WriteString(", lúc ")
		w.datetime(p.PaidAt)
		if p.ReceiptNumber != "" {
			b.WriteString(", biên lai số ")
			w.text(p.ReceiptNumber)
		}
		if p.ReceiptURL != "" {
			b.WriteString(` (<a href="`)
			urlAttr(b, p.ReceiptURL)
			b.WriteString(`">biên lai điện tử</a>)`)
		}
		if name := v.Recorders[p.RecordedBy]; name != "" {
			b.WriteString(", ")
			w.text(name)
			b.WriteString(" ghi nhận")
		}
		b.WriteString(".</p>")
	}
	b.WriteByte('\n')
	if len(v.Payments) > 0 {
		b.WriteString("<h3>Các lần thanh toán</h3><ul>")
		for _, p := range v.Payments {
			b.WriteString("<li>")
			w.datetime(p.CreatedAt)
			b.WriteString(": ")
			writeMethod(b, p.Method)
			b.WriteString(", ")
			w.text(money(p.Amount))
			b.WriteString(" – ")
			w.text(p.State.Label())
			b.WriteString(" (mã ")
			w.text(p.Reference)
			b.WriteString(")</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteByte('\n')
	if !v.Enabled {
		b.WriteString("<p class=\"hint\">Chưa kết nối nền tảng thanh toán: chỉ thu được tiền mặt tại Bộ phận Một cửa.</p>\n")
	} else if v.Outstanding() {
		b.WriteString(`<form method="post" action="/tra-cuu/thanh-toan" class="act online"><input type="hidden" name="ma" value="`)
		w.text(w.d.D.Code)
		b.WriteString(`"><p><button type="submit">Thanh toán trực tuyến cho người nộp</button></p></form>`)
	}
	b.WriteByte('\n')
	if v.CanRecordCash {
		g := actionForm(w.f, "cash")
		b.WriteString(`<form method="post" action="/ho-so/`)
		urlPath(b, w.d.D.Code)
		b.WriteString("/thu-phi#phi-le-phi\" class=\"act cash\">\n<h3>Ghi nhận nộp tiền mặt</h3>\n")
		b.WriteString(string(fieldHTML(fld(g, "receipt_number", "Số biên lai đã giao cho người nộp", "required", "maxlength=40", "id=cash-receipt"))))
		b.WriteByte('\n')
		b.WriteString(string(fieldHTML(fld(g, "amount", "Số tiền đã thu (đồng) – phải đúng "+strconv.FormatInt(v.Due, 10), "required", "inputmode=numeric", "id=cash-amount"))))
		b.WriteString("\n<p><button type=\"submit\" class=\"primary\">Ghi nhận đã thu</button></p>\n</form>")
	}
	b.WriteString("\n</section>")
}

// writeMethod writes how a payment was made, as the page words it.
func writeMethod(b *strings.Builder, m motcua.PaymentMethod) {
	if m == motcua.PayOnline {
		b.WriteString("trực tuyến")
	} else {
		b.WriteString("tiền mặt")
	}
}

// files writes the card of the dossier's electronic files, with the form
// that signs and issues the result and the upload form when the viewer
// may use them.
func (w *dossierWriter) files() {
	b, d, code := &w.b, w.d, w.d.D.Code
	b.WriteString("<section class=\"card\" id=\"tai-lieu\">\n<h2>Tài liệu điện tử</h2>\n")
	if len(d.V.Files) > 0 {
		b.WriteString("<div class=\"scroll\"><table class=\"list files\">\n<thead><tr><th scope=\"col\">Tên tệp</th><th scope=\"col\">Thành phần</th><th scope=\"col\">Dung lượng</th><th scope=\"col\">Người tải</th><th scope=\"col\">Thời điểm</th><th scope=\"col\">Chữ ký số</th></tr></thead>\n<tbody>")
		for _, f := range d.V.Files {
			w.file(f)
		}
		b.WriteString("</tbody>\n</table></div>")
	} else {
		b.WriteString("<p>Chưa có tài liệu điện tử.</p>")
	}
	b.WriteByte('\n')
	if d.V.CanSignResult {
		g := actionForm(w.f, "sign_result")
		b.WriteString("\n<form method=\"post\" action=\"/ho-so/")
		urlPath(b, code)
		b.WriteString("/ky-ket-qua\" class=\"sign-result\">\n<h3>Ký số kết quả giải quyết</h3>\n")
		writeFormError(b, g)
		b.WriteString("\n<p>Hệ thống lập văn bản kết quả theo mẫu, ký số bằng chứng thư số của bạn, lưu làm tệp kết quả điện tử (mã ")
		w.text(d.ResultCode())
		b.WriteString(") và chuyển kết quả về Bộ phận Một cửa trong một bước.</p>\n<p><button type=\"submit\" class=\"primary\">Ký số và ban hành kết quả</button></p>\n</form>")
	}
	b.WriteByte('\n')
	if len(d.V.Attach) > 0 {
		g := actionForm(w.f, "attach")
		b.WriteString("\n<form method=\"post\" action=\"/ho-so/")
		urlPath(b, code)
		b.WriteString("/tai-lieu#tai-lieu\" enctype=\"multipart/form-data\" class=\"attach\">\n<h3>Tải lên bản điện tử</h3>\n")
		writeFormError(b, g)
		b.WriteByte('\n')
		b.WriteString(string(fieldHTML(sel(g, "component_id", "Thành phần hồ sơ", d.AttachTo(), "required", "id=attach-component"))))
		b.WriteByte('\n')
		b.WriteString(string(fieldHTML(fld(g, "file", "Tệp PDF, JPEG hoặc PNG", "type=file", "required", "id=attach-file",
			"accept=application/pdf,image/jpeg,image/png", "hint=Tối đa "+service.FormatSize(d.MaxFile)+"."))))
		b.WriteString("\n<p><button type=\"submit\" class=\"primary\">Tải lên</button></p>\n</form>")
	}
	b.WriteString("\n</section>")
}

// file writes the line of one file of the files card: its link, its
// component, size, uploader and time, its signature and the result's
// code, and the link to its recognised text when scans are read.
func (w *dossierWriter) file(f *motcua.DossierFile) {
	b, d := &w.b, w.d
	b.WriteString(`<tr><td><a href="/ho-so/`)
	urlPath(b, d.D.Code)
	b.WriteString("/tai-lieu/")
	id := strconv.FormatInt(f.ID, 10)
	b.WriteString(id)
	b.WriteString(`">`)
	w.text(f.Name)
	b.WriteString("</a></td><td>")
	w.text(d.ComponentName(f.ComponentID))
	b.WriteString("</td><td>")
	w.text(service.FormatSize(f.Size))
	b.WriteString("</td><td>")
	w.text(d.V.Uploaders[f.UploadedBy])
	b.WriteString("</td><td>")
	w.datetime(f.UploadedAt)
	b.WriteString("</td><td>")
	if f.Signed() {
		b.WriteString(`<span class="v ok">Đã ký số</span>: `)
		w.text(f.Signer)
		b.WriteString(", ")
		w.datetime(f.SignedAt)
		if f.DocCode != "" {
			b.WriteString(`<br>Mã kết quả: <a href="/xac-thuc?ma=`)
			urlQuery(b, f.DocCode)
			b.WriteString(`">`)
			w.text(f.DocCode)
			b.WriteString("</a>")
		}
	} else {
		b.WriteString("Chưa ký số")
	}
	if f.ComponentID != 0 && d.ScanText {
		b.WriteString(`<br><a href="/ho-so/`)
		urlPath(b, d.D.Code)
		b.WriteString("/tai-lieu/")
		b.WriteString(id)
		b.WriteString(`/van-ban">Văn bản nhận dạng, thông tin đề xuất</a>`)
	}
	b.WriteString("</td></tr>")
}

// portalSync writes the card of what the national portal holds of the
// dossier, when it was ever queued to it.
func (w *dossierWriter) portalSync() {
	s := w.d.V.PortalSync
	if s == nil {
		return
	}
	b := &w.b
	b.WriteString("<section class=\"card\" id=\"dong-bo\">\n<h2>Đồng bộ Cổng Dịch vụ công quốc gia</h2>\n<p>")
	if s.NationalCode != "" {
		b.WriteString("Mã hồ sơ trên Cổng: <strong>")
		w.text(s.NationalCode)
		b.WriteString("</strong> (hồ sơ do Cổng chuyển đến). ")
	}
	if s.InStep() {
		b.WriteString(`<span class="v ok">Cổng đã nhận đủ `)
		b.WriteString(strconv.Itoa(s.SyncedSeq))
		b.WriteString(" bước xử lý</span>")
		if !s.SyncedAt.IsZero() {
			b.WriteString(", lần cuối lúc ")
			w.datetime(s.SyncedAt)
		}
		b.WriteByte('.')
	} else {
		b.WriteString(`<span class="mark soon">Cổng đã nhận `)
		b.WriteString(strconv.Itoa(s.SyncedSeq))
		b.WriteByte('/')
		b.WriteString(strconv.Itoa(s.QueuedSeq))
		b.WriteString(" bước xử lý</span>; phần còn lại đang chờ gửi.")
	}
	b.WriteByte('\n')
	if s.LastError != "" {
		b.WriteString(`<br><span class="mark late">Lần gửi gần nhất không thành công (`)
		w.datetime(s.LastErrorAt)
		b.WriteString("): ")
		w.text(failText(s.LastError))
		b.WriteString("</span>")
	}
	b.WriteString("</p>\n</section>")
}

// prints writes the card of the forms the viewer may print, each with
// its official number when it has one.
func (w *dossierWriter) prints() {
	b := &w.b
	b.WriteString("<section class=\"card\">\n<h2>In phiếu</h2>\n<ul class=\"prints\">")
	for _, f := range w.d.Forms {
		b.WriteString(`<li><a href="/ho-so/`)
		urlPath(b, w.d.D.Code)
		b.WriteString("/in/")
		urlPath(b, string(f))
		b.WriteString(`" target="_blank">`)
		t := w.forms[f]
		w.text(t.Title)
		w.bracketed(t.Number)
		b.WriteString("</a></li>")
	}
	b.WriteString("</ul>\n</section>")
}

// warnings writes the card of the deadline warnings sent about the
// dossier, when there were any: when, which level, which clock (and the
// agency of a part's clock), to whom.
func (w *dossierWriter) warnings() {
	ws := w.d.V.Warnings
	if len(ws) == 0 {
		return
	}
	b := &w.b
	b.WriteString("<section class=\"card\">\n<h2>Cảnh báo thời hạn đã gửi</h2>\n<div class=\"scroll\"><table class=\"list timeline\">\n" +
		"<thead><tr><th scope=\"col\">Thời gian</th><th scope=\"col\">Cảnh báo</th><th scope=\"col\">Thời hạn</th><th scope=\"col\">Gửi tới</th></tr></thead>\n<tbody>")
	for _, x := range ws {
		b.WriteString("<tr><td>")
		w.datetime(x.At)
		b.WriteString(`</td><td><span class="warn warn-`)
		w.text(x.Level)
		b.WriteString(`">`)
		w.text(motcua.WarningLevelLabel(x.Level))
		b.WriteString("</span></td><td>")
		w.text(motcua.ClockLabel(x.Clock))
		if x.Clock == motcua.ClockPart {
			b.WriteString(" (")
			w.agency(x.AgencyID)
			b.WriteByte(')')
		}
		b.WriteString(": ")
		w.datetime(x.DueAt)
		b.WriteString("</td>\n<td>")
		for i, n := range x.Names {
			if i > 0 {
				b.WriteString(", ")
			}
			w.text(n)
		}
		if len(x.Names) == 0 {
			b.WriteString("(không có người nhận)")
		}
		b.WriteString("</td></tr>")
	}
	b.WriteString("</tbody>\n</table></div>\n</section>")
}

// urlQuery writes s as html/template writes a value in the query or the
// fragment of a quoted URL attribute: every byte but ASCII letters,
// digits and "-._~" percent-encoded (lowercase hex), which leaves nothing
// the attribute would escape.
func urlQuery(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}
