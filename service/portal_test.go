package service_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// recordingPortal stands for the national portal above the motcua.Portal
// interface: it keeps what it was sent, refuses a second create as the
// portal does, and can be down. (The adapter itself is tested against the
// portal's simulator over HTTP in package dvcqg.)
type recordingPortal struct {
	mu       sync.Mutex
	down     bool
	records  map[string]*motcua.PortalDossier
	creates  int
	progress map[string][]*motcua.PortalProgress
}

func newRecordingPortal() *recordingPortal {
	return &recordingPortal{records: map[string]*motcua.PortalDossier{}, progress: map[string][]*motcua.PortalProgress{}}
}

func (p *recordingPortal) SyncDossier(_ context.Context, d *motcua.PortalDossier, update bool) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return errors.New("portal unavailable")
	}
	_, have := p.records[d.NationalCode]
	switch {
	case !update && have:
		return motcua.Errorf(motcua.ECONFLICT, "exists", "exists")
	case update && !have:
		return motcua.Errorf(motcua.EINVALID, "unknown", "update of an unknown record")
	case !update:
		p.creates++
	}
	p.records[d.NationalCode] = d
	return nil
}

func (p *recordingPortal) SyncProgress(_ context.Context, r *motcua.PortalProgress) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return errors.New("portal unavailable")
	}
	if _, ok := p.records[r.NationalCode]; !ok {
		return motcua.Errorf(motcua.EINVALID, "unknown", "progress of an unknown record")
	}
	p.progress[r.NationalCode] = append(p.progress[r.NationalCode], r)
	return nil
}

func (p *recordingPortal) setDown(down bool) {
	p.mu.Lock()
	p.down = down
	p.mu.Unlock()
}

// newPortalFixture is the demo province with the portal connected and
// documents in a folder.
func newPortalFixture(t *testing.T, e sqltest.Engine) *fixture {
	t.Helper()
	docs, err := blob.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Blobs, c.PortalSync = docs, true })
}

// forwarded is an online dossier for Đăng ký giám hộ at An Phú as the
// portal forwards it, with a scan of the first component.
func (f *fixture) forwarded(msgID, national string) *motcua.PortalSubmission {
	f.t.Helper()
	p, err := f.svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		f.t.Fatal(err)
	}
	sub := &motcua.PortalSubmission{MessageID: msgID, NationalCode: national, ProcedureCode: "1.004837", AgencyCode: "H99.101",
		Applicant:    motcua.Applicant{Kind: motcua.ApplicantCitizen, IDKind: motcua.IDPersonal, IDNumber: "001193012345", FullName: "Lê Thị Kim Oanh", Phone: "0912345678"},
		AccountLevel: 2, SubmittedAt: f.svc.Now(), Summary: "Đăng ký giám hộ cho cháu Lê Minh An", ReturnMethod: "online"}
	for i, c := range p.Components {
		if c.FromNationalDB {
			continue
		}
		pc := motcua.PortalComponent{Code: "TP" + string(rune('1'+i)), Name: c.Name, Seq: i + 1}
		if c.Reusable {
			pc.ReplacedBy = "KQ-2024-000123" // an earlier result stands in for the paper
		} else {
			pc.Files, pc.Digitized = []motcua.PortalUpload{{Name: "to-khai.pdf", Data: pdfBytes}}, true
		}
		sub.Components = append(sub.Components, pc)
	}
	return sub
}

