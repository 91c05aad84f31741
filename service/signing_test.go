package service_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// newSigningFixture is the demo province with documents in a folder and
// demo certificates for An Phú's counter officer, specialist and leader
// (not for the other communes' staff); more, if any, completes the
// configuration.
func newSigningFixture(t *testing.T, e sqltest.Engine, more ...func(*service.Config)) (*fixture, motcua.BlobStore) {
	t.Helper()
	docs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir()
	now := vn(2025, 3, 10, 9, 0)
	if err := sign.EnsureDemo(keys, now, "Tỉnh Mẫu", []sign.DemoHolder{
		{Username: "motcua.anphu", Name: "Huỳnh Thị Ngọc", Organization: "UBND xã An Phú"},
		{Username: "cv.anphu", Name: "Võ Văn Tài", Organization: "UBND xã An Phú"},
		{Username: "ct.anphu", Name: "Đinh Văn Phúc", Organization: "UBND xã An Phú"},
	}); err != nil {
		t.Fatal(err)
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, e, now, func(c *service.Config) {
		c.Blobs, c.Signer, c.RenderResult, c.VerifyURL = docs, ring, pdf.Result, "https://motcua.example/xac-thuc"
		for _, m := range more {
			m(c)
		}
	})
	return f, docs
}

// scanPDF is a small PDF as a scanner writes it (classic cross-reference
// table), made with the result template so that it needs no other tool.
func scanPDF(t *testing.T, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := pdf.Result(&b, &motcua.ResultDocument{DocCode: text, Agency: "Bản quét", IssuedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pdfsigSays runs poppler's pdfsig on b: whether it finds n signatures,
// all valid. Skips without pdfsig unless MOTCUA_REQUIRE_PDFTOOLS=1.
func pdfsigSays(t *testing.T, b []byte, n int) (bool, string) {
	t.Helper()
	bin, err := exec.LookPath("pdfsig")
	if err != nil {
		if os.Getenv("MOTCUA_REQUIRE_PDFTOOLS") == "1" {
			t.Fatal("pdfsig is required (MOTCUA_REQUIRE_PDFTOOLS=1): apt-get install poppler-utils")
		}
		t.Skip("pdfsig not installed (apt-get install poppler-utils)")
	}
	p := filepath.Join(t.TempDir(), "f.pdf")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(bin, p).CombinedOutput()
	s := string(out)
	return strings.Count(s, "Signature is Valid.") == n && strings.Count(s, "Signature Validation:") == n, s
}

func (f *fixture) blob(docs motcua.BlobStore, key string) []byte {
	f.t.Helper()
	rc, err := docs.Get(ctx, key)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		f.t.Fatal(err)
	}
	return b
}

func (f *fixture) stored(code string) *motcua.Dossier {
	f.t.Helper()
	var d *motcua.Dossier
	if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err }); err != nil {
		f.t.Fatal(err)
	}
	return d
}

