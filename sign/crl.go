package sign

import (
	"context"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// maxCRLSize bounds a revocation list read from a file or fetched.
const maxCRLSize = 4 << 20

// CRLSource gives the bytes of a certification authority's certificate
// revocation list (DER or PEM).
type CRLSource interface {
	FetchCRL(ctx context.Context) ([]byte, error)
}

// CRLFile is a revocation list kept in a file (the demo CA's crl.pem).
type CRLFile string

// FetchCRL implements CRLSource.
func (f CRLFile) FetchCRL(context.Context) ([]byte, error) {
	fh, err := os.Open(string(f))
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return io.ReadAll(io.LimitReader(fh, maxCRLSize))
}

// CRLURL is a revocation list published over HTTP (the CA's distribution
// point; the demo's simulator serves it at /crl).
type CRLURL struct {
	URL    string
	Client *http.Client // nil: a client with a 10 s timeout
}

// FetchCRL implements CRLSource.
func (u CRLURL) FetchCRL(ctx context.Context) ([]byte, error) {
	c := u.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.URL, nil)
	if err != nil {
		return nil, err
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("crl %s: HTTP %d", u.URL, res.StatusCode)
	}
	return io.ReadAll(io.LimitReader(res.Body, maxCRLSize))
}

// Revocation checks certificates against the revocation list of the
// trusted CAs (one list: the demo's, or a province's own CA). The list is
// believed only when signed by a trusted CA and not past its NextUpdate;
// it is fetched again after MaxAge, and a fetch that fails keeps the last
// good list until its NextUpdate.
type Revocation struct {
	Source CRLSource
	// MaxAge is how long a fetched list is used before fetching again;
	// 0 means 5 minutes.
	MaxAge  time.Duration
	mu      sync.Mutex
	list    *x509.RevocationList
	fetched time.Time
}

// errRevocationUnknown: no valid list could be had.
func revocationUnknown(why error) error {
	return fmt.Errorf("%w (%v)", motcua.Errorf(motcua.EINTERNAL, "revocation_unknown",
		"Không kiểm tra được tình trạng thu hồi của chứng thư số (danh sách thu hồi không tải được hoặc đã hết hạn) nên chưa thể ký. Vui lòng thử lại sau hoặc báo quản trị viên."), why)
}

// current returns a valid list at now.
func (r *Revocation) current(ctx context.Context, cas []*x509.Certificate, now time.Time) (*x509.RevocationList, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	maxAge := r.MaxAge
	if maxAge == 0 {
		maxAge = 5 * time.Minute
	}
	if r.list != nil && now.Sub(r.fetched) < maxAge && now.Before(r.list.NextUpdate) {
		return r.list, nil
	}
	l, err := r.fetch(ctx, cas)
	if err == nil && !now.Before(l.NextUpdate) {
		err = fmt.Errorf("the revocation list expired on %s", l.NextUpdate)
	}
	if err != nil {
		if r.list != nil && now.Before(r.list.NextUpdate) {
			return r.list, nil // the last good list, still current
		}
		return nil, revocationUnknown(err)
	}
	r.list, r.fetched = l, now
	return l, nil
}

// fetch reads and checks the list: parsed, and signed by one of cas.
func (r *Revocation) fetch(ctx context.Context, cas []*x509.Certificate) (*x509.RevocationList, error) {
	b, err := r.Source.FetchCRL(ctx)
	if err != nil {
		return nil, err
	}
	if blk, _ := pem.Decode(b); blk != nil && blk.Type == "X509 CRL" {
		b = blk.Bytes
	}
	l, err := x509.ParseRevocationList(b)
	if err != nil {
		return nil, fmt.Errorf("parse crl: %w", err)
	}
	for _, ca := range cas {
		if l.CheckSignatureFrom(ca) == nil {
			return l, nil
		}
	}
	return nil, errors.New("the revocation list is not signed by a trusted CA")
}

// revokedAt reports when cert was revoked according to l; zero if not, or
// if l is not its issuer's list.
func revokedAt(l *x509.RevocationList, cert *x509.Certificate) time.Time {
	if string(l.RawIssuer) != string(cert.RawIssuer) {
		return time.Time{}
	}
	for _, e := range l.RevokedCertificateEntries {
		if e.SerialNumber.Cmp(cert.SerialNumber) == 0 {
			return e.RevocationTime
		}
	}
	return time.Time{}
}

