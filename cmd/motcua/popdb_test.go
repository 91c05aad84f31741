package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestPopDBSettings: the register's address needs an integration code and
// a secret of at least 16 characters, which may come from a file
// (MOTCUA_POPDB_SECRET_FILE); without an address the lookup is off.
func TestPopDBSettings(t *testing.T) {
	load := func(args []string, vars map[string]string) (Config, error) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		return loadConfig(fs, args, env(vars))
	}
	for name, args := range map[string][]string{
		"no secret":      {"--popdb-url", "http://127.0.0.1:9/", "--popdb-integration", "X"},
		"short secret":   {"--popdb-url", "http://127.0.0.1:9/", "--popdb-integration", "X", "--popdb-secret", "short"},
		"no integration": {"--popdb-url", "http://127.0.0.1:9/", "--popdb-secret", "0123456789abcdef"},
		"bad url":        {"--popdb-url", "dancu.local", "--popdb-integration", "X", "--popdb-secret", "0123456789abcdef"},
		"bad timeout":    {"--popdb-url", "http://127.0.0.1:9/", "--popdb-integration", "X", "--popdb-secret", "0123456789abcdef", "--popdb-timeout", "1ms"},
	} {
		if _, err := load(args, nil); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	cfg, err := load(nil, nil)
	if err != nil || cfg.populationRegister() != nil {
		t.Errorf("off by default: %v", err)
	}
	f := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(f, []byte("a-secret-from-a-file\n"), 0o600)
	cfg, err = load([]string{"--popdb-url", "http://127.0.0.1:9/", "--popdb-integration", "MOTCUA-H99"}, map[string]string{"MOTCUA_POPDB_SECRET_FILE": f})
	if err != nil || cfg.PopDBSecret != "a-secret-from-a-file" || cfg.populationRegister() == nil {
		t.Errorf("secret from a file: %v %q", err, cfg.PopDBSecret)
	}
}
