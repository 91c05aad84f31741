package dvcqg

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"
)

// Sign returns the signature of a forwarded message: lower-case hex
// HMAC-SHA256 under secret of msgID "|" ts "|" body. The scheme is motcua's
// own (no public source shows the portal's); a province with the official
// one changes this function and the headers of mapping.go.
func Sign(secret []byte, msgID, ts string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(msgID))
	m.Write([]byte{'|'})
	m.Write([]byte(ts))
	m.Write([]byte{'|'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// NewSignedRequest builds the POST of a forwarded message to url, with its
// message id, its timestamp (at, in Unix seconds) and its signature: what
// the portal (and the simulator) sends to motcua.
func NewSignedRequest(ctx context.Context, url string, secret []byte, msgID string, at time.Time, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts := strconv.FormatInt(at.Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderMessageID, msgID)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(secret, msgID, ts, body))
	return req, nil
}

func validSignature(secret []byte, msgID, ts string, body []byte, sig string) bool {
	want := Sign(secret, msgID, ts, body)
	return hmac.Equal([]byte(want), []byte(sig))
}