// checkBeforeSigning refuses a revoked certificate (EINVALID cert_revoked)
// or, when no valid list can be had, any signature (EINTERNAL
// revocation_unknown).
func (r *Revocation) checkBeforeSigning(ctx context.Context, cas []*x509.Certificate, cert *x509.Certificate, now time.Time) error {
	l, err := r.current(ctx, cas, now)
	if err != nil {
		return err
	}
	if at := revokedAt(l, cert); !at.IsZero() {
		return motcua.Errorf(motcua.EINVALID, "cert_revoked",
			"Chứng thư số của %s đã bị thu hồi từ %s nên không thể ký. Vui lòng liên hệ tổ chức cung cấp dịch vụ chứng thực chữ ký số để được cấp chứng thư mới.",
			cert.Subject.CommonName, vnDate(at))
	}
	return nil
}

// problem is the verifier's finding on cert used at time at: a Vietnamese
// reason when it was revoked at or before at, "" otherwise (also when no
// list can be had: the verdict then rests on the rest).
func (r *Revocation) problem(ctx context.Context, cas []*x509.Certificate, cert *x509.Certificate, at, now time.Time) string {
	l, err := r.current(ctx, cas, now)
	if err != nil {
		return ""
	}
	if rev := revokedAt(l, cert); !rev.IsZero() && !rev.After(at) {
		return fmt.Sprintf("Chứng thư số của người ký đã bị thu hồi từ %s, trước thời điểm ký.", vnDate(rev))
	}
	return ""
}

// RevokeDemo revokes, in the demo's key folder dir, the certificate of the
// officer username (users/<username>.pem) at now: the demo CA issues a new
// crl.pem (valid for 7 days) listing it with those revoked before. It is
// what a CA does on a holder's request; for the demo and the tests.
func RevokeDemo(dir, username string, now time.Time) error {
	k := &Keyring{dir: dir}
	p := k.path(motcua.Signatory{Username: username})
	if p == "" {
		return motcua.Errorf(motcua.EINVALID, "username_invalid", "Tên tài khoản %q không hợp lệ.", username)
	}
	holder, err := LoadKeyFile(p)
	if err != nil {
		return fmt.Errorf("certificate of %s: %w", username, err)
	}
	return writeDemoCRL(dir, now, holder.Cert.SerialNumber)
}

// writeDemoCRL writes dir/crl.pem signed by the demo CA: the entries of the
// present list, plus serial (when not nil) revoked at now.
func writeDemoCRL(dir string, now time.Time, serial *big.Int) error {
	ca, err := LoadKeyFile(filepath.Join(dir, "ca-key.pem"))
	if err != nil {
		return fmt.Errorf("demo CA: %w", err)
	}
	var entries []x509.RevocationListEntry
	number := big.NewInt(1)
	if b, err := os.ReadFile(filepath.Join(dir, "crl.pem")); err == nil {
		if blk, _ := pem.Decode(b); blk != nil {
			if old, err := x509.ParseRevocationList(blk.Bytes); err == nil {
				entries = old.RevokedCertificateEntries
				if old.Number != nil {
					number.Add(old.Number, big.NewInt(1))
				}
			}
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read crl: %w", err)
	}
	if serial != nil {
		for _, e := range entries {
			if e.SerialNumber.Cmp(serial) == 0 {
				serial = nil // revoked already
				break
			}
		}
	}
	if serial != nil {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: serial, RevocationTime: now.UTC().Truncate(time.Second)})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: number, ThisUpdate: now,
		NextUpdate: now.AddDate(0, 0, 7), RevokedCertificateEntries: entries}, ca.Cert, ca.Key)
	if err != nil {
		return fmt.Errorf("make crl: %w", err)
	}
	tmp := filepath.Join(dir, "crl.pem.tmp")
	if err := os.WriteFile(tmp, pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der}), 0o644); err != nil {
		return fmt.Errorf("write crl: %w", err)
	}
	return os.Rename(tmp, filepath.Join(dir, "crl.pem"))
}

// EnsureDemoCRL gives the demo CA of dir a current revocation list: made
// empty when there is none, and issued again (same entries) when it
// expires within a day, so that a demo left running keeps signing.
func EnsureDemoCRL(dir string, now time.Time) error {
	if b, err := os.ReadFile(filepath.Join(dir, "crl.pem")); err == nil {
		if blk, _ := pem.Decode(b); blk != nil {
			if l, err := x509.ParseRevocationList(blk.Bytes); err == nil && now.Add(24*time.Hour).Before(l.NextUpdate) {
				return nil
			}
		}
	}
	return writeDemoCRL(dir, now, nil)
}
