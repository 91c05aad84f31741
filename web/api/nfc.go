package api

import (
	"reflect"

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
