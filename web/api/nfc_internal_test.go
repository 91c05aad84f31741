package api

import "testing"

// TestNFCBody checks the fast path's refusals: a body whose decoded
// strings might not be NFC must be walked.
func TestNFCBody(t *testing.T) {
	for body, want := range map[string]bool{
		`{"full_name":"Lê Thị Kim Oanh"}`: true,
		`{"a":"x\"y\\z\n"}`:               true,
		"{\"full_name\":\"Le\u0302\"}":    false, // decomposed bytes
		`{"full_name":"L\u0065\u0302"}`:   false, // decomposed by escapes
		`{"full_name":"\u00ea"}`:          false, // any escape is walked
		"{\"a\":\"\xff\"}":                false, // not UTF-8
		`{"a":"\\u0065"}`:                 false, // an escaped backslash: walked, harmless
	} {
		if got := nfcBody([]byte(body)); got != want {
			t.Errorf("nfcBody(%q) = %v, want %v", body, got, want)
		}
	}
}
