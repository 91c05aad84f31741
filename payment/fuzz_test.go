package payment_test

import (
	"testing"

	"github.com/motcua/motcua/payment"
)

// FuzzParseCallback feeds the confirmation parser arbitrary bodies: it
// must never panic, and whatever it accepts must carry a valid reference,
// a positive amount and the right integrity code over its fields.
func FuzzParseCallback(f *testing.F) {
	f.Add(callback(secret, nil))
	f.Add(callback("khác", nil))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"MaThamChieu":"A","SoTien":"1"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		c, err := payment.ParseCallback(body, secret)
		if err != nil {
			if c != nil {
				t.Fatal("a result with an error")
			}
			return
		}
		if c.Amount <= 0 || !payment.ValidReference(c.Reference) || !c.State.Final() {
			t.Fatalf("accepted %+v", c)
		}
		if c.PaidAt.IsZero() != (c.State != "paid") {
			t.Fatalf("paid time: %+v", c)
		}
	})
}
