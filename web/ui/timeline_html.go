package ui

import (
	"html/template"
	"strings"

	"github.com/motcua/motcua"
)

// timelineBody writes the lines of the dossier page's history (the
// <tbody>'s content) in Go. A dossier has six or seven events and each
// line took some twenty template actions (two agency look-ups, two or
// three dates, the verdict partial), each evaluated by reflection: a large
// part of the page that is opened a fifth of the time. The HTML is what
// the template wrote, byte for byte (timeline_html_test.go renders both);
// every value is escaped as html/template escapes it in that place.
func timelineBody(events []motcua.Event, agencies map[int64]*motcua.Agency) template.HTML {
	var b strings.Builder
	b.Grow(len(events) * 400)
	agency := func(id int64) {
		if a, ok := agencies[id]; ok {
			htmlText(&b, a.Name)
		}
	}
	for i := range events {
		e := &events[i]
		b.WriteString("<tr><td>")
		htmlText(&b, motcua.FormatDateTime(e.At))
		b.WriteString("</td><td>")
		htmlText(&b, e.Action.Label())
		b.WriteString("</td><td>")
		htmlText(&b, e.ActorName)
		b.WriteString(`<br><span class="meta">`)
		htmlText(&b, e.ActorRole.Label())
		b.WriteString("</span></td>\n<td>")
		agency(e.FromAgencyID)
		if e.FromAgencyID != e.ToAgencyID {
			b.WriteString(" → ")
			agency(e.ToAgencyID)
		}
		b.WriteString("</td>\n<td>")
		writeVerdict(&b, e.Timeliness)
		if !e.HandoverDueAt.IsZero() {
			b.WriteString(`<br><span class="meta">hạn `)
			htmlText(&b, motcua.FormatDateTime(e.HandoverDueAt))
			b.WriteString("</span>")
		}
		b.WriteString("</td>\n<td>")
		htmlText(&b, e.Reason)
		if e.ResultNumber != "" {
			b.WriteString(" Số ")
			htmlText(&b, e.ResultNumber)
		}
		if !e.DueAt.IsZero() && e.Action == motcua.ActExtend {
			b.WriteString(" Hẹn mới: ")
			htmlText(&b, motcua.FormatDateTime(e.DueAt))
		}
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}
