package service_test

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// A minimal PDF and PNG header: the service recognises files by these
// first bytes.
var (
	pdfBytes = []byte("%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
)

// newFilesFixture is the demo province with documents in a folder and
// files limited to 4 KB.
func newFilesFixture(t *testing.T, e sqltest.Engine) (*fixture, motcua.BlobStore) {
	t.Helper()
	docs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Blobs, c.MaxFileSize = docs, 4096 })
	return f, docs
}

func (f *fixture) audits(dossierID int64) []*motcua.AuditEntry {
	f.t.Helper()
	var es []*motcua.AuditEntry
	if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) {
		es, err = tx.AuditEntries(ctx, motcua.AuditFilter{DossierID: dossierID, Action: motcua.AuditViewPersonalData, Limit: 100})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return es
}

// TestAttachFileRules attaches a scan to a guardianship dossier at An
// Phú's counter and checks who may attach, list and open it, what is
// refused, that the file is audited when opened and leaves the dossier's
// history alone.
func TestAttachFileRules(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, docs := newFilesFixture(t, e)
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912000333"))
		if err != nil {
			t.Fatal(err)
		}
		d := in.Dossier
		comp := d.Components[0].ComponentID
		before, err := f.svc.Dossier(f.as("motcua.anphu"), d.Code, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(before.Attach) == 0 || before.Attach[0] != comp {
			t.Errorf("the counter may attach to %v", before.Attach)
		}

		// The counter, which acts on the received dossier, attaches a scan.
		file, err := f.svc.AttachFile(f.as("motcua.anphu"), d.Code, comp, `C:\Scans\..\Tờ khai giám hộ.pdf`, bytes.NewReader(pdfBytes))
		if err != nil {
			t.Fatal(err)
		}
		if file.ID == 0 || file.Name != "Tờ khai giám hộ.pdf" || file.ContentType != "application/pdf" || file.Size != int64(len(pdfBytes)) ||
			!strings.HasPrefix(file.BlobKey, "dossiers/") || !strings.HasSuffix(file.BlobKey, "/"+file.SHA256) || len(file.SHA256) != 64 {
			t.Errorf("attached %+v", file)
		}
		if ok, err := docs.Exists(ctx, file.BlobKey); !ok || err != nil {
			t.Errorf("blob %s not stored: %v", file.BlobKey, err)
		}
		// A retry with the same bytes gives the same file.
		again, err := f.svc.AttachFile(f.as("motcua.anphu"), d.Code, comp, "lại.pdf", bytes.NewReader(pdfBytes))
		if err != nil || again.ID != file.ID {
			t.Errorf("retry: %+v %v", again, err)
		}

		// What is refused.
		_, err = f.svc.AttachFile(f.as("motcua.hoabinh"), d.Code, comp, "x.pdf", bytes.NewReader(pdfBytes))
		wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
		_, err = f.svc.AttachFile(f.as("cv.anphu"), d.Code, comp, "x.pdf", bytes.NewReader(pdfBytes))
		wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), d.Code, comp, "x.pdf", strings.NewReader("<html>not a scan</html>"))
		wantCode(t, err, motcua.EINVALID, "file_type_not_allowed")
		big := append(append([]byte{}, pdfBytes...), make([]byte, 4096)...)
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), d.Code, comp, "big.pdf", bytes.NewReader(big))
		wantCode(t, err, motcua.ETOOLARGE, "file_too_large")
		if msg := motcua.ErrorMessage(err); !strings.Contains(msg, "4 KB") {
			t.Errorf("too big: %q", msg)
		}
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), d.Code, comp, "empty.pdf", strings.NewReader(""))
		wantCode(t, err, motcua.EINVALID, "file_missing")
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), d.Code, 9999, "x.pdf", bytes.NewReader(pdfBytes))
		wantCode(t, err, motcua.EINVALID, "component_unknown")
		_, err = f.svc.AttachFile(f.as("motcua.anphu"), d.Code, motcua.ResultComponent, "kq.pdf", bytes.NewReader(pdfBytes))
		wantCode(t, err, motcua.EINVALID, "result_file_not_now")
		_, err = f.svc.AttachFile(ctx, d.Code, comp, "x.pdf", bytes.NewReader(pdfBytes))
		wantCode(t, err, motcua.EUNAUTHORIZED, "")

		// Listing: anyone who may see the dossier.
		list, err := f.svc.DossierFiles(f.as("cv.anphu"), d.Code)
		if err != nil || len(list) != 1 || list[0].ID != file.ID {
			t.Errorf("list: %+v %v", list, err)
		}
		_, err = f.svc.DossierFiles(f.as("motcua.hoabinh"), d.Code)
		wantCode(t, err, motcua.ENOTFOUND, "")

		// Opening: the bytes, and one audit entry per opening.
		n := len(f.audits(d.ID))
		got, rc, err := f.svc.OpenFile(f.as("cv.anphu"), d.Code, file.ID, "10.0.0.9")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(body, pdfBytes) || got.Name != file.Name {
			t.Errorf("opened %+v: %q", got, body)
		}
		es := f.audits(d.ID)
		if len(es) != n+1 || es[0].IP != "10.0.0.9" || !strings.Contains(es[0].Detail, "Tờ khai giám hộ.pdf") {
			t.Errorf("audit after opening: %d entries (had %d), newest %+v", len(es), n, es[0])
		}
		_, _, err = f.svc.OpenFile(f.as("motcua.hoabinh"), d.Code, file.ID, "")
		wantCode(t, err, motcua.ENOTFOUND, "")
		_, _, err = f.svc.OpenFile(f.as("cv.anphu"), d.Code, file.ID+100, "")
		wantCode(t, err, motcua.ENOTFOUND, "file_not_found")
		if len(f.audits(d.ID)) != n+1 {
			t.Error("a refused opening was audited")
		}

		// The file left the dossier's history and flags alone.
		after, err := f.svc.Dossier(f.as("motcua.anphu"), d.Code, "")
		if err != nil {
			t.Fatal(err)
		}
		if after.Dossier.Status.Seq != before.Dossier.Status.Seq || len(after.Events) != len(before.Events) ||
			after.Dossier.Components[0].Digitized != before.Dossier.Components[0].Digitized {
			t.Errorf("attaching changed the dossier: seq %d → %d", before.Dossier.Status.Seq, after.Dossier.Status.Seq)
		}
		if len(after.Files) != 1 || after.Files[0].ID != file.ID {
			t.Errorf("the dossier's page shows files %+v", after.Files)
		}
	})
}

