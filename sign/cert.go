package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/motcua/motcua"
)

// Minimum key sizes (Thông tư 15/2025/TT-BKHCN): RSA 2048 bits, ECDSA 256.
const (
	MinRSABits   = 2048
	MinECDSABits = 256
)

// vnDate formats an instant for people: dd/mm/yyyy in Vietnam time.
func vnDate(t time.Time) string { return t.In(motcua.VietnamTime).Format("02/01/2006 15:04") }

// CheckCertificate checks that cert may sign at now: within its validity,
// with the digital signature or non-repudiation key usage (when the
// certificate states a key usage at all), and with a key of at least 2048
// bits (RSA) or 256 bits (ECDSA). Errors are EINVALID with a Vietnamese
// message naming the holder and reasons cert_expired, cert_not_yet_valid,
// cert_key_usage, cert_weak_key.
func CheckCertificate(cert *x509.Certificate, now time.Time) error {
	who := cert.Subject.CommonName
	if now.Before(cert.NotBefore) {
		return motcua.Errorf(motcua.EINVALID, "cert_not_yet_valid",
			"Chứng thư số của %s chưa có hiệu lực (có hiệu lực từ %s) nên chưa thể ký.", who, vnDate(cert.NotBefore))
	}
	if now.After(cert.NotAfter) {
		return motcua.Errorf(motcua.EINVALID, "cert_expired",
			"Chứng thư số của %s đã hết hạn ngày %s nên không thể ký. Vui lòng gia hạn hoặc cấp chứng thư số mới.", who, vnDate(cert.NotAfter))
	}
	if cert.KeyUsage != 0 && cert.KeyUsage&(x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment) == 0 {
		return motcua.Errorf(motcua.EINVALID, "cert_key_usage",
			"Chứng thư số của %s không được cấp cho mục đích ký số (thiếu mục đích chữ ký số hoặc chống chối bỏ).", who)
	}
	switch k := cert.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < MinRSABits {
			return motcua.Errorf(motcua.EINVALID, "cert_weak_key",
				"Khóa RSA của chứng thư số của %s chỉ dài %d bit, ít hơn mức tối thiểu %d bit.", who, k.N.BitLen(), MinRSABits)
		}
	case *ecdsa.PublicKey:
		if k.Curve.Params().BitSize < MinECDSABits {
			return motcua.Errorf(motcua.EINVALID, "cert_weak_key",
				"Khóa ECDSA của chứng thư số của %s chỉ dài %d bit, ít hơn mức tối thiểu %d bit.", who, k.Curve.Params().BitSize, MinECDSABits)
		}
	default:
		return motcua.Errorf(motcua.EINVALID, "cert_weak_key",
			"Chứng thư số của %s dùng loại khóa không được hỗ trợ (chỉ RSA hoặc ECDSA).", who)
	}
	return nil
}

// Signer signs with one private key and its certificate. It is safe for
// concurrent use when its key is (Go's RSA and ECDSA keys are).
type Signer struct {
	Key   crypto.Signer
	Cert  *x509.Certificate
	Chain []*x509.Certificate // issuers of Cert, nearest first
}

// NewSigner returns a Signer after checking that key belongs to cert.
func NewSigner(key crypto.Signer, cert *x509.Certificate, chain []*x509.Certificate) (*Signer, error) {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := key.Public().(equaler)
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, motcua.Errorf(motcua.EINVALID, "key_cert_mismatch",
			"Khóa bí mật không khớp với chứng thư số của %s.", cert.Subject.CommonName)
	}
	return &Signer{Key: key, Cert: cert, Chain: chain}, nil
}

// proveKey signs a fixed digest with s.Key and checks it with the
// certificate: a key that is not the certificate's fails.
func proveKey(s *Signer) error {
	d := sha256.Sum256([]byte("motcua: the key matches the certificate"))
	sig, err := s.Key.Sign(rand.Reader, d[:], crypto.SHA256)
	if err != nil {
		return err
	}
	switch pub := s.Cert.PublicKey.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(pub, crypto.SHA256, d[:], sig)
	case *ecdsa.PublicKey:
		if !ecdsa.VerifyASN1(pub, d[:], sig) {
			return errors.New("ecdsa signature does not verify")
		}
		return nil
	}
	return errors.New("unsupported key")
}

// LoadKeyFile reads a signer from a PEM file holding one private key
// (PKCS#8, PKCS#1 or SEC 1, unencrypted) and its certificate followed by
// the issuers' certificates. Errors are EINVALID with Vietnamese messages
// (reason key_file) except for an unreadable file.
func LoadKeyFile(path string) (*Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	return ParseKeyPEM(b)
}

// LoadKeyFileWith is LoadKeyFile for a key file whose private key may be
// encrypted with passphrase (PKCS#8 "ENCRYPTED PRIVATE KEY", PBES2, as
// `openssl pkcs8 -topk8 -v2 aes-256-cbc` or EncryptKeyPEM writes it).
func LoadKeyFileWith(path string, passphrase []byte) (*Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	return ParseKeyPEMWith(b, passphrase)
}

// ParseKeyPEM is LoadKeyFile on bytes.
func ParseKeyPEM(b []byte) (*Signer, error) { return ParseKeyPEMWith(b, nil) }

// ParseKeyPEMWith is LoadKeyFileWith on bytes. An encrypted key without a
// passphrase, or with a wrong one, is EINVALID (reasons key_encrypted,
// key_passphrase).
func ParseKeyPEMWith(b []byte, passphrase []byte) (*Signer, error) {
	bad := func(why string) error {
		return motcua.Errorf(motcua.EINVALID, "key_file", "Tệp khóa ký số không dùng được: %s.", why)
	}
	var key crypto.Signer
	var certs []*x509.Certificate
	for {
		var blk *pem.Block
		blk, b = pem.Decode(b)
		if blk == nil {
			break
		}
		switch blk.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, bad("chứng thư số hỏng")
			}
			certs = append(certs, c)
		case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY":
			if key != nil {
				return nil, bad("có nhiều hơn một khóa bí mật")
			}
			k, err := parseKey(blk)
			if err != nil {
				return nil, bad("khóa bí mật hỏng hoặc không phải RSA/ECDSA")
			}
			key = k
		case "ENCRYPTED PRIVATE KEY":
			if key != nil {
				return nil, bad("có nhiều hơn một khóa bí mật")
			}
			k, err := decryptKey(blk.Bytes, passphrase)
			if err != nil {
				return nil, err
			}
			key = k
		}
	}
	if key == nil {
		return nil, bad("không có khóa bí mật")
	}
	if len(certs) == 0 {
		return nil, bad("không có chứng thư số")
	}
	return NewSigner(key, certs[0], certs[1:])
}

func parseKey(blk *pem.Block) (crypto.Signer, error) {
	var k any
	var err error
	switch blk.Type {
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(blk.Bytes)
	case "EC PRIVATE KEY":
		k, err = x509.ParseECPrivateKey(blk.Bytes)
	default:
		k, err = x509.ParsePKCS8PrivateKey(blk.Bytes)
	}
	if err != nil {
		return nil, err
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	}
	return nil, fmt.Errorf("unsupported key %T", k)
}
