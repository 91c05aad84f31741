package sign

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/motcua/motcua"
)

// DemoHolder is a certificate the demo makes: an officer (Username) or an
// agency (AgencyCode), with the name written in the certificate.
type DemoHolder struct {
	Username, AgencyCode string
	Name, Organization   string
}

// EnsureDemo makes, in dir, the demo's own certification authority and
// its time-stamping authority's key (tsa.pem, for the simulator), once,
// and a key file for every holder that has none yet, valid from a year
// before now for three years, in the layout OpenKeyring reads. Key files
// are written readable by the owner only. Meant for `motcua demo`: real
// certificates come from a licensed provider.
func EnsureDemo(dir string, now time.Time, province string, holders []DemoHolder) error {
	for _, sub := range []string{"users", "agencies"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return fmt.Errorf("key folder: %w", err)
		}
	}
	caKey := filepath.Join(dir, "ca-key.pem")
	var ca *Signer
	if _, err := os.Stat(caKey); err == nil {
		if ca, err = LoadKeyFile(caKey); err != nil {
			return fmt.Errorf("demo CA: %w", err)
		}
	} else if errors.Is(err, fs.ErrNotExist) {
		if ca, err = Issue(nil, Template{CommonName: "CA thử nghiệm motcua - " + province, Organization: province, IsCA: true,
			NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(10, 0, 0)}); err != nil {
			return err
		}
		if err := writePEM(caKey, ca); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, "ca.pem"), CertPEM(ca.Cert), 0o644); err != nil {
			return fmt.Errorf("write CA: %w", err)
		}
	} else {
		return fmt.Errorf("demo CA: %w", err)
	}
	if p := filepath.Join(dir, "tsa.pem"); !exists(p) {
		s, err := Issue(ca, Template{CommonName: "Đơn vị cấp dấu thời gian thử nghiệm", Organization: province, TimeStamping: true,
			NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(10, 0, 0)})
		if err != nil {
			return err
		}
		if err := writePEM(p, s); err != nil {
			return err
		}
	}
	k := &Keyring{dir: dir}
	for _, h := range holders {
		p := k.path(h.signatory())
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			continue
		}
		s, err := Issue(ca, Template{CommonName: h.Name, Organization: h.Organization, Province: province,
			NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(3, 0, 0)})
		if err != nil {
			return err
		}
		if err := writePEM(p, s); err != nil {
			return err
		}
	}
	return nil
}

func (h DemoHolder) signatory() motcua.Signatory {
	return motcua.Signatory{Username: h.Username, AgencyCode: h.AgencyCode}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// writePEM writes s's key file atomically, readable by the owner only.
func writePEM(path string, s *Signer) error {
	b, err := s.PEM()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write key file: %w", err)
	}
	return nil
}
