package motcua_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

func TestCleanLineAndText(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{"  Nguyễn   Văn\tAn \r\n", "Nguyễn Văn An", true},
		{"Ấp Trung,\nxã An Phú", "Ấp Trung, xã An Phú", true},
		{"Lê\x00Văn", "Lê\x00Văn", false},
		{"Lê\u202eVăn", "Lê\u202eVăn", false}, // right-to-left override
		{"Lê\u2066Văn", "Lê\u2066Văn", false}, // left-to-right isolate
		{"Lê\u200bVăn", "Lê\u200bVăn", false}, // zero-width space
		{"\ufeffLê Văn", "\ufeffLê Văn", false},
		{"Lê\x1bVăn", "Lê\x1bVăn", false},
		{"Lê\u0085Văn", "Lê Văn", true},        // next line: a line break
		{"Lê\u00a0 Văn\u3000", "Lê Văn", true}, // no-break and ideographic spaces
		{"Lê \xff Văn", "Lê \xff Văn", false},
		{"Lê\ufffeVăn", "Lê\ufffeVăn", false},
		{strings.Repeat("ệ", 10), strings.Repeat("ệ", 10), true},
		{strings.Repeat("ệ", 11), strings.Repeat("ệ", 11), false},
	} {
		got, ok := motcua.CleanLine(c.in, 10+len("Nguyễn Văn An"))
		if c.in == strings.Repeat("ệ", 10) || c.in == strings.Repeat("ệ", 11) {
			got, ok = motcua.CleanLine(c.in, 10)
		}
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("CleanLine(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	got, ok := motcua.CleanText(" Dòng một\r\nDòng\thai\r ", 100)
	if !ok || got != "Dòng một\nDòng hai" {
		t.Errorf("CleanText = %q, %v", got, ok)
	}
	if _, ok := motcua.CleanText("a\u202eb", 100); ok {
		t.Error("CleanText accepted a right-to-left override")
	}
}

// FuzzCleanLine: whatever people type, an accepted line is valid UTF-8,
// bounded, printable, without doubled or outer spaces, and cleaning it
// again changes nothing; CleanText's output keeps the same promises, line
// breaks aside.
func FuzzCleanLine(f *testing.F) {
	for _, s := range []string{"", "Nguyễn Văn An", " a\tb\r\nc ", "Lê\x00Văn", "\u202eabc", "\xff\xfe", "a\u200bb", strings.Repeat("ệ", 60), "x\ufeff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := motcua.CleanLine(s, 50)
		if ok {
			if !utf8.ValidString(out) || utf8.RuneCountInString(out) > 50 || strings.Contains(out, "  ") || strings.TrimSpace(out) != out {
				t.Fatalf("CleanLine(%q) = %q", s, out)
			}
			for _, r := range out {
				if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
					t.Fatalf("CleanLine(%q) kept %U", s, r)
				}
			}
			if again, ok2 := motcua.CleanLine(out, 50); !ok2 || again != out {
				t.Fatalf("CleanLine is not idempotent on %q: %q", out, again)
			}
		}
		text, ok := motcua.CleanText(s, 50)
		if ok {
			for _, r := range text {
				if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
					t.Fatalf("CleanText(%q) kept %U", s, r)
				}
			}
			if again, ok2 := motcua.CleanText(text, 50); !ok2 || again != text {
				t.Fatalf("CleanText is not idempotent on %q: %q", text, again)
			}
		}
	})
}
