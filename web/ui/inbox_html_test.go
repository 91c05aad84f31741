package ui

import (
	"html/template"
	"net/url"
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

// inboxContentTemplate is the inbox page's template inboxContent replaced,
// with the "formerror" partial formErrorHTML replaced, kept here as the
// reference their output must equal byte for byte.
const inboxContentTemplate = `{{define "field"}}{{fieldHTML .}}{{end}}
{{define "formerror"}}{{if .Message}}<div class="alert" role="alert"><p>{{.Message}}</p>{{with .Others}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}</div>{{end}}{{end}}
{{define "content"}}{{$d := .Data}}{{$f := .Form}}<h1>Hộp thư hồ sơ</h1>
<form method="get" action="/hop-thu" class="card filters">
{{template "formerror" $f}}
<div class="row">
{{template "field" sel $f "trang-thai" "Trạng thái" $d.States}}
{{template "field" fld $f "thu-tuc" "Mã thủ tục" "placeholder=1.001193" "autocomplete=off"}}
{{template "field" sel $f "co-quan" "Cơ quan" $d.Own}}
{{template "field" sel $f "kenh" "Kênh nộp" $d.Channels}}
{{template "field" sel $f "cua-toi" "Phạm vi" $d.Mine}}
</div>
<p><button type="submit" class="primary">Lọc</button> <a href="/hop-thu">Bỏ lọc</a></p>
</form>
<div class="scroll"><table class="list inbox">
<caption>Sắp xếp theo hạn xử lý, gấp nhất trước</caption>
<thead><tr><th scope="col">Hạn xử lý</th><th scope="col">Mã hồ sơ</th><th scope="col">Thủ tục</th><th scope="col">Người nộp</th><th scope="col">Trạng thái</th><th scope="col">Đang ở</th><th scope="col">Cảnh báo</th></tr></thead>
<tbody>{{$d.Body}}</tbody>
</table></div>
{{if $d.Next}}<p><a class="button" href="{{$d.Next}}">Trang sau →</a></p>{{end}}{{end}}`

func TestInboxContentIsTheTemplatesHTML(t *testing.T) {
	ref := template.Must(template.New("ref").Funcs(template.FuncMap{"fld": fld, "sel": sel, "fieldHTML": fieldHTML}).Parse(inboxContentTemplate))
	odd := []string{"", "Nguyễn Văn A", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "/hop-thu?sau=H01.1%2F2&trang-thai=processing+x", "mã có dấu/?#[]@!$*;=,%(')é +&", "%41%4g%"}
	for i, s := range odd {
		f := newForm(url.Values{"trang-thai": {odd[(i+1)%len(odd)]}, "thu-tuc": {s}, "co-quan": {"2"}})
		if i%2 == 1 {
			f.Message = odd[(i+2)%len(odd)]
			f.Errors["thu-tuc"] = odd[(i+3)%len(odd)]
			f.Errors["elsewhere"] = odd[(i+4)%len(odd)]
		}
		opts := []option{{"", "Tất cả"}, {"2", s}, {odd[(i+5)%len(odd)], "x"}}
		d := &inboxData{States: opts, Own: opts[:2], Channels: opts[1:], Mine: opts, Body: inboxBody(nil), Next: odd[(i+6)%len(odd)]}
		p := &page{Form: f, Data: d}
		var want strings.Builder
		if err := ref.ExecuteTemplate(&want, "content", p); err != nil {
			t.Fatal(err)
		}
		if got := string(inboxContent(p)); got != want.String() {
			t.Errorf("case %d:\n got %q\nwant %q", i, got, want.String())
		}
	}
}
