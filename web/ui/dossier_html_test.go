package ui

import (
	"html/template"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
)

// dossierTemplate is the dossier page's template (dossier.html) before
// dossierHTML replaced its content, kept here as the reference the page
// must still equal byte for byte.
const dossierTemplate = `{{define "content"}}{{$d := .Data}}{{$x := $d.D}}{{$s := $x.Status}}{{$f := .Form}}
<p><a href="/hop-thu">← Hộp thư hồ sơ</a></p>
<h1>Hồ sơ {{$x.Code}}</h1>
{{if $d.Print}}<p class="print-now"><a class="button primary" href="/ho-so/{{$x.Code}}/in/{{$d.Print}}" target="_blank" autofocus>In {{formName $d.Print}}</a></p>{{end}}
<section class="card summary">
<p class="state">{{$s.State.Label}}{{with $d.Step}} – bước “{{.Name}}”{{end}} {{template "verdict" $d.V.Result}}</p>
{{if $d.V.Alert}}<p class="warn warn-{{$d.V.Alert}}" role="status">Cảnh báo: {{warnLabel $d.V.Alert}} — {{clockLabel $d.V.AlertClock.Kind}} {{datetime $d.V.AlertClock.DueAt}}.</p>{{end}}
<dl class="facts">
<dt>Thủ tục</dt><dd>{{$x.ProcedureName}}{{if $x.ProcedureCode}} ({{$x.ProcedureCode}}){{end}}</dd>
<dt>Kênh nộp</dt><dd>{{$x.Channel.Label}}{{if $x.Assisted}} (cán bộ hỗ trợ nộp){{end}}</dd>
<dt>Nơi tiếp nhận</dt><dd>{{agency $d.V.Agencies $x.ReceptionAgencyID}}</dd>
<dt>Cơ quan giải quyết</dt><dd>{{agency $d.V.Agencies $x.CompetentAgencyID}}</dd>
<dt>Đang ở</dt><dd>{{agency $d.V.Agencies $s.AgencyID}}</dd>
{{if not $s.ReceivedAt.IsZero}}<dt>Tiếp nhận</dt><dd>{{datetime $s.ReceivedAt}}</dd>{{end}}
{{if not $s.DueAt.IsZero}}<dt>Hẹn trả kết quả</dt><dd>{{datetime $s.DueAt}}{{if not $s.State.Finished}} – <span class="left">{{workLeft $s.DueAt $d.Now}}</span>{{end}}</dd>{{end}}
{{if not $s.StepDueAt.IsZero}}<dt>Hạn của bước hiện tại</dt><dd>{{datetime $s.StepDueAt}}</dd>{{end}}
{{if not $s.ActionDueAt.IsZero}}<dt>Hạn việc cần làm tại Một cửa</dt><dd>{{datetime $s.ActionDueAt}}</dd>{{end}}
{{if $s.ResultNumber}}<dt>Số kết quả</dt><dd>{{$s.ResultNumber}}</dd>{{end}}
</dl>
</section>

<div class="grid2">
<section class="card">
<h2>Người nộp</h2>
<dl class="facts">
<dt>Họ và tên</dt><dd>{{$x.Applicant.FullName}}</dd>
<dt>{{$x.Applicant.IDKind.Label}}</dt><dd>{{$x.Applicant.IDNumber}}</dd>
{{if $x.Applicant.DateOfBirth}}<dt>Ngày sinh</dt><dd>{{vndate $x.Applicant.DateOfBirth}}</dd>{{end}}
{{if $x.Applicant.Phone}}<dt>Điện thoại</dt><dd>{{$x.Applicant.Phone}}</dd>{{end}}
{{if $x.Applicant.Email}}<dt>Thư điện tử</dt><dd>{{$x.Applicant.Email}}</dd>{{end}}
{{if $x.Applicant.Address}}<dt>Địa chỉ</dt><dd>{{$x.Applicant.Address}}</dd>{{end}}
{{if $x.Applicant.Notify}}<dt>Nhận thông báo qua</dt><dd>{{$x.Applicant.Notify.Label}}</dd>{{end}}
{{if $x.Applicant.OnBehalfOf}}<dt>Người nộp thay</dt><dd>{{$x.Applicant.OnBehalfOf}}</dd>{{end}}
<dt>Nguồn thông tin</dt><dd id="applicant-source">{{if eq (print $x.Applicant.Source) "population_db"}}Cơ sở dữ liệu quốc gia về dân cư{{else if eq (print $x.Applicant.Source) "id_card_qr"}}Mã QR trên thẻ căn cước (chưa xác thực với CSDL dân cư){{else}}Nhập tay (chưa xác thực với CSDL dân cư){{end}}{{if $x.Applicant.VNeIDVerified}}; tài khoản VNeID đã xác thực{{end}}{{if $x.Applicant.EIDHelped}}; cán bộ đã hỗ trợ đăng ký tài khoản định danh điện tử mức 1{{end}}</dd>
{{with $x.Applicant.Register}}<dt>Tra cứu CSDL dân cư</dt><dd>lúc {{datetime .LookedUpAt}}; đã xác thực: {{range $i, $f := .Verified}}{{if $i}}, {{end}}{{fieldLabel $f}}{{else}}—{{end}}</dd>
<dt>Nơi thường trú khi tiếp nhận</dt><dd>{{or .Permanent.Text "—"}}</dd>
<dt>Nơi ở hiện tại khi tiếp nhận</dt><dd>{{or .Current.Text "—"}}</dd>
{{range .Conflicts}}<dt class="warn">Khác CSDL dân cư</dt><dd class="warn">{{fieldLabel .Field}}: đã nhập «{{.Typed}}», CSDL ghi «{{.Register}}»</dd>{{end}}{{end}}
</dl>
</section>
<section class="card">
<h2>Thành phần hồ sơ</h2>
<ul class="comps">{{range $x.Components}}<li>{{clause .Name}}: {{if .FromNationalDB}}khai thác từ cơ sở dữ liệu quốc gia{{else if .Reused}}dùng lại kết quả điện tử{{if .ReusedResult}} số {{.ReusedResult}} ({{reusedFrom .ReusedFrom}}){{end}}{{else if .Provided}}đã nộp{{if .Digitized}}, đã số hóa{{end}}{{else}}<strong>chưa nộp</strong>{{end}}</li>{{end}}</ul>
</section>
</div>

{{with $d.V.Payments}}{{if .Fees}}<section class="card" id="phi-le-phi">
<h2>Phí, lệ phí</h2>
{{if eq $f.Action "cash"}}{{template "formerror" $f}}{{end}}
<table class="list">
<thead><tr><th scope="col">Khoản</th><th scope="col">Số tiền</th><th scope="col">Tình trạng</th></tr></thead>
<tbody>{{range .Fees}}<tr><td>{{.Name}}</td><td>{{money .Amount}}</td><td>{{if .Paid}}Đã nộp{{if .PaidOnline}} trực tuyến{{else}} tiền mặt{{end}}{{else}}<strong>Chưa nộp</strong>{{end}}</td></tr>{{end}}</tbody>
</table>
{{with .Paid}}<p>Đã nộp {{money .Amount}} – {{if eq (printf "%s" .Method) "online"}}trực tuyến{{else}}tiền mặt{{end}}, lúc {{datetime .PaidAt}}{{if .ReceiptNumber}}, biên lai số {{.ReceiptNumber}}{{end}}{{if .ReceiptURL}} (<a href="{{.ReceiptURL}}">biên lai điện tử</a>){{end}}{{with index $d.V.Payments.Recorders .RecordedBy}}, {{.}} ghi nhận{{end}}.</p>{{end}}
{{if .Payments}}<h3>Các lần thanh toán</h3><ul>{{range .Payments}}<li>{{datetime .CreatedAt}}: {{if eq (printf "%s" .Method) "online"}}trực tuyến{{else}}tiền mặt{{end}}, {{money .Amount}} – {{.State.Label}} (mã {{.Reference}})</li>{{end}}</ul>{{end}}
{{if not .Enabled}}<p class="hint">Chưa kết nối nền tảng thanh toán: chỉ thu được tiền mặt tại Bộ phận Một cửa.</p>
{{else if .Outstanding}}<form method="post" action="/tra-cuu/thanh-toan" class="act online"><input type="hidden" name="ma" value="{{$x.Code}}"><p><button type="submit">Thanh toán trực tuyến cho người nộp</button></p></form>{{end}}
{{if .CanRecordCash}}{{$g := af $f "cash"}}<form method="post" action="/ho-so/{{$x.Code}}/thu-phi#phi-le-phi" class="act cash">
<h3>Ghi nhận nộp tiền mặt</h3>
{{template "field" fld $g "receipt_number" "Số biên lai đã giao cho người nộp" "required" "maxlength=40" "id=cash-receipt"}}
{{template "field" fld $g "amount" (printf "Số tiền đã thu (đồng) – phải đúng %d" .Due) "required" "inputmode=numeric" "id=cash-amount"}}
<p><button type="submit" class="primary">Ghi nhận đã thu</button></p>
</form>{{end}}
</section>{{end}}{{end}}

{{dossierActions $d $f}}

<section class="card" id="tai-lieu">
<h2>Tài liệu điện tử</h2>
{{if $d.V.Files}}<div class="scroll"><table class="list files">
<thead><tr><th scope="col">Tên tệp</th><th scope="col">Thành phần</th><th scope="col">Dung lượng</th><th scope="col">Người tải</th><th scope="col">Thời điểm</th><th scope="col">Chữ ký số</th></tr></thead>
<tbody>{{range $d.V.Files}}<tr><td><a href="/ho-so/{{$x.Code}}/tai-lieu/{{.ID}}">{{.Name}}</a></td><td>{{$d.ComponentName .ComponentID}}</td><td>{{size .Size}}</td><td>{{index $d.V.Uploaders .UploadedBy}}</td><td>{{datetime .UploadedAt}}</td><td>{{if .Signed}}<span class="v ok">Đã ký số</span>: {{.Signer}}, {{datetime .SignedAt}}{{if .DocCode}}<br>Mã kết quả: <a href="/xac-thuc?ma={{.DocCode}}">{{.DocCode}}</a>{{end}}{{else}}Chưa ký số{{end}}{{if and .ComponentID $d.ScanText}}<br><a href="/ho-so/{{$x.Code}}/tai-lieu/{{.ID}}/van-ban">Văn bản nhận dạng, thông tin đề xuất</a>{{end}}</td></tr>{{end}}</tbody>
</table></div>{{else}}<p>Chưa có tài liệu điện tử.</p>{{end}}
{{if $d.V.CanSignResult}}{{$g := af $f "sign_result"}}
<form method="post" action="/ho-so/{{$x.Code}}/ky-ket-qua" class="sign-result">
<h3>Ký số kết quả giải quyết</h3>
{{template "formerror" $g}}
<p>Hệ thống lập văn bản kết quả theo mẫu, ký số bằng chứng thư số của bạn, lưu làm tệp kết quả điện tử (mã {{$d.ResultCode}}) và chuyển kết quả về Bộ phận Một cửa trong một bước.</p>
<p><button type="submit" class="primary">Ký số và ban hành kết quả</button></p>
</form>{{end}}
{{if $d.V.Attach}}{{$g := af $f "attach"}}
<form method="post" action="/ho-so/{{$x.Code}}/tai-lieu#tai-lieu" enctype="multipart/form-data" class="attach">
<h3>Tải lên bản điện tử</h3>
{{template "formerror" $g}}
{{template "field" sel $g "component_id" "Thành phần hồ sơ" $d.AttachTo "required" "id=attach-component"}}
{{template "field" fld $g "file" "Tệp PDF, JPEG hoặc PNG" "type=file" "required" "id=attach-file" "accept=application/pdf,image/jpeg,image/png" (printf "hint=Tối đa %s." (size $d.MaxFile))}}
<p><button type="submit" class="primary">Tải lên</button></p>
</form>{{end}}
</section>

{{with $d.V.PortalSync}}<section class="card" id="dong-bo">
<h2>Đồng bộ Cổng Dịch vụ công quốc gia</h2>
<p>{{if .NationalCode}}Mã hồ sơ trên Cổng: <strong>{{.NationalCode}}</strong> (hồ sơ do Cổng chuyển đến). {{end}}{{if .InStep}}<span class="v ok">Cổng đã nhận đủ {{.SyncedSeq}} bước xử lý</span>{{if not .SyncedAt.IsZero}}, lần cuối lúc {{datetime .SyncedAt}}{{end}}.{{else}}<span class="mark soon">Cổng đã nhận {{.SyncedSeq}}/{{.QueuedSeq}} bước xử lý</span>; phần còn lại đang chờ gửi.{{end}}
{{if .LastError}}<br><span class="mark late">Lần gửi gần nhất không thành công ({{datetime .LastErrorAt}}): {{failText .LastError}}</span>{{end}}</p>
</section>{{end}}

<section class="card">
<h2>In phiếu</h2>
<ul class="prints">{{range $d.Forms}}<li><a href="/ho-so/{{$x.Code}}/in/{{.}}" target="_blank">{{formName .}}{{with formNo .}} ({{.}}){{end}}</a></li>{{end}}</ul>
</section>

<section class="card">
<h2>Quá trình xử lý</h2>
<div class="scroll"><table class="list timeline">
<thead><tr><th scope="col">Thời gian</th><th scope="col">Thao tác</th><th scope="col">Người thực hiện</th><th scope="col">Giao → nhận</th><th scope="col">Đánh giá</th><th scope="col">Ghi chú</th></tr></thead>
<tbody>{{timeline $d.V.Events $d.V.Agencies}}</tbody>
</table></div>
</section>
{{if $d.V.Warnings}}<section class="card">
<h2>Cảnh báo thời hạn đã gửi</h2>
<div class="scroll"><table class="list timeline">
<thead><tr><th scope="col">Thời gian</th><th scope="col">Cảnh báo</th><th scope="col">Thời hạn</th><th scope="col">Gửi tới</th></tr></thead>
<tbody>{{range $d.V.Warnings}}<tr><td>{{datetime .At}}</td><td><span class="warn warn-{{.Level}}">{{warnLabel .Level}}</span></td><td>{{clockLabel .Clock}}{{if eq .Clock "part"}} ({{agency $d.V.Agencies .AgencyID}}){{end}}: {{datetime .DueAt}}</td>
<td>{{range $i, $n := .Names}}{{if $i}}, {{end}}{{$n}}{{else}}(không có người nhận){{end}}</td></tr>{{end}}</tbody>
</table></div>
</section>{{end}}{{end}}`

