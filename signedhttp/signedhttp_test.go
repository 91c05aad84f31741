package signedhttp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/signedhttp"
)

var hdr = signedhttp.Headers{Client: "X-C", Timestamp: "X-T", Signature: "X-S"}

// server answers with body, signed under secret at the time skew from now
// (no signature when secret is nil).
func server(t *testing.T, status int, body string, secret []byte, skew time.Duration) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-C") != "motcua" || r.Header.Get("X-S") == "" {
			http.Error(w, "unsigned", http.StatusUnauthorized)
			return
		}
		if secret != nil {
			ts := strconv.FormatInt(time.Now().Add(skew).Unix(), 10)
			w.Header().Set("X-T", ts)
			w.Header().Set("X-S", motcua.SignMessage(secret, ts, []byte(body)))
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func link(url string) signedhttp.Link {
	return signedhttp.Link{HTTP: http.DefaultClient, BaseURL: url, Integration: "motcua", Secret: []byte("k"),
		Headers: hdr, MaxAnswer: 16, Now: time.Now}
}

func TestPost(t *testing.T) {
	ctx := context.Background()
	got, err := link(server(t, 200, `{"ok":1}`, []byte("k"), 0).URL).Post(ctx, "svc", []byte(`{}`))
	if err != nil || string(got) != `{"ok":1}` {
		t.Fatalf("signed answer: %q, %v", got, err)
	}
	for name, c := range map[string]struct {
		s    *httptest.Server
		want string
	}{
		"status":     {server(t, 500, `{}`, []byte("k"), 0), "HTTP status 500"},
		"too large":  {server(t, 200, strings.Repeat("x", 17), []byte("k"), 0), "larger than 16"},
		"unsigned":   {server(t, 200, `{}`, nil, 0), "unsigned"},
		"wrong key":  {server(t, 200, `{}`, []byte("other"), 0), "wrongly signed"},
		"stale":      {server(t, 200, `{}`, []byte("k"), -motcua.MaxMessageSkew-time.Minute), "stale"},
		"no service": {nil, "transport"},
	} {
		url := "http://127.0.0.1:1"
		if c.s != nil {
			url = c.s.URL
		}
		got, err := link(url).Post(ctx, "svc", []byte(`{}`))
		if err == nil || !strings.Contains(err.Error(), c.want) || got != nil {
			t.Errorf("%s: got %q, %v; want an error with %q", name, got, err, c.want)
		}
	}
}
