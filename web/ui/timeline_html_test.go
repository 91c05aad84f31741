package ui

import (
	"html/template"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// timelineTemplate is the dossier page's history timelineBody replaced
// (with the "verdict" partial), kept here as the reference its output must
// equal byte for byte.
const timelineTemplate = `{{define "verdict"}}{{if .}}<span class="v {{verdictClass .}}">{{.Label}}</span>{{end}}{{end}}<tbody>{{range .E}}<tr><td>{{datetime .At}}</td><td>{{.Action.Label}}</td><td>{{.ActorName}}<br><span class="meta">{{.ActorRole.Label}}</span></td>
<td>{{agency $.A .FromAgencyID}}{{if ne .FromAgencyID .ToAgencyID}} → {{agency $.A .ToAgencyID}}{{end}}</td>
<td>{{template "verdict" .Timeliness}}{{if not .HandoverDueAt.IsZero}}<br><span class="meta">hạn {{datetime .HandoverDueAt}}</span>{{end}}</td>
<td>{{.Reason}}{{if .ResultNumber}} Số {{.ResultNumber}}{{end}}{{if not .DueAt.IsZero}}{{if eq .Action "extend"}} Hẹn mới: {{datetime .DueAt}}{{end}}{{end}}</td></tr>{{end}}</tbody>`

func TestTimelineBodyIsTheTemplatesHTML(t *testing.T) {
	ref := template.Must(template.New("t").Funcs(template.FuncMap{"datetime": motcua.FormatDateTime, "verdictClass": verdictClass,
		"agency": func(m map[int64]*motcua.Agency, id int64) string {
			if a, ok := m[id]; ok {
				return a.Name
			}
			return ""
		}}).Parse(timelineTemplate))
	odd := []string{"", "Nguyễn Văn A", `<script>alert("x")</script>`, "A & B's + C", "x\x00y", "12/2025/QĐ-UBND"}
	agencies := map[int64]*motcua.Agency{1: {Name: "UBND xã An Phú"}, 2: {Name: `Sở "Tư pháp" & <b>`}}
	verdicts := []motcua.Timeliness{"", motcua.Early, motcua.OnTime, motcua.WithinTime, motcua.Late, motcua.Overdue, "odd<"}
	actions := []motcua.Action{motcua.ActExtend, motcua.ActTransfer, motcua.ActApprove, "x&y"}
	at := time.Date(2025, 3, 10, 2, 5, 0, 0, time.UTC)
	var events []motcua.Event
	for i := range 60 {
		e := motcua.Event{At: at.Add(time.Duration(i) * 37 * time.Hour), Action: actions[i%len(actions)], ActorName: odd[i%len(odd)],
			ActorRole: motcua.StaffRoles[i%len(motcua.StaffRoles)], FromAgencyID: int64(i % 3), ToAgencyID: int64(i / 3 % 3),
			Timeliness: verdicts[i%len(verdicts)], Reason: odd[(i+1)%len(odd)], ResultNumber: odd[(i+2)%len(odd)]}
		if i%2 == 0 {
			e.HandoverDueAt = at.Add(time.Duration(i) * time.Hour)
		}
		if i%5 < 3 {
			e.DueAt = at.Add(time.Duration(i) * 24 * time.Hour)
		}
		events = append(events, e)
	}
	for _, n := range []int{0, 1, 7, len(events)} {
		var want strings.Builder
		if err := ref.Execute(&want, map[string]any{"E": events[:n], "A": agencies}); err != nil {
			t.Fatal(err)
		}
		if got := "<tbody>" + string(timelineBody(events[:n], agencies)) + "</tbody>"; got != want.String() {
			t.Errorf("%d events:\n got %q\nwant %q", n, got, want.String())
		}
	}
}