// TestScanSignedAndDigitized: the counter's PDF scan is signed with the
// officer's certificate (pdfsig agrees), and that, not a tick, makes the
// component digitized and the dossier count for indicator 4.2; a PNG scan,
// or a PDF from someone without a certificate, is stored unsigned and
// digitizes nothing.
func TestScanSignedAndDigitized(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, docs := newSigningFixture(t, e)
		nd := f.newDossier("0912000666")
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", nd)
		if err != nil {
			t.Fatal(err)
		}
		code := in.Dossier.Code
		comps := in.Dossier.Components
		if f.stored(code).Status.Report.Flags.Has(motcua.FlagDigitized) {
			t.Fatal("digitized before any scan")
		}
		// Indicator 4.2's numerator for the agency, from the dossiers and
		// from the live counters.
		num42 := func(source string) int64 {
			t.Helper()
			march := motcua.Period{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)}
			idx, err := f.svc.Index766From(ctx, march, source)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range idx.Units {
				if u.AgencyID != in.Dossier.CompetentAgencyID {
					continue
				}
				for _, v := range u.Values {
					if v.ID == "4.2" {
						return v.Num
					}
				}
			}
			return 0
		}
		baseBefore, liveBefore := num42(service.SourceBase), num42(service.SourceLive)
		png, err := f.svc.AttachFile(f.as("motcua.anphu"), code, comps[0].ComponentID, "anh.png", bytes.NewReader(pngBytes))
		if err != nil || png.Signed() {
			t.Fatalf("png: %+v %v", png, err)
		}
		if f.stored(code).Status.Report.Flags.Has(motcua.FlagDigitized) {
			t.Fatal("an unsigned image made the dossier digitized")
		}
		scan := scanPDF(t, "To khai")
		file, err := f.svc.AttachFile(f.as("motcua.anphu"), code, comps[0].ComponentID, "tờ khai.pdf", bytes.NewReader(scan))
		if err != nil {
			t.Fatal(err)
		}
		if !file.Signed() || file.Signer != "Huỳnh Thị Ngọc" || !file.SignedAt.Equal(vn(2025, 3, 10, 9, 0)) || file.DocCode != "" {
			t.Fatalf("scan: %+v", file)
		}
		body := f.blob(docs, file.BlobKey)
		if !bytes.HasPrefix(body, scan) {
			t.Fatal("the stored scan is not the upload with a signature appended")
		}
		if ok, out := pdfsigSays(t, body, 1); !ok {
			t.Fatalf("pdfsig on the stored scan:\n%s", out)
		}
		d := f.stored(code)
		if !d.Components[0].Digitized || !d.Status.Report.Flags.DigitizedOK() || d.Status.Seq != in.Dossier.Status.Seq {
			t.Fatalf("after the signed scan: %+v flags %b seq %d", d.Components, d.Status.Report.Flags, d.Status.Seq)
		}
		if b, l := num42(service.SourceBase), num42(service.SourceLive); b != baseBefore+1 || l != liveBefore+1 {
			t.Fatalf("indicator 4.2 numerator: base %d→%d, live %d→%d", baseBefore, b, liveBefore, l)
		}
		// A tampered signed PDF is refused, nothing is stored.
		bad := bytes.Clone(body)
		bad[len(scan)/2] ^= 1
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), code, comps[1].ComponentID, "sửa.pdf", bytes.NewReader(bad))
		wantCode(t, err, motcua.EINVALID, "signature_invalid")
		// Not a PDF inside: refused with the signer's message.
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), code, comps[1].ComponentID, "hỏng.pdf", strings.NewReader("%PDF-1.4\ngarbage"))
		wantCode(t, err, motcua.EINVALID, "pdf_malformed")
		files, _ := f.svc.DossierFiles(f.as("motcua.anphu"), code)
		if len(files) != 2 {
			t.Fatalf("refused uploads left records: %+v", files)
		}
	})
}

// approved takes a fresh dossier to the approval, ready for its result.
func (f *fixture) approved(phone string) string {
	f.t.Helper()
	in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier(phone))
	if err != nil {
		f.t.Fatal(err)
	}
	for _, s := range []struct {
		user string
		a    motcua.Action
	}{{"motcua.anphu", motcua.ActTransfer}, {"cv.anphu", motcua.ActForward}, {"ct.anphu", motcua.ActApprove}} {
		if _, err := f.svc.Act(f.as(s.user), in.Dossier.Code, service.ActInput{Action: s.a}); err != nil {
			f.t.Fatalf("%s: %v", s.a, err)
		}
	}
	return in.Dossier.Code
}