// dossierPartials stand for the partials the reference calls: "field" as
// the page calls it (fieldHTML, TestFieldHTMLIsThePartialsHTML), and the
// "formerror" and "verdict" partials as they were before formErrorHTML and
// verdictHTML replaced them.
const dossierPartials = `{{define "field"}}{{fieldHTML .}}{{end}}
{{define "formerror"}}{{if .Message}}<div class="alert" role="alert"><p>{{.Message}}</p>{{with .Others}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}</div>{{end}}{{end}}` + verdictPartial

// dossierRefFuncs are the template functions the reference calls, as the
// UI's were when the template was the page (funcs.go), with the form
// titles forms and a workLeft that needs no calendar.
func dossierRefFuncs(forms pdf.Forms, workLeft func(due, now time.Time) string) template.FuncMap {
	return template.FuncMap{
		"fld": fld, "sel": sel, "fieldHTML": fieldHTML, "af": actionForm, "verdictClass": verdictClass,
		"datetime": motcua.FormatDateTime, "money": money, "size": service.FormatSize, "vndate": isoToVN,
		"fieldLabel": func(f string) string { return popLabels[f] }, "reusedFrom": reusedFrom, "clause": clause,
		"failText": failText, "warnLabel": motcua.WarningLevelLabel, "clockLabel": motcua.ClockLabel, "workLeft": workLeft,
		"formName": func(f pdf.Form) string { return forms[f].Title }, "formNo": func(f pdf.Form) string { return forms[f].Number },
		"agency": func(m map[int64]*motcua.Agency, id int64) string {
			if a, ok := m[id]; ok {
				return a.Name
			}
			return ""
		},
		"dossierActions": dossierActions, "timeline": timelineBody,
	}
}

