package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/kho"
	khosim "github.com/motcua/motcua/kho/sim"
	"github.com/motcua/motcua/popdb"
	ssosim "github.com/motcua/motcua/sso/sim"
)

// demoKhoSeed makes the demo's national store the same at every start.
const demoKhoSeed = 2026

// startCitizen starts the simulators of the national sign-on (DVCQG /
// VNeID) and of the national store (Kho) on loopback ports and points cfg
// at them, unless cfg names real ones. Their citizens are the population
// simulator's (those with a VNeID account) and the demo's scenario
// applicants, so that the people the demo shows can sign in and have
// earlier results to reuse.
func (ds *demoSims) startCitizen(cfg *Config, secrets *demoSecrets, stdout io.Writer) error {
	var users []ssosim.User
	var owners []string
	for _, a := range demo.Applicants() {
		users = append(users, ssosim.User{IDNumber: a.IDNumber, FullName: a.FullName, Level: 2})
		owners = append(owners, a.IDNumber)
	}
	if ds.popdb != nil {
		for _, id := range ds.popdb.Find(ds.popdb.Len(), func(c popdb.CongDan) bool { return c.TrangThai == "1" && c.MucDoDinhDanh >= 1 }) {
			c, _ := ds.popdb.Citizen(id)
			users = append(users, ssosim.User{IDNumber: id, FullName: popdb.FullName(c.HoVaTen), Level: c.MucDoDinhDanh})
			owners = append(owners, id)
		}
	}
	serve := func(h http.Handler, what string) (string, error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", fmt.Errorf("simulator of the %s: %w", what, err)
		}
		hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
		go hs.Serve(ln)
		ds.servers = append(ds.servers, hs)
		return "http://" + ln.Addr().String(), nil
	}
	if cfg.SSOIssuer != "" {
		fmt.Fprintf(stdout, "National sign-on: %s (configured; no simulator)\n", cfg.SSOIssuer)
	} else {
		// The redirect is not pinned: the demo's address is known only
		// once it listens.
		s, err := ssosim.New(ssosim.Config{ClientID: "motcua-h99", ClientSecret: secrets.SSOSecret, Users: users})
		if err != nil {
			return fmt.Errorf("simulator of the national sign-on: %w", err)
		}
		base, err := serve(s, "national sign-on")
		if err != nil {
			return err
		}
		cfg.SSOIssuer, cfg.SSOClientID, cfg.SSOClientSecret = base, "motcua-h99", secrets.SSOSecret
		a := demo.Applicants()[0]
		fmt.Fprintf(stdout, "National sign-on (VNeID): simulator at %s with %d citizens; on /cong-dan sign in as %s (%s), password %s.\n",
			base, len(users), a.IDNumber, a.FullName, s.Password())
	}
	if cfg.KhoURL != "" {
		fmt.Fprintf(stdout, "National store (Kho): %s (configured; no simulator)\n", cfg.KhoURL)
		return nil
	}
	k := khosim.New(khosim.Config{Secret: []byte(secrets.KhoSecret), Integration: "MOTCUA-H99", Seed: demoKhoSeed, Owners: owners})
	// The scenario applicants' own birth certificates, issued elsewhere
	// before motcua existed: the counter offers them for reuse.
	for i, a := range demo.Applicants() {
		k.Add(a.IDNumber, "KQ.HT.KS", "Giấy khai sinh", fmt.Sprintf("%d/%s/TLKS", 100+i, a.DateOfBirth[:4]),
			"Ủy ban nhân dân nơi đăng ký khai sinh")
	}
	base, err := serve(k, "national store")
	if err != nil {
		return err
	}
	cfg.KhoURL, cfg.KhoIntegration, cfg.KhoSecret = base, "MOTCUA-H99", secrets.KhoSecret
	fmt.Fprintf(stdout, "National store of results (Kho): simulator at %s; earlier results of %d citizens (e.g. %v).\n",
		base, len(k.Owners(len(owners))), k.Owners(3))
	return nil
}

// Interfaces the demo's wiring relies on.
var (
	_ motcua.NationalResultStore = (*kho.Client)(nil)
)