// deliver runs the outbox once through the portal and returns how many
// messages were delivered.
func (f *fixture) deliver(p motcua.Portal) int {
	f.t.Helper()
	n, err := f.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{motcua.TopicPortalSync: f.svc.PortalDeliverer(p)}})
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// TestPortalForwardedDossierLifecycle follows an online dossier from the
// portal to its return: it lands as submitted with its file, forwarding it
// again gives the same dossier, the same message twice is refused; the
// officer accepts, the specialist asks for a supplement, the citizen's
// supplement comes back through the portal and the work resumes; the
// portal receives the record, created once then updated, and one progress
// row per change, in order, ending returned.
func TestPortalForwardedDossierLifecycle(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newPortalFixture(t, e)
		portal := newRecordingPortal()
		dvc := f.as("dvcqg")
		sub := f.forwarded("m-1", "G22.99.1-250310-0001")
		sent := 0
		for _, c := range sub.Components {
			sent += len(c.Files)
		}
		in, err := f.svc.ReceiveFromPortal(dvc, sub)
		if err != nil {
			t.Fatal(err)
		}
		d := in.Dossier
		if d.Status.State != motcua.StateSubmitted || d.Channel != motcua.ChannelOnline || !d.Applicant.VNeIDVerified {
			t.Fatalf("forwarded dossier: state %s channel %d verified %v", d.Status.State, d.Channel, d.Applicant.VNeIDVerified)
		}
		digitized, reused := 0, 0
		for _, c := range d.Components {
			if c.Digitized {
				digitized++
			}
			if c.Reused {
				reused++
			}
		}
		// The portal says the citizen's files are digitized; unsigned, they
		// are not (digitized is derived from signed copies).
		if digitized != 0 || reused != len(sub.Components)-sent {
			t.Fatalf("components: %d digitized, %d reused, for %d files among %d components", digitized, reused, sent, len(sub.Components))
		}
		files, err := f.svc.DossierFiles(f.as("motcua.anphu"), d.Code)
		if err != nil || len(files) != sent || sent == 0 || files[0].Name != "to-khai.pdf" {
			t.Fatalf("files of the forwarded dossier: %v, %v", files, err)
		}
		again, err := f.svc.ReceiveFromPortal(dvc, f.forwarded("m-2", "G22.99.1-250310-0001"))
		if err != nil || !again.Replayed || again.Dossier.ID != d.ID {
			t.Fatalf("forwarded twice: %+v, %v", again, err)
		}
		if _, err := f.svc.ReceiveFromPortal(dvc, f.forwarded("m-1", "G22.99.1-250310-0002")); motcua.ErrorReason(err) != "message_replayed" {
			t.Fatalf("the same message id twice: %v", err)
		}
		if _, err := f.svc.ReceiveFromPortal(f.as("motcua.anphu"), f.forwarded("m-3", "G22.99.1-250310-0003")); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Fatalf("an officer posing as the portal: %v", err)
		}

		act := func(user string, in service.ActInput) {
			t.Helper()
			f.set(f.svc.Now().Add(10 * time.Minute))
			if _, err := f.svc.Act(f.as(user), d.Code, in); err != nil {
				t.Fatalf("%s %s: %v", user, in.Action, err)
			}
		}
		act("motcua.anphu", service.ActInput{Action: motcua.ActReceive})
		act("motcua.anphu", service.ActInput{Action: motcua.ActTransfer})
		v, err := f.svc.Dossier(f.as("motcua.anphu"), d.Code, "")
		if err != nil {
			t.Fatal(err)
		}
		missing := []int64{v.Dossier.Components[0].ComponentID}
		act("cv.anphu", service.ActInput{Action: motcua.ActRequestSupplement, Reason: "Tờ khai chưa có chữ ký của người giám hộ.", Missing: missing})
		// Delivered while the dossier waits: the portal shows the request.
		f.deliver(portal)
		if r := portal.records["G22.99.1-250310-0001"]; r == nil || r.State != motcua.StateAwaitingSupplement || len(r.Supplements) != 1 ||
			len(r.Supplements[0].Components) != 1 {
			t.Fatalf("record after the supplement request: %+v", r)
		}

		f.set(f.svc.Now().Add(time.Hour))
		sup := &motcua.PortalSupplement{MessageID: "m-4", NationalCode: "G22.99.1-250310-0001", At: f.svc.Now(),
			Components: []motcua.PortalComponent{{Name: v.Dossier.Components[0].Name, Seq: 1, Files: []motcua.PortalUpload{{Name: "to-khai-da-ky.pdf", Data: append(pdfBytes, ' ')}}}}}
		after, err := f.svc.SupplementFromPortal(dvc, sup)
		if err != nil {
			t.Fatal(err)
		}
		if after.Status.State != motcua.StateProcessing || !after.Status.ClockStartAt.Equal(f.svc.Now()) {
			t.Fatalf("after the online supplement: state %s clock from %v", after.Status.State, after.Status.ClockStartAt)
		}
		if _, err := f.svc.SupplementFromPortal(dvc, sup); motcua.ErrorReason(err) != "message_replayed" {
			t.Fatalf("the supplement message again: %v", err)
		}
		act("cv.anphu", service.ActInput{Action: motcua.ActForward})
		act("ct.anphu", service.ActInput{Action: motcua.ActApprove})
		act("cv.anphu", service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "15/2025/QĐ-UBND"})
		act("motcua.anphu", service.ActInput{Action: motcua.ActReturn})
		for f.deliver(portal) > 0 {
		}

		r := portal.records["G22.99.1-250310-0001"]
		rows := portal.progress["G22.99.1-250310-0001"]
		final, err := f.svc.Dossier(f.as("motcua.anphu"), d.Code, "")
		if err != nil {
			t.Fatal(err)
		}
		if portal.creates != 1 || r.State != motcua.StateReturned || r.ReturnedAt.IsZero() || len(r.Results) != 1 ||
			r.Results[0].Number != "15/2025/QĐ-UBND" || !r.Supplements[0].AnsweredAt.Equal(after.Status.ClockStartAt) || len(r.Files) != len(files)+1 {
			t.Fatalf("final record (%d creates): %+v", portal.creates, r)
		}
		// The citizen's unsigned uploads are files, not digitized copies.
		if r.Digitized || r.Files[0].Digitized {
			t.Fatalf("the portal is told unsigned files are digitized: %+v", r)
		}
		if len(rows) != len(final.Events) {
			t.Fatalf("%d progress rows for %d events", len(rows), len(final.Events))
		}
		for i, row := range rows {
			if row.Seq != i+1 || row.State != final.Events[i].ToState {
				t.Fatalf("progress row %d: seq %d state %s, want %d %s", i, row.Seq, row.State, i+1, final.Events[i].ToState)
			}
		}
		if s := final.PortalSync; s == nil || !s.InStep() || s.SyncedSeq != len(final.Events) || s.NationalCode != "G22.99.1-250310-0001" {
			t.Fatalf("sync state on the dossier page: %+v", s)
		}
	})
}

