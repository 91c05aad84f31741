package api

import (
	"bytes"
	"reflect"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nfcStrings puts every string reachable from v (a pointer to a decoded
// body) in Unicode NFC. It runs after decoding, not on the raw body: JSON
// may spell a decomposed letter as "\u0065\u0302", which only decoding
// turns into characters, so normalizing the bytes before it misses them
// and "Lê" would be stored in two forms that never compare equal.
func nfcStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			nfcStrings(v.Elem())
		}
	case reflect.String:
		if v.CanSet() && !norm.NFC.IsNormalString(v.String()) {
			v.SetString(norm.NFC.String(v.String()))
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				nfcStrings(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			nfcStrings(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		iter := v.MapRange()
		for iter.Next() {
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(iter.Value())
			nfcStrings(val)
			key := iter.Key()
			if key.Kind() == reflect.String && !norm.NFC.IsNormalString(key.String()) {
				v.SetMapIndex(key, reflect.Value{})
				key = reflect.ValueOf(norm.NFC.String(key.String())).Convert(key.Type())
			}
			v.SetMapIndex(key, val)
		}
	}
}

// nfcBody reports whether every string decoded from the JSON body is
// already NFC, so that nfcStrings, which walks the decoded value by
// reflection (a fifth of an intake's decoding), has nothing to do. It is
// when the body is valid UTF-8 in NFC and spells no character as a \u
// escape: a decoded string is then a piece of the body between two
// quotes, with the other escapes (\" \\ \/ \b \f \n \r \t) turned into
// ASCII characters that compose with nothing, and a piece of NFC text cut
// at such characters is NFC. A false "no" (a "\\u" that is an escaped
// backslash) only costs the walk.
func nfcBody(body []byte) bool {
	return utf8.Valid(body) && !bytes.Contains(body, []byte(`\u`)) && norm.NFC.IsNormal(body)
}
