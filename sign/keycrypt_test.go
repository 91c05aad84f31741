package sign_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sign"
)

// TestEncryptedKeyFile: a key file encrypted with a passphrase (PKCS#8
// PBES2) opens with the right passphrase and signs (pdfsig agrees); a
// wrong or missing passphrase is a clear error, and a keyring with such a
// file refuses to open, so that the service stops at start-up.
func TestEncryptedKeyFile(t *testing.T) {
	pki := mustPKI(t, 0)
	pass := []byte("mật khẩu khóa ký số")
	enc, err := pki.Officer.EncryptedPEM(pass)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(enc, []byte("ENCRYPTED PRIVATE KEY")) || bytes.Contains(enc, []byte("BEGIN PRIVATE KEY")) {
		t.Fatal("the key is not encrypted")
	}
	s, err := sign.ParseKeyPEMWith(enc, pass)
	if err != nil {
		t.Fatal(err)
	}
	if !s.Cert.Equal(pki.Officer.Cert) || len(s.Chain) != 1 {
		t.Fatal("the encrypted key file does not round-trip its chain")
	}
	if ok, out := pdfsigValid(t, mustSign(t, s, minimalPDF("khoa ma hoa")), 1); !ok {
		t.Fatalf("pdfsig on a signature by the decrypted key:\n%s", out)
	}
	if _, err := sign.ParseKeyPEMWith(enc, []byte("sai")); motcua.ErrorReason(err) != "key_passphrase" || motcua.ErrorMessage(err) == "" {
		t.Errorf("wrong passphrase: %v", err)
	}
	if _, err := sign.ParseKeyPEM(enc); motcua.ErrorReason(err) != "key_encrypted" {
		t.Errorf("no passphrase: %v", err)
	}

	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "users"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ca.pem"), sign.CertPEM(pki.CA.Cert), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "users", "cv.anphu.pem"), enc, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sign.OpenKeyringWith(dir, []byte("sai")); motcua.ErrorReason(err) != "key_passphrase" {
		t.Fatalf("keyring with a wrong passphrase opened: %v", err)
	}
	if _, err := sign.OpenKeyringWith(dir, nil); motcua.ErrorReason(err) != "key_encrypted" {
		t.Fatalf("keyring without a passphrase opened: %v", err)
	}
	ring, err := sign.OpenKeyringWith(dir, pass)
	if err != nil {
		t.Fatal(err)
	}
	signed, err := ring.SignPDF(context.Background(), minimalPDF("vong khoa"), motcua.Signatory{Username: "cv.anphu"}, now, "thử")
	if err != nil {
		t.Fatal(err)
	}
	if c, err := ring.VerifyPDF(context.Background(), signed); err != nil || !c.Valid {
		t.Fatalf("verify: %+v %v", c, err)
	}
}

// TestKeyEncryptedByOpenSSL: a key file encrypted by openssl, as an
// operator would (openssl pkcs8 -topk8 -v2 aes-256-cbc), opens.
func TestKeyEncryptedByOpenSSL(t *testing.T) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	pki := mustPKI(t, 0)
	plain, err := pki.Officer.PEM()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "plain.pem")
	if err := os.WriteFile(in, plain, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", in, "-passout", "pass:bi-mat-123").Output()
	if err != nil {
		t.Fatalf("openssl: %v", err)
	}
	out = append(out, plain[bytes.Index(plain, []byte("-----BEGIN CERTIFICATE")):]...)
	s, err := sign.ParseKeyPEMWith(out, []byte("bi-mat-123"))
	if err != nil {
		t.Fatal(err)
	}
	if !s.Cert.Equal(pki.Officer.Cert) {
		t.Fatal("wrong certificate")
	}
}
