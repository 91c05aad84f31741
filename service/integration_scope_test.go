package service_test

import (
	"bytes"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// seeded returns the demo's dossiers that pred accepts (any state).
func (f *fixture) seeded(pred func(*motcua.Dossier) bool) []*motcua.Dossier {
	f.t.Helper()
	var all []*motcua.Dossier
	if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) {
		all, err = tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 10000})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	var out []*motcua.Dossier
	for _, d := range all {
		if pred(d) {
			out = append(out, d)
		}
	}
	return out
}

// refused fails the test unless err refuses the caller: not found (the
// dossier is not the caller's to know of) or forbidden.
func refused(t *testing.T, what string, err error) {
	t.Helper()
	if c := motcua.ErrorCode(err); c != motcua.ENOTFOUND && c != motcua.EFORBIDDEN {
		t.Errorf("%s: %v, want a refusal (not found or forbidden)", what, err)
	}
}

// TestIntegrationActsOnlyOnOnlineDossiers: the national portal's account
// submits online dossiers and withdraws them at its citizen's request, in
// the states the table allows, but cannot withdraw a dossier received at a
// counter or by post at any agency, nor attach a file to a dossier it does
// not own.
func TestIntegrationActsOnlyOnOnlineDossiers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, _ := newFilesFixture(t, e)
		portal := f.as("dvcqg")
		withdraw := service.ActInput{Action: motcua.ActWithdraw, Reason: "Công dân rút hồ sơ trên Cổng"}

		// A counter dossier at a commune, and the police's: not the portal's.
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912000555"))
		if err != nil {
			t.Fatal(err)
		}
		counter := in.Dossier
		police := f.seeded(func(d *motcua.Dossier) bool {
			return d.CompetentAgencyID == f.agency("000.00.20.H99").ID && d.Channel != motcua.ChannelOnline && !d.Status.State.Finished()
		})
		if len(police) == 0 {
			t.Fatal("the demo has no open police dossier received at a counter")
		}
		for _, d := range append(police, counter) {
			_, err := f.svc.AttachFile(portal, d.Code, d.Components[0].ComponentID, "x.pdf", bytes.NewReader(pdfBytes))
			refused(t, "the portal attaching to "+d.Code, err)
			_, err = f.svc.Act(portal, d.Code, withdraw)
			refused(t, "the portal withdrawing "+d.Code, err)
		}
		if v, err := f.svc.Dossier(f.as("motcua.anphu"), counter.Code, ""); err != nil || v.Dossier.Status.State != motcua.StateReceived || len(v.Files) != 0 {
			t.Errorf("the counter dossier after the portal's attempts: %v", err)
		}
		// A paper dossier cannot be "submitted" by the portal either.
		n := f.newDossier("0912000556")
		n.Decision = service.DecisionSubmit
		_, err = f.svc.ReceiveDossier(portal, "", n)
		wantCode(t, err, motcua.EINVALID, "dossier_invalid")

		// Its own online dossier: submitted, then withdrawn.
		submit := func(phone string) *motcua.Dossier {
			t.Helper()
			n := f.newDossier(phone)
			n.Channel, n.Decision = motcua.ChannelOnline, service.DecisionSubmit
			in, err := f.svc.ReceiveDossier(portal, "", n)
			if err != nil {
				t.Fatal(err)
			}
			return in.Dossier
		}
		online := submit("0912000557")
		if _, err := f.svc.AttachFile(portal, online.Code, online.Components[0].ComponentID, "to-khai.pdf", bytes.NewReader(pdfBytes)); err != nil {
			t.Errorf("the portal attaching its citizen's file to its online dossier: %v", err)
		}
		d, err := f.svc.Act(portal, online.Code, withdraw)
		if err != nil || d.Status.State != motcua.StateWithdrawn {
			t.Errorf("the portal withdrawing its online dossier: %v", err)
		}
		// Received at the counter, then in processing: still the
		// citizen's to withdraw through the portal.
		online = submit("0912000558")
		if _, err := f.svc.Act(f.as("motcua.anphu"), online.Code, service.ActInput{Action: motcua.ActReceive}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Act(f.as("motcua.anphu"), online.Code, service.ActInput{Action: motcua.ActTransfer}); err != nil {
			t.Fatal(err)
		}
		if d, err := f.svc.Act(portal, online.Code, withdraw); err != nil || d.Status.State != motcua.StateWithdrawn {
			t.Errorf("the portal withdrawing its online dossier in processing: %v", err)
		}
		// Once finished, the table allows it no more.
		_, err = f.svc.Act(portal, online.Code, withdraw)
		wantCode(t, err, motcua.ECONFLICT, "action_not_allowed_in_state")
	})
}
