package popdb

import (
	"time"

	"github.com/motcua/motcua"
)

// Sign returns the signature of a request or an answer (motcua.SignMessage).
func Sign(secret []byte, ts string, body []byte) string { return motcua.SignMessage(secret, ts, body) }

// MaxSkew is how far a signed timestamp may be from the reader's clock.
const MaxSkew = motcua.MaxMessageSkew

// Verify checks a signature and its timestamp (motcua.VerifyMessage).
func Verify(secret []byte, ts string, body []byte, sig string, now time.Time) bool {
	return motcua.VerifyMessage(secret, ts, body, sig, now)
}
