package service_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/service"
)

// FuzzCleanFileName: whatever name a client sends, the kept name is valid
// UTF-8, not empty, at most 200 characters, with no path separator and no
// control or invisible formatting character.
func FuzzCleanFileName(f *testing.F) {
	for _, s := range []string{"Tờ khai.pdf", `C:\a\b.png`, "../../etc/passwd", "a\u202egpj.exe", "\x00\xff", "", "...", strings.Repeat("ả", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := service.CleanFileName(name)
		if got == "" || !utf8.ValidString(got) || utf8.RuneCountInString(got) > 200 || strings.ContainsAny(got, `/\`) {
			t.Fatalf("%q → %q", name, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
				t.Fatalf("%q → %q keeps %U", name, got, r)
			}
		}
	})
}

// FuzzWithExtension: a stored name always ends with the extension of its
// content's type, whatever the client called it.
func FuzzWithExtension(f *testing.F) {
	for _, s := range []string{"to-khai.html", "a.pdf.exe", "b.PDF", "c", ".pdf", "d.jpeg", "e.png.png"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for typ, ext := range map[string][]string{"application/pdf": {".pdf"}, "image/jpeg": {".jpg", ".jpeg"}, "image/png": {".png"}} {
			out := strings.ToLower(service.WithExtension(service.CleanFileName(name), typ))
			ok := false
			for _, e := range ext {
				ok = ok || strings.HasSuffix(out, e)
			}
			if !ok {
				t.Fatalf("%q as %s became %q", name, typ, out)
			}
		}
	})
}
