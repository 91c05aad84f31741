package api

import (
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// FuzzDecodeNewDossier feeds any body to the decoder of every write (the
// new dossier, an action, a sign-in), checking the busiest most closely:
// it never panics, refuses with EINVALID or ETOOLARGE and a message that
// names no Go type, and what it accepts holds only NFC strings.
func FuzzDecodeNewDossier(f *testing.F) {
	for _, s := range []string{`{}`, `{"procedure_id":1,"applicant":{"full_name":"L\u0065\u0302"}}`, `{"procedure_id":"x"}`,
		`{"components":[{"component_id":1,"provided":true}]}`, `{"x":1}`, `[]`, `{"channel":1e400}`, `{"applicant":{"full_name":"a"}}{}`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		// The other writes' bodies: each decoder holds the same promises.
		for _, v := range []any{&service.ActInput{}, &actRequest{}, &loginRequest{}, &service.CashInput{}, &struct {
			Accept *bool `json:"accept"`
		}{}} {
			err := decode(httptest.NewRecorder(), httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(body)), v)
			if c := motcua.ErrorCode(err); err != nil && c != motcua.EINVALID && c != motcua.ETOOLARGE {
				t.Fatalf("%q into %T: %v", body, v, err)
			}
		}
		r := httptest.NewRequest("POST", "/api/v1/dossiers", strings.NewReader(body))
		var n service.NewDossier
		err := decode(httptest.NewRecorder(), r, &n)
		if err != nil {
			c := motcua.ErrorCode(err)
			msg := motcua.ErrorMessage(err)
			if (c != motcua.EINVALID && c != motcua.ETOOLARGE) || strings.Contains(msg, "Go ") || strings.Contains(msg, "json:") || strings.Contains(msg, "unmarshal") {
				t.Fatalf("%q: %v", body, err)
			}
			return
		}
		var walk func(v reflect.Value)
		walk = func(v reflect.Value) {
			switch v.Kind() {
			case reflect.String:
				if !norm.NFC.IsNormalString(v.String()) {
					t.Fatalf("%q: decoded %q is not NFC", body, v.String())
				}
			case reflect.Struct:
				for i := 0; i < v.NumField(); i++ {
					if v.Type().Field(i).IsExported() {
						walk(v.Field(i))
					}
				}
			case reflect.Slice:
				for i := 0; i < v.Len(); i++ {
					walk(v.Index(i))
				}
			}
		}
		walk(reflect.ValueOf(n))
	})
}