// TestSignResult: the issuer signs the result in one step: the template is
// rendered, signed (pdfsig agrees), stored under its code and issued; the
// public verification finds it by code and by upload, and a changed byte
// is caught. Who may not issue, or has no certificate, or whose certificate
// expired, is refused and the dossier is unchanged.
func TestSignResult(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, docs := newSigningFixture(t, e)
		code := f.approved("0912000777")
		_, err := f.svc.SignResult(f.as("motcua.anphu"), code)
		wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
		file, err := f.svc.SignResult(f.as("cv.anphu"), code)
		if err != nil {
			t.Fatal(err)
		}
		if file.DocCode != motcua.ResultCode(code) || file.ComponentID != motcua.ResultComponent || !file.Signed() || file.Signer != "Võ Văn Tài" {
			t.Fatalf("result file: %+v", file)
		}
		d := f.stored(code)
		if d.Status.State != motcua.StateResultReady || d.Status.ResultFileRef != file.IDString() || d.Status.ResultNumber != file.DocCode ||
			!d.Status.Report.Flags.Has(motcua.FlagResultFile) {
			t.Fatalf("after signing: %+v", d.Status)
		}
		body := f.blob(docs, file.BlobKey)
		if ok, out := pdfsigSays(t, body, 1); !ok {
			t.Fatalf("pdfsig on the result:\n%s", out)
		}
		// Signing again: the dossier is no longer approved.
		_, err = f.svc.SignResult(f.as("cv.anphu"), code)
		wantCode(t, err, motcua.ECONFLICT, "not_approved")

		v, err := f.svc.VerifyResultCode(ctx, file.DocCode)
		if err != nil || !v.Check.Valid || v.DossierCode != code || v.Check.Signatures[0].Signer != "Võ Văn Tài" || !v.Check.Signatures[0].Trusted {
			t.Fatalf("verify by code: %+v %v", v, err)
		}
		_, err = f.svc.VerifyResultCode(ctx, "KQ-nothing")
		wantCode(t, err, motcua.ENOTFOUND, "")
		v, err = f.svc.VerifyDocument(ctx, bytes.NewReader(body))
		if err != nil || !v.Check.Valid || v.Check.Changed {
			t.Fatalf("verify upload: %+v %v", v, err)
		}
		bad := bytes.Clone(body)
		i := bytes.Index(bad, []byte("/Producer"))
		bad[i+2] ^= 0x20
		v, err = f.svc.VerifyDocument(ctx, bytes.NewReader(bad))
		if err != nil || v.Check.Valid || !v.Check.Changed {
			t.Fatalf("verify tampered: %+v %v", v, err)
		}
		if ok, _ := pdfsigSays(t, bad, 1); ok {
			t.Fatal("pdfsig finds the tampered result valid")
		}
		_, err = f.svc.VerifyDocument(ctx, strings.NewReader("not a pdf"))
		wantCode(t, err, motcua.EINVALID, "pdf_malformed")

		code2 := f.approved("0912000778")
		// An expired certificate: refused, nothing written.
		f.set(vn(2028, 4, 1, 9, 0))
		_, err = f.svc.SignResult(f.as("cv.anphu"), code2)
		wantCode(t, err, motcua.EINVALID, "cert_expired")
		if !strings.Contains(motcua.ErrorMessage(err), "hết hạn") {
			t.Errorf("expired: %q", motcua.ErrorMessage(err))
		}
		if d := f.stored(code2); d.Status.State != motcua.StateApproved {
			t.Fatalf("a refused signing changed the dossier: %s", d.Status.State)
		}
		if files, _ := f.svc.DossierFiles(f.as("cv.anphu"), code2); len(files) != 0 {
			t.Fatalf("a refused signing left files: %+v", files)
		}
	})
}

