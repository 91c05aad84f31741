package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// Template describes a certificate Issue makes: for the demo's own agency
// CA, an agency's seal, or an officer's personal signature.
type Template struct {
	CommonName   string // the holder: a person's or an agency's name
	Organization string // the agency
	Province     string // ST
	IsCA         bool
	// TimeStamping makes a time-stamping authority's certificate.
	TimeStamping bool
	NotBefore    time.Time
	NotAfter     time.Time
	// RSABits, when non-zero, makes an RSA key of that size; otherwise the
	// key is ECDSA P-256.
	RSABits int
}

// Issue returns a new key and a certificate for it made from t and signed
// by ca, or self-signed when ca is nil. A CA certificate may sign
// certificates; any other may sign documents (digital signature and
// non-repudiation). Meant for the demo and the tests: a real agency gets
// its certificates from a licensed provider.
func Issue(ca *Signer, t Template) (*Signer, error) {
	var key crypto.Signer
	var err error
	if t.RSABits > 0 {
		key, err = rsa.GenerateKey(rand.Reader, t.RSABits)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return nil, fmt.Errorf("generate key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, fmt.Errorf("serial: %w", err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return nil, fmt.Errorf("marshal key: %w", err)
	}
	ski := sha256.Sum256(pubDER)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{CommonName: t.CommonName, Organization: nonEmpty(t.Organization),
			Province: nonEmpty(t.Province), Country: []string{"VN"}},
		NotBefore:    t.NotBefore,
		NotAfter:     t.NotAfter,
		SubjectKeyId: ski[:20],
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
	}
	if t.IsCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
	} else if t.TimeStamping {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageTimeStamping}
	} else {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}
	}
	parent, signer := tmpl, key
	var chain []*x509.Certificate
	if ca != nil {
		parent, signer = ca.Cert, ca.Key
		chain = append([]*x509.Certificate{ca.Cert}, ca.Chain...)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("create certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse certificate: %w", err)
	}
	return &Signer{Key: key, Cert: cert, Chain: chain}, nil
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// PEM returns the signer as LoadKeyFile reads it: the PKCS#8 private key,
// then the certificate, then its issuers.
func (s *Signer) PEM() ([]byte, error) {
	k, err := x509.MarshalPKCS8PrivateKey(s.Key)
	if err != nil {
		return nil, fmt.Errorf("marshal key: %w", err)
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k})
	for _, c := range append([]*x509.Certificate{s.Cert}, s.Chain...) {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out, nil
}

// CertPEM returns the certificate alone in PEM, e.g. a CA to trust.
func CertPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