// TestDossierPageIsTheTemplatesHTML renders the dossier page's content
// through the old template and through dossierHTML for dossiers that take
// every branch: the print button, the alert, each channel, state and
// applicant source, the register's answer with and without conflicts,
// each kind of component, fees absent, unpaid, paid online or in cash with
// a receipt's link (safe, unsafe, relative), the cash, signing and upload
// forms posted back with errors, files signed or not with a result's code
// and scans' text, the portal in step, behind and failing, warnings with a
// part's clock; and every value holding what html/template escapes (in
// text, in attributes, in a link's path and query) and non-ASCII.
func TestDossierPageIsTheTemplatesHTML(t *testing.T) {
	odd := []string{"", "Nguyễn Văn A", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "H99.101-261207-0001",
		"mã có dấu/?#[]@!$*;=,%(')é +&", "%41%4g%", "a%41", "javascript:alert(1)", "HTTP://x.y/a b?c=d&e'f", "mailto:a@b",
		"/rel/path?x=1#f", "Tờ khai. . ", "\t tab\nline\r", "KQ-a~b_c.d-e"}
	s := func(i int) string { return odd[i%len(odd)] }
	forms := pdf.Forms{pdf.FormReceipt: {Number: "Mẫu số 01", Title: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"},
		pdf.FormControl: {Number: "Mẫu <02> & \"x\"", Title: "Phiếu 'kiểm soát' + quá trình"}, pdf.FormStop: {Title: "Thông báo dừng"},
		pdf.Form(s(6)): {Number: s(2), Title: s(3)}}
	printable := []pdf.Form{"", pdf.FormReceipt, pdf.FormControl, pdf.Form(s(6)), pdf.FormStop, "unknown"}
	workLeft := func(due, now time.Time) string { return "còn <" + due.Sub(now).String() + "> & 'x'" }
	funcs := dossierRefFuncs(forms, workLeft)
	ref := template.Must(template.New("dossier").Funcs(funcs).Parse(dossierPartials + dossierTemplate))
	// The page's template as the UI parses it, its content written by
	// dossierHTML with the same form titles and workLeft.
	funcs["dossierContent"] = func(p *page) template.HTML { return dossierHTML(p, forms, workLeft) }
	cur := template.Must(template.Must(template.New("dossier").Funcs(funcs).Parse(dossierPartials)).ParseFiles("templates/dossier.html"))
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	agencies := map[int64]*motcua.Agency{1: {Name: "UBND xã An Phú"}, 2: {Name: `Sở "Tư pháp" & <b>`}, 3: {Name: s(6)}}
	states := []motcua.State{motcua.StateProcessing, motcua.StateReturned, motcua.StateReceived, motcua.StateAwaitingSupplement,
		motcua.StateResultReady, motcua.StateApproved, motcua.StateRefused}
	verdicts := []motcua.Timeliness{"", motcua.OnTime, motcua.Late, motcua.Early, motcua.Overdue, `we"ird`}
	levels := []string{"", motcua.LevelDueSoon, motcua.LevelOverdue, motcua.LevelEscalateHead, motcua.LevelEscalateLeader, `le<v>"el`}
	clocks := []string{motcua.ClockAction, motcua.ClockStep, motcua.ClockPart, motcua.ClockDue, `cl&ock`}
	sources := []motcua.DataSource{motcua.SourceTyped, motcua.SourcePopulationDB, motcua.SourceIDCardQR, "", "other<"}
	idKinds := []motcua.IDKind{motcua.IDPersonal, motcua.IDOldCard, motcua.IDPassport, motcua.IDTaxCode, "kind<&>"}
	notify := []motcua.NoticeChoice{"", motcua.NotifySMS, motcua.NotifyEmail, motcua.NotifyBoth, motcua.NotifyNone, "pigeon<"}
	urls := []string{"", "https://thanhtoan.example/bien-lai?so=1&x=<2>", s(9), s(10), s(11), s(12), s(6), "ftp:x", "a/b:c"}
	posted := []string{"", "cash", "sign_result", "attach", "forward", "other"}
	at := func(i, k int) time.Time {
		if (i+k)%3 == 0 {
			return time.Time{}
		}
		return now.Add(time.Duration((i*k)%11-5) * 37 * time.Hour)
	}
	var pages []*page
	for i := range 96 {
		x := &motcua.Dossier{Code: s(i), ProcedureName: s(i + 1), ProcedureCode: s(i + 2), Channel: motcua.Channel(i % 5),
			Assisted: i%2 == 1, ReceptionAgencyID: int64(i % 4), CompetentAgencyID: int64((i + 1) % 4)}
		x.Status = motcua.Status{State: states[i%len(states)], AgencyID: int64((i + 2) % 5), ReceivedAt: at(i, 1), DueAt: at(i, 2),
			StepDueAt: at(i, 3), ActionDueAt: at(i, 4), ResultNumber: s(i + 3)}
		x.Applicant = motcua.Applicant{FullName: s(i + 4), IDKind: idKinds[i%len(idKinds)], IDNumber: s(i + 5),
			DateOfBirth: []string{"", "1990-05-17", s(i)}[i%3], Phone: s(i + 6), Email: s(i + 7), Address: s(i + 8),
			Notify: notify[i%len(notify)], OnBehalfOf: s(i + 9), Source: sources[i%len(sources)], VNeIDVerified: i%3 == 1, EIDHelped: i%4 == 2}
		if i%3 != 0 {
			r := &motcua.RegisterRecord{LookedUpAt: at(i, 5), Permanent: motcua.RegisterAddress{Text: s(i + 10)}, Current: motcua.RegisterAddress{Text: s(i + 11)}}
			r.Verified = []string{motcua.FieldFullName, motcua.FieldDateOfBirth, motcua.FieldGender, motcua.FieldAddress, "unknown<"}[:i%5]
			for k := range i % 3 {
				r.Conflicts = append(r.Conflicts, motcua.FieldConflict{Field: []string{motcua.FieldFullName, "x&y"}[k%2], Typed: s(i + k), Register: s(i + k + 1)})
			}
			x.Applicant.Register = r
		}
		for k := range i % 7 {
			c := motcua.DossierComponent{ComponentID: int64(k + 1), Name: s(i + k), FromNationalDB: (i+k)%5 == 0, Reused: (i+k)%5 == 1,
				Provided: (i+k)%5 >= 3, Digitized: (i+k)%2 == 0}
			c.ReusedResult = []string{"", "12/2025/QĐ-UBND", s(i + k)}[(i+k)%3]
			c.ReusedFrom = []string{motcua.ReuseSourceMotcua + s(i), motcua.ReuseSourceStore + "KHO-1", s(i + 2)}[k%3]
			x.Components = append(x.Components, c)
		}
		v := &service.DossierView{Dossier: x, Agencies: agencies, Result: verdicts[i%len(verdicts)], Alert: levels[i%len(levels)],
			AlertClock: motcua.Clock{Kind: clocks[i%len(clocks)], DueAt: at(i, 6)}, Uploaders: map[int64]string{7: s(i + 2), 8: "Trần B"},
			CanSignResult: i%4 == 1}
		if i%5 != 0 {
			v.Allowed = []motcua.Action{motcua.ActForward, motcua.ActExtend}[:i%3]
		}
		if i%4 == 3 {
			v.Attach = []int64{motcua.ResultComponent, 1, 99}[:1+i%3]
		}
		v.Payments = dossierPayments(i, s, now, urls)
		for k := range i % 5 {
			f := &motcua.DossierFile{ID: int64(100*i + k - 3), ComponentID: int64(k % 3), Name: s(i + k), Size: int64(k) << (8 * k),
				UploadedBy: int64(6 + k%3), UploadedAt: now.Add(-time.Duration(k) * time.Hour)}
			if (i+k)%2 == 0 {
				f.Signer, f.SignedAt = s(i+k+1), now.Add(-time.Duration(k)*time.Minute)
				f.DocCode = []string{"", "KQ-" + s(i), s(i + k + 2)}[(i+k)%3]
			}
			v.Files = append(v.Files, f)
		}
		if i%4 != 0 {
			ps := &motcua.PortalSyncState{NationalCode: []string{"", "G22.99-251201-0001", s(i)}[i%3], QueuedSeq: 7, SyncedSeq: []int{7, 3, 9, 0}[i%4],
				SyncedAt: at(i, 7), LastErrorAt: at(i, 8)}
			ps.LastError = []string{"", "motcua error: code=unavailable reason=portal_down message=Cổng <không> trả lời", s(i + 3)}[i%3]
			v.PortalSync = ps
		}
		for k := range i % 4 {
			v.Warnings = append(v.Warnings, &motcua.DossierWarning{At: now.Add(time.Duration(k) * time.Hour), Level: levels[(i+k)%len(levels)],
				Clock: clocks[(i+k)%len(clocks)], AgencyID: int64(k % 4), DueAt: at(i, k), Names: []string{s(i + k), "Lê C", s(i + 1)}[:k%4]})
		}
		for k := range i % 3 {
			v.Events = append(v.Events, motcua.Event{Seq: k + 1, At: now.Add(-time.Duration(k) * time.Hour), Action: motcua.ActForward,
				ActorName: s(i + k), Reason: s(i + k + 1), FromAgencyID: 1, ToAgencyID: int64(k % 3)})
		}
		d := &dossierData{V: v, D: x, Now: now, Print: printable[i%len(printable)], MaxFile: int64(i) << 18, ScanText: i%3 != 2,
			Forms: printable[1 : 1+i%len(printable)], Missing: []motcua.Component{{ID: 1, Name: s(i)}}}
		if i%3 == 1 {
			d.Step = &motcua.Step{Name: s(i + 5), Kind: motcua.StepAppraise}
		}
		f := newForm(url.Values{"receipt_number": {s(i + 1)}, "amount": {s(i + 2)}, "component_id": {"1"}, "reason": {s(i)}})
		f.Action = posted[(i/3)%len(posted)]
		if i%2 == 0 {
			f.Message = s(i + 3)
			f.Errors = map[string]string{"receipt_number": s(i + 4), "amount": "Số tiền phải đúng.", "component_id": s(i), "file": s(i + 5), "elsewhere": s(i + 6)}
		}
		pages = append(pages, &page{Form: f, Data: d})
	}
	for i, p := range pages {
		var want strings.Builder
		if err := ref.ExecuteTemplate(&want, "content", p); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		var got strings.Builder
		if err := cur.ExecuteTemplate(&got, "content", p); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if got.String() != want.String() {
			t.Fatalf("case %d:\n got %q\nwant %q", i, got.String(), want.String())
		}
	}
}

// dossierPayments is case i's fees: none, none charged, or fees unpaid,
// paid online or in cash, with the payments tried, online payment on or
// off, and the cash form offered or not.
func dossierPayments(i int, s func(int) string, now time.Time, urls []string) *service.PaymentView {
	switch i % 6 {
	case 0:
		return nil
	case 1:
		return &service.PaymentView{Enabled: true, Due: 0}
	}
	v := &service.PaymentView{Enabled: i%4 != 0, Due: int64(i) * 10000, CanRecordCash: i%3 != 0}
	for k := range 1 + i%3 {
		v.Fees = append(v.Fees, motcua.DossierFee{Name: s(i + k), Amount: int64(k*i) * 1500, Paid: (i+k)%3 != 0, PaidOnline: (i+k)%2 == 0})
	}
	methods := []motcua.PaymentMethod{motcua.PayOnline, motcua.PayCash, "barter<"}
	for k := range i % 4 {
		v.Payments = append(v.Payments, &motcua.Payment{CreatedAt: now.Add(-time.Duration(k) * time.Hour), Method: methods[(i+k)%3],
			Amount: int64(k) * 25000, State: []motcua.PaymentState{motcua.PaymentPaid, motcua.PaymentPending, motcua.PaymentFailed, "odd&"}[k],
			Reference: s(i + k)})
	}
	if i%5 >= 2 {
		v.Paid = &motcua.Payment{Method: methods[i%3], Amount: v.Due, PaidAt: now.Add(-time.Hour), ReceiptNumber: s(i + 1),
			ReceiptURL: urls[i%len(urls)], RecordedBy: int64(i % 3)}
		if i%2 == 0 {
			v.Recorders = map[int64]string{0: s(i + 2), 1: "Phạm D", 2: s(i)}
		}
	}
	return v
}