// TestResultFileRef: issue_result names the signed result file by its id
// (result_file_ref); an unknown or unsigned one is refused.
func TestResultFileRef(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, _ := newSigningFixture(t, e)
		code := f.approved("0912000779")
		png, err := f.svc.AttachFile(f.as("cv.anphu"), code, motcua.ResultComponent, "kq.png", bytes.NewReader(pngBytes))
		if err != nil {
			t.Fatal(err)
		}
		issue := func(ref string) error {
			_, err := f.svc.Act(f.as("cv.anphu"), code, service.ActInput{Action: motcua.ActIssueResult, ResultFileRef: ref})
			return err
		}
		wantCode(t, issue("99999"), motcua.EINVALID, "result_file_unknown")
		wantCode(t, issue(png.IDString()), motcua.EINVALID, "result_file_unsigned")
		// A result signed elsewhere and uploaded keeps its signature and
		// gets a code.
		at := vn(2025, 3, 10, 8, 0)
		ca, err := sign.Issue(nil, sign.Template{CommonName: "CA khác", IsCA: true, NotBefore: at.AddDate(-1, 0, 0), NotAfter: at.AddDate(1, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		other, err := sign.Issue(ca, sign.Template{CommonName: "Sở Tư pháp", NotBefore: at.AddDate(-1, 0, 0), NotAfter: at.AddDate(1, 0, 0)})
		if err != nil {
			t.Fatal(err)
		}
		signedElsewhere, err := other.SignPDF(scanPDF(t, "KQ"), sign.Options{Time: at})
		if err != nil {
			t.Fatal(err)
		}
		pdfFile, err := f.svc.AttachFile(f.as("cv.anphu"), code, motcua.ResultComponent, "kq.pdf", bytes.NewReader(signedElsewhere))
		if err != nil || !pdfFile.Signed() || pdfFile.Signer != "Sở Tư pháp" || pdfFile.Size != int64(len(signedElsewhere)) ||
			!strings.HasPrefix(pdfFile.DocCode, motcua.ResultCode(code)+"-") {
			t.Fatalf("uploaded result: %+v %v", pdfFile, err)
		}
		if err := issue(pdfFile.IDString()); err != nil {
			t.Fatal(err)
		}
		d := f.stored(code)
		if d.Status.ResultFileRef != pdfFile.IDString() || d.Status.ResultNumber != pdfFile.DocCode {
			t.Fatalf("issued: %+v", d.Status)
		}
	})
}

// TestSignResultsBatch: the leader signs a batch of approved results at
// once (each on its own, failures reported without stopping the others);
// they wait for the issuer, whose issue_result takes the signed file and
// whose SignResult issues it without signing again.
func TestSignResultsBatch(t *testing.T) {
	f, _ := newSigningFixture(t, sqltest.SQLite)
	codes := []string{f.approved("0912000801"), "H99.101-000000-9999", f.approved("0912000802")}
	out, err := f.svc.SignResults(f.as("ct.anphu"), codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 3 || out[0].Err != nil || out[2].Err != nil || motcua.ErrorCode(out[1].Err) != motcua.ENOTFOUND {
		t.Fatalf("batch: %+v", out)
	}
	for _, i := range []int{0, 2} {
		if d := f.stored(codes[i]); d.Status.State != motcua.StateApproved || out[i].File.Signer != "Đinh Văn Phúc" {
			t.Fatalf("leader's signature: %s %+v", d.Status.State, out[i].File)
		}
	}
	_, err = f.svc.SignResult(f.as("ct.anphu"), codes[0])
	wantCode(t, err, motcua.ECONFLICT, "result_signed")
	// The issuer issues the first with the plain action, the other with
	// SignResult: both name the leader's file.
	if _, err := f.svc.Act(f.as("cv.anphu"), codes[0], service.ActInput{Action: motcua.ActIssueResult}); err != nil {
		t.Fatal(err)
	}
	file, err := f.svc.SignResult(f.as("cv.anphu"), codes[2])
	if err != nil || file.ID != out[2].File.ID {
		t.Fatalf("issuer after the leader: %+v %v", file, err)
	}
	for _, i := range []int{0, 2} {
		d := f.stored(codes[i])
		if d.Status.State != motcua.StateResultReady || d.Status.ResultFileRef != out[i].File.IDString() || d.Status.ResultNumber != motcua.ResultCode(codes[i]) {
			t.Fatalf("issued %s: %+v", codes[i], d.Status)
		}
	}
	_, err = f.svc.SignResults(f.as("cv.anphu"), nil)
	wantCode(t, err, motcua.EINVALID, "batch_size")
	_, err = f.svc.SignResult(f.as("motcua.hoabinh"), codes[0])
	wantCode(t, err, motcua.ENOTFOUND, "")
}
