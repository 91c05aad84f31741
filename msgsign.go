package motcua

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// The signature scheme of motcua's JSON links to the state's registers
// (population database, national store): lower-case hex HMAC-SHA256 under
// a shared secret of the Unix-seconds timestamp, "|", and the body. One
// place, so that both adapters and their simulators agree.

// MaxMessageSkew is how far a signed timestamp may be from the reader's
// clock.
const MaxMessageSkew = 5 * time.Minute

// SignMessage returns the signature of body sent at ts.
func SignMessage(secret []byte, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte{'|'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyMessage checks sig and that ts (Unix seconds) is within
// MaxMessageSkew of now.
func VerifyMessage(secret []byte, ts string, body []byte, sig string, now time.Time) bool {
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(sec, 0)); d > MaxMessageSkew || d < -MaxMessageSkew {
		return false
	}
	return hmac.Equal([]byte(SignMessage(secret, ts, body)), []byte(sig))
}
