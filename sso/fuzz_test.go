package sso

import (
	"testing"

	"github.com/motcua/motcua"
)

// FuzzIdentity feeds arbitrary claims to the mapping: it never panics, and
// what it accepts is a citizen with a valid ID number, a name and a level.
func FuzzIdentity(f *testing.F) {
	f.Add([]byte(`{"LoaiTaiKhoan":"1","SoDinhDanh":"001085000123","HoVaTen":"Nguyễn Thị Lan","acr":"LoA2"}`), "s")
	f.Add([]byte(`{"LoaiTaiKhoan":"2","SoDinhDanh":"0100109106"}`), "")
	f.Add([]byte(`{"LoaiTaiKhoan":"1","SoDinhDanh":"12","HoVaTen":"\u0000","acr":"LoA9"}`), "x")
	f.Fuzz(func(t *testing.T, raw []byte, sub string) {
		id, err := identityOf(raw, sub)
		if err != nil {
			if motcua.ErrorCode(err) != motcua.EINVALID {
				t.Fatalf("error code %s", motcua.ErrorCode(err))
			}
			return
		}
		if motcua.ValidateIDNumber(motcua.IDPersonal, id.IDNumber) != nil || id.FullName == "" || id.Level < 1 || id.Level > 2 {
			t.Fatalf("accepted %+v", id)
		}
	})
}
