package service_test

import (
	"bytes"
	"io"
	"net/url"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestResultDownloadFromLookup: the public lookup offers the signed result
// (its document code, nothing else new) to whoever holds the code and
// verifier, the download is the stored signed file and is written to the
// access log; a wrong verifier, or a dossier whose result is not a signed
// file, gets nothing.
func TestResultDownloadFromLookup(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, docs := newSigningFixture(t, e)
		code := f.approved("0912000888")
		// Approved, no result yet: nothing to download.
		p, err := f.svc.Lookup(ctx, code, "0888", "192.0.2.7")
		if err != nil {
			t.Fatal(err)
		}
		if p.ResultDocCode != "" {
			t.Fatalf("an approved dossier offers a result: %+v", p)
		}
		_, _, err = f.svc.ResultDownload(ctx, code, "0888", "192.0.2.7")
		wantCode(t, err, motcua.ENOTFOUND, "no_electronic_result")

		file, err := f.svc.SignResult(f.as("cv.anphu"), code)
		if err != nil {
			t.Fatal(err)
		}
		p, err = f.svc.Lookup(ctx, code, "0888", "192.0.2.7")
		if err != nil {
			t.Fatal(err)
		}
		if p.ResultDocCode != file.DocCode {
			t.Fatalf("lookup after signing: %+v", p)
		}
		_, _, err = f.svc.ResultDownload(ctx, code, "0999", "192.0.2.7")
		wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
		got, rc, err := f.svc.ResultDownload(ctx, code, "0888", "192.0.2.7")
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != file.ID || !bytes.Equal(body, f.blob(docs, file.BlobKey)) {
			t.Fatalf("downloaded %+v (%d bytes), want file %d", got, len(body), file.ID)
		}
		if ok, out := pdfsigSays(t, body, 1); !ok {
			t.Fatalf("pdfsig on the downloaded result:\n%s", out)
		}
		var logged []*motcua.AuditEntry
		if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			logged, err = tx.AuditEntries(ctx, motcua.AuditFilter{DossierID: got.DossierID})
			return err
		}); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range logged {
			if a.Action == motcua.AuditResultDownloaded && a.IP == "192.0.2.7" && a.UserID == 0 {
				n++
			}
		}
		if n != 1 {
			t.Fatalf("%d download entries in the access log: %+v", n, logged)
		}
	})
}

// TestPortalCarriesTheSignedResult: when the result is issued as a signed
// file, the portal's record of the dossier carries the result's document
// code and the link where the applicant downloads it (with the dossier's
// lookup secret, which ResultDownload accepts); a result issued without a
// file carries its number only.
func TestPortalCarriesTheSignedResult(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, _ := newSigningFixture(t, e, func(c *service.Config) { c.PortalSync, c.BaseURL = true, "https://motcua.example" })
		portal := newRecordingPortal()
		code := f.approved("0912000889")
		file, err := f.svc.SignResult(f.as("cv.anphu"), code)
		if err != nil {
			t.Fatal(err)
		}
		plain := f.approved("0912000890")
		if _, err := f.svc.Act(f.as("cv.anphu"), plain, service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "7/QĐ-UBND"}); err != nil {
			t.Fatal(err)
		}
		for f.deliver(portal) > 0 {
		}
		d := f.stored(code)
		r := portal.records[code]
		if r == nil || len(r.Results) != 1 {
			t.Fatalf("the portal's record: %+v", r)
		}
		want := "https://motcua.example/tra-cuu/ket-qua?" + url.Values{"ma": {code}, "k": {d.LookupSecret}}.Encode()
		if res := r.Results[0]; res.Code != file.DocCode || res.Number != file.DocCode || res.URL != want {
			t.Fatalf("the portal's result: %+v, want code %s and link %s", res, file.DocCode, want)
		}
		if _, rc, err := f.svc.ResultDownload(ctx, code, d.LookupSecret, "198.51.100.1"); err != nil {
			t.Fatalf("the portal's link does not download: %v", err)
		} else {
			rc.Close()
		}
		if res := portal.records[plain].Results; len(res) != 1 || res[0].Code != "" || res[0].URL != "" || res[0].Number != "7/QĐ-UBND" {
			t.Fatalf("a result without a file: %+v", res)
		}
	})
}
