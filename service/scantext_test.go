package service_test

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// fakeText is a TextReader that answers a fixed text and counts its calls.
type fakeText struct {
	text  string
	calls atomic.Int32
}

func (f *fakeText) ReadText(_ context.Context, doc []byte, contentType string) (string, error) {
	f.calls.Add(1)
	if contentType != "application/pdf" || !bytes.HasPrefix(doc, []byte("%PDF-")) {
		return "", motcua.Errorf(motcua.EINVALID, "ocr_type", "x")
	}
	return f.text, nil
}

// TestScanTextReadByJob: a component's scan is read by an outbox job, not
// in the upload; its text and the metadata it suggests are then shown to
// those who see the dossier (the reading logged), to a stranger not at all.
func TestScanTextReadByJob(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		reader := &fakeText{text: "ỦY BAN NHÂN DÂN XÃ AN PHÚ\nQUYẾT ĐỊNH\nSố: 12/QĐ-UBND\nAn Phú, ngày 02 tháng 3 năm 2026\nĐinh Văn Phúc"}
		f, _ := newSigningFixture(t, e, func(c *service.Config) { c.Text = reader })
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912000444"))
		if err != nil {
			t.Fatal(err)
		}
		code := in.Dossier.Code
		file, err := f.svc.AttachFile(f.as("motcua.anphu"), code, in.Dossier.Components[0].ComponentID, "qd.pdf", bytes.NewReader(scanPDF(t, "QD")))
		if err != nil {
			t.Fatal(err)
		}
		if reader.calls.Load() != 0 {
			t.Fatal("the text was read in the upload's request")
		}
		st, err := f.svc.FileText(f.as("motcua.anphu"), code, file.ID, "")
		if err != nil || st.Ready {
			t.Fatalf("before the job: %+v %v", st, err)
		}
		n, err := f.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicScanText: f.svc.ScanTextDeliverer()}})
		if err != nil || n != 1 || reader.calls.Load() != 1 {
			t.Fatalf("the job: %d delivered, %v, %d readings", n, err, reader.calls.Load())
		}
		st, err = f.svc.FileText(f.as("cv.anphu"), code, file.ID, "192.0.2.9")
		if err != nil || !st.Ready || st.Text != reader.text {
			t.Fatalf("after the job: %+v %v", st, err)
		}
		if p := st.Proposed; p.NumberSymbol != "12/QĐ-UBND" || p.DocType != "QUYẾT ĐỊNH" || p.Issuer != "ỦY BAN NHÂN DÂN XÃ AN PHÚ" || p.Signer != "Đinh Văn Phúc" {
			t.Errorf("proposed %+v", p)
		}
		if _, err := f.svc.FileText(f.as("motcua.hoabinh"), code, file.ID, ""); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("a stranger reads the text: %v", err)
		}
	})
}
