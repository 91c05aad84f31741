package ui

import (
	"html/template"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// dossierActionsTemplate is the dossier page's "Thao tác" card that
// dossierActions replaced, kept here as the reference its output must
// equal byte for byte.
const dossierActionsTemplate = `{{define "field"}}{{fieldHTML .}}{{end}}
{{define "formerror"}}{{if .Message}}<div class="alert" role="alert"><p>{{.Message}}</p>{{with .Others}}<ul>{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}</div>{{end}}{{end}}
{{define "content"}}{{$d := .Data}}{{$x := $d.D}}{{$f := .Form}}<section class="card" id="thao-tac">
<h2>Thao tác</h2>
{{if and (ne $f.Action "attach") (ne $f.Action "cash")}}{{template "formerror" $f}}{{end}}
{{if not $d.V.Allowed}}<p>Bạn không có thao tác nào với hồ sơ ở trạng thái này.</p>{{end}}
<div class="acts">
{{range $a := (opts "transfer" "" "supplement_received" "" "assign" "" "forward" "" "approve" "" "issue_result" "" "return" "" "request_supplement" "" "send_back" "" "extend" "" "refuse" "" "withdraw" "" "stop" "" "close" "")}}{{$act := $a.Value}}{{if $d.Allowed $act}}{{$g := af $f $act}}
<form method="post" action="/ho-so/{{$x.Code}}/thao-tac#thao-tac" class="act {{$act}}">
<input type="hidden" name="action" value="{{$act}}">
<h3>{{if eq $act "transfer"}}Chuyển hồ sơ cho cơ quan giải quyết{{else if eq $act "supplement_received"}}Nhận hồ sơ đã bổ sung{{else if eq $act "assign"}}Phân công thẩm định{{else if eq $act "forward"}}Hoàn thành bước, chuyển bước tiếp theo{{else if eq $act "approve"}}Phê duyệt{{else if eq $act "issue_result"}}Ban hành kết quả{{else if eq $act "return"}}Trả kết quả cho người nộp{{else if eq $act "request_supplement"}}Yêu cầu bổ sung hồ sơ{{else if eq $act "send_back"}}Trả lại để thẩm định lại{{else if eq $act "extend"}}Xin lỗi và hẹn lại ngày trả kết quả{{else if eq $act "refuse"}}Từ chối giải quyết{{else if eq $act "withdraw"}}Rút hồ sơ theo đề nghị của người nộp{{else if eq $act "stop"}}Dừng giải quyết hồ sơ{{else if eq $act "close"}}Đóng hồ sơ (không bổ sung đúng hạn){{end}}</h3>
{{if and (eq $act "forward") $d.Appraising}}{{template "field" fld $g "reason" "Ý kiến thẩm định (đề xuất giải quyết)" "type=textarea" "id=forward-reason" "hint=Được ghi vào quá trình xử lý và phiếu kiểm soát."}}{{end}}
{{if eq $act "assign"}}{{template "field" sel $g "assignee_id" "Chuyên viên thẩm định" $d.Assignees "required" "id=assign-assignee"}}{{end}}
{{if eq $act "issue_result"}}{{template "field" fld $g "result_number" "Số, ký hiệu văn bản kết quả" "placeholder=12/2025/QĐ-UBND" "id=issue-result-number"}}{{end}}
{{if eq $act "extend"}}{{template "field" fld $g "new_due_at" "Ngày hẹn trả mới (ngày/tháng/năm)" "required" "placeholder=20/03/2025" "id=extend-new-due" "hint=Chỉ hẹn lại một lần; chậm nhất 1 ngày làm việc trước hạn hiện tại."}}{{end}}
{{if eq $act "request_supplement"}}<fieldset class="f"><legend>Thành phần cần bổ sung</legend>{{range $d.Missing}}{{$id := printf "%d" .ID}}<p class="check"><input type="checkbox" id="m-{{$id}}" name="missing" value="{{$id}}"{{if $g.Has "missing" $id}} checked{{end}}><label for="m-{{$id}}">{{.Name}}</label></p>{{end}}{{if $g.Err "missing"}}<p class="err">{{$g.Err "missing"}}</p>{{end}}</fieldset>{{end}}
{{if eq $act "supplement_received"}}<fieldset class="f"><legend>Thành phần đã nhận</legend>{{range $d.Missing}}{{$id := printf "%d" .ID}}<p class="check"><input type="checkbox" id="s-{{$id}}" name="supplied" value="{{$id}}"{{if eq $g.Action "supplement_received"}}{{if $g.Has "supplied" $id}} checked{{end}}{{else if $d.Requested .ID}} checked{{end}}><label for="s-{{$id}}">{{.Name}}</label></p>{{end}}{{if $g.Err "supplied"}}<p class="err">{{$g.Err "supplied"}}</p>{{end}}</fieldset>{{end}}
{{if or (eq $act "request_supplement") (eq $act "send_back") (eq $act "extend") (eq $act "refuse") (eq $act "withdraw") (eq $act "stop")}}{{template "field" fld $g "reason" (or (and (eq $act "extend") "Lý do chậm trễ và lời xin lỗi") (and (eq $act "request_supplement") "Nội dung cần bổ sung, hướng dẫn đầy đủ một lần") "Lý do") "type=textarea" "required" (printf "id=%s-reason" $act)}}{{end}}
<p><button type="submit"{{if or (eq $act "refuse") (eq $act "stop")}} class="danger"{{else if or (eq $act "transfer") (eq $act "forward") (eq $act "approve") (eq $act "return") (eq $act "assign") (eq $act "issue_result")}} class="primary"{{end}}>{{if eq $act "transfer"}}Chuyển xử lý{{else if eq $act "forward"}}Chuyển bước tiếp theo{{else}}Xác nhận{{end}}</button></p>
</form>{{end}}{{end}}
</div>
{{with $d.V.Refused}}<h3>Thao tác chưa thực hiện được lúc này</h3>
<ul class="refused">{{range .}}<li><strong>{{.Action.Label}}</strong>: {{.Message}}</li>{{end}}</ul>{{end}}
</section>{{end}}`

// TestDossierActionsIsTheTemplatesHTML renders the card for every subset
// of actions in turn (each alone, all, none), at an appraisal step or not,
// waiting for a supplement or not, with forms posted back for each action
// with errors, and names holding everything html/template escapes.
func TestDossierActionsIsTheTemplatesHTML(t *testing.T) {
	ref := template.Must(template.New("ref").Funcs((&UI{}).funcs()).Parse(dossierActionsTemplate))
	odd := []string{"H99.101-261207-0001", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "mã có dấu/?#[]@!$*;=,%(')é +&"}
	var all []motcua.Action
	for _, a := range dossierActionOrder {
		all = append(all, motcua.Action(a.act))
	}
	sets := [][]motcua.Action{nil, all}
	for _, a := range all {
		sets = append(sets, []motcua.Action{a})
	}
	n := 0
	for i, allowed := range sets {
		for j, posted := range append([]string{"", "attach", "cash", "other"}, func() []string {
			var s []string
			for _, a := range allowed {
				s = append(s, string(a))
			}
			return s
		}()...) {
			s := odd[(i+j)%len(odd)]
			x := &motcua.Dossier{Code: s}
			if (i+j)%2 == 0 {
				x.Status.State = motcua.StateAwaitingSupplement
				x.Status.Supplements = []motcua.Supplement{{Missing: []int64{2, 30}}}
			}
			d := &dossierData{D: x, V: &service.DossierView{Dossier: x, Allowed: allowed},
				Assignees: []option{{"", "Chọn"}, {"7", odd[(i+j+1)%len(odd)]}},
				Missing:   []motcua.Component{{ID: 2, Name: odd[(i+j+2)%len(odd)]}, {ID: 30, Name: "Tờ khai"}, {ID: -4, Name: s}}}
			if j%3 == 1 {
				d.Step = &motcua.Step{Kind: motcua.StepAppraise}
			}
			if j%2 == 1 {
				d.V.Refused = []service.RefusedAction{{Action: motcua.ActExtend, Message: s}, {Action: "weird<", Message: "x"}}
			}
			f := newForm(url.Values{"missing": {"2"}, "supplied": {"30", "-4"}, "reason": {s}, "assignee_id": {"7"}})
			f.Action = posted
			if j%2 == 0 {
				f.Message = odd[(i+j+3)%len(odd)]
				f.Errors = map[string]string{"reason": s, "missing": "Chọn thành phần.", "supplied": s, "elsewhere": "x"}
			}
			p := &page{Form: f, Data: d}
			var want strings.Builder
			if err := ref.ExecuteTemplate(&want, "content", p); err != nil {
				t.Fatal(err)
			}
			if got := string(dossierActions(d, f)); got != want.String() {
				t.Fatalf("actions %v, posted %q:\n got %q\nwant %q", allowed, posted, got, want.String())
			}
			n++
		}
	}
	if n < 60 {
		t.Fatalf("only %d cases", n)
	}
}
