package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/payment"
)

// paymentConfig returns the payment platform's client configuration, or
// nil when no endpoint is configured (online payment off). The secret is
// read from its file here, once, and never logged.
func (c *Config) paymentConfig() (*payment.Config, error) {
	if c.PaymentURL == "" {
		return nil, nil
	}
	if c.PaymentQueryAfter < time.Minute || c.PaymentExpireAfter < c.PaymentQueryAfter {
		return nil, errors.New("--payment-query-after must be at least 1m and --payment-expire-after at least as long")
	}
	if strings.TrimSpace(c.PaymentPartner) == "" {
		return nil, errors.New("--payment-partner is required with --payment-url")
	}
	if c.PaymentSecretFile == "" {
		return nil, errors.New("--payment-secret-file (or MOTCUA_PAYMENT_SECRET_FILE) is required with --payment-url")
	}
	b, err := os.ReadFile(c.PaymentSecretFile)
	if err != nil {
		return nil, fmt.Errorf("--payment-secret-file: %w", err)
	}
	secret := strings.TrimRight(string(b), "\r\n")
	if secret == "" {
		return nil, errors.New("--payment-secret-file: the file is empty")
	}
	pc := &payment.Config{URL: c.PaymentURL, Partner: strings.TrimSpace(c.PaymentPartner), Secret: secret}
	if c.PaymentPayee != "" {
		parts := strings.Split(c.PaymentPayee, ",")
		if len(parts) != 4 {
			return nil, errors.New("--payment-payee must be account,bank,treasury,budget-account")
		}
		pc.Payee = payment.Payee{Account: strings.TrimSpace(parts[0]), Bank: strings.TrimSpace(parts[1]),
			Treasury: strings.TrimSpace(parts[2]), BudgetAccount: strings.TrimSpace(parts[3])}
	}
	if _, err := payment.New(*pc); err != nil {
		return nil, fmt.Errorf("--payment-url: %w", err)
	}
	return pc, nil
}

// PaymentCallbackURL is the address the platform must send its
// confirmations to, and PaymentReturnURL where it sends the payer back.
func (c *Config) PaymentCallbackURL() string {
	return c.PaymentCallbackBase + "/api/v1/payments/callback"
}

// PaymentReturnURL: see PaymentCallbackURL.
func (c *Config) PaymentReturnURL() string { return c.PaymentCallbackBase + "/thanh-toan/ket-qua" }
