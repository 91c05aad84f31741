package service_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPortalRefusesProcedureWithoutNationalCode: a dossier of a procedure
// the catalogue holds without its national code (the sources give none)
// cannot be taken by the portal, which requires MaTTHC. Its message is
// given up at once with a reason a person can act on, not retried for
// hours; and a backlog that has not failed (messages a month old, never
// tried) raises no outage alert, while the portal being down does.
func TestPortalRefusesProcedureWithoutNationalCode(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newPortalFixture(t, e)
		p, err := f.svc.ProcedureByCode(ctx, "1.004837")
		if err != nil {
			t.Fatal(err)
		}
		local := *p
		local.ID, local.Code, local.Name = 0, "", p.Name+" (thủ tục chưa có mã quốc gia)"
		local.Components = nil
		for _, c := range p.Components {
			c.ID = 0
			local.Components = append(local.Components, c)
		}
		if err := f.svc.SetupProcedure(ctx, &local); err != nil {
			t.Fatal(err)
		}
		n := f.newDossier("0912340001")
		n.ProcedureID, n.Components = local.ID, nil
		for _, c := range local.Components {
			if !c.FromNationalDB {
				n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
			}
		}
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n)
		if err != nil {
			t.Fatal(err)
		}
		// A month passes before the first delivery: the history waits,
		// nothing has failed.
		f.set(f.svc.Now().Add(30 * 24 * time.Hour))
		portal := newRecordingPortal()
		f.deliver(portal)
		if _, sent := portal.records[in.Dossier.Code]; sent {
			t.Fatal("a record without MaTTHC reached the portal")
		}
		var st, notices motcua.OutboxState
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			if st, err = tx.OutboxTopicState(ctx, motcua.TopicPortalSync, f.svc.Now()); err != nil {
				return err
			}
			notices, err = tx.OutboxTopicState(ctx, motcua.TopicAdminNotice, f.svc.Now())
			return err
		})
		if st.Failed != 1 || st.Retrying != 0 || !st.OldestFailing.IsZero() {
			t.Fatalf("portal messages after the refusal: %+v, want one given up", st)
		}
		if notices.Pending != 0 {
			t.Fatalf("%d outage alerts for a refusal and an old backlog", notices.Pending)
		}
		// The portal goes down for an hour: the outage is told, with the
		// age of what fails (an hour), not of the month-old refusal.
		portal.setDown(true)
		if _, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912340002")); err != nil {
			t.Fatal(err)
		}
		start := f.svc.Now()
		for minute := 0; minute <= 60; minute += 10 {
			f.set(start.Add(time.Duration(minute) * time.Minute))
			f.deliver(portal)
		}
		var alerts []*motcua.OutboxMessage
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			alerts, err = tx.PendingOutbox(ctx, motcua.TopicAdminNotice, 10)
			return err
		})
		if len(alerts) != 1 {
			t.Fatalf("%d outage alerts after an hour down, want 1", len(alerts))
		}
		var alert struct {
			Lag int64 `json:"lag_seconds"`
		}
		if err := json.Unmarshal(alerts[0].Payload, &alert); err != nil || alert.Lag < 1800 || alert.Lag > 7200 {
			t.Fatalf("outage alert %s: lag %d s, want the hour the portal was down (%v)", alerts[0].Payload, alert.Lag, err)
		}
		failed, err := f.svc.FailedDeliveries(f.as("admin"), 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(failed) != 1 || !strings.Contains(failed[0].LastError, "chưa có mã thủ tục quốc gia") {
			t.Fatalf("failed deliveries listed: %+v", failed)
		}
	})
}
