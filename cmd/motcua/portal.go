package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/web/api"
)

// portalOn reports whether the national portal is configured.
func (c *Config) portalOn() bool { return c.DVCQGURL != "" }

// checkPortal validates the national portal's settings and fills the
// file base; all are needed once the address is set.
func (c *Config) checkPortal() []error {
	if !c.portalOn() {
		return nil
	}
	var errs []error
	if u, err := url.Parse(c.DVCQGURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--dvcqg-url must be http(s)://host/path, not %q", c.DVCQGURL))
	}
	for _, s := range []struct{ v, name string }{{c.DVCQGUser, "dvcqg-user"}, {c.DVCQGPassword, "dvcqg-password"},
		{c.DVCQGSecret, "dvcqg-inbound-secret"}, {c.DVCQGAccount, "dvcqg-account"}} {
		if s.v == "" {
			errs = append(errs, fmt.Errorf("--%s is needed with --dvcqg-url (or %s, %s_FILE)", s.name, envName(s.name), envName(s.name)))
		}
	}
	if len(c.DVCQGSecret) > 0 && len(c.DVCQGSecret) < 16 {
		errs = append(errs, errors.New("--dvcqg-inbound-secret must be at least 16 characters"))
	}
	if c.DVCQGFileBase == "" {
		c.DVCQGFileBase = strings.TrimRight(c.DVCQGURL, "/") + "/files/"
	}
	if c.DVCQGTimeout < time.Second {
		errs = append(errs, errors.New("--dvcqg-timeout must be at least 1s"))
	}
	return errs
}

// portalClient is the outbound adapter of the national portal; nil when it
// is not configured.
func (c *Config) portalClient() *dvcqg.Client {
	if !c.portalOn() {
		return nil
	}
	return dvcqg.NewClient(dvcqg.Config{BaseURL: c.DVCQGURL, Username: c.DVCQGUser, Password: c.DVCQGPassword,
		DstCode: c.DVCQGDstCode, AgencyCode: c.DVCQGAgency, Timeout: c.DVCQGTimeout})
}

// portalAPI is the inbound side for the API: the reader of the portal's
// signed messages and the account they act as.
func (c *Config) portalAPI(now func() time.Time) api.Portal {
	if !c.portalOn() {
		return api.Portal{}
	}
	return api.Portal{Account: c.DVCQGAccount, Inbound: &dvcqg.Inbound{Secret: []byte(c.DVCQGSecret), FileBase: c.DVCQGFileBase, Clock: now},
		Status: dvcqg.HTTPStatus}
}

// outboxDeliverer routes the outbox: status messages to the national
// portal, every other notice to the webhook endpoint; nil when neither is
// configured (the notices then wait in the outbox).
func outboxDeliverer(portal motcua.Deliverer, webhook motcua.Deliverer) motcua.Deliverer {
	if portal == nil && webhook == nil {
		return nil
	}
	r := motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{}, Default: webhook}
	if portal != nil {
		r.Topics[motcua.TopicPortalSync] = portal
	}
	return r
}
