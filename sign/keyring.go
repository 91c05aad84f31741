package sign

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// Keyring is a motcua.DocumentSigner over a folder of key files:
//
//	ca.pem                  certification authorities whose certificates are trusted
//	users/<username>.pem    an officer's personal key and certificate chain
//	agencies/<code>.pem     an agency's key and certificate chain (its seal)
//
// Key files are read when first used and kept; a file added later is
// found on its first use.
type Keyring struct {
	// TSA, when set, timestamps every signature (PAdES B-T).
	TSA Timestamper
	dir string
	// passphrase opens encrypted key files (OpenKeyringWith).
	passphrase []byte
	// Revocation, when set, is consulted before every signature (a
	// revoked certificate may not sign) and by VerifyPDF.
	Revocation *Revocation
	cas        []*x509.Certificate // the certificates of ca.pem
	roots      *x509.CertPool
	mu         sync.Mutex
	cache      map[string]*Signer
}

var _ motcua.DocumentSigner = (*Keyring)(nil)

// OpenKeyring opens the key folder dir; ca.pem, if present, must hold at
// least one certificate.
func OpenKeyring(dir string) (*Keyring, error) {
	k := &Keyring{dir: dir, roots: x509.NewCertPool(), cache: map[string]*Signer{}}
	b, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read trusted CAs: %w", err)
	}
	if err == nil {
		n := 0
		for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
			c, err := x509.ParseCertificate(blk.Bytes)
			if err != nil {
				return nil, fmt.Errorf("trusted CA in %s: %w", dir, err)
			}
			k.roots.AddCert(c)
			k.cas = append(k.cas, c)
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("no certificate in %s", filepath.Join(dir, "ca.pem"))
		}
	}
	return k, nil
}

// OpenKeyringWith is OpenKeyring for a folder whose key files may be
// encrypted with passphrase. Every key file of users/ and agencies/ is
// opened at once, so that a wrong passphrase (or a damaged or encrypted
// file with none given) stops the start-up with a clear error rather than
// the first signature of the day.
func OpenKeyringWith(dir string, passphrase []byte) (*Keyring, error) {
	k, err := OpenKeyring(dir)
	if err != nil {
		return nil, err
	}
	k.passphrase = passphrase
	for _, sub := range []string{"users", "agencies"} {
		files, err := filepath.Glob(filepath.Join(dir, sub, "*.pem"))
		if err != nil {
			return nil, fmt.Errorf("key folder: %w", err)
		}
		for _, p := range files {
			s, err := LoadKeyFileWith(p, passphrase)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			k.cache[p] = s
		}
	}
	return k, nil
}

// Roots returns the trusted certification authorities.
func (k *Keyring) Roots() *x509.CertPool { return k.roots }

// safeName accepts user names and agency codes as file names: letters,
// digits, dot, dash and underscore, not starting with a dot.
func safeName(s string) bool {
	if s == "" || s[0] == '.' || len(s) > 100 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// path is the key file of who, or "" when who names none safely.
func (k *Keyring) path(who motcua.Signatory) string {
	switch {
	case who.Username != "" && safeName(who.Username):
		return filepath.Join(k.dir, "users", who.Username+".pem")
	case who.Username == "" && safeName(who.AgencyCode):
		return filepath.Join(k.dir, "agencies", who.AgencyCode+".pem")
	}
	return ""
}

// Signer returns the signer of who. Errors: EFORBIDDEN (reason no_certificate)
// when no key file is there; EINVALID for a key file that cannot be used.
func (k *Keyring) Signer(who motcua.Signatory) (*Signer, error) {
	p := k.path(who)
	k.mu.Lock()
	s, ok := k.cache[p]
	k.mu.Unlock()
	if ok {
		return s, nil
	}
	if p != "" {
		var err error
		s, err = LoadKeyFileWith(p, k.passphrase)
		if err == nil {
			k.mu.Lock()
			k.cache[p] = s
			k.mu.Unlock()
			return s, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	if who.Username != "" {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "no_certificate",
			"Tài khoản %s chưa được cấu hình chứng thư số cá nhân nên chưa thể ký số. Vui lòng báo quản trị viên.", who.Username)
	}
	return nil, motcua.Errorf(motcua.EFORBIDDEN, "no_certificate",
		"Cơ quan %s chưa được cấu hình chứng thư số nên chưa thể ký số. Vui lòng báo quản trị viên.", who.AgencyCode)
}

// AddToken makes s (e.g. a key on a PKCS#11 token, OpenToken) the signer
// of who, in place of any key file.
func (k *Keyring) AddToken(who motcua.Signatory, s *Signer) error {
	p := k.path(who)
	if p == "" {
		return motcua.Errorf(motcua.EINVALID, "token_signatory", "Tên tài khoản hoặc mã cơ quan của thiết bị ký số không hợp lệ.")
	}
	k.mu.Lock()
	k.cache[p] = s
	k.mu.Unlock()
	return nil
}

// ParseCertificates reads the certificates of a PEM file (a token's
// certificate chain, the key's own first).
func ParseCertificates(b []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, motcua.Errorf(motcua.EINVALID, "key_file", "Tệp chứng thư số hỏng.")
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, motcua.Errorf(motcua.EINVALID, "key_file", "Tệp không có chứng thư số nào.")
	}
	return out, nil
}

// CanSign reports whether who has a key file.
func (k *Keyring) CanSign(who motcua.Signatory) bool {
	_, err := k.Signer(who)
	return err == nil
}

// SignPDF signs doc as who (see motcua.DocumentSigner).
func (k *Keyring) SignPDF(ctx context.Context, doc []byte, who motcua.Signatory, at time.Time, reason string) ([]byte, error) {
	s, err := k.Signer(who)
	if err != nil {
		return nil, err
	}
	if k.Revocation != nil {
		if err := k.Revocation.checkBeforeSigning(ctx, k.cas, s.Cert, at); err != nil {
			return nil, err
		}
	}
	loc := ""
	if len(s.Cert.Subject.Organization) > 0 {
		loc = s.Cert.Subject.Organization[0]
	}
	return s.SignPDF(doc, Options{Time: at, Reason: reason, Location: loc, TSA: k.TSA, Context: ctx})
}

// VerifyPDF verifies doc against the keyring's trusted authorities.
func (k *Keyring) VerifyPDF(ctx context.Context, doc []byte) (*motcua.SignatureCheck, error) {
	if k.Revocation == nil {
		return Verify(doc, k.roots)
	}
	now := time.Now()
	return verifyWith(doc, k.roots, func(cert *x509.Certificate, at time.Time) string {
		return k.Revocation.problem(ctx, k.cas, cert, at, now)
	})
}
