//go:build cgo

package sign_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sign"
)

// softHSM makes a SoftHSM2 token in a temporary folder with the officer's
// key imported under label "officer" (PIN 1234), and returns the module's
// path. It skips without SoftHSM2 unless MOTCUA_REQUIRE_SOFTHSM=1.
func softHSM(t *testing.T, s *sign.Signer) string {
	t.Helper()
	util, err := exec.LookPath("softhsm2-util")
	module := "/usr/lib/softhsm/libsofthsm2.so"
	if _, serr := os.Stat(module); err != nil || serr != nil {
		if os.Getenv("MOTCUA_REQUIRE_SOFTHSM") == "1" {
			t.Fatal("SoftHSM2 is required (MOTCUA_REQUIRE_SOFTHSM=1): apt-get install softhsm2")
		}
		t.Skip("SoftHSM2 not installed (apt-get install softhsm2)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "softhsm2.conf")
	os.MkdirAll(filepath.Join(dir, "tokens"), 0o700)
	os.WriteFile(conf, []byte("directories.tokendir = "+filepath.Join(dir, "tokens")+"\nobjectstore.backend = file\nlog.level = ERROR\n"), 0o600)
	t.Setenv("SOFTHSM2_CONF", conf)
	run := func(args ...string) {
		t.Helper()
		if out, err := exec.Command(util, args...).CombinedOutput(); err != nil {
			t.Fatalf("softhsm2-util %v: %v\n%s", args, err, out)
		}
	}
	run("--init-token", "--free", "--label", "motcua", "--pin", "1234", "--so-pin", "5678")
	all, err := s.PEM()
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(all) // the key comes first
	key := filepath.Join(dir, "key.pem")
	os.WriteFile(key, pem.EncodeToMemory(blk), 0o600)
	run("--import", key, "--token", "motcua", "--label", "officer", "--id", "01", "--pin", "1234")
	return module
}

// TestTokenSignature signs with a key on a SoftHSM2 token (RSA and ECDSA):
// pdfsig finds the signature valid; a wrong PIN, an unknown token or key,
// and a certificate of another key are refused with clear messages.
func TestTokenSignature(t *testing.T) {
	for _, bits := range []int{2048, 0} {
		pki := mustPKI(t, bits)
		module := softHSM(t, pki.Officer)
		chain := append([]*x509.Certificate{pki.Officer.Cert}, pki.Officer.Chain...)
		cfg := sign.TokenConfig{Module: module, TokenLabel: "motcua", PIN: "1234", KeyLabel: "officer"}
		for name, tc := range map[string]struct {
			mutate func(*sign.TokenConfig)
			chain  []*x509.Certificate
			reason string
		}{
			"wrong pin":     {func(c *sign.TokenConfig) { c.PIN = "0000" }, chain, "token_pin"},
			"no token":      {func(c *sign.TokenConfig) { c.TokenLabel = "khác" }, chain, "token_not_found"},
			"no key":        {func(c *sign.TokenConfig) { c.KeyLabel = "khác" }, chain, "token_key"},
			"another cert":  {func(c *sign.TokenConfig) {}, []*x509.Certificate{pki.Agency.Cert}, "key_cert_mismatch"},
			"no module":     {func(c *sign.TokenConfig) { c.Module = "/nonexistent/lib.so" }, chain, "token_module"},
			"no cert chain": {func(c *sign.TokenConfig) {}, nil, "key_file"},
		} {
			c := cfg
			tc.mutate(&c)
			if _, _, err := sign.OpenToken(c, tc.chain); motcua.ErrorReason(err) != tc.reason || motcua.ErrorMessage(err) == "" {
				t.Errorf("bits %d, %s: %v, want %s", bits, name, err, tc.reason)
			}
		}
		s, tok, err := sign.OpenToken(cfg, chain)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := s.SignPDF(minimalPDF("Ket qua"), sign.Options{Time: now})
		tok.Close()
		if err != nil {
			t.Fatal(err)
		}
		if ok, out := pdfsigValid(t, signed, 1); !ok {
			t.Fatalf("bits %d: pdfsig on the token's signature:\n%s", bits, out)
		}
		if c := mustVerify(t, signed, nil); !c.Valid {
			t.Fatalf("verify: %+v", c)
		}
	}
}
