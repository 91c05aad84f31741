package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"

	"github.com/youmark/pkcs8"

	"github.com/motcua/motcua"
)

// Encrypted key files are PKCS#8 EncryptedPrivateKeyInfo (RFC 5208, PBES2
// of RFC 8018), the format OpenSSL writes and reads, so that an operator
// can encrypt or change the passphrase of a key file with openssl alone:
//
//	openssl pkcs8 -topk8 -v2 aes-256-cbc -in plain.pem -out key.pem
//
// (then append the certificate chain). The passphrase is given to the
// service from an environment variable or a file, never on the command
// line (see docs/deployment.md).

// decryptKey opens an encrypted PKCS#8 key with passphrase.
func decryptKey(der, passphrase []byte) (crypto.Signer, error) {
	if len(passphrase) == 0 {
		return nil, motcua.Errorf(motcua.EINVALID, "key_encrypted",
			"Tệp khóa ký số được mã hóa bằng mật khẩu nhưng chưa cấu hình mật khẩu (MOTCUA_KEY_PASSPHRASE hoặc MOTCUA_KEY_PASSPHRASE_FILE).")
	}
	k, _, err := pkcs8.ParsePrivateKey(der, passphrase)
	if err != nil {
		// A wrong passphrase and a damaged file look the same to PBES2
		// (the padding or the key structure does not check out).
		return nil, motcua.Errorf(motcua.EINVALID, "key_passphrase",
			"Không mở được khóa bí mật: mật khẩu của tệp khóa ký số không đúng (hoặc tệp bị hỏng).")
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, motcua.Errorf(motcua.EINVALID, "key_file", "Tệp khóa ký số không dùng được: khóa bí mật không phải RSA/ECDSA.")
}

// EncryptedPEM returns the signer as LoadKeyFileWith reads it: the private
// key encrypted with passphrase (PBES2: PBKDF2-HMAC-SHA256 with 200,000 iterations — about 0.1 s to open, paid once per key file at start-up — and AES-256-CBC),
// then the certificate and its issuers.
func (s *Signer) EncryptedPEM(passphrase []byte) ([]byte, error) {
	if len(passphrase) == 0 {
		return nil, fmt.Errorf("encrypt key: empty passphrase")
	}
	der, err := pkcs8.MarshalPrivateKey(s.Key, passphrase, &pkcs8.Opts{Cipher: pkcs8.AES256CBC,
		KDFOpts: pkcs8.PBKDF2Opts{SaltSize: 16, IterationCount: 200_000, HMACHash: crypto.SHA256}})
	if err != nil {
		return nil, fmt.Errorf("encrypt key: %w", err)
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: der})
	for _, c := range append([]*x509.Certificate{s.Cert}, s.Chain...) {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out, nil
}
