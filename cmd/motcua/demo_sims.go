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
	paysim "github.com/motcua/motcua/payment/sim"
	popsim "github.com/motcua/motcua/popdb/sim"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
	signsim "github.com/motcua/motcua/sign/sim"
	smssim "github.com/motcua/motcua/sms/sim"
)

// demoSims are the simulators of the outside systems the demo runs on
// loopback, each speaking its system's protocol over HTTP and keeping its
// own state in the data folder, so that the demo shows the whole flow
// without any outside system.
type demoSims struct {
	portal     *sim.Sim
	portalURL  string
	payment    *paysim.Sim
	paymentURL string
	popdb      *popsim.Sim
	popdbURL   string
	sms        *smssim.Sim
	smsURL     string
	servers    []*http.Server
}

// demoSecrets are the credentials the demo's system and its simulators
// share, made once per data folder.
type demoSecrets struct {
	PortalPassword string `json:"portal_password"`
	PortalSecret   string `json:"portal_secret"`
	PaymentSecret  string `json:"payment_secret"`
	PopDBSecret    string `json:"popdb_secret"`
	SSOSecret      string `json:"sso_secret"`
	KhoSecret      string `json:"kho_secret"`
}

func loadDemoSecrets(dir string) (*demoSecrets, error) {
	path := filepath.Join(dir, "demo-secrets.json")
	var s demoSecrets
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &s); err == nil && s.PortalSecret != "" && s.PortalPassword != "" && s.PaymentSecret != "" && s.PopDBSecret != "" &&
			s.SSOSecret != "" && s.KhoSecret != "" {
			return &s, nil
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	// A data folder from before a simulator was added keeps its secrets
	// and gets the missing ones.
	if s.PortalPassword == "" || s.PortalSecret == "" {
		s.PortalPassword, s.PortalSecret = randomHex(12), randomHex(32)
	}
	if s.PaymentSecret == "" {
		s.PaymentSecret = randomHex(32)
	}
	if s.PopDBSecret == "" {
		s.PopDBSecret = randomHex(32)
	}
	if s.SSOSecret == "" {
		s.SSOSecret = randomHex(24)
	}
	if s.KhoSecret == "" {
		s.KhoSecret = randomHex(32)
	}
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
	secrets, err := loadDemoSecrets(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if err := ds.startPopDB(cfg, secrets, stdout); err != nil {
		return nil, err
	}
	if err := ds.startSMS(cfg, stdout); err != nil {
		return nil, err
	}
	if err := ds.startCitizen(cfg, secrets, stdout); err != nil {
		ds.close()
		return nil, err
	}
	if cfg.portalOn() {
		fmt.Fprintf(stdout, "National portal: %s (configured; no simulator)\n", cfg.DVCQGURL)
		return ds, nil
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
	if cfg.PaymentURL == "" {
		if err := ds.startPayment(cfg, secrets); err != nil {
			ds.close()
			return nil, err
		}
	}
	return ds, nil
}

// startPayment starts the payment platform's simulator and points cfg at
// it; its secret goes to a file in the data folder, as a deployment keeps
// it.
func (ds *demoSims) startPayment(cfg *Config, secrets *demoSecrets) error {
	secretFile := filepath.Join(cfg.DataDir, "demo-payment-secret")
	if err := os.WriteFile(secretFile, []byte(secrets.PaymentSecret+"\n"), 0o600); err != nil {
		return fmt.Errorf("payment simulator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("simulator of the payment platform: %w", err)
	}
	base := "http://" + ln.Addr().String()
	p, err := paysim.New(paysim.Config{Partner: "H99-MOTCUA", Secret: secrets.PaymentSecret, BaseURL: base,
		CallbackURL: cfg.BaseURL + "/api/v1/payments/callback", ReturnURL: cfg.BaseURL + "/thanh-toan/ket-qua",
		StateFile: filepath.Join(cfg.DataDir, "payment-sim.json")})
	if err != nil {
		ln.Close()
		return fmt.Errorf("simulator of the payment platform: %w (delete %s to start it afresh)", err, filepath.Join(cfg.DataDir, "payment-sim.json"))
	}
	hs := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ds.payment, ds.paymentURL, ds.servers = p, base, append(ds.servers, hs)
	cfg.PaymentURL, cfg.PaymentPartner, cfg.PaymentSecretFile = base+"/", "H99-MOTCUA", secretFile
	return nil
}

// listening tells the simulators motcua's address once it listens.
func (ds *demoSims) listening(url string) {
	if ds.portal != nil {
		ds.portal.SetInboundURL(url + "/api/v1/dvcqg/messages")
	}
	if ds.payment != nil {
		ds.payment.SetMotcuaURLs(url+"/api/v1/payments/callback", url+"/thanh-toan/ket-qua")
	}
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
	tsa := signsim.New(s)
	tsa.CRLPath = filepath.Join(cfg.Keys, "crl.pem") // the demo CA's revocation list, at /crl
	hs := &http.Server{Handler: tsa, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	ds.servers = append(ds.servers, hs)
	cfg.TSAURL = "http://" + ln.Addr().String()
	if cfg.CRLURL == "" {
		cfg.CRLURL = cfg.TSAURL + "/crl"
	}
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

// makePayments has citizens pay fees through the payment platform's
// simulator, once (when it holds no transaction yet): new dossiers of a
// procedure with a fee are received at the An Phú counter; for one the
// citizen pays online and the platform confirms, for one the payment is
// left waiting on the platform, and one is paid in cash at the counter.
func (ds *demoSims) makePayments(ctx context.Context, a *app, stdout io.Writer) {
	if ds.payment == nil || len(ds.payment.Transactions()) > 0 {
		return
	}
	var officer *motcua.User
	if err := a.db.Read(ctx, func(tx motcua.Tx) (err error) { officer, err = tx.UserByUsername(ctx, "motcua.anphu"); return err }); err != nil {
		return
	}
	octx := motcua.NewContextWithUser(ctx, officer)
	fail := func(err error) {
		fmt.Fprintf(stdout, "The demo's payments could not go through the payment simulator: %v\n", err)
	}
	p, err := a.svc.ProcedureByCode(ctx, "2.000635") // bản sao trích lục hộ tịch: a fee
	if err != nil {
		fail(err)
		return
	}
	_, points, err := a.svc.Agency(ctx, "H99.101")
	if err != nil {
		fail(err)
		return
	}
	people := []motcua.Applicant{
		{FullName: "Trương Thị Ngọc Ánh", IDNumber: "001196004455", Phone: "0911223344"},
		{FullName: "Lý Văn Tâm", IDNumber: "001087006677", Phone: "0922334455"},
		{FullName: "Mai Thị Thanh", IDNumber: "001191008899", Phone: "0933445566"},
	}
	var codes []string
	for _, ap := range people {
		ap.Kind, ap.IDKind = motcua.ApplicantCitizen, motcua.IDPersonal
		n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter, Applicant: ap}
		for _, c := range p.Components {
			if !c.FromNationalDB {
				n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
			}
		}
		in, err := a.svc.ReceiveDossier(octx, "", n)
		if err != nil {
			fail(err)
			return
		}
		codes = append(codes, in.Dossier.Code)
	}
	for i, code := range codes[:2] {
		pay, _, err := a.svc.StartOnlinePayment(octx, code, "", "127.0.0.1")
		if err != nil {
			fail(err)
			return
		}
		if i == 0 {
			if _, err := ds.payment.Complete(pay.Reference, true); err != nil {
				fail(err)
				return
			}
		}
	}
	if _, err := a.svc.RecordCashPayment(octx, codes[2], service.CashInput{ReceiptNumber: "BL-0000123", Amount: p.FeeTotal()}, "127.0.0.1"); err != nil {
		fail(err)
		return
	}
	fmt.Fprintf(stdout, "Fees of %s paid online through the payment simulator (%s), of %s waiting there, of %s paid in cash.\n",
		codes[0], ds.paymentURL, codes[1], codes[2])
}
