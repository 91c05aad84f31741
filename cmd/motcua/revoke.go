package main

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/motcua/motcua/sign"
)

// runRevoke revokes an officer's demo certificate in the demo CA's folder.
func runRevoke(cfg Config, user string, stdout io.Writer) error {
	if user == "" {
		return fmt.Errorf("revoke: --user is required")
	}
	keys := cfg.Keys
	if keys == "" {
		keys = filepath.Join(cfg.DataDir, "keys")
	}
	if err := sign.RevokeDemo(keys, user, time.Now()); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	fmt.Fprintf(stdout, "Revoked the certificate of %s: %s now lists it; signing as %s is refused from now on.\n",
		user, filepath.Join(keys, "crl.pem"), user)
	return nil
}
