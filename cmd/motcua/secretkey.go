package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// secretKeyFile is where the key sealing stored secrets is kept when
// --secret-key is not given: in the data folder, made on first start.
const secretKeyFile = "secret.key"

// secretKey returns the 32-byte key that seals the secrets the database
// keeps (second-factor keys): --secret-key (MOTCUA_SECRET_KEY_FILE) as 64
// hex digits or base64, or else <data>/secret.key, made with mode 0600 on
// first start. Every instance sharing a database needs the same key: a
// second instance that made its own could not open the others' secrets.
func (c Config) secretKey() ([]byte, error) {
	if c.SecretKey != "" {
		k, err := decodeSecretKey(c.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("--secret-key: %w", err)
		}
		return k, nil
	}
	path := filepath.Join(c.DataDir, secretKeyFile)
	b, err := os.ReadFile(path)
	if err == nil {
		k, err := decodeSecretKey(string(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w (restore the file from a backup; a new key cannot open the stored secrets)", path, err)
		}
		return k, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	k := make([]byte, 32)
	rand.Read(k)
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) { // made meanwhile by another process on this folder
		return c.secretKey()
	} else if err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if _, err := f.WriteString(hex.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("secret key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("secret key: %w", err)
	}
	slog.Info("made the key that seals stored secrets; back it up with the database, and give every instance the same one (MOTCUA_SECRET_KEY_FILE)", "file", path)
	return k, nil
}

// decodeSecretKey reads 32 bytes written as 64 hex digits or base64.
func decodeSecretKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if k, err := hex.DecodeString(s); err == nil && len(k) == 32 {
		return k, nil
	}
	if k, err := base64.StdEncoding.DecodeString(s); err == nil && len(k) == 32 {
		return k, nil
	}
	return nil, errors.New("the key must be 32 bytes written as 64 hexadecimal digits or in base64 (make one with: openssl rand -hex 32)")
}
