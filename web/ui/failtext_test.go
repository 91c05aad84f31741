package ui

import "testing"

// TestFailTextHidesTheLogForm (issue 13, defect 2): a failure recorded in
// the log form before the fix is shown as its message and reason.
func TestFailTextHidesTheLogForm(t *testing.T) {
	cases := map[string]string{
		"motcua error: code=conflict reason=portal_rejected message=Cổng từ chối hồ sơ.": "Cổng từ chối hồ sơ. (portal_rejected)",
		"motcua error: code=internal message=Lỗi.":                                       "Lỗi.",
		"Cổng từ chối hồ sơ. (portal_rejected)":                                          "Cổng từ chối hồ sơ. (portal_rejected)",
		"dial tcp: connection refused":                                                   "dial tcp: connection refused",
	}
	for in, want := range cases {
		if got := failText(in); got != want {
			t.Errorf("failText(%q) = %q, want %q", in, got, want)
		}
	}
}
