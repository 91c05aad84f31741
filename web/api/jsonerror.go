package api

import (
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"

	"github.com/motcua/motcua"
)

// jsonError turns a decoding error into a domain error for people: the
// field at fault and what it should hold, in Vietnamese, never the Go
// type names encoding/json writes ("cannot unmarshal string into Go
// struct field NewDossier.applicant.full_name of type int64"). A domain
// error from a field's own decoder (a malformed time) is kept.
func jsonError(err error) error {
	var de *motcua.Error
	if errors.As(err, &de) {
		return de
	}
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return motcua.Errorf(motcua.EINVALID, "body_malformed", "Dữ liệu gửi lên phải là một đối tượng JSON.")
		}
		return motcua.FieldError(field, "field_type", "Trường \""+field+"\" phải là "+kindName(typ.Type)+".")
	case errors.As(err, &syn):
		return motcua.Errorf(motcua.EINVALID, "body_malformed", "Dữ liệu gửi lên không đúng định dạng JSON (lỗi ở ký tự thứ %d).", syn.Offset)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return motcua.Errorf(motcua.EINVALID, "body_malformed", "Dữ liệu JSON gửi lên rỗng hoặc bị cắt cụt.")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return motcua.FieldError(name, "field_unknown", "Trường \""+name+"\" không có trong dữ liệu của thao tác này.")
	}
	return motcua.Errorf(motcua.EINVALID, "body_malformed", "Dữ liệu gửi lên không đúng định dạng JSON.")
}

// kindName says in words what a Go type holds.
func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "chuỗi ký tự"
	case reflect.Bool:
		return "true hoặc false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "số nguyên"
	case reflect.Float32, reflect.Float64:
		return "số"
	case reflect.Slice, reflect.Array:
		return "danh sách"
	case reflect.Struct, reflect.Map:
		if t.String() == "time.Time" {
			return "thời điểm theo RFC 3339"
		}
		return "đối tượng"
	}
	return "giá trị hợp lệ"
}
