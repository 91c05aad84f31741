package service

import (
	"encoding/base32"
	"testing"
	"time"
)

// TestTOTPVectors: RFC 6238 appendix B, SHA-1 (the last 6 of its 8 digits:
// the truncation is the same, only the modulus differs).
func TestTOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	secret := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(key)
	for _, c := range []struct {
		unix int64
		code string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		now := time.Unix(c.unix, 0)
		if got := hotp(key, totpStep(now)); got != c.code {
			t.Errorf("at %d: %s, want %s", c.unix, got, c.code)
		}
		step, ok := matchTOTP(secret, c.code, now.Add(29*time.Second))
		if !ok || step != totpStep(now) {
			t.Errorf("at %d: the code not accepted within the next step (%d %v)", c.unix, step, ok)
		}
		if _, ok := matchTOTP(secret, c.code, now.Add(65*time.Second)); ok {
			t.Errorf("at %d: the code accepted more than one step later", c.unix)
		}
	}
	if _, ok := matchTOTP("not base32!", "287082", time.Unix(59, 0)); ok {
		t.Error("a malformed secret matched")
	}
}

// TestRecoveryCodes: distinct, hashed as typed in any case or spacing.
func TestRecoveryCodes(t *testing.T) {
	codes, hashes := newRecoveryCodes(10)
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 11 || c[5] != '-' || seen[c] {
			t.Fatalf("code %q", c)
		}
		seen[c] = true
		if hashRecoveryCode(" "+c[:5]+" "+c[6:]) != hashes[i] || hashRecoveryCode(c) == hashRecoveryCode(codes[(i+1)%10]) {
			t.Fatalf("hash of %q", c)
		}
	}
}
