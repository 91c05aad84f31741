package sqlstore_test

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// tcpProxy forwards connections to a PostgreSQL server and can be taken
// down and brought back on the same address, which the store sees as the
// server restarting: its connections cut, new ones refused.
type tcpProxy struct {
	t      *testing.T
	addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func startProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{t: t, target: target}
	p.up("127.0.0.1:0")
	t.Cleanup(p.down)
	return p
}

func (p *tcpProxy) up(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

func (p *tcpProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestPostgresRestartIsUnavailable cuts the store off its PostgreSQL
// server as a restart does: writes, reads and the readiness probe answer
// EUNAVAILABLE (database_unavailable), never a bare internal error; when
// the server is back, writes work again without restarting the store.
func TestPostgresRestartIsUnavailable(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	openMigrated(t, addr, sqlstore.Options{}).Close()
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	proxy := startProxy(t, u.Host)
	u.Host = proxy.addr
	db := sqltest.OpenAtWith(t, u.String(), sqlstore.Options{})
	mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency("H97.1")) })
	if err := db.CanWrite(ctx); err != nil {
		t.Fatalf("probe with the server up: %v", err)
	}

	proxy.down()
	werr := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency("H97.2")) })
	if motcua.ErrorCode(werr) != motcua.EUNAVAILABLE || motcua.ErrorReason(werr) != "database_unavailable" {
		t.Errorf("write with the server down: %v, want EUNAVAILABLE database_unavailable", werr)
	}
	rerr := db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.Agencies(ctx); return err })
	if motcua.ErrorCode(rerr) != motcua.EUNAVAILABLE {
		t.Errorf("read with the server down: %v, want EUNAVAILABLE", rerr)
	}
	time.Sleep(1100 * time.Millisecond) // past the probe's memory of its last success
	if err := db.CanWrite(ctx); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		t.Errorf("probe with the server down: %v, want EUNAVAILABLE", err)
	}
	t.Logf("server down: write %v; read %v", werr, rerr)

	proxy.up(proxy.addr)
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, newAgency("H97.3")) })
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("writes still failing 10 s after the server came back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	got := agencyCodes(t, db)
	if !got["H97.1"] || got["H97.2"] || !got["H97.3"] {
		t.Errorf("stored %v: want H97.1 and H97.3, not the refused H97.2", got)
	}
}