// TestResultFileThroughTheStages settles a dossier and attaches its result
// scan: refused before the approval, taken by the issuer once approved and
// by the counter before the return, refused after it, as is any
// component's scan once the result is ready.
func TestResultFileThroughTheStages(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, _ := newFilesFixture(t, e)
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912000444"))
		if err != nil {
			t.Fatal(err)
		}
		code, comp := in.Dossier.Code, in.Dossier.Components[0].ComponentID
		act := func(user string, a motcua.Action) {
			t.Helper()
			if _, err := f.svc.Act(f.as(user), code, service.ActInput{Action: a, ResultNumber: "12/GH"}); err != nil {
				t.Fatalf("%s by %s: %v", a, user, err)
			}
		}
		attach := func(user string, component int64, body []byte) error {
			_, err := f.svc.AttachFile(f.as(user), code, component, "kq.png", bytes.NewReader(body))
			return err
		}
		act("motcua.anphu", motcua.ActTransfer)
		// The specialist appraising may add a scan, and so may the leader,
		// who may extend or stop the dossier meanwhile.
		if err := attach("cv.anphu", comp, pngBytes); err != nil {
			t.Fatalf("specialist at the appraisal: %v", err)
		}
		if err := attach("ct.anphu", comp, pdfBytes); err != nil {
			t.Fatalf("leader at the appraisal: %v", err)
		}
		wantCode(t, attach("cv.anphu", motcua.ResultComponent, pdfBytes), motcua.EINVALID, "result_file_not_now")
		act("cv.anphu", motcua.ActForward)
		act("ct.anphu", motcua.ActApprove)
		if err := attach("cv.anphu", motcua.ResultComponent, pdfBytes); err != nil {
			t.Fatalf("the issuer's result scan: %v", err)
		}
		act("cv.anphu", motcua.ActIssueResult)
		wantCode(t, attach("motcua.anphu", comp, pdfBytes), motcua.ECONFLICT, "dossier_finished")
		if err := attach("motcua.anphu", motcua.ResultComponent, pngBytes); err != nil {
			t.Fatalf("the counter's result scan before the return: %v", err)
		}
		act("motcua.anphu", motcua.ActReturn)
		wantCode(t, attach("motcua.anphu", motcua.ResultComponent, pngBytes), motcua.EINVALID, "result_file_not_now")
		files, err := f.svc.DossierFiles(f.as("ct.anphu"), code)
		if err != nil || len(files) != 4 || files[2].ComponentID != motcua.ResultComponent || files[3].ContentType != "image/png" {
			t.Errorf("files: %+v %v", files, err)
		}
	})
}

// TestDocumentsDisabled: a service without a document store refuses files
// with a message, and lists none.
func TestDocumentsDisabled(t *testing.T) {
	f := newFixture(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0), nil)
	in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912000555"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.AttachFile(f.as("motcua.anphu"), in.Dossier.Code, in.Dossier.Components[0].ComponentID, "a.pdf", bytes.NewReader(pdfBytes))
	wantCode(t, err, motcua.EFORBIDDEN, "documents_disabled")
	if !strings.Contains(motcua.ErrorMessage(err), "tài liệu điện tử") {
		t.Errorf("message: %q", motcua.ErrorMessage(err))
	}
	_, _, err = f.svc.OpenFile(f.as("motcua.anphu"), in.Dossier.Code, 1, "")
	wantCode(t, err, motcua.EFORBIDDEN, "documents_disabled")
	v, err := f.svc.Dossier(f.as("motcua.anphu"), in.Dossier.Code, "")
	if err != nil || len(v.Attach) != 0 {
		t.Errorf("attachable without documents: %v %v", v.Attach, err)
	}
}
