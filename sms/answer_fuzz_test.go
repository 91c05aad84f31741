package sms_test

import (
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sms"
)

// FuzzAnswer feeds the gateway's answer reader any bytes and status: it
// never panics, accepts only a 200/202 JSON answer that names the message
// and says accepted or duplicate, and any error is a SendError that says
// whether to retry.
func FuzzAnswer(f *testing.F) {
	f.Add(202, []byte(`{"id":"n-1","status":"accepted"}`))
	f.Add(400, []byte(`{"error":"invalid_number","message":"x"}`))
	f.Add(503, []byte(`<html>`))
	f.Add(202, []byte(`{"id":"n-2","status":"accepted"}`))
	f.Fuzz(func(t *testing.T, status int, raw []byte) {
		err := sms.Answer(status, raw, "n-1")
		if err == nil {
			if status != 200 && status != 202 {
				t.Fatalf("accepted with HTTP %d", status)
			}
			return
		}
		var se *motcua.SendError
		if !asSendError(err, &se) {
			t.Fatalf("error %T is not a SendError", err)
		}
		if len(se.Error()) > 600 {
			t.Fatalf("error text of %d bytes", len(se.Error()))
		}
	})
}

func asSendError(err error, out **motcua.SendError) bool {
	se, ok := err.(*motcua.SendError)
	*out = se
	return ok
}
