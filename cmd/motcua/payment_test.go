package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestPaymentConfig: without an endpoint online payment is off; with one,
// the partner and a readable, non-empty secret file are required, the
// secret comes from the file (or MOTCUA_PAYMENT_SECRET_FILE), and the
// callback and return addresses follow the base URL.
func TestPaymentConfig(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	os.WriteFile(secret, []byte("khóa-bí-mật\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	load := func(args []string, vars map[string]string) (Config, error) {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		return loadConfig(fs, args, env(vars))
	}
	cfg, err := load(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if pc, err := cfg.paymentConfig(); pc != nil || err != nil {
		t.Errorf("off by default: %+v %v", pc, err)
	}
	bad := map[string][]string{
		"no partner":   {"--payment-url", "http://pay.local/api", "--payment-secret-file", secret},
		"no secret":    {"--payment-url", "http://pay.local/api", "--payment-partner", "P"},
		"empty secret": {"--payment-url", "http://pay.local/api", "--payment-partner", "P", "--payment-secret-file", empty},
		"missing file": {"--payment-url", "http://pay.local/api", "--payment-partner", "P", "--payment-secret-file", dir + "/none"},
		"not http":     {"--payment-url", "pay.local", "--payment-partner", "P", "--payment-secret-file", secret},
		"payee":        {"--payment-url", "http://pay.local/api", "--payment-partner", "P", "--payment-secret-file", secret, "--payment-payee", "1,2"},
		"query after":  {"--payment-url", "http://pay.local/api", "--payment-partner", "P", "--payment-secret-file", secret, "--payment-query-after", "1s"},
	}
	for name, args := range bad {
		if _, err := load(args, nil); err == nil {
			t.Errorf("%s: %v accepted", name, args)
		}
	}
	cfg, err = load([]string{"--payment-url", "http://pay.local/api", "--payment-partner", "P", "--base-url", "https://dvc.example.vn/",
		"--payment-payee", "3711, 970405, 1001, 7111"}, map[string]string{"MOTCUA_PAYMENT_SECRET_FILE": secret})
	if err != nil {
		t.Fatal(err)
	}
	pc, err := cfg.paymentConfig()
	if err != nil || pc.Secret != "khóa-bí-mật" || pc.Partner != "P" || pc.Payee.Bank != "970405" || pc.Payee.BudgetAccount != "7111" {
		t.Errorf("payment config: %+v %v", pc, err)
	}
	if cfg.PaymentCallbackURL() != "https://dvc.example.vn/api/v1/payments/callback" || cfg.PaymentReturnURL() != "https://dvc.example.vn/thanh-toan/ket-qua" {
		t.Errorf("addresses: %s %s", cfg.PaymentCallbackURL(), cfg.PaymentReturnURL())
	}
}
