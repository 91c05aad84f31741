package ui

import (
	"html/template"
	"strings"
)

// inboxBody writes the inbox table's lines (the <tbody>'s content) in Go.
// The page officers open most had fifty lines of a dozen values each, and
// html/template escapes every value through a function called by
// reflection and finds every field by name (embedded structs searched each
// time): together about half of the page's CPU. The HTML is what the
// template wrote, byte for byte (inbox_html_test.go renders both); every
// value is escaped here as html/template escapes it in that place.
func inboxBody(rows []inboxRow) template.HTML {
	if len(rows) == 0 {
		return `<tr><td colspan="7">Không có hồ sơ nào.</td></tr>`
	}
	var b strings.Builder
	b.Grow(len(rows) * 900)
	for i := range rows {
		r := &rows[i]
		x := r.Dossier
		b.WriteString(`<tr class="`)
		switch {
		case r.Late:
			b.WriteString("late")
		case r.DueToday:
			b.WriteString("today")
		case r.DueSoon:
			b.WriteString("soon")
		}
		b.WriteString("\">\n<td>")
		if r.Due != "" {
			htmlText(&b, r.Due)
			b.WriteString("<br>")
			switch {
			case r.Late:
				b.WriteString(`<strong class="mark late">Quá hạn</strong>`)
			case r.DueToday:
				b.WriteString(`<strong class="mark today">Đến hạn hôm nay</strong>`)
			case r.DueSoon:
				b.WriteString(`<strong class="mark soon">Còn dưới 1 ngày làm việc</strong>`)
			}
		} else {
			b.WriteString("—")
		}
		b.WriteString("</td>\n<td><a href=\"/ho-so/")
		urlPath(&b, x.Code)
		b.WriteString(`">`)
		htmlText(&b, x.Code)
		b.WriteString("</a></td>\n<td>")
		htmlText(&b, x.ProcedureName)
		b.WriteString("</td>\n<td>")
		htmlText(&b, x.Applicant.FullName)
		b.WriteString("</td>\n<td>")
		htmlText(&b, r.State)
		b.WriteString(`<br><span class="meta">`)
		htmlText(&b, r.Channel)
		if x.Assisted {
			b.WriteString(" (hỗ trợ)")
		}
		b.WriteString("</span></td>\n<td>")
		htmlText(&b, r.Agency)
		b.WriteString("</td>\n<td>")
		if r.Alert != "" {
			b.WriteString(`<span class="warn warn-`)
			htmlText(&b, r.Alert)
			b.WriteString(`" title="`)
			htmlText(&b, r.Clock)
			b.WriteString(": ")
			htmlText(&b, r.ClockDue)
			b.WriteString(`">`)
			htmlText(&b, r.Warn)
			b.WriteString(`</span><br><span class="meta">`)
			htmlText(&b, r.Clock)
			b.WriteString("</span>")
		} else {
			b.WriteString("—")
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}

// htmlText writes s escaped as html/template escapes a value in text and
// in a quoted attribute: & < > " ' and + as entities, NUL as U+FFFD.
func htmlText(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case '+':
			rep = "&#43;"
		case 0:
			rep = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// urlPath writes s as html/template writes a value in the path of a
// quoted URL attribute: the bytes a URL may not hold percent-encoded as its
// normalizer does (a valid escape kept, except at the very end, as there),
// then the result escaped for the attribute.
func urlPath(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0:
			b.WriteByte(c)
		case c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			b.WriteByte(c)
		case c == '&':
			b.WriteString("&amp;")
		case c == '+':
			b.WriteString("&#43;")
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// inboxContent writes the inbox page's content (the filter form, the
// table and the link to the next page) in Go, as inboxBody writes its
// lines: as a template the form's five controls, the error block and the
// table's frame still took about 90 µs of reflection per page, the
// page officers open most (issue 15). The HTML is what the template
// wrote, byte for byte (inbox_html_test.go renders both).
func inboxContent(p *page) template.HTML {
	d, f := p.Data.(*inboxData), p.Form
	var b strings.Builder
	b.Grow(4096 + len(d.Body))
	b.WriteString("<h1>Hộp thư hồ sơ</h1>\n<form method=\"get\" action=\"/hop-thu\" class=\"card filters\">\n")
	writeFormError(&b, f)
	b.WriteString("\n<div class=\"row\">\n")
	for _, c := range []fieldData{
		sel(f, "trang-thai", "Trạng thái", d.States),
		fld(f, "thu-tuc", "Mã thủ tục", "placeholder=1.001193", "autocomplete=off"),
		sel(f, "co-quan", "Cơ quan", d.Own),
		sel(f, "kenh", "Kênh nộp", d.Channels),
		sel(f, "cua-toi", "Phạm vi", d.Mine),
	} {
		b.WriteString(string(fieldHTML(c)))
		b.WriteByte('\n')
	}
	b.WriteString(`</div>
<p><button type="submit" class="primary">Lọc</button> <a href="/hop-thu">Bỏ lọc</a></p>
</form>
<div class="scroll"><table class="list inbox">
<caption>Sắp xếp theo hạn xử lý, gấp nhất trước</caption>
<thead><tr><th scope="col">Hạn xử lý</th><th scope="col">Mã hồ sơ</th><th scope="col">Thủ tục</th><th scope="col">Người nộp</th><th scope="col">Trạng thái</th><th scope="col">Đang ở</th><th scope="col">Cảnh báo</th></tr></thead>
<tbody>`)
	b.WriteString(string(d.Body))
	b.WriteString("</tbody>\n</table></div>\n")
	if d.Next != "" {
		b.WriteString(`<p><a class="button" href="`)
		urlPath(&b, d.Next)
		b.WriteString(`">Trang sau →</a></p>`)
	}
	return template.HTML(b.String())
}
