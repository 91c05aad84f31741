package ui

import (
	"html/template"
	"strconv"
	"strings"
)

// fieldHTML writes a labelled form control: the "field" partial, which
// every form uses, in Go. The partial took about thirty template actions
// per control (each condition, comparison and value evaluated by
// reflection), and more for each option of a select: on the inbox, whose
// filter has five selects, the form cost more CPU than the fifty lines of
// the table (issue 15). The HTML is what the partial wrote, byte for byte
// (field_html_test.go renders both); every value is escaped as
// html/template escapes it there (text, quoted attribute, textarea).
func fieldHTML(d fieldData) template.HTML {
	var b strings.Builder
	b.Grow(256 + 64*len(d.Options))
	b.WriteString(`<div class="f`)
	if d.Err != "" {
		b.WriteString(" bad")
	}
	b.WriteString("\">\n<label for=\"")
	htmlText(&b, d.ID)
	b.WriteString(`">`)
	htmlText(&b, d.Label)
	if d.Required {
		b.WriteString(` <abbr title="bắt buộc">*</abbr>`)
	}
	b.WriteString("</label>\n")
	// The attributes every kind of control shares, in the partial's order.
	flags := func() {
		if d.Required {
			b.WriteString(" required")
		}
		if d.Autofocus {
			b.WriteString(" autofocus")
		}
	}
	described := func() {
		if d.Err != "" {
			b.WriteString(` aria-invalid="true"`)
		}
		if d.Err != "" || d.Hint != "" {
			b.WriteString(` aria-describedby="`)
			htmlText(&b, d.ID)
			b.WriteString(`-m"`)
		}
	}
	attr := func(name, v string) {
		if v != "" {
			b.WriteString(" " + name + `="`)
			htmlText(&b, v)
			b.WriteByte('"')
		}
	}
	switch d.Type {
	case "textarea":
		b.WriteString(`<textarea id="`)
		htmlText(&b, d.ID)
		b.WriteString(`" name="`)
		htmlText(&b, d.Name)
		b.WriteString(`" rows="`)
		if d.Rows != 0 {
			b.WriteString(strconv.Itoa(d.Rows))
		} else {
			b.WriteByte('3')
		}
		b.WriteByte('"')
		flags()
		described()
		attr("placeholder", d.Placeholder)
		b.WriteByte('>')
		htmlText(&b, d.Value)
		b.WriteString("</textarea>\n")
	case "select":
		b.WriteString(`<select id="`)
		htmlText(&b, d.ID)
		b.WriteString(`" name="`)
		htmlText(&b, d.Name)
		b.WriteByte('"')
		flags()
		described()
		b.WriteByte('>')
		for _, o := range d.Options {
			b.WriteString(`<option value="`)
			htmlText(&b, o.Value)
			b.WriteByte('"')
			if o.Value == d.Value {
				b.WriteString(" selected")
			}
			b.WriteByte('>')
			htmlText(&b, o.Label)
			b.WriteString("</option>")
		}
		b.WriteString("</select>\n")
	default:
		b.WriteString(`<input id="`)
		htmlText(&b, d.ID)
		b.WriteString(`" name="`)
		htmlText(&b, d.Name)
		b.WriteString(`" type="`)
		htmlText(&b, d.Type)
		b.WriteString(`" value="`)
		htmlText(&b, d.Value)
		b.WriteByte('"')
		flags()
		attr("inputmode", d.InputMode)
		attr("autocomplete", d.AutoComplete)
		attr("placeholder", d.Placeholder)
		if d.MaxLength != 0 {
			b.WriteString(` maxlength="` + strconv.Itoa(d.MaxLength) + `"`)
		}
		attr("accept", d.Accept)
		described()
		b.WriteString(">\n")
	}
	if d.Err != "" || d.Hint != "" {
		if d.Err != "" {
			b.WriteString(`<p class="err" id="`)
		} else {
			b.WriteString(`<p class="hint" id="`)
		}
		htmlText(&b, d.ID)
		b.WriteString(`-m">`)
		if d.Err != "" {
			htmlText(&b, d.Err)
		} else {
			htmlText(&b, d.Hint)
		}
		b.WriteString("</p>")
	}
	b.WriteString("\n</div>")
	return template.HTML(b.String())
}

// formErrorHTML writes the "formerror" partial in Go: a form's message and
// the errors of fields the form does not show, in an alert; nothing when
// the form has no message. The HTML is what the partial wrote, byte for
// byte (inbox_html_test.go renders both).
func formErrorHTML(f *form) template.HTML {
	var b strings.Builder
	writeFormError(&b, f)
	return template.HTML(b.String())
}

// writeFormError writes formErrorHTML's block to b.
func writeFormError(b *strings.Builder, f *form) {
	if f == nil || f.Message == "" {
		return
	}
	b.WriteString(`<div class="alert" role="alert"><p>`)
	htmlText(b, f.Message)
	b.WriteString("</p>")
	if others := f.Others(); len(others) > 0 {
		b.WriteString("<ul>")
		for _, o := range others {
			b.WriteString("<li>")
			htmlText(b, o)
			b.WriteString("</li>")
		}
		b.WriteString("</ul>")
	}
	b.WriteString("</div>")
}
