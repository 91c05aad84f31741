package service

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/motcua/motcua"
)

// noticeTopics are the outbox topics of notices to citizens and warnings
// to staff, for the failed-delivery view.
var noticeTopics = []string{motcua.TopicNoticeSMS, motcua.TopicNoticeEmail, motcua.TopicStaffEmail}

// queueNotices queues, in tx (the transaction of the change), the notices
// event ev of dossier d owes its applicant: one per channel the applicant
// chose (Applicant.Notify) that is configured. Nothing is queued for a
// channel with no sender: nothing would deliver it.
func (s *Service) queueNotices(ctx context.Context, tx motcua.Tx, d *motcua.Dossier, ev *motcua.Event, now time.Time) error {
	event, ok := motcua.NoticeEventOf(ev.Action)
	if !ok {
		return nil
	}
	choice := d.Applicant.Notify
	var channels []string
	if choice.SMS() && s.cfg.SMS != nil && d.Applicant.Phone != "" {
		channels = append(channels, motcua.ChannelSMS)
	}
	if choice.Email() && s.cfg.Mail != nil && d.Applicant.Email != "" {
		channels = append(channels, motcua.ChannelEmail)
	}
	for _, ch := range channels {
		payload, err := json.Marshal(motcua.NoticeMessage{DossierID: d.ID, Seq: ev.Seq, Event: event, Channel: ch})
		if err != nil {
			return err
		}
		topic := motcua.TopicNoticeSMS
		if ch == motcua.ChannelEmail {
			topic = motcua.TopicNoticeEmail
		}
		if err := tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: topic, Payload: payload, CreatedAt: now, NextAttemptAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// NoticeDeliverers returns the deliverers of the notice topics whose
// channel is configured (SMS, e-mail to citizens, e-mail to staff), for the
// outbox job.
func (s *Service) NoticeDeliverers() map[string]motcua.Deliverer {
	out := map[string]motcua.Deliverer{}
	if s.cfg.SMS != nil {
		out[motcua.TopicNoticeSMS] = &noticeDeliverer{s: s}
	}
	if s.cfg.Mail != nil {
		out[motcua.TopicNoticeEmail] = &noticeDeliverer{s: s}
		out[motcua.TopicStaffEmail] = &staffMailer{s: s}
	}
	return out
}

type noticeDeliverer struct{ s *Service }

// badPayload is a message no attempt can deliver.
func badPayload(what string) error {
	return &motcua.SendError{Err: motcua.Errorf(motcua.EINVALID, "bad_notice", "Thông điệp %s không hợp lệ.", what), Permanent: true}
}

// Deliver renders the notice from the dossier as it is now and the
// template in force, and sends it. The contacts are read here, never
// carried by the outbox; logs show them masked.
func (nd *noticeDeliverer) Deliver(ctx context.Context, m *motcua.OutboxMessage) error {
	s := nd.s
	var msg motcua.NoticeMessage
	if err := json.Unmarshal(m.Payload, &msg); err != nil || msg.DossierID == 0 || msg.Seq < 1 {
		return badPayload("thông báo")
	}
	var d *motcua.Dossier
	var ev *motcua.Event
	var tpl motcua.NoticeTemplate
	var agency string
	if err := s.store.Read(ctx, func(tx motcua.Tx) error {
		var err error
		if d, err = tx.Dossier(ctx, msg.DossierID); err != nil {
			return err
		}
		events, err := tx.Events(ctx, d.ID)
		if err != nil {
			return err
		}
		for i := range events {
			if events[i].Seq == msg.Seq {
				ev = &events[i]
			}
		}
		all, err := noticeTemplates(ctx, tx)
		if err != nil {
			return err
		}
		tpl = all[msg.Event][msg.Channel]
		if a, err := tx.Agency(ctx, d.CompetentAgencyID); err == nil {
			agency = a.Name
		}
		return nil
	}); err != nil {
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return &motcua.SendError{Err: err, Permanent: true}
		}
		return err
	}
	if ev == nil || tpl.Body == "" {
		return badPayload("thông báo")
	}
	subject, body, err := renderNotice(tpl, s.noticeData(d, ev, agency))
	if err != nil {
		// A template that passed its check but fails on this dossier:
		// retrying will not help; an administrator sees it.
		return &motcua.SendError{Err: err, Permanent: true}
	}
	id := "notice-" + strconv.FormatInt(m.ID, 10)
	switch msg.Channel {
	case motcua.ChannelSMS:
		if s.cfg.SMS == nil || d.Applicant.Phone == "" {
			return badPayload("SMS")
		}
		err = s.cfg.SMS.SendSMS(ctx, motcua.SMS{ID: id, To: d.Applicant.Phone, Text: body})
		slog.Info("notice sms", "dossier", d.Code, "event", msg.Event, "to", motcua.MaskPhone(d.Applicant.Phone), "ok", err == nil)
	case motcua.ChannelEmail:
		if s.cfg.Mail == nil || d.Applicant.Email == "" {
			return badPayload("thư")
		}
		err = s.cfg.Mail.SendMail(ctx, motcua.Mail{ID: id, To: d.Applicant.Email, Subject: subject, Body: body})
		slog.Info("notice email", "dossier", d.Code, "event", msg.Event, "to", motcua.MaskEmail(d.Applicant.Email), "ok", err == nil)
	default:
		return badPayload("thông báo")
	}
	return err
}

// noticeData is what the templates see of dossier d at its event ev.
func (s *Service) noticeData(d *motcua.Dossier, ev *motcua.Event, agency string) motcua.NoticeData {
	st := &d.Status
	data := motcua.NoticeData{Code: d.Code, ProcedureName: d.ProcedureName, ApplicantName: d.Applicant.FullName,
		ReceivedDate: motcua.FormatDate(st.ReceivedAt), DueDate: motcua.FormatDate(ev.DueAt), Reason: ev.Reason, Agency: agency,
		LookupURL: s.cfg.BaseURL + "/tra-cuu?ma=" + url.QueryEscape(d.Code), Refused: ev.Action == motcua.ActRefuse}
	if data.DueDate == "" {
		data.DueDate = motcua.FormatDate(st.DueAt)
	}
	if ev.Action == motcua.ActExtend {
		for _, x := range st.Extensions {
			if x.At.Equal(ev.At) {
				data.OldDueDate = motcua.FormatDate(x.OldDue)
			}
		}
	}
	if data.Agency == "" {
		data.Agency = "Cơ quan giải quyết"
	}
	return data
}

type staffMailer struct{ s *Service }

// Deliver sends a warning to a staff member's address, read now.
func (sm *staffMailer) Deliver(ctx context.Context, m *motcua.OutboxMessage) error {
	s := sm.s
	var msg motcua.StaffEmail
	if err := json.Unmarshal(m.Payload, &msg); err != nil || msg.UserID == 0 {
		return badPayload("cảnh báo")
	}
	var u *motcua.User
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		u, err = tx.User(ctx, msg.UserID)
		return err
	}); err != nil {
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return &motcua.SendError{Err: err, Permanent: true}
		}
		return err
	}
	if u.Email == "" || u.Disabled || s.cfg.Mail == nil {
		return nil // nobody to tell any more: done
	}
	err := s.cfg.Mail.SendMail(ctx, motcua.Mail{ID: "staff-" + strconv.FormatInt(m.ID, 10), To: u.Email, Subject: msg.Subject, Body: msg.Body})
	slog.Info("warning email", "user", u.ID, "to", motcua.MaskEmail(u.Email), "ok", err == nil)
	return err
}

