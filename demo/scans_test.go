package demo_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

func scanPage(title, subject string, seed uint64) ([]byte, error) {
	var b bytes.Buffer
	err := pdf.WriteScan(&b, pdf.Scan{Title: title, Subject: subject, Seed: seed})
	return b.Bytes(), err
}

// signingDemo is a signing configuration for the demo: documents in a
// folder, the demo CA and its staff's certificates made at from.
func signingDemo(t *testing.T, from time.Time) (motcua.BlobStore, *sign.Keyring, string) {
	t.Helper()
	docs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir()
	var holders []sign.DemoHolder
	for _, a := range demo.Accounts() {
		holders = append(holders, sign.DemoHolder{Username: a.Username, Name: a.FullName, Organization: a.Agency})
	}
	if err := sign.EnsureDemo(keys, from, "Tỉnh Mẫu", holders); err != nil {
		t.Fatal(err)
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	return docs, ring, keys
}

// checkDigitized checks every dossier of the store: a component is
// digitized exactly when one of its files is signed, that file's bytes are
// stored and verify, and at least want components are digitized. It
// returns one signed scan and the number of digitized components.
func checkDigitized(t *testing.T, db *sqlstore.DB, docs motcua.BlobStore, ring *sign.Keyring, want int) ([]byte, int) {
	t.Helper()
	ctx := context.Background()
	var one []byte
	digitized, verified := 0, 0
	err := db.Read(ctx, func(tx motcua.Tx) error {
		{
			ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 5000})
			if err != nil {
				return err
			}
			for _, d := range ds {
				files, err := tx.DossierFiles(ctx, d.ID)
				if err != nil {
					return err
				}
				signed := map[int64]*motcua.DossierFile{}
				for _, f := range files {
					if f.Signed() && f.ComponentID != motcua.ResultComponent {
						signed[f.ComponentID] = f
					}
				}
				for _, c := range d.Components {
					if c.Digitized != (signed[c.ComponentID] != nil) {
						t.Errorf("%s component %d: digitized %v with signed file %v", d.Code, c.ComponentID, c.Digitized, signed[c.ComponentID] != nil)
					}
					if c.Digitized {
						digitized++
					}
				}
				for _, f := range signed {
					if verified >= 20 {
						break
					}
					rc, err := docs.Get(ctx, f.BlobKey)
					if err != nil {
						return err
					}
					b, err := io.ReadAll(rc)
					rc.Close()
					if err != nil {
						return err
					}
					check, err := ring.VerifyPDF(ctx, b)
					if err != nil {
						return err
					}
					if !check.Valid || !check.Signatures[0].Trusted || check.Signatures[0].Signer != f.Signer {
						t.Errorf("%s: stored scan %s does not verify: %+v", d.Code, f.BlobKey, check)
					}
					verified++
					one = b
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if digitized < want || one == nil {
		t.Fatalf("%d digitized components (want at least %d)", digitized, want)
	}
	return one, digitized
}

// pdfsigValid runs poppler's pdfsig; skips without it unless
// MOTCUA_REQUIRE_PDFTOOLS is set.
func pdfsigValid(t *testing.T, b []byte) (bool, string) {
	t.Helper()
	bin, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_PDFTOOLS") != "" {
			t.Fatal("pdfsig is missing (apt-get install poppler-utils)")
		}
		t.Skip("pdfsig is missing (apt-get install poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "scan.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, p).CombinedOutput()
	s := string(out)
	return strings.Count(s, "Signature is Valid.") == 1 && strings.Count(s, "Signature Validation:") == 1, s
}

// TestSeedAndGenerateDigitizeBySignedScans: the demo's dossiers and the
// generated ones are digitized only through signed scans stored as their
// components' files (pdfsig agrees, a changed byte breaks them), the
// generated communes' officers being given certificates; results the
// demo issues are signed electronic results.
func TestSeedAndGenerateDigitizeBySignedScans(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(filepath.Join(t.TempDir(), "gen.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	now := time.Date(2025, 12, 31, 23, 0, 0, 0, motcua.VietnamTime)
	docs, ring, keys := signingDemo(t, time.Date(2025, 1, 1, 0, 0, 0, 0, motcua.VietnamTime))
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern, Blobs: docs, Signer: ring, RenderResult: pdf.Result}
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32},
		Service: cfg, Scan: scanPage, Now: now}); err != nil {
		t.Fatal(err)
	}
	seeded, nSeeded := checkDigitized(t, db, docs, ring, 10)
	if ok, out := pdfsigValid(t, seeded); !ok {
		t.Fatalf("pdfsig on a demo scan:\n%s", out)
	}
	var certified []string
	res, err := demo.Generate(ctx, demo.GenerateOptions{Store: db, Cal: cal, Rules: cfg.Rules, Pattern: pattern, Dossiers: 100,
		Year: 2025, Now: now, Communes: 4, Seed: 7, Scans: &demo.Scanner{Signer: ring, Blobs: docs, Page: scanPage,
			Certify: func(officers []demo.Officer) error {
				var holders []sign.DemoHolder
				for _, o := range officers {
					certified = append(certified, o.User.Username)
					holders = append(holders, sign.DemoHolder{Username: o.User.Username, Name: o.User.FullName, Organization: o.Agency})
				}
				return sign.EnsureDemo(keys, time.Date(2025, 1, 1, 0, 0, 0, 0, motcua.VietnamTime), "Tỉnh Mẫu", holders)
			}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.CommunesAdded != 1 || len(certified) < 6 {
		t.Fatalf("generated %+v, certified %v", res, certified)
	}
	generated, _ := checkDigitized(t, db, docs, ring, nSeeded+25) // about 40 from 100 dossiers (components from national databases, reused, not yet received: none)
	if ok, out := pdfsigValid(t, generated); !ok {
		t.Fatalf("pdfsig on a generated scan:\n%s", out)
	}
	tampered := bytes.Clone(generated)
	i := bytes.Index(tampered, []byte("/Image"))
	tampered[i+1] = 'J'
	if ok, out := pdfsigValid(t, tampered); ok {
		t.Fatalf("pdfsig accepts a changed scan:\n%s", out)
	}
	if check, err := ring.VerifyPDF(ctx, tampered); err == nil && check.Valid {
		t.Fatal("the verifier accepts a changed scan")
	}
	// The results the demo and the generator issued electronically are
	// signed results stored before their issue, which pdfsig accepts.
	result, results := checkResults(t, db, docs, ring)
	if results < 20 { // about 60 % of some 60 issued results
		t.Errorf("%d signed electronic results, want at least 20", results)
	}
	if ok, out := pdfsigValid(t, result); !ok {
		t.Fatalf("pdfsig on a generated result:\n%s", out)
	}
}

// checkResults checks every dossier of the store with a result: it counts
// as electronic (Status.ResultSigned, flag of indicator 4.1) exactly when
// its issue_result names a result file stored before that event, signed,
// under the result code of the dossier, whose stored bytes verify; and no
// result names a file that is not there. It returns one generated result
// and the number of electronic results.
func checkResults(t *testing.T, db *sqlstore.DB, docs motcua.BlobStore, ring *sign.Keyring) ([]byte, int) {
	t.Helper()
	ctx := context.Background()
	var one []byte
	n := 0
	ds := withResults(t, db)
	if len(ds) < 50 {
		t.Fatalf("%d dossiers with a result", len(ds))
	}
	err := db.Read(ctx, func(tx motcua.Tx) error {
		for _, d := range ds {
			if d.Status.ResultSigned != d.Status.Report.Flags.Has(motcua.FlagResultFile) {
				t.Errorf("%s: signed result %v, flag %v", d.Code, d.Status.ResultSigned, d.Status.Report.Flags.Has(motcua.FlagResultFile))
			}
			if d.Status.ResultFileRef == "" {
				if d.Status.ResultSigned {
					t.Errorf("%s: a signed result without a file", d.Code)
				}
				continue
			}
			files, err := tx.DossierFiles(ctx, d.ID)
			if err != nil {
				return err
			}
			var f *motcua.DossierFile
			for _, x := range files {
				if x.IDString() == d.Status.ResultFileRef {
					f = x
				}
			}
			if f == nil || f.ComponentID != motcua.ResultComponent || !f.Signed() || !d.Status.ResultSigned || f.DocCode != motcua.ResultCode(d.Code) {
				t.Errorf("%s: result file %q: %+v, signed result %v", d.Code, d.Status.ResultFileRef, f, d.Status.ResultSigned)
				continue
			}
			events, err := tx.Events(ctx, d.ID)
			if err != nil {
				return err
			}
			for _, e := range events {
				if e.Action == motcua.ActIssueResult && (e.ResultFileRef != f.IDString() || !e.ResultSigned || e.At.Before(f.UploadedAt)) {
					t.Errorf("%s: issue_result %+v, file %+v", d.Code, e, f)
				}
			}
			rc, err := docs.Get(ctx, f.BlobKey)
			if err != nil {
				return err
			}
			b, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				return err
			}
			check, err := ring.VerifyPDF(ctx, b)
			if err != nil {
				return err
			}
			if !check.Valid || check.Signatures[len(check.Signatures)-1].Signer != f.Signer {
				t.Errorf("%s: stored result %s does not verify: %+v", d.Code, f.BlobKey, check)
			}
			if strings.HasPrefix(f.BlobKey, "dossiers/generated/") {
				one = b
			}
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if one == nil {
		t.Fatal("no generated dossier has a signed electronic result")
	}
	return one, n
}
