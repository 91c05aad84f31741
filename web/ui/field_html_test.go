package ui

import (
	"html/template"
	"strings"
	"testing"
)

// fieldPartial is the "field" partial fieldHTML replaced, kept here as the
// reference its output must equal byte for byte.
const fieldPartial = `{{define "field"}}<div class="f{{if .Err}} bad{{end}}">
<label for="{{.ID}}">{{.Label}}{{if .Required}} <abbr title="bắt buộc">*</abbr>{{end}}</label>
{{if eq .Type "textarea"}}<textarea id="{{.ID}}" name="{{.Name}}" rows="{{if .Rows}}{{.Rows}}{{else}}3{{end}}"{{if .Required}} required{{end}}{{if .Autofocus}} autofocus{{end}}{{if .Err}} aria-invalid="true"{{end}}{{if or .Err .Hint}} aria-describedby="{{.ID}}-m"{{end}}{{if .Placeholder}} placeholder="{{.Placeholder}}"{{end}}>{{.Value}}</textarea>
{{else if eq .Type "select"}}<select id="{{.ID}}" name="{{.Name}}"{{if .Required}} required{{end}}{{if .Autofocus}} autofocus{{end}}{{if .Err}} aria-invalid="true"{{end}}{{if or .Err .Hint}} aria-describedby="{{.ID}}-m"{{end}}>{{$v := .Value}}{{range .Options}}<option value="{{.Value}}"{{if eq .Value $v}} selected{{end}}>{{.Label}}</option>{{end}}</select>
{{else}}<input id="{{.ID}}" name="{{.Name}}" type="{{.Type}}" value="{{.Value}}"{{if .Required}} required{{end}}{{if .Autofocus}} autofocus{{end}}{{if .InputMode}} inputmode="{{.InputMode}}"{{end}}{{if .AutoComplete}} autocomplete="{{.AutoComplete}}"{{end}}{{if .Placeholder}} placeholder="{{.Placeholder}}"{{end}}{{if .MaxLength}} maxlength="{{.MaxLength}}"{{end}}{{if .Accept}} accept="{{.Accept}}"{{end}}{{if .Err}} aria-invalid="true"{{end}}{{if or .Err .Hint}} aria-describedby="{{.ID}}-m"{{end}}>
{{end}}{{if or .Err .Hint}}<p class="{{if .Err}}err{{else}}hint{{end}}" id="{{.ID}}-m">{{if .Err}}{{.Err}}{{else}}{{.Hint}}{{end}}</p>{{end}}
</div>{{end}}`

func TestFieldHTMLIsThePartialsHTML(t *testing.T) {
	ref := template.Must(template.New("t").Parse(fieldPartial))
	// Values with everything html/template escapes, in text, in
	// attributes and in a textarea.
	odd := []string{"", "Nguyễn Văn A", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "f-ho-so"}
	opts := []option{{"", "Tất cả"}, {"received", "Đã tiếp nhận"}, {`a"b`, "<i>x</i> & y"}, {"Nguyễn Văn A", "z"}}
	var cases []fieldData
	for _, typ := range []string{"text", "textarea", "select", "date", `ty"pe`} {
		for i := 0; i < 2*len(odd); i++ {
			s := func(k int) string { return odd[(i+k)%len(odd)] }
			d := fieldData{Name: s(0), ID: s(1), Label: s(2), Type: typ, Value: s(3), Placeholder: s(5), InputMode: s(4),
				AutoComplete: s(1), Accept: s(2), Required: i%2 == 0, Autofocus: i%3 == 0, MaxLength: []int{0, 4, -1}[i%3],
				Rows: []int{0, 5}[i%2]}
			switch i % 4 {
			case 0:
				d.Err = s(2)
			case 1:
				d.Hint = s(4)
			case 2:
				d.Err, d.Hint = s(3), s(1)
			}
			if i%3 != 2 {
				d.Options = opts
			}
			cases = append(cases, d)
		}
	}
	for _, d := range cases {
		var want strings.Builder
		if err := ref.ExecuteTemplate(&want, "field", d); err != nil {
			t.Fatal(err)
		}
		if got := string(fieldHTML(d)); got != want.String() {
			t.Errorf("%+v:\n got %q\nwant %q", d, got, want.String())
		}
	}
}
