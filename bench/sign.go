package bench

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
	"github.com/motcua/motcua/sqlstore"
)

// SignOptions configures RunSign.
type SignOptions struct {
	Dir      string        // scratch folder; "" for a temporary one
	Duration time.Duration // length of each rate measurement
	Results  int           // results the leader signs at once (default 100)
	Out      io.Writer
}

// SignRate compares PAdES signatures of a result PDF with a key file to
// Go's raw signature operation with the same key, measured in the same run
// on one goroutine.
type SignRate struct {
	Key       string  // "RSA-2048", "ECDSA P-256"
	PDFPerSec float64 // sign.Signer.SignPDF of a one-page result
	RawPerSec float64 // crypto.Signer.Sign of a SHA-256 digest
}

// SignFigures are RunSign's measurements.
type SignFigures struct {
	Rates []SignRate
	// Batch is how long a leader took to sign Results approved results at
	// once (service.SignResults: render, sign, verify, store each).
	Batch   time.Duration
	Results int
}

// RunSign measures signing: PDF signatures per second with a key file
// against raw signatures, then a leader signing a batch of results on a
// seeded SQLite province.
func RunSign(ctx context.Context, o SignOptions) (*SignFigures, error) {
	if o.Results == 0 {
		o.Results = 100
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	dir := o.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "motcua-bench-sign-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	var doc bytes.Buffer
	if err := pdf.Result(&doc, &motcua.ResultDocument{DocCode: "KQ-BENCH", DossierCode: "BENCH", Agency: "UBND xã Mẫu", Procedure: "Đăng ký giám hộ",
		Applicant: "Người nộp", IssuedAt: time.Now(), Signer: "Người ký", VerifyURL: "https://motcua.example/xac-thuc"}); err != nil {
		return nil, err
	}
	out := &SignFigures{Results: o.Results}
	now := time.Now()
	for _, k := range []struct {
		name string
		bits int
	}{{"RSA-2048", 2048}, {"ECDSA P-256", 0}} {
		ca, err := sign.Issue(nil, sign.Template{CommonName: "CA bench", IsCA: true, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), RSABits: k.bits})
		if err != nil {
			return nil, err
		}
		s, err := sign.Issue(ca, sign.Template{CommonName: "Người ký", NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0), RSABits: k.bits})
		if err != nil {
			return nil, err
		}
		pemBytes, err := s.PEM()
		if err != nil {
			return nil, err
		}
		path := filepath.Join(dir, "bench-key.pem")
		if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
			return nil, err
		}
		if s, err = sign.LoadKeyFile(path); err != nil {
			return nil, err
		}
		digest := sha256.Sum256(doc.Bytes())
		raw, err := rate(o.Duration, func() error { _, err := s.Key.Sign(rand.Reader, digest[:], crypto.SHA256); return err })
		if err != nil {
			return nil, err
		}
		pdfRate, err := rate(o.Duration, func() error { _, err := s.SignPDF(doc.Bytes(), sign.Options{Time: time.Now()}); return err })
		if err != nil {
			return nil, err
		}
		out.Rates = append(out.Rates, SignRate{Key: k.name, PDFPerSec: pdfRate, RawPerSec: raw})
		fmt.Fprintf(o.Out, "  %-12s PDF signatures %8.1f/s, raw signatures %8.1f/s\n", k.name, pdfRate, raw)
	}
	batch, err := leaderBatch(ctx, dir, o.Results, o.Out)
	if err != nil {
		return nil, err
	}
	out.Batch = batch
	return out, nil
}

// rate runs fn for d and returns calls per second.
func rate(d time.Duration, fn func() error) (float64, error) {
	start := time.Now()
	n := 0
	for time.Since(start) < d || n == 0 {
		if err := fn(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// leaderBatch seeds the demo province, takes n dossiers of An Phú to the
// approval and times its leader signing their results at once.
func leaderBatch(ctx context.Context, dir string, n int, out io.Writer) (time.Duration, error) {
	db, err := sqlstore.Open(filepath.Join(dir, "sign.db"), sqlstore.Options{})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		return 0, err
	}
	cal, err := calendar.Default()
	if err != nil {
		return 0, err
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
	fmt.Fprintln(out, "seeding the demo province…")
	now := time.Now()
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: password.Default(), Service: cfg, Now: now}); err != nil {
		return 0, err
	}
	keys := filepath.Join(dir, "keys")
	var holders []sign.DemoHolder
	for _, a := range demo.Accounts() {
		holders = append(holders, sign.DemoHolder{Username: a.Username, Name: a.FullName, Organization: a.Agency})
	}
	if err := sign.EnsureDemo(keys, now, "Tỉnh Mẫu", holders); err != nil {
		return 0, err
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		return 0, err
	}
	docs, err := blob.OpenDir(filepath.Join(dir, "documents"))
	if err != nil {
		return 0, err
	}
	cfg.Blobs, cfg.Signer, cfg.RenderResult = docs, ring, pdf.Result
	svc := service.New(db, cal, password.Default(), cfg)
	as := func(name string) (context.Context, error) {
		var u *motcua.User
		err := db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, name); return err })
		return motcua.NewContextWithUser(ctx, u), err
	}
	p, err := svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		return 0, err
	}
	a, points, err := svc.Agency(ctx, "H99.101")
	if err != nil {
		return 0, err
	}
	ctxs := map[string]context.Context{}
	for _, name := range []string{"motcua.anphu", "cv.anphu", "ct.anphu"} {
		if ctxs[name], err = as(name); err != nil {
			return 0, err
		}
	}
	fmt.Fprintf(out, "taking %d dossiers to the approval…\n", n)
	codes := make([]string, 0, n)
	for i := range n {
		nd := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, CompetentAgencyID: a.ID, Channel: motcua.ChannelCounter,
			Applicant: motcua.Applicant{FullName: "Người nộp " + fmt.Sprint(i), IDNumber: fmt.Sprintf("001193%06d", i)}}
		for _, c := range p.Components {
			if !c.FromNationalDB {
				nd.Components = append(nd.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
			}
		}
		in, err := svc.ReceiveDossier(ctxs["motcua.anphu"], "", nd)
		if err != nil {
			return 0, err
		}
		for _, s := range []struct {
			user string
			a    motcua.Action
		}{{"motcua.anphu", motcua.ActTransfer}, {"cv.anphu", motcua.ActForward}, {"ct.anphu", motcua.ActApprove}} {
			if _, err := svc.Act(ctxs[s.user], in.Dossier.Code, service.ActInput{Action: s.a}); err != nil {
				return 0, err
			}
		}
		codes = append(codes, in.Dossier.Code)
	}
	start := time.Now()
	res, err := svc.SignResults(ctxs["ct.anphu"], codes)
	took := time.Since(start)
	if err != nil {
		return 0, err
	}
	for _, r := range res {
		if r.Err != nil {
			return 0, fmt.Errorf("sign %s: %w", r.Code, r.Err)
		}
	}
	return took, nil
}