// FailedNotice is a notice or warning given up after every attempt, as
// an administrator sees it (no personal data: the dossier's code).
type FailedNotice struct {
	Message *motcua.OutboxMessage
	Code    string
	Event   motcua.NoticeEvent
	Channel string
}

// FailedNotices lists the notices and staff e-mails given up, newest
// first, to the province's administrator. Errors: EFORBIDDEN.
func (s *Service) FailedNotices(ctx context.Context) ([]FailedNotice, error) {
	if err := s.requireNoticeAdmin(ctx); err != nil {
		return nil, err
	}
	var out []FailedNotice
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		out = nil
		ms, err := tx.FailedOutbox(ctx, 1000)
		if err != nil {
			return err
		}
		for _, m := range ms {
			if !slices.Contains(noticeTopics, m.Topic) {
				continue
			}
			f := FailedNotice{Message: m, Channel: motcua.ChannelEmail}
			var msg motcua.NoticeMessage
			if m.Topic != motcua.TopicStaffEmail && json.Unmarshal(m.Payload, &msg) == nil {
				f.Event, f.Channel = msg.Event, msg.Channel
				if d, err := tx.Dossier(ctx, msg.DossierID); err == nil {
					f.Code = d.Code
				}
			}
			out = append(out, f)
		}
		return nil
	})
	return out, err
}

// ReplayNotice makes a given-up notice due again now. Errors:
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) ReplayNotice(ctx context.Context, id int64) error {
	if err := s.requireNoticeAdmin(ctx); err != nil {
		return err
	}
	u := motcua.UserFromContext(ctx)
	now := s.now()
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.ReplayOutbox(ctx, id, now); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: "notice_replay", Detail: "outbox message " + strconv.FormatInt(id, 10)})
	})
	if err == nil {
		s.nudgeOutbox()
	}
	return err
}
