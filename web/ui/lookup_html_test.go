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

// lookupTemplate is the lookup page's template before lookupForm,
// lookupFacts and lookupTimeline replaced parts of it, kept here as the
// reference the page must still equal byte for byte.
const lookupTemplate = `{{define "content"}}<h1>Tra cứu hồ sơ</h1>
<form method="get" action="/tra-cuu" class="card search">
{{template "field" fld .Form "ma" "Mã số hồ sơ" "required" "autocomplete=off" (printf "focus=%s" (or (and (not .Data) "ma") ""))}}
{{template "field" fld .Form "so" "4 chữ số cuối điện thoại đã đăng ký" "required" "inputmode=numeric" "maxlength=4" "autocomplete=off" "hint=Nếu không đăng ký điện thoại: 4 chữ số cuối của số định danh cá nhân."}}
<p><button type="submit" class="primary">Tra cứu</button></p>
</form>
{{with .Data}}{{$d := .D}}<section class="card" aria-labelledby="kq">
<h2 id="kq">Hồ sơ {{$d.Code}}</h2>
<p class="state">{{$d.StateLabel}} {{template "verdict" $d.Timeliness}}</p>
<dl class="facts">
<dt>Thủ tục</dt><dd>{{$d.ProcedureName}}{{if $d.ProcedureCode}} ({{$d.ProcedureCode}}){{end}}</dd>
<dt>Cơ quan giải quyết</dt><dd>{{$d.Agency}}</dd>
{{if not $d.ReceivedAt.IsZero}}<dt>Ngày tiếp nhận</dt><dd>{{datetime $d.ReceivedAt}}</dd>{{end}}
{{if not $d.DueAt.IsZero}}<dt>Hẹn trả kết quả</dt><dd>{{datetime $d.DueAt}}{{if $d.FinishedAt.IsZero}} – <span class="countdown" data-due="{{ms $d.DueAt}}">{{left $d.DueAt .Now}}</span>{{end}}</dd>{{end}}
{{if not $d.SupplementDeadline.IsZero}}<dt>Hạn bổ sung hồ sơ</dt><dd>{{datetime $d.SupplementDeadline}} – <span class="countdown" data-due="{{ms $d.SupplementDeadline}}">{{left $d.SupplementDeadline .Now}}</span></dd>{{end}}
{{if not $d.FinishedAt.IsZero}}<dt>Có kết quả</dt><dd>{{datetime $d.FinishedAt}}</dd>{{end}}
{{if not $d.ReturnedAt.IsZero}}<dt>Đã trả kết quả</dt><dd>{{datetime $d.ReturnedAt}}</dd>{{end}}
</dl>
{{with $.Data.ResultError}}<div class="alert" role="alert"><p>{{.}}</p></div>{{end}}
{{if $d.ResultDocCode}}<form method="post" action="/tra-cuu/ket-qua"><input type="hidden" name="ma" value="{{$d.Code}}"><input type="hidden" name="so" value="{{$.Data.Verifier}}"><p><button type="submit" class="primary">Tải kết quả điện tử</button> Văn bản điện tử đã ký số, mã kết quả {{$d.ResultDocCode}}; có thể <a href="/xac-thuc?ma={{$d.ResultDocCode}}">kiểm tra chữ ký số</a>.</p></form>{{end}}
{{with .Pay}}{{if .Fees}}<h3 id="phi-le-phi">Phí, lệ phí</h3>
{{with $.Data.PayError}}<div class="alert" role="alert"><p>{{.}}</p></div>{{end}}
<ul>{{range .Fees}}<li>{{.Name}}: {{money .Amount}}</li>{{end}}</ul>
{{if .Paid}}<p>Đã nộp {{money .Due}} ({{if eq (printf "%s" .Method) "online"}}trực tuyến{{else}}tiền mặt{{end}}{{if not .PaidAt.IsZero}}, lúc {{datetime .PaidAt}}{{end}}).</p>
{{else if .Due}}<p>Chưa nộp: {{money .Due}}.{{if .Pending}} Đang chờ xác nhận của nền tảng thanh toán cho một lần thanh toán trước.{{end}}</p>
{{if .CanPayOnline}}<form method="post" action="/tra-cuu/thanh-toan"><input type="hidden" name="ma" value="{{$d.Code}}"><input type="hidden" name="so" value="{{$.Data.Verifier}}"><p><button type="submit" class="primary">Thanh toán trực tuyến</button></p></form>
{{else if not .Enabled}}<p>Chưa kết nối nền tảng thanh toán: vui lòng nộp phí, lệ phí tại Bộ phận Một cửa.</p>{{end}}{{end}}{{end}}{{end}}
{{with $.Data.Rate}}<h3 id="danh-gia-ho-so">Đánh giá mức độ hài lòng</h3>{{template "ratingform" .}}{{end}}
<h3>Quá trình xử lý</h3>
<table class="list">
<thead><tr><th scope="col">Thời gian</th><th scope="col">Nội dung</th><th scope="col">Cơ quan</th><th scope="col">Đánh giá</th></tr></thead>
<tbody>{{range $d.Timeline}}<tr><td>{{datetime .At}}</td><td>{{.Label}}</td><td>{{.Agency}}</td><td>{{template "verdict" .Timeliness}}</td></tr>{{end}}</tbody>
</table>
</section>{{end}}{{end}}`

