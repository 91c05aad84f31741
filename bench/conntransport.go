package bench

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// connTimeout bounds one request and its answer, as the clients' Timeout
// did before.
const connTimeout = time.Minute

// connTransport is the load generator's HTTP/1.1 client for one worker
// (one officer's browser, one citizen): one kept-alive connection, each
// request written and its answer read on the caller's goroutine.
//
// net/http's Transport hands every request to two goroutines of its
// connection, a writer and a reader, and the answer back: on this 2-core
// machine its client side cost more CPU than motcua spends receiving a
// dossier's JSON and answering it (docs/deployment.md §17). A load
// generator on another machine would not take that from the server; the
// bench's runs beside it and should take as little as it can.
//
// Contract: one request at a time, and each answer's body read to its end
// or closed before the next request; a body closed before its end costs
// the connection (the next request dials a new one). Not for concurrent
// use.
type connTransport struct {
	conn   net.Conn
	br     *bufio.Reader
	bw     *bufio.Writer
	used   bool // the connection has carried an answer already
	open   *connBody
	dialer net.Dialer
}

// RoundTrip sends req on the worker's connection, dialling one when there
// is none, and returns the answer with its body to read. A request that
// may be sent twice (GET, HEAD, or one with an Idempotency-Key, the rule
// net/http follows) is sent again, once, on a new connection when a kept
// connection turns out to have been closed before any answer came.
func (t *connTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.open != nil {
		t.open.Close()
	}
	resp, err := t.try(req)
	if err != nil && t.used && replayable(req) && closedEarly(err) {
		t.drop()
		if req.GetBody != nil {
			// A RoundTripper must not change the caller's request: the
			// second send takes a copy with a fresh body.
			again := req.Clone(req.Context())
			if again.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
			req = again
		}
		resp, err = t.try(req)
	}
	if err != nil {
		t.drop()
		return nil, err
	}
	t.used = true
	// An answer without a body has ended already; Close alone frees the
	// connection.
	t.open = &connBody{r: resp.Body, t: t, last: resp.Close, ended: resp.ContentLength == 0 || req.Method == http.MethodHead}
	resp.Body = t.open
	return resp, nil
}

// try sends req once and reads the answer's head.
func (t *connTransport) try(req *http.Request) (*http.Response, error) {
	if t.conn == nil {
		c, err := t.dialer.DialContext(req.Context(), "tcp", req.URL.Host)
		if err != nil {
			return nil, err
		}
		t.conn, t.br, t.bw, t.used = c, bufio.NewReaderSize(c, 32<<10), bufio.NewWriterSize(c, 8<<10), false
	}
	deadline := time.Now().Add(connTimeout)
	if d, ok := req.Context().Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	t.conn.SetDeadline(deadline)
	if err := req.Write(t.bw); err != nil {
		return nil, err
	}
	if err := t.bw.Flush(); err != nil {
		return nil, err
	}
	return http.ReadResponse(t.br, req)
}

// replayable says whether req may reach the server twice without harm.
func replayable(req *http.Request) bool {
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		return true
	}
	return req.Header.Get("Idempotency-Key") != "" && (req.Body == nil || req.GetBody != nil)
}

// closedEarly says whether err is a kept connection found closed before
// any answer: the server may end an idle connection at any time.
func closedEarly(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// drop closes the connection; the next request dials a new one.
func (t *connTransport) drop() {
	if t.conn != nil {
		t.conn.Close()
	}
	t.conn, t.open = nil, nil
}

// connBody is an answer's body. Read to its end, it leaves the connection
// to the next request, unless the server said it would close it.
type connBody struct {
	r      io.ReadCloser
	t      *connTransport
	last   bool // the server closes the connection after this answer
	ended  bool // read to io.EOF
	closed bool
}

func (b *connBody) Read(p []byte) (int, error) {
	if b.closed {
		return 0, errors.New("bench: read of a closed answer")
	}
	n, err := b.r.Read(p)
	if err == io.EOF {
		b.ended = true
	}
	return n, err
}

// Close ends the answer; one not read to its end, or the server's last,
// closes the connection.
func (b *connBody) Close() error {
	if b.closed {
		return nil
	}
	b.closed = true
	if b.t.open == b {
		b.t.open = nil
		if !b.ended || b.last {
			b.t.drop()
		}
	}
	return nil
}
