package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestCitizenSettings: the sign-on needs a client ID and secret, the
// national store an integration code and a secret of at least 16
// characters (from a file too); without addresses both are off.
func TestCitizenSettings(t *testing.T) {
	load := func(args []string, vars map[string]string) (Config, error) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		return loadConfig(fs, args, env(vars))
	}
	for name, args := range map[string][]string{
		"sso without client": {"--sso-issuer", "https://sso.example.vn"},
		"sso bad issuer":     {"--sso-issuer", "sso.example.vn", "--sso-client-id", "x", "--sso-client-secret", "0123456789"},
		"sso bad acr":        {"--sso-issuer", "https://sso.example.vn", "--sso-client-id", "x", "--sso-client-secret", "0123456789", "--sso-acr", "LoA3"},
		"kho without secret": {"--kho-url", "https://kho.example.vn", "--kho-integration", "X"},
		"kho short secret":   {"--kho-url", "https://kho.example.vn", "--kho-integration", "X", "--kho-secret", "short"},
		"kho no integration": {"--kho-url", "https://kho.example.vn", "--kho-secret", "0123456789abcdef"},
		"kho bad url":        {"--kho-url", "kho.local", "--kho-integration", "X", "--kho-secret", "0123456789abcdef"},
	} {
		if _, err := load(args, nil); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	cfg, err := load(nil, nil)
	if err != nil || cfg.signOn() != nil || cfg.resultStore() != nil {
		t.Errorf("off by default: %v", err)
	}
	f := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(f, []byte("a-kho-secret-from-a-file\n"), 0o600)
	cfg, err = load([]string{"--kho-url", "https://kho.example.vn", "--kho-integration", "MOTCUA-H99",
		"--sso-issuer", "https://sso.example.vn", "--sso-client-id", "motcua", "--sso-client-secret", "0123456789"},
		map[string]string{"MOTCUA_KHO_SECRET_FILE": f})
	if err != nil || cfg.KhoSecret != "a-kho-secret-from-a-file" || cfg.resultStore() == nil || cfg.signOn() == nil {
		t.Errorf("configured: %v %q", err, cfg.KhoSecret)
	}
}
