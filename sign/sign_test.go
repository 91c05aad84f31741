package sign_test

import (
	"testing"

	"github.com/motcua/motcua/sign"
)

func TestSignPDFValidByPdfsig(t *testing.T) {
	for _, bits := range []int{0, 2048} {
		pki := mustPKI(t, bits)
		doc := minimalPDF("Ket qua giai quyet")
		signed, err := pki.Officer.SignPDF(doc, sign.Options{Time: now, Reason: "Ký kết quả", Location: "UBND xã Hòa Bình"})
		if err != nil {
			t.Fatal(err)
		}
		if ok, out := pdfsigValid(t, signed, 1); !ok {
			t.Fatalf("rsa bits %d: pdfsig does not find one valid signature:\n%s", bits, out)
		} else {
			t.Log(out)
		}
	}
}
