// Package mail sends e-mail through an SMTP server (net/smtp): notices to
// citizens and deadline warnings to staff. It uses STARTTLS whenever the
// server offers it (and can be told to require it), authenticates when
// given a user name, and tells a refusal for good (a 5xx reply) from a
// failure worth retrying, so that the outbox gives up on the former at
// once (motcua.SendError).
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net"
	netmail "net/mail"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Config is how to reach the SMTP server.
type Config struct {
	// Addr is host:port of the server (port 587 for submission, 25 for a
	// relay).
	Addr string
	// From is the sender's address, with or without a display name
	// ("Một cửa tỉnh <motcua@tinh.gov.vn>").
	From string
	// Username and Password authenticate with AUTH PLAIN when Username is
	// set; net/smtp sends them only over TLS or to a loopback server.
	Username string
	Password string
	// RequireTLS refuses to send when the server does not offer STARTTLS.
	RequireTLS bool
	// RootCAs verifies the server's certificate (nil: the system's).
	RootCAs *x509.CertPool
	// Timeout bounds one delivery (0: 30 s).
	Timeout time.Duration
}

// Client sends mail. It is safe for concurrent use: each message has its
// own connection (notices are few; a pool would outlive server restarts
// badly).
type Client struct {
	cfg  Config
	from *netmail.Address
	host string
}

// New checks cfg and returns a client; it does not connect.
func New(cfg Config) (*Client, error) {
	host, _, err := net.SplitHostPort(cfg.Addr)
	if err != nil || host == "" {
		return nil, fmt.Errorf("smtp address %q: want host:port", cfg.Addr)
	}
	from, err := netmail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("smtp sender %q: %w", cfg.From, err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Client{cfg: cfg, from: from, host: host}, nil
}

// permanent marks err as a refusal for good.
func permanent(err error) error { return &motcua.SendError{Err: err, Permanent: true} }

// classify turns an SMTP reply into a SendError: 5xx is permanent, the
// rest (4xx, broken connections) worth retrying. Servers echo the
// recipient in their replies ("550 <an@example.vn>: no such user"): the
// text, which is stored and shown to administrators, has it masked.
func classify(step, rcpt string, err error) error {
	mask := strings.NewReplacer(rcpt, motcua.MaskEmail(rcpt))
	if rcpt == "" {
		mask = strings.NewReplacer()
	}
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return permanent(fmt.Errorf("smtp %s: %d %s", step, tp.Code, mask.Replace(tp.Msg)))
	}
	return &motcua.SendError{Err: errors.New("smtp " + step + ": " + mask.Replace(err.Error()))}
}

// SendMail implements motcua.MailSender.
func (c *Client) SendMail(ctx context.Context, m motcua.Mail) error {
	to, err := netmail.ParseAddress(m.To)
	if err != nil || strings.ContainsAny(m.To, "\r\n") {
		return permanent(fmt.Errorf("recipient address is not valid"))
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return permanent(errors.New("subject spans lines"))
	}
	msg := c.compose(to, m)
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", c.cfg.Addr)
	if err != nil {
		return &motcua.SendError{Err: fmt.Errorf("smtp connect: %w", err)}
	}
	defer conn.Close()
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	// Closing the connection when ctx ends unblocks a stalled exchange.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	sc, err := smtp.NewClient(conn, c.host)
	if err != nil {
		return classify("greeting", to.Address, err)
	}
	defer sc.Close()
	if err := sc.Hello("localhost"); err != nil {
		return classify("hello", to.Address, err)
	}
	if ok, _ := sc.Extension("STARTTLS"); ok {
		if err := sc.StartTLS(&tls.Config{ServerName: c.host, RootCAs: c.cfg.RootCAs, MinVersion: tls.VersionTLS12}); err != nil {
			return classify("starttls", to.Address, err)
		}
	} else if c.cfg.RequireTLS {
		return &motcua.SendError{Err: errors.New("smtp server does not offer STARTTLS")}
	}
	if c.cfg.Username != "" {
		if ok, _ := sc.Extension("AUTH"); !ok {
			return &motcua.SendError{Err: errors.New("smtp server does not offer AUTH")}
		}
		if err := sc.Auth(smtp.PlainAuth("", c.cfg.Username, c.cfg.Password, c.host)); err != nil {
			return classify("auth", to.Address, err)
		}
	}
	if err := sc.Mail(c.from.Address); err != nil {
		return classify("mail from", to.Address, err)
	}
	if err := sc.Rcpt(to.Address); err != nil {
		return classify("rcpt to", to.Address, err)
	}
	w, err := sc.Data()
	if err != nil {
		return classify("data", to.Address, err)
	}
	if _, err := w.Write(msg); err != nil {
		return classify("data", to.Address, err)
	}
	if err := w.Close(); err != nil {
		return classify("data end", to.Address, err)
	}
	_ = sc.Quit() // the message is accepted; a failed QUIT changes nothing
	return nil
}

// compose writes the message: UTF-8 plain text in base64 (Vietnamese is
// mostly non-ASCII), headers encoded per RFC 2047, and a Message-ID made
// from m.ID so that a retry carries the same one.
func (c *Client) compose(to *netmail.Address, m motcua.Mail) []byte {
	var b bytes.Buffer
	domain := c.from.Address[strings.LastIndexByte(c.from.Address, '@')+1:]
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", c.from.String())
	hdr("To", to.String())
	hdr("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	hdr("Date", time.Now().Format(time.RFC1123Z))
	if m.ID != "" {
		hdr("Message-ID", "<"+safeID(m.ID)+"@"+domain+">")
	}
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", `text/plain; charset="utf-8"`)
	hdr("Content-Transfer-Encoding", "base64")
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// safeID keeps the characters a Message-ID's local part may hold.
func safeID(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r == '-' || r == '.' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) {
			return r
		}
		return -1
	}, s)
}