// lookupPartials stand for the partials both versions call.
const lookupPartials = `{{define "field"}}{{fieldHTML .}}{{end}}{{define "ratingform"}}[rating]{{end}}` + verdictPartial

// verdictPartial is the "verdict" partial verdictHTML replaced, kept here
// as the reference its output must equal byte for byte.
const verdictPartial = `{{define "verdict"}}{{if .}}<span class="v {{verdictClass .}}">{{.Label}}</span>{{end}}{{end}}`

func TestLookupPageIsTheTemplatesHTML(t *testing.T) {
	// The reference's partial calls verdictClass; the page's calls
	// verdictHTML (TestVerdictIsThePartialsHTML).
	funcs := (&UI{}).funcs()
	funcs["verdictClass"] = verdictClass
	parse := func(file string) *template.Template {
		if file == "" {
			return template.Must(template.New("lookup").Funcs(funcs).Parse(lookupPartials + lookupTemplate))
		}
		return template.Must(template.Must(template.New("lookup").Funcs(funcs).Parse(lookupPartials)).ParseFiles(file))
	}
	ref, cur := parse(""), parse("templates/lookup.html")
	now := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	odd := []string{"", "Nguyễn Văn A", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "mã có dấu/?#[]@!$*;=,%(')é +&"}
	verdicts := []motcua.Timeliness{"", motcua.OnTime, motcua.Late, motcua.Early, motcua.Overdue, `we"ird`}
	pages := []*page{{Form: newForm(nil)}, {Form: newForm(url.Values{"ma": {odd[2]}, "so": {"12<3"}})}}
	for i, s := range odd {
		at := func(k int) time.Time {
			if (i+k)%3 == 0 {
				return time.Time{}
			}
			return now.Add(time.Duration(k*i) * 37 * time.Hour)
		}
		d := &service.PublicDossier{Code: s, ProcedureCode: odd[(i+1)%len(odd)], ProcedureName: odd[(i+2)%len(odd)],
			Agency: odd[(i+3)%len(odd)], StateLabel: odd[(i+4)%len(odd)], Timeliness: verdicts[i%len(verdicts)],
			ReceivedAt: at(1), DueAt: at(2), FinishedAt: at(3), ReturnedAt: at(4), SupplementDeadline: at(5)}
		for k := range i {
			d.Timeline = append(d.Timeline, service.PublicStep{At: now.Add(-time.Duration(k) * time.Hour), Label: odd[(i+k)%len(odd)],
				Agency: odd[(i+k+1)%len(odd)], Timeliness: verdicts[(i+k)%len(verdicts)]})
		}
		f := newForm(url.Values{"ma": {s}})
		if i%2 == 1 {
			f.Errors["so"] = odd[(i+5)%len(odd)]
		}
		pages = append(pages, &page{Form: f, Data: lookupData{D: d, Now: now}})
	}
	for i, p := range pages {
		var want, got strings.Builder
		if err := ref.ExecuteTemplate(&want, "content", p); err != nil {
			t.Fatal(err)
		}
		if err := cur.ExecuteTemplate(&got, "content", p); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("case %d:\n got %q\nwant %q", i, got.String(), want.String())
		}
	}
}

// TestVerdictIsThePartialsHTML renders every timeliness, none and an
// unknown one through the old partial and through verdictHTML.
func TestVerdictIsThePartialsHTML(t *testing.T) {
	ref := template.Must(template.New("v").Funcs(template.FuncMap{"verdictClass": verdictClass}).Parse(verdictPartial))
	for _, v := range []motcua.Timeliness{"", motcua.Early, motcua.OnTime, motcua.WithinTime, motcua.Late, motcua.Overdue, `we"ird<`} {
		var want strings.Builder
		if err := ref.ExecuteTemplate(&want, "verdict", v); err != nil {
			t.Fatal(err)
		}
		if got := string(verdictHTML(v)); got != want.String() {
			t.Errorf("%q:\n got %q\nwant %q", v, got, want.String())
		}
	}
}
