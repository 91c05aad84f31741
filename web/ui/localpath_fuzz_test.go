package ui

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzLocalPath: an accepted return address stays on this site as a
// browser reads it — after dropping tabs and line breaks and reading
// backslashes as slashes — and has no scheme or host.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/hop-thu", "/\t/evil.example", "//evil.example", "/\\evil.example", "/%2F%2Fevil", "/a?b=//c", "https://x", "/\x00/x", "/ /x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := localPath(s)
		if out == "" {
			return
		}
		seen := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(strings.TrimLeft(out, " \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"))
		if !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") {
			t.Fatalf("localPath(%q) = %q, which a browser reads as %q", s, out, seen)
		}
		u, err := url.Parse(seen)
		if err != nil || u.Host != "" || u.Scheme != "" {
			t.Fatalf("localPath(%q) = %q leaves the site (%v)", s, out, err)
		}
	})
}
