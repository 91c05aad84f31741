package bench

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// countingServer answers /echo with the request's body, /close with
// "Connection: close", /big with 100 kB, and counts the connections it
// accepted and the POST bodies it saw.
type countingServer struct {
	*httptest.Server
	conns atomic.Int64
	mu    sync.Mutex
	posts []string
}

func newCountingServer(t *testing.T) *countingServer {
	s := &countingServer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost {
			s.mu.Lock()
			s.posts = append(s.posts, string(b))
			s.mu.Unlock()
		}
		w.Write(append([]byte(r.Method+" "), b...))
	})
	mux.HandleFunc("/close", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		io.WriteString(w, "bye")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 100<<10))
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.Server = httptest.NewUnstartedServer(mux)
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// workerClient is one worker's client, its connection closed at the
// test's end.
func workerClient(t *testing.T) *http.Client {
	tr := &connTransport{}
	t.Cleanup(tr.drop)
	return &http.Client{Transport: tr}
}

func call(t *testing.T, c *http.Client, method, url, body string, header ...string) (int, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, url, rd)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		msg := err.Error()
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
		t.Fatalf("%s %s: %s", method, url, msg)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: reading: %v", method, url, err)
	}
	return resp.StatusCode, string(b)
}

func TestConnTransportKeepsOneConnection(t *testing.T) {
	s := newCountingServer(t)
	c := workerClient(t)
	for i := range 50 {
		body := strings.Repeat("á", i)
		if _, got := call(t, c, "POST", s.URL+"/echo", body); got != "POST "+body {
			t.Fatalf("request %d: answer %q", i, got)
		}
		if _, got := call(t, c, "GET", s.URL+"/big", ""); len(got) != 100<<10 {
			t.Fatalf("request %d: %d bytes of 100 kB", i, len(got))
		}
		if code, _ := call(t, c, "GET", s.URL+"/empty", ""); code != http.StatusNoContent {
			t.Fatalf("request %d: status %d", i, code)
		}
	}
	if n := s.conns.Load(); n != 1 {
		t.Fatalf("150 requests took %d connections, want 1", n)
	}
}

func TestConnTransportRedialsWhenItMust(t *testing.T) {
	s := newCountingServer(t)
	c := workerClient(t)
	// The server's last answer on a connection.
	call(t, c, "GET", s.URL+"/close", "")
	s.echoes(t, c, "after Connection: close", 2)
	// An answer closed before its end: its rest must not be read as the
	// next answer.
	resp, err := c.Get(s.URL + "/big")
	if err != nil {
		t.Fatal(err)
	}
	io.ReadFull(resp.Body, make([]byte, 10))
	resp.Body.Close()
	s.echoes(t, c, "after an answer left unread", 3)
}

// echoes checks that a GET of /echo through c is answered as it should
// be, and that the server has accepted conns connections by then.
func (s *countingServer) echoes(t *testing.T, c *http.Client, when string, conns int64) {
	t.Helper()
	if _, got := call(t, c, "GET", s.URL+"/echo", ""); got != "GET " {
		t.Fatalf("%s: %q", when, got)
	}
	if n := s.conns.Load(); n != conns {
		t.Fatalf("%s: %d connections, want %d", when, n, conns)
	}
}

func TestConnTransportIdleCloseReplaysOnlyWhatMayBe(t *testing.T) {
	s := newCountingServer(t)
	c := workerClient(t)
	call(t, c, "GET", s.URL+"/echo", "")
	s.CloseClientConnections() // as an idle timeout does
	s.echoes(t, c, "GET after the server closed the idle connection", 2)
	s.CloseClientConnections()
	if _, got := call(t, c, "POST", s.URL+"/echo", "hồ sơ", "Idempotency-Key", "k1"); got != "POST hồ sơ" {
		t.Fatalf("POST with an idempotency key after an idle close: %q", got)
	}
	s.CloseClientConnections()
	req, _ := http.NewRequest("POST", s.URL+"/echo", strings.NewReader("once"))
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("a POST without an idempotency key was sent again after the connection closed")
	}
	s.mu.Lock()
	posts := s.posts
	s.mu.Unlock()
	if len(posts) != 1 || posts[0] != "hồ sơ" {
		t.Fatalf("the server saw the POSTs %q, want one intact", posts)
	}
	// The failed request cost the connection; the next one dials.
	s.echoes(t, c, "after a failed POST", 4)
}

// BenchmarkClient compares net/http's Transport with connTransport,
// 64 clients against a minimal handler on loopback, both sides in this
// process (as in the bench): the difference in CPU per request is the
// client's.
func BenchmarkClient(b *testing.B) {
	ln, err := startMinimal()
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	url := "http://" + ln.Addr().String() + "/lookup"
	shared := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64, MaxConnsPerHost: 64, DisableCompression: true}
	defer shared.CloseIdleConnections()
	for _, k := range []struct {
		name   string
		client func() (*http.Client, func())
	}{
		{"net-http", func() (*http.Client, func()) { return &http.Client{Transport: shared}, func() {} }},
		{"conn", func() (*http.Client, func()) {
			tr := &connTransport{}
			return &http.Client{Transport: tr}, tr.drop
		}},
	} {
		b.Run(k.name, func(b *testing.B) {
			b.SetParallelism(32) // 64 goroutines on 2 cores
			c0 := cpuTime()
			defer func() {
				// CPU, not time, is what the load generator takes from
				// the server beside it; it also moves less with the
				// machine's other load.
				b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
			}()
			b.RunParallel(func(pb *testing.PB) {
				c, done := k.client()
				defer done()
				for pb.Next() {
					if err := get(c, url); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
