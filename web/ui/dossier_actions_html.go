package ui

import (
	"html/template"
	"strconv"
	"strings"
)

// dossierAction is one action of the dossier page's "Thao tác" card, in
// the card's order: its form's heading, and the label of its reason field
// when it asks for one.
type dossierAction struct {
	act, heading, reason string
}

// dossierActionOrder lists the actions the card offers, in its order.
var dossierActionOrder = []dossierAction{
	{"transfer", "Chuyển hồ sơ cho cơ quan giải quyết", ""},
	{"supplement_received", "Nhận hồ sơ đã bổ sung", ""},
	{"assign", "Phân công thẩm định", ""},
	{"forward", "Hoàn thành bước, chuyển bước tiếp theo", ""},
	{"approve", "Phê duyệt", ""},
	{"issue_result", "Ban hành kết quả", ""},
	{"return", "Trả kết quả cho người nộp", ""},
	{"request_supplement", "Yêu cầu bổ sung hồ sơ", "Nội dung cần bổ sung, hướng dẫn đầy đủ một lần"},
	{"send_back", "Trả lại để thẩm định lại", "Lý do"},
	{"extend", "Xin lỗi và hẹn lại ngày trả kết quả", "Lý do chậm trễ và lời xin lỗi"},
	{"refuse", "Từ chối giải quyết", "Lý do"},
	{"withdraw", "Rút hồ sơ theo đề nghị của người nộp", "Lý do"},
	{"stop", "Dừng giải quyết hồ sơ", "Lý do"},
	{"close", "Đóng hồ sơ (không bổ sung đúng hạn)", ""},
}

// dossierActions writes the dossier page's "Thao tác" card in Go: a form
// for each action the viewer may take, then the actions refused now with
// their reasons. As a template it was the page's heaviest part: fourteen
// actions tried each view, each with a dozen comparisons evaluated by
// reflection (issue 15). The HTML is what the template wrote, byte for
// byte (dossier_actions_html_test.go renders both).
func dossierActions(d *dossierData, f *form) template.HTML {
	var b strings.Builder
	b.Grow(4096)
	code := d.D.Code
	b.WriteString("<section class=\"card\" id=\"thao-tac\">\n<h2>Thao tác</h2>\n")
	if f.Action != "attach" && f.Action != "cash" {
		writeFormError(&b, f)
	}
	b.WriteByte('\n')
	if len(d.V.Allowed) == 0 {
		b.WriteString("<p>Bạn không có thao tác nào với hồ sơ ở trạng thái này.</p>")
	}
	b.WriteString("\n<div class=\"acts\">\n")
	for _, a := range dossierActionOrder {
		act := a.act
		if !d.Allowed(act) {
			continue
		}
		g := actionForm(f, act)
		b.WriteString("\n<form method=\"post\" action=\"/ho-so/")
		urlPath(&b, code)
		b.WriteString("/thao-tac#thao-tac\" class=\"act ")
		b.WriteString(act)
		b.WriteString("\">\n<input type=\"hidden\" name=\"action\" value=\"")
		b.WriteString(act)
		b.WriteString("\">\n<h3>")
		b.WriteString(a.heading)
		b.WriteString("</h3>\n")
		if act == "forward" && d.Appraising() {
			b.WriteString(string(fieldHTML(fld(g, "reason", "Ý kiến thẩm định (đề xuất giải quyết)", "type=textarea", "id=forward-reason", "hint=Được ghi vào quá trình xử lý và phiếu kiểm soát."))))
		}
		b.WriteByte('\n')
		if act == "assign" {
			b.WriteString(string(fieldHTML(sel(g, "assignee_id", "Chuyên viên thẩm định", d.Assignees, "required", "id=assign-assignee"))))
		}
		b.WriteByte('\n')
		if act == "issue_result" {
			b.WriteString(string(fieldHTML(fld(g, "result_number", "Số, ký hiệu văn bản kết quả", "placeholder=12/2025/QĐ-UBND", "id=issue-result-number"))))
		}
		b.WriteByte('\n')
		if act == "extend" {
			b.WriteString(string(fieldHTML(fld(g, "new_due_at", "Ngày hẹn trả mới (ngày/tháng/năm)", "required", "placeholder=20/03/2025", "id=extend-new-due", "hint=Chỉ hẹn lại một lần; chậm nhất 1 ngày làm việc trước hạn hiện tại."))))
		}
		b.WriteByte('\n')
		if act == "request_supplement" {
			writeComponentBoxes(&b, d, g, "Thành phần cần bổ sung", "m-", "missing", func(id int64, v string) bool { return g.Has("missing", v) })
		}
		b.WriteByte('\n')
		if act == "supplement_received" {
			writeComponentBoxes(&b, d, g, "Thành phần đã nhận", "s-", "supplied", func(id int64, v string) bool {
				if g.Action == "supplement_received" {
					return g.Has("supplied", v)
				}
				return d.Requested(id)
			})
		}
		b.WriteByte('\n')
		if a.reason != "" {
			b.WriteString(string(fieldHTML(fld(g, "reason", a.reason, "type=textarea", "required", "id="+act+"-reason"))))
		}
		b.WriteString("\n<p><button type=\"submit\"")
		switch act {
		case "refuse", "stop":
			b.WriteString(` class="danger"`)
		case "transfer", "forward", "approve", "return", "assign", "issue_result":
			b.WriteString(` class="primary"`)
		}
		b.WriteByte('>')
		switch act {
		case "transfer":
			b.WriteString("Chuyển xử lý")
		case "forward":
			b.WriteString("Chuyển bước tiếp theo")
		default:
			b.WriteString("Xác nhận")
		}
		b.WriteString("</button></p>\n</form>")
	}
	b.WriteString("\n</div>\n")
	if len(d.V.Refused) > 0 {
		b.WriteString("<h3>Thao tác chưa thực hiện được lúc này</h3>\n<ul class=\"refused\">")
		for _, r := range d.V.Refused {
			b.WriteString("<li><strong>")
			htmlText(&b, r.Action.Label())
			b.WriteString("</strong>: ")
			htmlText(&b, r.Message)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("\n</section>")
	return template.HTML(b.String())
}

// writeComponentBoxes writes the fieldset of a supplement's components, a
// box each named name, ticked when checked says so.
func writeComponentBoxes(b *strings.Builder, d *dossierData, g *form, legend, prefix, name string, checked func(id int64, v string) bool) {
	b.WriteString(`<fieldset class="f"><legend>`)
	b.WriteString(legend)
	b.WriteString("</legend>")
	for _, c := range d.Missing {
		id := strconv.FormatInt(c.ID, 10)
		b.WriteString(`<p class="check"><input type="checkbox" id="` + prefix + id + `" name="` + name + `" value="` + id + `"`)
		if checked(c.ID, id) {
			b.WriteString(" checked")
		}
		b.WriteString(`><label for="` + prefix + id + `">`)
		htmlText(b, c.Name)
		b.WriteString("</label></p>")
	}
	if e := g.Err(name); e != "" {
		b.WriteString(`<p class="err">`)
		htmlText(b, e)
		b.WriteString("</p>")
	}
	b.WriteString("</fieldset>")
}

// actionForm is f when it was posted by the form of action a (its values
// and errors go back into that form), an empty form otherwise.
func actionForm(f *form, a string) *form {
	if f != nil && f.Action == a {
		return f
	}
	return newForm(nil)
}
