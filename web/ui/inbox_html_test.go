package ui

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// inboxRowTemplate is the template inboxBody replaced, kept here as the
// reference its output must equal byte for byte.
const inboxRowTemplate = `{{range .}}{{$x := .Dossier}}<tr class="{{if .Late}}late{{else if .DueToday}}today{{else if .DueSoon}}soon{{end}}">
<td>{{if .Due}}{{.Due}}<br>{{if .Late}}<strong class="mark late">Quá hạn</strong>{{else if .DueToday}}<strong class="mark today">Đến hạn hôm nay</strong>{{else if .DueSoon}}<strong class="mark soon">Còn dưới 1 ngày làm việc</strong>{{end}}{{else}}—{{end}}</td>
<td><a href="/ho-so/{{$x.Code}}">{{$x.Code}}</a></td>
<td>{{$x.ProcedureName}}</td>
<td>{{$x.Applicant.FullName}}</td>
<td>{{.State}}<br><span class="meta">{{.Channel}}{{if $x.Assisted}} (hỗ trợ){{end}}</span></td>
<td>{{.Agency}}</td>
<td>{{if .Alert}}<span class="warn warn-{{.Alert}}" title="{{.Clock}}: {{.ClockDue}}">{{.Warn}}</span><br><span class="meta">{{.Clock}}</span>{{else}}—{{end}}</td>
</tr>{{else}}<tr><td colspan="7">Không có hồ sơ nào.</td></tr>{{end}}`

func TestInboxBodyIsTheTemplatesHTML(t *testing.T) {
	ref := template.Must(template.New("rows").Parse(inboxRowTemplate))
	due := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	// Values with everything html/template escapes, in text, in
	// attributes and in the link's path.
	odd := []string{"", "Nguyễn Văn A", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "H01.1-261207-0001", "mã có dấu/?#[]@!$*;=,%(')é +&", "%41%4g%", "a%41"}
	var rows []inboxRow
	for i, s := range odd {
		d := &motcua.Dossier{Code: s, ProcedureName: odd[(i+1)%len(odd)], Assisted: i%2 == 0,
			Applicant: motcua.Applicant{FullName: odd[(i+2)%len(odd)]}}
		d.Status.State = motcua.StateProcessing
		it := service.InboxItem{Dossier: d, DueAt: due, Timeliness: motcua.OnTime, DueToday: i%3 == 1, DueSoon: i%3 == 2}
		if i%2 == 1 {
			it.Alert = []string{"", "yellow", `re"d`}[i%3]
			it.AlertClock = motcua.Clock{DueAt: due}
		}
		if i == 3 {
			it.Timeliness = motcua.Overdue
		}
		if i == 4 {
			it.DueAt = time.Time{}
		}
		r := inboxRows([]service.InboxItem{it}, map[int64]*motcua.Agency{0: {Name: odd[(i+3)%len(odd)]}})[0]
		r.Clock, r.Warn = odd[(i+4)%len(odd)], odd[(i+5)%len(odd)]
		rows = append(rows, r)
	}
	for _, n := range []int{0, 1, len(rows)} {
		var want strings.Builder
		if err := ref.Execute(&want, rows[:n]); err != nil {
			t.Fatal(err)
		}
		if got := string(inboxBody(rows[:n])); got != want.String() {
			t.Errorf("%d rows:\n got %q\nwant %q", n, got, want.String())
		}
	}
}
