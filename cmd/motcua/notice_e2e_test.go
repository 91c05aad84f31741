package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/mail/mailtest"
	"github.com/motcua/motcua/service"
	smssim "github.com/motcua/motcua/sms/sim"
	"github.com/motcua/motcua/sqlstore"
)

// TestReceptionNoticesReachCitizen receives a dossier over the API for a
// citizen who chose both channels: the reception's notice is queued with
// the dossier, and the outbox job of the running binary delivers it as an
// e-mail that a real SMTP server (aiosmtpd) accepts and an SMS that the
// gateway's simulator holds, both naming the dossier and its lookup link.
// A citizen who chose nothing gets nothing; a choice without its contact
// is refused.
func TestReceptionNoticesReachCitizen(t *testing.T) {
	prev := slog.Default()
	setupLogging("error", io.Discard)
	t.Cleanup(func() { slog.SetDefault(prev) })
	smtp := mailtest.Start(t, false)
	gw, err := smssim.New(smssim.Config{APIKey: "sms-key-e2e"})
	if err != nil {
		t.Fatal(err)
	}
	gwSrv := httptest.NewServer(gw)
	t.Cleanup(gwSrv.Close)

	dir := t.TempDir()
	store, err := sqlstore.Open(filepath.Join(dir, "motcua.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	seedDemo(t, store)
	store.Close()
	in := startInstance(t, []string{"--data", dir, "--log-level", "error", "--base-url", "https://motcua.h99.gov.vn",
		"--smtp-addr", smtp.Addr, "--smtp-from", "Một cửa tỉnh <motcua@h99.gov.vn>", "--sms-url", gwSrv.URL, "--sms-key", "sms-key-e2e"})
	w := &portalWorld{t: t, in: in, client: &http.Client{Timeout: 30 * time.Second}, tokens: map[string]string{}}

	ctx := context.Background()
	p, err := in.app.svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		t.Fatal(err)
	}
	_, points, err := in.app.svc.Agency(ctx, "H99.101")
	if err != nil {
		t.Fatal(err)
	}
	newDossier := func(a motcua.Applicant) service.NewDossier {
		n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter, Applicant: a}
		for _, c := range p.Components {
			if !c.FromNationalDB {
				n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
			}
		}
		return n
	}
	// A choice without its contact is refused, naming the field.
	var refusal struct {
		Fields map[string]string `json:"fields"`
	}
	if st := w.call("motcua.anphu", "POST", "/dossiers", newDossier(motcua.Applicant{FullName: "Ngô Thị Lan", IDNumber: "001190001122",
		Phone: "0912000111", Notify: motcua.NotifyEmail}), &refusal); st != http.StatusBadRequest && st != http.StatusUnprocessableEntity {
		t.Fatalf("e-mail notices without an address: HTTP %d", st)
	}
	if refusal.Fields["applicant.notify"] == "" {
		t.Fatalf("the refusal names no field: %+v", refusal)
	}
	// Nothing chosen: nothing sent.
	var quiet struct{ Code string }
	if st := w.call("motcua.anphu", "POST", "/dossiers", newDossier(motcua.Applicant{FullName: "Đỗ Văn Quân", IDNumber: "001085003344",
		Phone: "0913000222", Email: "quan@example.vn", Notify: motcua.NotifyNone}), &quiet); st != http.StatusCreated {
		t.Fatalf("reception without notices: HTTP %d", st)
	}
	var got struct {
		Code      string `json:"code"`
		Applicant struct {
			Notify string `json:"notify"`
		} `json:"applicant"`
	}
	if st := w.call("motcua.anphu", "POST", "/dossiers", newDossier(motcua.Applicant{FullName: "Nguyễn Thị Mai Anh", IDNumber: "001192005566",
		Phone: "0987123456", Email: "maianh@example.vn", Notify: motcua.NotifyBoth}), &got); st != http.StatusCreated {
		t.Fatalf("reception: HTTP %d", st)
	}
	if got.Code == "" || got.Applicant.Notify != "both" {
		t.Fatalf("reception answered %+v", got)
	}

	mails := smtp.Wait(t, 1, 15*time.Second)
	deadline := time.Now().Add(15 * time.Second)
	for len(gw.Messages()) < 1 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	texts := gw.Messages()
	if len(mails) != 1 || len(texts) != 1 {
		t.Fatalf("%d e-mails and %d SMS, want 1 and 1 (the quiet dossier %s must have none)", len(mails), len(texts), quiet.Code)
	}
	link := "https://motcua.h99.gov.vn/tra-cuu?ma=" + got.Code
	m := mails[0]
	if !strings.Contains(m.To, "maianh@example.vn") || !strings.Contains(m.Subject, got.Code) || !strings.Contains(m.Body, link) ||
		!strings.Contains(m.Body, "Nguyễn Thị Mai Anh") || !strings.Contains(m.Body, p.Name) {
		t.Fatalf("e-mail: to %q subject %q body %q", m.To, m.Subject, m.Body)
	}
	s := texts[0]
	if s.To != "0987123456" || !strings.Contains(s.Text, got.Code) || !strings.Contains(s.Text, link) || !strings.Contains(s.Text, "đã được tiếp nhận") {
		t.Fatalf("SMS: %+v", s)
	}
	// The appointment in both is the dossier's, written dd/mm/yyyy.
	var d struct {
		Status struct {
			DueAt time.Time `json:"due_at"`
		} `json:"status"`
	}
	if st := w.call("motcua.anphu", "GET", "/dossiers/"+got.Code, nil, &d); st != http.StatusOK {
		t.Fatalf("read dossier: %d", st)
	}
	due := motcua.FormatDate(d.Status.DueAt)
	if due == "" || !strings.Contains(s.Text, due) || !strings.Contains(m.Body, due) {
		t.Fatalf("appointment %q not in the notices", due)
	}
}
