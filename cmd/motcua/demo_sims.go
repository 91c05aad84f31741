package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/dvcqg/sim"
	"github.com/motcua/motcua/sign"
	signsim "github.com/motcua/motcua/sign/sim"
)

// demoSims are the simulators of the outside systems the demo runs on
// loopback, each speaking its system's protocol over HTTP and keeping its
// own state in the data folder, so that the demo shows the whole flow
// without any outside system.
type demoSims struct {
	portal    *sim.Sim
	portalURL string
	servers   []*http.Server
}

// demoSecrets are the credentials the demo's system and its simulators
// share, made once per data folder.
type demoSecrets struct {
	PortalPassword string `json:"portal_password"`
	PortalSecret   string `json:"portal_secret"`
}

func loadDemoSecrets(dir string) (*demoSecrets, error) {
	path := filepath.Join(dir, "demo-secrets.json")
	var s demoSecrets
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &s); err == nil && s.PortalSecret != "" && s.PortalPassword != "" {
			return &s, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	s = demoSecrets{PortalPassword: randomHex(12), PortalSecret: randomHex(32)}
	b, _ := json.MarshalIndent(s, "", "  ")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return nil, fmt.Errorf("write demo secrets: %w", err)
	}
	return &s, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// startDemoSims starts the national portal's simulator on a loopback port
// and points cfg at it, unless cfg names a real portal. It forwards to
// motcua at cfg.BaseURL.
func startDemoSims(cfg *Config, stdout io.Writer) (*demoSims, error) {
	ds := &demoSims{}
	if cfg.portalOn() {
		fmt.Fprintf(stdout, "National portal: %s (configured; no simulator)\n", cfg.DVCQGURL)
		return ds, nil
	}
	secrets, err := loadDemoSecrets(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("simulator of the national portal: %w", err)
	}
	base := "http://" + ln.Addr().String()
	s, err := sim.New(sim.Config{Username: "motcua-demo", Password: secrets.PortalPassword, DstCode: "H99-DEMO",
		Secret: []byte(secrets.PortalSecret), InboundURL: cfg.BaseURL + "/api/v1/dvcqg/messages", BaseURL: base,
		StatePath: filepath.Join(cfg.DataDir, "dvcqg-sim.json")})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("simulator of the national portal: %w (delete %s to start it afresh)", err, filepath.Join(cfg.DataDir, "dvcqg-sim.json"))
	}
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ds.portal, ds.portalURL, ds.servers = s, base, append(ds.servers, hs)
	cfg.DVCQGURL, cfg.DVCQGUser, cfg.DVCQGPassword, cfg.DVCQGDstCode = base, "motcua-demo", secrets.PortalPassword, "H99-DEMO"
	cfg.DVCQGAgency, cfg.DVCQGSecret, cfg.DVCQGFileBase = "000.00.00.H99", secrets.PortalSecret, base+"/files/"
	cfg.portalSimURL = base
	return ds, nil
}

// startTSA starts the time-stamping authority's simulator on a loopback
// port with the demo's TSA key (<keys>/tsa.pem) and points cfg at it,
// unless cfg names a real one.
func (ds *demoSims) startTSA(cfg *Config, stdout io.Writer) error {
	if cfg.TSAURL != "" {
		fmt.Fprintf(stdout, "Time-stamping authority: %s (configured; no simulator)\n", cfg.TSAURL)
		return nil
	}
	s, err := sign.LoadKeyFile(filepath.Join(cfg.Keys, "tsa.pem"))
	if err != nil {
		return fmt.Errorf("simulator of the time-stamping authority: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("simulator of the time-stamping authority: %w", err)
	}
	hs := &http.Server{Handler: signsim.New(s), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ds.servers = append(ds.servers, hs)
	cfg.TSAURL = "http://" + ln.Addr().String()
	return nil
}

// close stops the simulators.
func (ds *demoSims) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range ds.servers {
		s.Shutdown(ctx)
	}
}

// portalDriver lets the demo act as citizens on the portal's simulator.
type portalDriver struct{ s *sim.Sim }

func (p portalDriver) Submit(ctx context.Context, d demo.OnlineDossier) (string, error) {
	r := sim.SubmitRequest{ProcedureCode: d.ProcedureCode, AgencyCode: d.AgencyCode, IDKind: d.Applicant.IDKind, IDNumber: d.Applicant.IDNumber,
		FullName: d.Applicant.FullName, Phone: d.Applicant.Phone, Email: d.Applicant.Email, Address: d.Applicant.Address,
		Summary: d.Summary, ReturnMethod: "online", VNeIDVerified: true, AccountLevel: 2, Files: simFiles(d.Files)}
	return p.s.Submit(ctx, r)
}

func (p portalDriver) Supplement(ctx context.Context, code, note string, files []demo.OnlineFile) error {
	return p.s.Supplement(ctx, code, note, simFiles(files))
}

func (p portalDriver) Withdraw(ctx context.Context, code, reason string) error {
	return p.s.Withdraw(ctx, code, reason)
}

func simFiles(fs []demo.OnlineFile) []sim.SubmitFile {
	out := make([]sim.SubmitFile, 0, len(fs))
	for _, f := range fs {
		out = append(out, sim.SubmitFile{ComponentCode: strconv.Itoa(f.Seq), Component: f.Component, Name: f.Name, Data: f.Data, Digitized: true})
	}
	return out
}

// forwardOnline runs the demo's online dossiers through the portal's
// simulator once (when the simulator has forwarded nothing yet), after the
// server is up: the simulator posts them to motcua's endpoint.
func (ds *demoSims) forwardOnline(ctx context.Context, a *app, stdout io.Writer) {
	if ds.portal == nil || len(ds.portal.Snapshot().Forwarded) > 0 {
		return
	}
	res, err := demo.ForwardOnline(ctx, demo.OnlineOptions{Service: a.svc, Store: a.db, Portal: portalDriver{ds.portal}})
	if err != nil {
		fmt.Fprintf(stdout, "The demo's online dossiers could not go through the portal's simulator: %v\n", err)
		return
	}
	fmt.Fprintf(stdout, "%d online dossiers came in through the national portal's simulator (%s).\n", len(res), ds.portalURL)
}

// importCatalogue leaves a catalogue import from the portal's simulator
// waiting for review, as the province's administrator would start one,
// when none was made yet.
func (ds *demoSims) importCatalogue(ctx context.Context, a *app, stdout io.Writer) {
	if ds.portal == nil {
		return
	}
	var admin *motcua.User
	if err := a.db.Read(ctx, func(tx motcua.Tx) (err error) { admin, err = tx.UserByUsername(ctx, "admin"); return err }); err != nil {
		return
	}
	actx := motcua.NewContextWithUser(ctx, admin)
	if runs, err := a.svc.ImportRuns(actx); err != nil || len(runs) > 0 {
		return
	}
	run, err := a.svc.ImportCatalogue(actx, nil)
	if err != nil {
		fmt.Fprintf(stdout, "The demo's catalogue import from the portal's simulator failed: %v\n", err)
		return
	}
	fmt.Fprintf(stdout, "A catalogue import from the national portal's simulator waits for review at /quan-tri/nhap-danh-muc/%d.\n", run.ID)
}