// TestPortalOutageLosesNothing keeps the portal down for an hour (simulated
// time) while dossiers keep moving: every attempt fails and is retried
// with back-off, the lag shows on the administrator's overview and an
// administrator notice is queued; when the portal is back the backlog
// drains by itself, each dossier's rows in order, none missing.
func TestPortalOutageLosesNothing(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newPortalFixture(t, e)
		portal := newRecordingPortal()
		portal.setDown(true)
		start := f.svc.Now()
		var codes []string
		for i := range 6 {
			in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("09123400"+string(rune('0'+i))+"0"))
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, in.Dossier.Code)
		}
		for minute := 0; minute <= 60; minute += 5 {
			f.set(start.Add(time.Duration(minute) * time.Minute))
			if minute%20 == 10 {
				for _, c := range codes {
					if _, err := f.svc.Act(f.as("motcua.anphu"), c, service.ActInput{Action: motcua.ActTransfer}); err != nil &&
						motcua.ErrorCode(err) != motcua.ECONFLICT {
						t.Fatal(err)
					}
				}
			}
			if n := f.deliver(portal); n != 0 {
				t.Fatalf("%d delivered while the portal is down", n)
			}
		}
		o, err := f.svc.PortalOverview(f.as("admin"), true)
		if err != nil {
			t.Fatal(err)
		}
		if o.State.Pending != 12 || o.Lag < time.Hour || !o.Alert || o.State.Failed != 0 {
			t.Fatalf("overview after an hour down: %+v lag %v", o.State, o.Lag)
		}
		if _, err := f.svc.PortalOverview(f.as("motcua.anphu"), true); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Fatalf("a counter officer reading the overview: %v", err)
		}
		var notices int
		f.db.Read(ctx, func(tx motcua.Tx) error {
			st, err := tx.OutboxTopicState(ctx, motcua.TopicAdminNotice, f.svc.Now())
			notices = st.Pending
			return err
		})
		if notices != 1 {
			t.Fatalf("%d administrator notices, want 1", notices)
		}

		portal.setDown(false)
		for step := 0; step < 40; step++ {
			f.set(f.svc.Now().Add(10 * time.Minute)) // past every back-off
			f.deliver(portal)
		}
		for _, c := range codes {
			rows := portal.progress[c]
			if len(rows) != 2 || rows[0].Seq != 1 || rows[1].Seq != 2 || rows[1].State != motcua.StateProcessing {
				t.Fatalf("%s: rows %+v", c, rows)
			}
			if r := portal.records[c]; r == nil || r.State != motcua.StateProcessing {
				t.Fatalf("%s: record %+v", c, r)
			}
		}
		if portal.creates != len(codes) {
			t.Fatalf("%d creates for %d dossiers", portal.creates, len(codes))
		}
		o, _ = f.svc.PortalOverview(f.as("admin"), true)
		if o.State.Pending != 0 || o.Lag != 0 {
			t.Fatalf("overview after draining: %+v", o.State)
		}
	})
}

