package ui

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/chart"
	"github.com/motcua/motcua/service"
)

// fieldData is one labelled form control as the "field" partial draws it:
// the label, the control with what was typed, a hint and the error.
type fieldData struct {
	Name, ID, Label, Type, Value, Err, Hint string
	Placeholder, InputMode, AutoComplete    string
	Accept                                  string
	Required, Autofocus                     bool
	MaxLength, Rows                         int
	Options                                 []option
}

// option is a choice of a select or of radio buttons.
type option struct {
	Value, Label string
}

// fieldID turns a field name into an element id.
func fieldID(name string) string {
	return "f-" + fieldIDDashes.Replace(name)
}

// fieldIDDashes makes a field name's dots and underscores dashes. It is
// made once (a Replacer is safe for concurrent use): made at every call,
// its table was built and allocated for every control of every form, a
// tenth of a dossier page's writing once its content was Go.
var fieldIDDashes = strings.NewReplacer(".", "-", "_", "-")

// fld builds a control for field name of f. Options are "key=value"
// strings: type (text, date, tel, email, number, password, textarea),
// value (a default when the form has none), hint, placeholder, inputmode,
// autocomplete, accept, maxlength, rows, focus (autofocus when it names this
// field); and the flags "required", "autofocus".
func fld(f *form, name, label string, opts ...string) fieldData {
	d := fieldData{Name: name, ID: fieldID(name), Label: label, Type: "text", Value: f.Get(name), Err: f.Err(name)}
	_, typed := f.Values[name]
	for _, o := range opts {
		k, v, _ := strings.Cut(o, "=")
		switch k {
		case "type":
			d.Type = v
		case "value":
			if !typed {
				d.Value = v
			}
		case "hint":
			d.Hint = v
		case "id": // when two forms of a page have a field of the same name
			d.ID = v
		case "placeholder":
			d.Placeholder = v
		case "inputmode":
			d.InputMode = v
		case "autocomplete":
			d.AutoComplete = v
		case "accept": // the file types a file input offers
			d.Accept = v
		case "maxlength":
			d.MaxLength, _ = strconv.Atoi(v)
		case "rows":
			d.Rows, _ = strconv.Atoi(v)
		case "required":
			d.Required = true
		case "autofocus":
			d.Autofocus = true
		case "focus": // autofocus when v names this field
			d.Autofocus = v == name
		}
	}
	return d
}

// sel builds a select control.
func sel(f *form, name, label string, options []option, opts ...string) fieldData {
	d := fld(f, name, label, opts...)
	d.Type, d.Options = "select", options
	return d
}

func (u *UI) funcs() template.FuncMap {
	return template.FuncMap{
		"fld": fld,
		// fieldHTML draws the "field" partial (field_html.go).
		"fieldHTML": fieldHTML,
		// formErrorHTML draws the "formerror" partial (field_html.go).
		"formErrorHTML": formErrorHTML,
		// inboxContent draws the inbox page (inbox_html.go).
		"inboxContent": inboxContent,
		// lookupForm, lookupFacts and lookupTimeline draw most of the
		// citizen lookup page (lookup_html.go).
		"lookupForm":     lookupForm,
		"lookupFacts":    lookupFacts,
		"lookupTimeline": lookupTimeline,
		// verdictHTML draws the "verdict" partial (lookup_html.go).
		"verdictHTML": verdictHTML,
		// dossierContent draws the dossier page (dossier_html.go), its
		// actions card (dossierActions) and its history (timelineBody).
		"dossierContent": u.dossierContent,
		// header draws the layout's menu and signed-in corner (layout_html.go).
		"header": layoutHeader,
		// levelLabel names a satisfaction level (rating.go, feedback.go).
		"levelLabel": motcua.LevelLabel,
		"auditLabel": func(a string) string {
			for _, x := range service.AuditActions {
				if x.Action == a {
					return x.Label
				}
			}
			return a
		},
		"sel":      sel,
		"date":     motcua.FormatDate,
		"datetime": motcua.FormatDateTime,
		"dmyhm":    func(t time.Time) string { return t.In(motcua.VietnamTime).Format("02/01/2006 15:04") },
		"money":    money,
		"num":      func(n int64) string { return chart.Number(float64(n)) },
		"vnday":    vnDay,
		"avg":      decimal,
		"left":     timeLeft,
		"ms":       func(t time.Time) int64 { return t.UnixMilli() },
		"add":      func(a, b int) int { return a + b },
		"addN":     func(a, b int64) int64 { return a + b },
		"seq":      func(n int) []struct{} { return make([]struct{}, n) },
		"pct":      func(x float64) string { return strconv.FormatFloat(x*100, 'f', -1, 64) + "%" },
		"agency": func(m map[int64]*motcua.Agency, id int64) string {
			if a, ok := m[id]; ok {
				return a.Name
			}
			return ""
		},
		"asset":      u.assets.url,
		"pct1":       func(x float64) string { return chart.Number(x*100) + " %" },
		"mins":       func(d time.Duration) string { return chart.Number(d.Minutes()) },
		"portalKind": portalKind,
		"portalOutcome": func(o string) string {
			return map[string]string{"created": "Đã tạo hồ sơ", "replayed": "Hồ sơ đã có (Cổng gửi lại)", "applied": "Đã cập nhật hồ sơ"}[o]
		},
		"dur":       vnDuration,
		"failText":  failText,
		"warnLabel": motcua.WarningLevelLabel,
		// af returns f for the form of action a (the one just posted, with
		// its errors and values), an empty form for the others.
		"af":   actionForm,
		"opts": func(pairs ...string) []option { return optionsOf(pairs...) },
		"dict": func(kv ...any) map[string]any {
			m := map[string]any{}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		},
	}
}

