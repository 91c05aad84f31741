package service_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// fakeSMS records what it is given; refuse makes every send a permanent
// failure.
type fakeSMS struct {
	mu     sync.Mutex
	sent   []motcua.SMS
	refuse bool
}

func (f *fakeSMS) SendSMS(_ context.Context, m motcua.SMS) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.refuse {
		return &motcua.SendError{Err: errors.New("invalid_number"), Permanent: true}
	}
	f.sent = append(f.sent, m)
	return nil
}

type fakeMail struct {
	mu   sync.Mutex
	sent []motcua.Mail
}

func (f *fakeMail) SendMail(_ context.Context, m motcua.Mail) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, m)
	return nil
}

// TestNoticesFollowTheDossier receives a dossier for a citizen who chose
// SMS and e-mail, transfers it (no notice) and extends it: the citizen is
// told of the reception and of the extension with the apology, the old
// and new appointments and the reason, on both channels; the outbox holds
// no contact in clear. A gateway that refuses the number gives the notice
// up at once; the administrator sees it in the failed view and sends it
// again.
func TestNoticesFollowTheDossier(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		sms, mail := &fakeSMS{}, &fakeMail{}
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) {
			c.SMS, c.Mail, c.BaseURL = sms, mail, "https://motcua.example.vn"
		})
		deliver := func() {
			t.Helper()
			d := motcua.DeliverByTopic{Topics: f.svc.NoticeDeliverers()}
			if _, err := f.svc.DeliverOutbox(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		n := f.newDossier("0912345678")
		n.Applicant.Email, n.Applicant.Notify = "oanh@example.vn", motcua.NotifyBoth
		res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n)
		if err != nil {
			t.Fatal(err)
		}
		code := res.Dossier.Code
		deliver()
		if len(sms.sent) != 1 || len(mail.sent) != 1 {
			t.Fatalf("after reception: %d SMS, %d e-mails", len(sms.sent), len(mail.sent))
		}
		if !strings.Contains(sms.sent[0].Text, code) || !strings.Contains(sms.sent[0].Text, "https://motcua.example.vn/tra-cuu?ma="+code) ||
			sms.sent[0].To != "0912345678" {
			t.Fatalf("reception SMS: %+v", sms.sent[0])
		}
		if mail.sent[0].To != "oanh@example.vn" || !strings.Contains(mail.sent[0].Subject, code) {
			t.Fatalf("reception e-mail: %+v", mail.sent[0])
		}
		// The outbox holds ids, not contacts.
		var pending []*motcua.OutboxMessage
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			pending, err = tx.PendingOutbox(ctx, motcua.TopicNoticeSMS, 10)
			return err
		})
		if _, err := f.svc.Act(f.as("motcua.anphu"), code, service.ActInput{Action: motcua.ActTransfer}); err != nil {
			t.Fatal(err)
		}
		old := res.Dossier.Status.DueAt
		newDue := f.svc.Calendar().AddWorking(old, 2*f.svc.Calendar().WorkingDayLength())
		f.set(vn(2025, 3, 11, 9, 0))
		if _, err := f.svc.Act(f.as("ct.anphu"), code, service.ActInput{Action: motcua.ActExtend, NewDueAt: newDue,
			Reason: "Cần xác minh thêm tại nơi cư trú"}); err != nil {
			t.Fatal(err)
		}
		var all []*motcua.OutboxMessage
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			all, err = tx.PendingOutbox(ctx, motcua.TopicNoticeEmail, 10)
			return err
		})
		for _, m := range append(pending, all...) {
			if strings.Contains(string(m.Payload), "0912345678") || strings.Contains(string(m.Payload), "oanh@") {
				t.Fatalf("a contact in the outbox: %s", m.Payload)
			}
		}
		deliver()
		if len(sms.sent) != 2 || len(mail.sent) != 2 {
			t.Fatalf("after the transfer and the extension: %d SMS, %d e-mails, want 2 and 2", len(sms.sent), len(mail.sent))
		}
		body := mail.sent[1].Body
		for _, want := range []string{"xin lỗi", motcua.FormatDate(old), motcua.FormatDate(newDue), "Cần xác minh thêm tại nơi cư trú", code} {
			if !strings.Contains(body, want) {
				t.Errorf("the apology lacks %q:\n%s", want, body)
			}
		}
		if !strings.Contains(sms.sent[1].Text, "Xin lỗi") || !strings.Contains(sms.sent[1].Text, motcua.FormatDate(newDue)) {
			t.Errorf("extension SMS: %q", sms.sent[1].Text)
		}

		// A number the gateway refuses for good: given up at once, listed,
		// sent again by the administrator.
		sms.refuse = true
		n2 := f.newDossier("0987654321")
		n2.Applicant.IDNumber, n2.Applicant.Notify = "001093054321", motcua.NotifySMS
		res2, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n2)
		if err != nil {
			t.Fatal(err)
		}
		deliver()
		failed, err := f.svc.FailedNotices(f.as("admin"))
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) != 1 || failed[0].Code != res2.Dossier.Code || failed[0].Message.Attempts != 1 || failed[0].Channel != motcua.ChannelSMS {
			t.Fatalf("failed notices: %+v", failed)
		}
		if _, err := f.svc.FailedNotices(f.as("motcua.anphu")); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Fatalf("an officer sees failed notices: %v", err)
		}
		sms.refuse = false
		if err := f.svc.ReplayNotice(f.as("admin"), failed[0].Message.ID); err != nil {
			t.Fatal(err)
		}
		deliver()
		if len(sms.sent) != 3 || !strings.Contains(sms.sent[2].Text, res2.Dossier.Code) {
			t.Fatalf("after the replay: %d SMS", len(sms.sent))
		}
		if failed, _ := f.svc.FailedNotices(f.as("admin")); len(failed) != 0 {
			t.Fatalf("still failed: %+v", failed)
		}
	})
}

// TestNoticeChoiceChecked: a channel needs its contact; an online dossier
// without a choice is told through what it carries; a counter one
// without a choice is not told.
func TestNoticeChoiceChecked(t *testing.T) {
	for _, c := range []struct {
		a    motcua.Applicant
		want string
	}{
		{motcua.Applicant{Notify: motcua.NotifySMS}, "notify_needs_phone"},
		{motcua.Applicant{Notify: motcua.NotifyBoth, Phone: "0912345678"}, "notify_needs_email"},
		{motcua.Applicant{Notify: "fax"}, "notify_invalid"},
		{motcua.Applicant{Notify: motcua.NotifyEmail, Email: "a@b.vn"}, ""},
	} {
		if got := motcua.ErrorReason(motcua.CheckNotice(c.a)); got != c.want {
			t.Errorf("%+v: %q, want %q", c.a, got, c.want)
		}
	}
	if got := motcua.DefaultNotice(motcua.Applicant{Phone: "0912345678", Email: "a@b.vn"}); got != motcua.NotifyBoth {
		t.Errorf("default with both contacts: %q", got)
	}
	if got := motcua.DefaultNotice(motcua.Applicant{}); got != motcua.NotifyNone {
		t.Errorf("default with no contact: %q", got)
	}
	if got := motcua.MaskPhone("0912345678"); got != "*******678" {
		t.Errorf("masked phone %q", got)
	}
	if got := motcua.MaskEmail("oanh@example.vn"); got != "o***@example.vn" {
		t.Errorf("masked e-mail %q", got)
	}
}
