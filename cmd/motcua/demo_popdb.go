package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua/popdb"
	popsim "github.com/motcua/motcua/popdb/sim"
)

// demoPopDBSeed makes the demo's register the same at every start.
const demoPopDBSeed = 2026

// startPopDB starts the population database's simulator on a loopback
// port and points cfg at it, unless cfg names a real register.
func (ds *demoSims) startPopDB(cfg *Config, secrets *demoSecrets, stdout io.Writer) error {
	if cfg.PopDBURL != "" {
		fmt.Fprintf(stdout, "Population database: %s (configured; no simulator)\n", cfg.PopDBURL)
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("simulator of the population database: %w", err)
	}
	s := popsim.New(popsim.Config{Secret: []byte(secrets.PopDBSecret), Integration: "MOTCUA-H99", Seed: demoPopDBSeed})
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	base := "http://" + ln.Addr().String()
	ds.servers = append(ds.servers, hs)
	ds.popdb, ds.popdbURL = s, base
	cfg.PopDBURL, cfg.PopDBIntegration, cfg.PopDBSecret = base, "MOTCUA-H99", secrets.PopDBSecret
	var examples []string
	for _, id := range s.Find(3, func(c popdb.CongDan) bool { return c.TrangThai == "1" && c.ThuongTru.MaPhuongXa == "99101" }) {
		c, _ := s.Citizen(id)
		examples = append(examples, id+" ("+popdb.FullName(c.HoVaTen)+")")
	}
	fmt.Fprintf(stdout, "Population database: simulator at %s with %d citizens (more numbers: GET %s/citizens); try %s.\n",
		base, s.Len(), base, strings.Join(examples, ", "))
	return nil
}
