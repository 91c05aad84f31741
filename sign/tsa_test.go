package sign_test

import (
	"bytes"
	"crypto/x509"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/motcua/motcua/sign"
	"github.com/motcua/motcua/sign/sim"
)

// startTSA runs the time-stamping simulator with a certificate from ca.
func startTSA(t *testing.T, ca *sign.Signer) (*sim.TSA, *sign.TSAClient) {
	t.Helper()
	s, err := sign.Issue(ca, sign.Template{CommonName: "TSA thử nghiệm", TimeStamping: true, NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(2, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	tsa := sim.New(s)
	srv := httptest.NewServer(tsa)
	t.Cleanup(srv.Close)
	return tsa, &sign.TSAClient{URL: srv.URL}
}

// TestTimestampedSignature: with a TSA, the signature carries a timestamp
// over its value (PAdES B-T); pdfsig still finds it valid, Verify reports
// the timestamp and its time, and a TSA outage refuses to sign.
func TestTimestampedSignature(t *testing.T) {
	pki := mustPKI(t, 0)
	tsa, client := startTSA(t, pki.CA)
	signed, err := pki.Officer.SignPDF(minimalPDF("x"), sign.Options{Time: now, TSA: client})
	if err != nil {
		t.Fatal(err)
	}
	if tsa.Served.Load() != 1 {
		t.Fatalf("TSA served %d", tsa.Served.Load())
	}
	if ok, out := pdfsigValid(t, signed, 1); !ok {
		t.Fatalf("pdfsig on a B-T signature:\n%s", out)
	}
	roots := x509.NewCertPool()
	roots.AddCert(pki.CA.Cert)
	c := mustVerify(t, signed, roots)
	s := c.Signatures[0]
	if !c.Valid || !s.Timestamped || !s.Trusted || s.SignedAt.IsZero() {
		t.Fatalf("verify B-T: %+v", c)
	}
	// A timestamp from an authority the system does not trust: valid, not
	// trusted.
	other := mustPKI(t, 0)
	_, client2 := startTSA(t, other.CA)
	signed2, err := pki.Officer.SignPDF(minimalPDF("x"), sign.Options{Time: now, TSA: client2})
	if err != nil {
		t.Fatal(err)
	}
	if c := mustVerify(t, signed2, roots); !c.Valid || c.Signatures[0].Trusted || !strings.Contains(c.Signatures[0].Problem, "dấu thời gian") {
		t.Fatalf("untrusted TSA: %+v", c)
	}
	// A changed byte in the timestamp token (the end of the CMS, whose
	// unsigned attributes come last) makes the signature invalid for
	// Verify. (pdfsig of poppler 22 does not check timestamps.)
	cAt := bytes.Index(signed, []byte("/Contents <")) + len("/Contents <")
	cEnd := cAt + bytes.IndexByte(signed[cAt:], '>')
	bad := bytes.Clone(signed)
	at := cAt + len(bytes.TrimRight(signed[cAt:cEnd], "0")) - 10
	if bad[at] == '0' {
		bad[at] = '1'
	} else {
		bad[at] = '0'
	}
	if c := mustVerify(t, bad, roots); c.Valid || c.Signatures[0].Timestamped {
		t.Fatalf("corrupted timestamp: %+v", c)
	}
	tsa.Down.Store(true)
	if _, err := pki.Officer.SignPDF(minimalPDF("x"), sign.Options{Time: now, TSA: client}); err == nil {
		t.Fatal("signed without the timestamp the configuration asks for")
	}
}
