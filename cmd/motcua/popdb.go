package main

import (
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/popdb"
)

// checkPopDB validates the population database's settings; the secret and
// the integration code are needed once the address is set.
func (c *Config) checkPopDB() []error {
	if c.PopDBURL == "" {
		return nil
	}
	var errs []error
	if u, err := url.Parse(c.PopDBURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--popdb-url must be http(s)://host/path, not %q", c.PopDBURL))
	}
	if len(c.PopDBSecret) < 16 {
		errs = append(errs, fmt.Errorf("--popdb-secret of at least 16 characters is needed with --popdb-url (or %s_FILE)", envName("popdb-secret")))
	}
	if c.PopDBIntegration == "" {
		errs = append(errs, errors.New("--popdb-integration is needed with --popdb-url"))
	}
	if c.PopDBTimeout < 100*time.Millisecond || c.PopDBTimeout > 30*time.Second {
		errs = append(errs, errors.New("--popdb-timeout must be between 100ms and 30s"))
	}
	return errs
}

// populationRegister is the adapter of the population database; nil when
// it is not configured.
func (c *Config) populationRegister() motcua.PopulationRegister {
	if c.PopDBURL == "" {
		return nil
	}
	return popdb.NewClient(popdb.Config{BaseURL: c.PopDBURL, Integration: c.PopDBIntegration, Secret: []byte(c.PopDBSecret),
		Timeout: c.PopDBTimeout})
}
