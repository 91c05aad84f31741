package kho

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Sign returns the signature of a request or an answer: lower-case hex
// HMAC-SHA256 under secret of ts "|" body.
func Sign(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'|'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// MaxSkew is how far a signed timestamp may be from the reader's clock.
const MaxSkew = 5 * time.Minute

// Verify checks a signature and that its timestamp (Unix seconds) is within
// MaxSkew of now.
func Verify(secret []byte, ts string, body []byte, sig string, now time.Time) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, ts, body)), []byte(sig))
}
