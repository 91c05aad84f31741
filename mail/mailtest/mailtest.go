// Package mailtest starts a real SMTP server for tests: Debian's
// python3-aiosmtpd, writing every message it accepts to a maildir, with
// STARTTLS on a throw-away certificate when asked. A test that needs it
// is skipped when the package is missing, unless MOTCUA_REQUIRE_SMTP is
// set (CI), where it fails instead.
package mailtest

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"mime"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// Server is a running SMTP server.
type Server struct {
	Addr string
	// Dir is the maildir; accepted messages are files in Dir/new.
	Dir string
	// RootCAs trusts the server's certificate (nil without TLS).
	RootCAs *x509.CertPool
}

// python finds a Python 3 that has aiosmtpd: Debian's first (the
// package installs there), then whatever python3 is on the PATH.
func python() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import aiosmtpd").Run() == nil {
			return path
		}
	}
	return ""
}

// Start starts a server on a free loopback port for the test's lifetime;
// with tls it offers STARTTLS.
func Start(t testing.TB, tls bool) *Server {
	t.Helper()
	py := python()
	if py == "" {
		if os.Getenv("MOTCUA_REQUIRE_SMTP") != "" {
			t.Fatal("python3-aiosmtpd is missing (apt-get install python3-aiosmtpd) and MOTCUA_REQUIRE_SMTP is set")
		}
		t.Skip("python3-aiosmtpd not installed (apt-get install python3-aiosmtpd)")
	}
	dir := t.TempDir()
	box := filepath.Join(dir, "maildir")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	args := []string{"-m", "aiosmtpd", "-n", "-l", addr}
	s := &Server{Addr: addr, Dir: box}
	if tls {
		cert, key := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
		s.RootCAs = selfSigned(t, cert, key)
		args = append(args, "--tlscert", cert, "--tlskey", key, "--no-requiretls")
	}
	args = append(args, "-c", "aiosmtpd.handlers.Mailbox", box)
	cmd := exec.Command(py, args...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; ; i++ {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			// Wait for the greeting: the server is ready.
			c.SetDeadline(time.Now().Add(5 * time.Second))
			line, _ := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if strings.HasPrefix(line, "220") {
				break
			}
		}
		if i > 100 {
			t.Fatalf("aiosmtpd did not start on %s: %s", addr, out.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return s
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// a pool that trusts it.
func selfSigned(t testing.TB, certFile, keyFile string) *x509.CertPool {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	c, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return pool
}

// Message is one accepted message, decoded.
type Message struct {
	From, To, Subject, MessageID string
	Body                         string
	// Header is the raw header block, for checks on TLS (aiosmtpd adds
	// X-Peer and the like).
	Raw string
}

// Messages returns the messages accepted so far, in the order of their
// file names (delivery order within a second is not kept).
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Dir, "new"))
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var out []Message
	dec := new(mime.WordDecoder)
	for _, n := range names {
		raw, err := os.ReadFile(filepath.Join(s.Dir, "new", n))
		if err != nil {
			t.Fatal(err)
		}
		m, err := netmail.ReadMessage(strings.NewReader(string(raw)))
		if err != nil {
			t.Fatalf("message %s: %v", n, err)
		}
		subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
		if err != nil {
			t.Fatalf("subject of %s: %v", n, err)
		}
		var body []byte
		if strings.EqualFold(m.Header.Get("Content-Transfer-Encoding"), "base64") {
			body, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, m.Body))
		} else {
			body, err = io.ReadAll(m.Body)
		}
		if err != nil {
			t.Fatalf("body of %s: %v", n, err)
		}
		out = append(out, Message{From: m.Header.Get("From"), To: m.Header.Get("To"), Subject: subject,
			MessageID: m.Header.Get("Message-ID"), Body: strings.ReplaceAll(string(body), "\r\n", "\n"), Raw: string(raw)})
	}
	return out
}

// Wait polls until at least n messages are accepted or d passes.
func (s *Server) Wait(t testing.TB, n int, d time.Duration) []Message {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ms := s.Messages(t)
		if len(ms) >= n || time.Now().After(deadline) {
			return ms
		}
		time.Sleep(50 * time.Millisecond)
	}
}
