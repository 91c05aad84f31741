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
