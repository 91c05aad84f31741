package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	smssim "github.com/motcua/motcua/sms/sim"
)

// startSMS starts the SMS gateway's simulator on a loopback port and
// points cfg at it, unless cfg names a real gateway; its API key is kept in
// the data folder. It also says whether e-mail notices are on: the demo
// has no mail server of its own.
func (ds *demoSims) startSMS(cfg *Config, stdout io.Writer) error {
	if cfg.SMTPAddr == "" {
		fmt.Fprintln(stdout, "E-mail notices: off (no --smtp-addr given); SMS notices go to the SMS gateway's simulator.")
	} else {
		fmt.Fprintf(stdout, "E-mail notices: through %s\n", cfg.SMTPAddr)
	}
	if cfg.SMSURL != "" {
		fmt.Fprintf(stdout, "SMS gateway: %s (configured; no simulator)\n", cfg.SMSURL)
		return nil
	}
	keyFile := filepath.Join(cfg.DataDir, "demo-sms-key")
	key, err := os.ReadFile(keyFile)
	if errors.Is(err, os.ErrNotExist) {
		key = []byte(randomHex(24))
		if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
			return err
		}
		err = os.WriteFile(keyFile, key, 0o600)
	}
	if err != nil {
		return fmt.Errorf("simulator of the SMS gateway: %w", err)
	}
	s, err := smssim.New(smssim.Config{APIKey: strings.TrimSpace(string(key)), StateFile: filepath.Join(cfg.DataDir, "sms-sim.json")})
	if err != nil {
		return fmt.Errorf("simulator of the SMS gateway: %w (delete %s to start it afresh)", err, filepath.Join(cfg.DataDir, "sms-sim.json"))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("simulator of the SMS gateway: %w", err)
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ds.sms, ds.smsURL, ds.servers = s, "http://"+ln.Addr().String(), append(ds.servers, hs)
	cfg.SMSURL, cfg.SMSKey = ds.smsURL, strings.TrimSpace(string(key))
	return nil
}

// sendNotices says where the citizens' SMS notices can be read. The
// online dossiers the portal's simulator forwarded carry phone numbers, so
// their reception and the rest are notices already; when the simulator
// holds none (the portal is a real one), a dossier is received at the An
// Phú counter for a citizen who chose SMS, as an officer would, and its
// notice goes through the outbox to the simulator.
func (ds *demoSims) sendNotices(ctx context.Context, a *app, stdout io.Writer) {
	if ds.sms == nil {
		return
	}
	if _, err := a.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: a.svc.NoticeDeliverers()}); err == nil && len(ds.sms.Messages()) > 0 {
		fmt.Fprintf(stdout, "%d SMS notices to citizens are listed by the SMS gateway's simulator (%s).\n", len(ds.sms.Messages()), ds.smsURL)
		return
	}
	fail := func(err error) { fmt.Fprintf(stdout, "The demo's SMS notice could not be sent: %v\n", err) }
	var officer *motcua.User
	if err := a.db.Read(ctx, func(tx motcua.Tx) (err error) { officer, err = tx.UserByUsername(ctx, "motcua.anphu"); return err }); err != nil {
		fail(err)
		return
	}
	p, err := a.svc.ProcedureByCode(ctx, "1.004837") // đăng ký giám hộ
	if err != nil {
		fail(err)
		return
	}
	_, points, err := a.svc.Agency(ctx, "H99.101")
	if err != nil {
		fail(err)
		return
	}
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{Kind: motcua.ApplicantCitizen, IDKind: motcua.IDPersonal, FullName: "Phan Thị Hồng Nhung",
			IDNumber: "001194007788", Phone: "0987654321", Notify: motcua.NotifySMS}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	in, err := a.svc.ReceiveDossier(motcua.NewContextWithUser(ctx, officer), "", n)
	if err != nil {
		fail(err)
		return
	}
	fmt.Fprintf(stdout, "Dossier %s received for a citizen who chose SMS notices: the SMS gateway's simulator (%s) lists the notice.\n",
		in.Dossier.Code, ds.smsURL)
}