// TestPortalActsOnlyOnForwardedDossiers: the portal's withdrawal applies to
// the online dossiers it forwarded, never to a counter dossier, even one
// whose code it names; a withdrawn dossier is reported withdrawn.
func TestPortalActsOnlyOnForwardedDossiers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newPortalFixture(t, e)
		dvc := f.as("dvcqg")
		counter, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912340000"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.WithdrawFromPortal(dvc, &motcua.PortalWithdrawal{MessageID: "w-1", NationalCode: counter.Dossier.Code}); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("the portal withdrawing a counter dossier: %v", err)
		}
		in, err := f.svc.ReceiveFromPortal(dvc, f.forwarded("m-1", "G22.99.1-250310-0009"))
		if err != nil {
			t.Fatal(err)
		}
		d, err := f.svc.WithdrawFromPortal(dvc, &motcua.PortalWithdrawal{MessageID: "w-2", NationalCode: "G22.99.1-250310-0009", Reason: "Tôi nộp nhầm thủ tục."})
		if err != nil || d.Status.State != motcua.StateWithdrawn || d.ID != in.Dossier.ID {
			t.Fatalf("withdrawal of a forwarded dossier: %+v, %v", d, err)
		}
		portal := newRecordingPortal()
		f.deliver(portal)
		if r := portal.records["G22.99.1-250310-0009"]; r == nil || r.State != motcua.StateWithdrawn {
			t.Fatalf("record after the withdrawal: %+v", r)
		}
		if r := portal.records[counter.Dossier.Code]; r == nil || r.State != motcua.StateReceived {
			t.Fatalf("the counter dossier is reported too: %+v", r)
		}
	})
}

// TestPortalPaidFeesBecomeRecords: fees the citizen paid on the portal's
// platform arrive as a paid online payment record (once, whatever the
// forwarding repeats), so the dossier and the portal's record say "paid
// online" from the record, not from a flag.
func TestPortalPaidFeesBecomeRecords(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newPortalFixture(t, e)
		p, err := f.svc.ProcedureByCode(ctx, "2.000635") // bản sao trích lục hộ tịch, 8.000 đồng
		if err != nil {
			t.Fatal(err)
		}
		sub := &motcua.PortalSubmission{MessageID: "m-1", NationalCode: "G22.261205.000001", ProcedureCode: p.Code, AgencyCode: "H99.101",
			Applicant:   motcua.Applicant{Kind: motcua.ApplicantCitizen, IDKind: motcua.IDPersonal, IDNumber: "001190004321", FullName: "Nguyễn Thị Thu Hà", Phone: "0987001122"},
			SubmittedAt: f.svc.Now(), Payments: []motcua.PortalPayment{{Name: "Phí cấp bản sao", Amount: p.FeeTotal(), PaidAt: f.svc.Now(), Reference: "TT-0001"}}}
		for i, c := range p.Components {
			if !c.FromNationalDB {
				sub.Components = append(sub.Components, motcua.PortalComponent{Name: c.Name, Seq: i + 1,
					Files: []motcua.PortalUpload{{Name: "to-khai.pdf", Data: pdfBytes}}})
			}
		}
		in, err := f.svc.ReceiveFromPortal(f.as("dvcqg"), sub)
		if err != nil {
			t.Fatal(err)
		}
		again := *sub
		again.MessageID = "m-2"
		if _, err := f.svc.ReceiveFromPortal(f.as("dvcqg"), &again); err != nil {
			t.Fatal(err)
		}
		v, err := f.svc.DossierPayments(f.as("motcua.anphu"), in.Dossier.Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Payments) != 1 || v.Paid == nil || v.Paid.Method != motcua.PayOnline || v.Paid.Amount != p.FeeTotal() || p.FeeTotal() == 0 {
			t.Fatalf("payments of the forwarded dossier: %+v", v)
		}
		portal := newRecordingPortal()
		f.deliver(portal)
		if r := portal.records[sub.NationalCode]; r == nil || !r.PaidOnline || r.PaymentPending || len(r.Fees) == 0 || !r.Fees[0].Paid {
			t.Fatalf("the portal's record: %+v", r)
		}
	})
}
