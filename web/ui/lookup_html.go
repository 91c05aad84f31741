package ui

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// The citizen lookup page's form, facts and timeline in Go, as the inbox's
// (inbox_html.go): as a template, its two controls, a dozen conditions
// and dates and the timeline's rows cost about a quarter of a millisecond
// of reflection per lookup, the page citizens open most (issue 15). The
// rarer parts (the result, the fees, the rating) stay in the template.
// The HTML is what the template wrote, byte for byte
// (lookup_html_test.go renders both).

// lookupForm writes the lookup form; its code field has the focus until
// a dossier is shown.
func lookupForm(p *page) template.HTML {
	focus := "focus="
	if p.Data == nil {
		focus = "focus=ma"
	}
	var b strings.Builder
	b.WriteString("<form method=\"get\" action=\"/tra-cuu\" class=\"card search\">\n")
	b.WriteString(string(fieldHTML(fld(p.Form, "ma", "Mã số hồ sơ", "required", "autocomplete=off", focus))))
	b.WriteByte('\n')
	b.WriteString(string(fieldHTML(fld(p.Form, "so", "4 chữ số cuối điện thoại đã đăng ký", "required", "inputmode=numeric", "maxlength=4", "autocomplete=off", "hint=Nếu không đăng ký điện thoại: 4 chữ số cuối của số định danh cá nhân."))))
	b.WriteString("\n<p><button type=\"submit\" class=\"primary\">Tra cứu</button></p>\n</form>")
	return template.HTML(b.String())
}

// lookupFacts writes the shown dossier's heading, state and dates.
func lookupFacts(l lookupData) template.HTML {
	d := l.D
	var b strings.Builder
	b.Grow(1024)
	b.WriteString(`<h2 id="kq">Hồ sơ `)
	htmlText(&b, d.Code)
	b.WriteString("</h2>\n<p class=\"state\">")
	htmlText(&b, d.StateLabel)
	b.WriteByte(' ')
	writeVerdict(&b, d.Timeliness)
	b.WriteString("</p>\n<dl class=\"facts\">\n<dt>Thủ tục</dt><dd>")
	htmlText(&b, d.ProcedureName)
	if d.ProcedureCode != "" {
		b.WriteString(" (")
		htmlText(&b, d.ProcedureCode)
		b.WriteByte(')')
	}
	b.WriteString("</dd>\n<dt>Cơ quan giải quyết</dt><dd>")
	htmlText(&b, d.Agency)
	b.WriteString("</dd>\n")
	// A dated fact, its line always ended, as the template's were.
	dated := func(label string, t time.Time, countdown bool) {
		if !t.IsZero() {
			b.WriteString("<dt>" + label + "</dt><dd>")
			htmlText(&b, motcua.FormatDateTime(t))
			if countdown {
				b.WriteString(` – <span class="countdown" data-due="`)
				b.WriteString(strconv.FormatInt(t.UnixMilli(), 10))
				b.WriteString(`">`)
				htmlText(&b, timeLeft(t, l.Now))
				b.WriteString("</span>")
			}
			b.WriteString("</dd>")
		}
		b.WriteByte('\n')
	}
	dated("Ngày tiếp nhận", d.ReceivedAt, false)
	dated("Hẹn trả kết quả", d.DueAt, d.FinishedAt.IsZero())
	dated("Hạn bổ sung hồ sơ", d.SupplementDeadline, true)
	dated("Có kết quả", d.FinishedAt, false)
	dated("Đã trả kết quả", d.ReturnedAt, false)
	b.WriteString("</dl>")
	return template.HTML(b.String())
}

// lookupTimeline writes the rows of the shown dossier's timeline.
func lookupTimeline(steps []service.PublicStep) template.HTML {
	var b strings.Builder
	b.Grow(200 * len(steps))
	for i := range steps {
		s := &steps[i]
		b.WriteString("<tr><td>")
		htmlText(&b, motcua.FormatDateTime(s.At))
		b.WriteString("</td><td>")
		htmlText(&b, s.Label)
		b.WriteString("</td><td>")
		htmlText(&b, s.Agency)
		b.WriteString("</td><td>")
		writeVerdict(&b, s.Timeliness)
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}

// verdictHTML is the "verdict" partial, written by writeVerdict.
func verdictHTML(t motcua.Timeliness) template.HTML {
	var b strings.Builder
	writeVerdict(&b, t)
	return template.HTML(b.String())
}

// writeVerdict writes the "verdict" partial: a timeliness as a labelled
// badge, nothing when there is none.
func writeVerdict(b *strings.Builder, t motcua.Timeliness) {
	if t == "" {
		return
	}
	b.WriteString(`<span class="v `)
	htmlText(b, verdictClass(t))
	b.WriteString(`">`)
	htmlText(b, t.Label())
	b.WriteString("</span>")
}
