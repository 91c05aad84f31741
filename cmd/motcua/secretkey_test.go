package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretKey: the key is made once in the data folder (mode 0600) and
// read back the same; a given key wins; a damaged file or a short key is
// an error that says what to do, never a fresh key silently made.
func TestSecretKey(t *testing.T) {
	dir := t.TempDir()
	c := Config{DataDir: dir}
	k1, err := c.secretKey()
	if err != nil || len(k1) != 32 {
		t.Fatalf("first start: %x %v", k1, err)
	}
	st, err := os.Stat(filepath.Join(dir, secretKeyFile))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	if k2, err := c.secretKey(); err != nil || !bytes.Equal(k1, k2) {
		t.Fatalf("second start read another key: %v", err)
	}
	c.SecretKey = strings.Repeat("ab", 32)
	if k, err := c.secretKey(); err != nil || k[0] != 0xab {
		t.Fatalf("given key: %x %v", k, err)
	}
	c.SecretKey = "abcd"
	if _, err := c.secretKey(); err == nil || !strings.Contains(err.Error(), "openssl rand -hex 32") {
		t.Fatalf("short key: %v", err)
	}
	c.SecretKey = ""
	os.WriteFile(filepath.Join(dir, secretKeyFile), []byte("damaged"), 0o600)
	if _, err := c.secretKey(); err == nil || !strings.Contains(err.Error(), "backup") {
		t.Fatalf("damaged file: %v", err)
	}
}
