package sign_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sign"
)

// FuzzVerifyAndSign feeds arbitrary bytes to the verifier and the signer:
// neither may panic or hang, and what they refuse is refused with an
// EINVALID error; whatever the signer accepts, the verifier finds valid,
// unless the input already held a signature that was not.
func FuzzVerifyAndSign(f *testing.F) {
	pki := mustPKI(f, 0)
	good := minimalPDF("x")
	signed, err := pki.Officer.SignPDF(good, sign.Options{Time: now})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(signed)
	f.Add(bytes.Replace(signed, []byte("/ByteRange [0 "), []byte("/ByteRange [1 "), 1))
	f.Add([]byte("%PDF-1.4\ntrailer << /Root 1 0 R /Prev 0 >>\nstartxref\n9\n%%EOF"))
	f.Add([]byte("%PDF-1.4\n1 0 obj << /ByteRange [0 1 2 3] /Contents <00> >> endobj"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		start := time.Now()
		before, err := sign.Verify(b, nil)
		if err != nil && motcua.ErrorCode(err) != motcua.EINVALID {
			t.Fatalf("verify: %v", err)
		}
		cleanInput := err == nil && (before.Valid || len(before.Signatures) == 0)
		out, err := pki.Officer.SignPDF(b, sign.Options{Time: now})
		if err != nil {
			if motcua.ErrorCode(err) != motcua.EINVALID {
				t.Fatalf("sign: %v", err)
			}
		} else if c, err := sign.Verify(out, nil); err != nil || (cleanInput && !c.Valid) {
			t.Fatalf("signed but not valid: %+v %v", c, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("took %s", d)
		}
	})
}
