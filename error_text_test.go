package motcua

import (
	"errors"
	"fmt"
	"testing"
)

// TestErrorTextIsForPeople (issue 13, defect 2): a recorded failure reads
// as the Vietnamese message with its reason, never the log form.
func TestErrorTextIsForPeople(t *testing.T) {
	e := Errorf(ECONFLICT, "portal_rejected", "Cổng từ chối hồ sơ.")
	cases := map[error]string{
		nil:                                     "",
		e:                                       "Cổng từ chối hồ sơ. (portal_rejected)",
		fmt.Errorf("sync: %w", e):               "Cổng từ chối hồ sơ. (portal_rejected)",
		&Error{Code: EINVALID, Message: "Sai."}: "Sai.",
		errors.New("dial tcp: connection refused"): "dial tcp: connection refused",
	}
	for err, want := range cases {
		if got := ErrorText(err); got != want {
			t.Errorf("ErrorText(%v) = %q, want %q", err, got, want)
		}
	}
}
