package main

import (
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/mail"
	"github.com/motcua/motcua/sms"
)

// checkNotices checks the e-mail, SMS and warning settings.
func (c *Config) checkNotices() []error {
	var errs []error
	if c.SMTPAddr != "" {
		if _, err := mail.New(mail.Config{Addr: c.SMTPAddr, From: c.SMTPFrom}); err != nil {
			errs = append(errs, fmt.Errorf("--smtp-addr/--smtp-from: %w", err))
		}
	}
	if c.SMSURL != "" {
		if _, err := sms.New(sms.Config{URL: c.SMSURL, APIKey: c.SMSKey}); err != nil {
			errs = append(errs, fmt.Errorf("--sms-url/--sms-key: %w", err))
		}
	}
	for name, d := range map[string]time.Duration{"--warn-lead": c.WarnLead, "--warn-short-lead": c.WarnShortLead,
		"--escalate-head-after": c.EscalateHead, "--escalate-leader-after": c.EscalateLeader} {
		if d < 0 || d > 30*24*time.Hour {
			errs = append(errs, fmt.Errorf("%s must be between 0 and 720h", name))
		}
	}
	if c.EscalateLeader != 0 && c.EscalateLeader < c.EscalateHead {
		errs = append(errs, errors.New("--escalate-leader-after must not be shorter than --escalate-head-after"))
	}
	return errs
}

// noticeSenders returns the configured SMS gateway and mail server (nil
// when off); the settings were validated.
func (c *Config) noticeSenders() (motcua.SMSSender, motcua.MailSender) {
	var s motcua.SMSSender
	var m motcua.MailSender
	if c.SMSURL != "" {
		if cl, err := sms.New(sms.Config{URL: c.SMSURL, APIKey: c.SMSKey, Sender: c.SMSSender}); err == nil {
			s = cl
		}
	}
	if c.SMTPAddr != "" {
		if cl, err := mail.New(mail.Config{Addr: c.SMTPAddr, From: c.SMTPFrom, Username: c.SMTPUser, Password: c.SMTPPassword,
			RequireTLS: c.SMTPRequireTLS}); err == nil {
			m = cl
		}
	}
	return s, m
}

// warnTimes are the warning delays of the configuration.
func (c *Config) warnTimes() motcua.WarnTimes {
	return motcua.WarnTimes{Lead: c.WarnLead, ShortLead: c.WarnShortLead, HeadAfter: c.EscalateHead, LeaderAfter: c.EscalateLeader}
}

// withNotices adds the notice topics' deliverers to d (nil: none yet).
func withNotices(d motcua.Deliverer, notices map[string]motcua.Deliverer) motcua.Deliverer {
	if len(notices) == 0 {
		return d
	}
	if d == nil {
		return motcua.DeliverByTopic{Topics: notices}
	}
	if r, ok := d.(motcua.DeliverByTopic); ok {
		topics := maps.Clone(r.Topics)
		if topics == nil {
			topics = map[string]motcua.Deliverer{}
		}
		maps.Copy(topics, notices)
		r.Topics = topics
		return r
	}
	return motcua.DeliverByTopic{Topics: notices, Default: d}
}
