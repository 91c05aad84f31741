package mail_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/mail"
	"github.com/motcua/motcua/mail/mailtest"
)

// TestSendThroughRealServer sends a Vietnamese message through aiosmtpd,
// with STARTTLS on and off, and reads it back from the server's maildir
// whole: sender, recipient, subject and body in UTF-8, the Message-ID
// made from the message's id.
func TestSendThroughRealServer(t *testing.T) {
	for _, tls := range []bool{false, true} {
		name := "plain"
		if tls {
			name = "starttls"
		}
		t.Run(name, func(t *testing.T) {
			srv := mailtest.Start(t, tls)
			c, err := mail.New(mail.Config{Addr: srv.Addr, From: "Một cửa tỉnh <motcua@tinh.gov.vn>", RootCAs: srv.RootCAs, RequireTLS: tls})
			if err != nil {
				t.Fatal(err)
			}
			body := "Kính gửi ông Nguyễn Văn An,\n\nHồ sơ H99.101-250310-0001 đã được tiếp nhận.\n" + strings.Repeat("Dòng dài có dấu tiếng Việt. ", 10) + "\n"
			if err := c.SendMail(context.Background(), motcua.Mail{ID: "notice-42", To: "an.nguyen@example.vn",
				Subject: "Hồ sơ H99.101-250310-0001 đã được tiếp nhận", Body: body}); err != nil {
				t.Fatal(err)
			}
			ms := srv.Wait(t, 1, 5*time.Second)
			if len(ms) != 1 {
				t.Fatalf("%d messages at the server, want 1", len(ms))
			}
			m := ms[0]
			if m.Subject != "Hồ sơ H99.101-250310-0001 đã được tiếp nhận" || m.Body != body {
				t.Fatalf("got subject %q body %q", m.Subject, m.Body)
			}
			if !strings.Contains(m.To, "an.nguyen@example.vn") || !strings.Contains(m.From, "motcua@tinh.gov.vn") {
				t.Fatalf("from %q to %q", m.From, m.To)
			}
			if m.MessageID != "<notice-42@tinh.gov.vn>" {
				t.Fatalf("Message-ID %q", m.MessageID)
			}
		})
	}
}

// TestTLSRequiredButNotOffered refuses to send in clear when told to
// require TLS, as a failure worth retrying (the server may be fixed).
func TestTLSRequiredButNotOffered(t *testing.T) {
	srv := mailtest.Start(t, false)
	c, err := mail.New(mail.Config{Addr: srv.Addr, From: "motcua@tinh.gov.vn", RequireTLS: true})
	if err != nil {
		t.Fatal(err)
	}
	err = c.SendMail(context.Background(), motcua.Mail{To: "a@example.vn", Subject: "x", Body: "y"})
	if err == nil || motcua.PermanentFailure(err) {
		t.Fatalf("err = %v, want a temporary failure", err)
	}
	if n := len(srv.Messages(t)); n != 0 {
		t.Fatalf("%d messages sent in clear", n)
	}
}

// TestBadRecipientPermanent gives up at once on an address that cannot be
// one, and on a header injection, without connecting.
func TestBadRecipientPermanent(t *testing.T) {
	c, err := mail.New(mail.Config{Addr: "127.0.0.1:1", From: "motcua@tinh.gov.vn"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []motcua.Mail{
		{To: "not an address", Subject: "x", Body: "y"},
		{To: "a@example.vn\r\nBcc: b@example.vn", Subject: "x", Body: "y"},
		{To: "a@example.vn", Subject: "x\r\nBcc: b@example.vn", Body: "y"},
	} {
		if err := c.SendMail(context.Background(), m); !motcua.PermanentFailure(err) {
			t.Errorf("%q: err = %v, want permanent", m.To, err)
		}
	}
	// An unreachable server is worth retrying.
	err = c.SendMail(context.Background(), motcua.Mail{To: "a@example.vn", Subject: "x", Body: "y"})
	var se *motcua.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("unreachable server: %v", err)
	}
}

// TestNewChecksConfig refuses an address without a port and a bad sender.
func TestNewChecksConfig(t *testing.T) {
	if _, err := mail.New(mail.Config{Addr: "smtp.example.vn", From: "a@b.vn"}); err == nil {
		t.Error("address without port accepted")
	}
	if _, err := mail.New(mail.Config{Addr: "smtp.example.vn:587", From: "nobody"}); err == nil {
		t.Error("bad sender accepted")
	}
}

// TestRefusedRecipientMasked: a server that refuses the recipient for
// good (550, echoing the address, as Postfix does) makes a permanent
// failure whose text does not hold the address in clear.
func TestRefusedRecipientMasked(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		r := bufio.NewReader(c)
		fmt.Fprint(c, "220 test ESMTP\r\n")
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			switch cmd := strings.ToUpper(strings.Fields(line)[0]); cmd {
			case "EHLO", "HELO":
				fmt.Fprint(c, "250 test\r\n")
			case "MAIL":
				fmt.Fprint(c, "250 2.1.0 Ok\r\n")
			case "RCPT":
				fmt.Fprint(c, "550 5.1.1 <mai.anh@example.vn>: Recipient address rejected: User unknown\r\n")
			case "QUIT":
				fmt.Fprint(c, "221 Bye\r\n")
				return
			default:
				fmt.Fprint(c, "502 no\r\n")
			}
		}
	}()
	c, err := mail.New(mail.Config{Addr: ln.Addr().String(), From: "motcua@tinh.gov.vn"})
	if err != nil {
		t.Fatal(err)
	}
	err = c.SendMail(context.Background(), motcua.Mail{To: "mai.anh@example.vn", Subject: "x", Body: "y"})
	if !motcua.PermanentFailure(err) {
		t.Fatalf("refused recipient: %v, want permanent", err)
	}
	if strings.Contains(err.Error(), "mai.anh@example.vn") || !strings.Contains(err.Error(), "m******@example.vn") {
		t.Fatalf("error text %q", err)
	}
}
