package ui

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
)

// maxForm bounds a posted form; the largest (a procedure with its
// components) is far smaller.
const maxForm = 256 << 10

// form is a submitted (or prefilled) form: what the person typed, kept to
// show again, and the messages for the fields that are wrong.
type form struct {
	Values  url.Values
	Errors  map[string]string
	Message string
	// Action names which of several forms on a page the errors belong to.
	Action string
}

func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{Values: v, Errors: map[string]string{}}
}

// readForm parses a posted form, normalizing every value to Unicode NFC
// (keyboards and readers may send decomposed Vietnamese).
func readForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return nil, motcua.Errorf(motcua.EINVALID, "form_malformed", "Dữ liệu biểu mẫu không đọc được hoặc quá lớn.")
	}
	v := url.Values{}
	for k, vals := range r.PostForm {
		for _, x := range vals {
			v.Add(k, norm.NFC.String(x))
		}
	}
	return newForm(v), nil
}

// Get returns the first value of a field.
func (f *form) Get(name string) string { return f.Values.Get(name) }

// Trim returns the first value of a field without surrounding spaces.
func (f *form) Trim(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Has reports whether a field (checkbox, multi-select) has the value.
func (f *form) Has(name, value string) bool {
	for _, v := range f.Values[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Err returns the message of a field.
func (f *form) Err(name string) string { return f.Errors[name] }

// fail records err on the form: per-field messages go next to their
// fields, the message above the form. Internal errors reveal nothing.
func (f *form) fail(err error) {
	f.Message = motcua.ErrorMessage(err)
	var e *motcua.Error
	if errors.As(err, &e) && e.Code != motcua.EINTERNAL {
		for k, v := range e.Fields {
			f.Errors[k] = v
		}
	}
}

// groupFields are the error keys the pages show next to a group of
// controls (checkbox lists, tables, file inputs), which a posted form may
// not carry as a value.
var groupFields = map[string]bool{"components": true, "missing": true, "supplied": true, "time_limit": true, "fees": true,
	"process": true, "grants": true, "disabled": true, "file": true}

// Others returns the field messages the page shows nowhere else: those of
// fields the form did not post (so no control of the page shows them),
// without the message above the form. A message next to its field is not
// repeated in the summary above the form.
func (f *form) Others() []string {
	var out []string
	seen := map[string]bool{f.Message: true}
	for k, v := range f.Errors {
		if _, posted := f.Values[k]; posted || groupFields[k] || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// set records a message on one field.
func (f *form) set(field, msg string) {
	f.Errors[field] = msg
	if f.Message == "" {
		f.Message = "Thông tin chưa hợp lệ; vui lòng xem các ô được đánh dấu."
	}
}

// ok reports whether no field error was recorded.
func (f *form) ok() bool { return len(f.Errors) == 0 && f.Message == "" }
