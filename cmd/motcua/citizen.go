package main

import (
	"errors"
	"fmt"
	"net/url"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/kho"
	"github.com/motcua/motcua/sso"
)

// checkCitizen validates the settings of the national sign-on and the
// national store: each needs its credentials once its address is set.
func (c *Config) checkCitizen() []error {
	var errs []error
	okURL := func(s string) bool {
		u, err := url.Parse(s)
		return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	}
	if c.SSOIssuer != "" {
		if !okURL(c.SSOIssuer) {
			errs = append(errs, fmt.Errorf("--sso-issuer must be http(s)://host/path, not %q", c.SSOIssuer))
		}
		if c.SSOClientID == "" || len(c.SSOClientSecret) < 8 {
			errs = append(errs, fmt.Errorf("--sso-client-id and --sso-client-secret (or %s_FILE) are needed with --sso-issuer", envName("sso-client-secret")))
		}
		if c.SSOACR != "" && c.SSOACR != "LoA1" && c.SSOACR != "LoA2" {
			errs = append(errs, errors.New("--sso-acr must be LoA1 or LoA2"))
		}
	}
	if c.KhoURL != "" {
		if !okURL(c.KhoURL) {
			errs = append(errs, fmt.Errorf("--kho-url must be http(s)://host/path, not %q", c.KhoURL))
		}
		if len(c.KhoSecret) < 16 || c.KhoIntegration == "" {
			errs = append(errs, fmt.Errorf("--kho-integration and --kho-secret of at least 16 characters (or %s_FILE) are needed with --kho-url", envName("kho-secret")))
		}
	}
	return errs
}

// signOn is the adapter of the national sign-on; nil when not configured.
// The callback is motcua's own address under --base-url.
func (c *Config) signOn() motcua.SignOn {
	if c.SSOIssuer == "" {
		return nil
	}
	return sso.New(sso.Config{Issuer: c.SSOIssuer, ClientID: c.SSOClientID, ClientSecret: c.SSOClientSecret,
		RedirectURL: c.BaseURL + "/cong-dan/dang-nhap/ve", ACR: c.SSOACR})
}

// resultStore is the adapter of the national store; nil when not
// configured.
func (c *Config) resultStore() motcua.NationalResultStore {
	if c.KhoURL == "" {
		return nil
	}
	return kho.NewClient(kho.Config{BaseURL: c.KhoURL, Integration: c.KhoIntegration, Secret: []byte(c.KhoSecret)})
}

// withStoreDeliverer adds the national store's topic to the outbox's
// routing.
func withStoreDeliverer(d motcua.Deliverer, store motcua.DeliveryRecorder) motcua.Deliverer {
	if store == nil {
		return d
	}
	if d == nil {
		return motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicStorePush: store}}
	}
	if r, ok := d.(motcua.DeliverByTopic); ok {
		r.Topics[motcua.TopicStorePush] = store
		return r
	}
	return motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicStorePush: store}, Default: d}
}
