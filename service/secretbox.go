package service

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// Secrets kept for later use (today: second-factor keys, which must be read
// back to check codes, so they cannot be hashed) are sealed with AES-256-GCM
// under Config.SecretKey before they reach the database, so that a copy of
// the database or of a backup does not hand out every account's second
// factor. The additional data binds a sealed value to its purpose and row:
// a value copied onto another account does not open.
//
// Stored form: "v1:" + base64url(nonce || ciphertext). A value without the
// prefix was stored in clear (before sealing existed, or with no key
// configured) and is read as it is; it is sealed when next saved.

const sealedPrefix = "v1:"

// sealSecret seals plain for purpose and id; in clear when no key is set.
func (s *Service) sealSecret(purpose string, id int64, plain string) (string, error) {
	if len(s.cfg.SecretKey) == 0 {
		return plain, nil
	}
	aead, err := s.secretAEAD()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	out := aead.Seal(nonce, nonce, []byte(plain), sealAD(purpose, id))
	return sealedPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// openSecret returns the clear value of stored (see sealSecret). A sealed
// value that does not open — no key, another key, or a value moved from
// another row — is EINTERNAL: the operator must give every instance the
// same --secret-key.
func (s *Service) openSecret(purpose string, id int64, stored string) (string, error) {
	rest, sealed := strings.CutPrefix(stored, sealedPrefix)
	if !sealed {
		return stored, nil
	}
	fail := func(why string) (string, error) {
		slog.Error("a sealed secret cannot be opened: give every instance the same --secret-key (MOTCUA_SECRET_KEY_FILE)",
			"purpose", purpose, "id", id, "why", why)
		return "", motcua.Errorf(motcua.EINTERNAL, "secret_unreadable",
			"Không đọc được khóa xác thực hai lớp đã lưu; vui lòng báo quản trị hệ thống.")
	}
	if len(s.cfg.SecretKey) == 0 {
		return fail("no key configured")
	}
	aead, err := s.secretAEAD()
	if err != nil {
		return fail(err.Error())
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < aead.NonceSize() {
		return fail("malformed")
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], sealAD(purpose, id))
	if err != nil {
		return fail("authentication failed")
	}
	return string(plain), nil
}

func (s *Service) secretAEAD() (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.cfg.SecretKey)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func sealAD(purpose string, id int64) []byte {
	return []byte("motcua/" + purpose + "/" + strconv.FormatInt(id, 10))
}

// readTOTP returns the account's second factor with its secret opened.
func (s *Service) readTOTP(ctx context.Context, tx motcua.Tx, userID int64) (*motcua.TOTP, error) {
	o, _, err := s.readTOTPClear(ctx, tx, userID)
	return o, err
}

// readTOTPClear is readTOTP that also tells whether the secret was stored
// in clear while a key is configured (it should then be sealed).
func (s *Service) readTOTPClear(ctx context.Context, tx motcua.Tx, userID int64) (*motcua.TOTP, bool, error) {
	o, err := tx.TOTP(ctx, userID)
	if err != nil {
		return nil, false, err
	}
	unsealed := len(s.cfg.SecretKey) > 0 && !strings.HasPrefix(o.Secret, sealedPrefix)
	if o.Secret, err = s.openSecret("totp", userID, o.Secret); err != nil {
		return nil, false, err
	}
	return o, unsealed, nil
}

// saveTOTP stores o with its secret sealed (o itself keeps the clear one).
func (s *Service) saveTOTP(ctx context.Context, tx motcua.Tx, o *motcua.TOTP) error {
	sealed, err := s.sealSecret("totp", o.UserID, o.Secret)
	if err != nil {
		return err
	}
	c := *o
	c.Secret = sealed
	return tx.SaveTOTP(ctx, &c)
}