// optionsOf pairs values and labels: "v1", "Label 1", "v2", "Label 2", ….
func optionsOf(pairs ...string) []option {
	var out []option
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, option{Value: pairs[i], Label: pairs[i+1]})
	}
	return out
}

// money formats đồng with dots between thousands.
func money(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String() + " đ"
}

// timeLeft says how long until due from now, in Vietnamese ("còn 2 ngày
// 3 giờ", "quá hạn 5 giờ 10 phút"), counting wall-clock time as a citizen
// counts it.
func timeLeft(due, now time.Time) string {
	if due.IsZero() {
		return ""
	}
	d := due.Sub(now)
	prefix := "còn "
	if d < 0 {
		prefix, d = "quá hạn ", -d
	}
	days := int(d / (24 * time.Hour))
	hours := int(d % (24 * time.Hour) / time.Hour)
	mins := int(d % time.Hour / time.Minute)
	switch {
	case days > 0:
		return fmt.Sprintf("%s%d ngày %d giờ", prefix, days, hours)
	case hours > 0:
		return fmt.Sprintf("%s%d giờ %d phút", prefix, hours, mins)
	}
	return fmt.Sprintf("%s%d phút", prefix, mins)
}

// verdictClass is the CSS class of a verdict.
func verdictClass(t motcua.Timeliness) string {
	switch t {
	case motcua.Late, motcua.Overdue:
		return "late"
	case motcua.Early:
		return "early"
	case motcua.OnTime, motcua.WithinTime:
		return "ok"
	}
	return ""
}

// portalKind names a kind of message received from the national portal.
func portalKind(k string) string {
	switch k {
	case service.PortalSubmissionKind:
		return "Hồ sơ nộp trực tuyến"
	case service.PortalSupplementKind:
		return "Bổ sung hồ sơ"
	case service.PortalWithdrawalKind:
		return "Yêu cầu rút hồ sơ"
	}
	return k
}

// vnDuration writes a duration in Vietnamese words, to the minute (under a
// minute: in seconds).
func vnDuration(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(d.Seconds())) + " giây"
	}
	h, m := int(d.Hours()), int(d.Minutes())%60
	if h == 0 {
		return strconv.Itoa(m) + " phút"
	}
	return strconv.Itoa(h) + " giờ " + strconv.Itoa(m) + " phút"
}

// failText shows a recorded delivery failure. Rows written before
// motcua.ErrorText hold the log form "motcua error: code=… reason=R
// message=M"; people see "M (R)" instead.
func failText(s string) string {
	rest, ok := strings.CutPrefix(s, "motcua error: ")
	if !ok {
		return s
	}
	head, msg, ok := strings.Cut(rest, " message=")
	if !ok {
		return s
	}
	for _, f := range strings.Fields(head) {
		if r, ok := strings.CutPrefix(f, "reason="); ok {
			return msg + " (" + r + ")"
		}
	}
	return msg
}

// clause is a name to write before a colon: a catalogue component name
// often ends with a full stop, which would read ".: chưa nộp".
func clause(s string) string { return strings.TrimRight(s, ". ") }

// workLeft is the working time left until due (or passed since), as the
// inbox counts it: working days of the calendar's length, then hours. A
// dossier page that counted calendar time ("còn 1 ngày 12 giờ" over a
// weekend) disagreed with the inbox ("còn dưới 1 ngày làm việc").
func (u *UI) workLeft(due, now time.Time) string {
	if due.IsZero() {
		return ""
	}
	cal := u.srv.Service.Calendar()
	prefix, d := "còn ", cal.WorkingBetween(now, due)
	if !due.After(now) {
		prefix, d = "quá hạn ", cal.WorkingBetween(due, now)
		if d < time.Minute {
			return "đã đến hạn"
		}
	}
	day := cal.WorkingDayLength()
	days, h, m := int(d/day), int(d%day/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && h > 0:
		return fmt.Sprintf("%s%d ngày %d giờ làm việc", prefix, days, h)
	case days > 0:
		return fmt.Sprintf("%s%d ngày làm việc", prefix, days)
	case h > 0:
		return fmt.Sprintf("%s%d giờ %d phút làm việc", prefix, h, m)
	}
	return fmt.Sprintf("%s%d phút làm việc", prefix, m)
}
