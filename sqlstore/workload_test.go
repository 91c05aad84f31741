package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestWorkloadStore counts open work per duty and per agency (a dossier
// with two duties at one agency counts once there), the steps an officer
// finished with the time each took, the handling times of finished
// dossiers, and the unfinished dossiers of a reception point.
func TestWorkloadStore(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		now := time.Date(2026, 3, 10, 3, 0, 0, 0, time.UTC)
		mk := func(code string, due time.Time, duties []motcua.Duty, finished bool) *motcua.Dossier {
			at := now.Add(-48 * time.Hour)
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234"}
			ev := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ActorID: 5, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: at, DueAt: due}
			st, err := motcua.Replay([]motcua.Event{*ev})
			if err != nil {
				t.Fatal(err)
			}
			st.DueAt, st.StepDueAt, st.ActionDueAt, st.Duties = due, due, due, duties
			if finished {
				st.State, st.FinishedAt, st.Report.HandleMS, st.Duties = motcua.StateApproved, now.Add(-time.Hour), 3_600_000, nil
				st.Report.Class = "early"
			}
			d.Status = st
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
			return d
		}
		person := motcua.Duty{AgencyID: a.ID, UserID: 7}
		mk("D1", now.Add(time.Hour), []motcua.Duty{person}, false)
		d2 := mk("D2", now.Add(-time.Hour), []motcua.Duty{person, {AgencyID: a.ID, Role: motcua.RoleSpecialist}}, false)
		mk("D3", now.Add(240*time.Hour), []motcua.Duty{{AgencyID: a.ID, Role: motcua.RoleReception}}, false)
		mk("D4", now.Add(-time.Hour), nil, true)
		// Officer 7 acts on D2 half an hour after it was received.
		ev := &motcua.Event{DossierID: d2.ID, Seq: 2, Action: motcua.ActAssign, At: d2.CreatedAt.Add(30 * time.Minute), ActorID: 7,
			FromState: motcua.StateReceived, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1, ToAgencyID: a.ID}
		st := d2.Status
		st.Seq = 2
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, ev, &st) })

		soon := now.Add(2 * time.Hour)
		var counts, agency []motcua.WorkCount
		var samples []motcua.HandlingSample
		var handling []motcua.AgencyHandling
		var points []motcua.PointOpen
		err := db.Read(ctx, func(tx motcua.Tx) (err error) {
			if counts, err = tx.WorkCounts(ctx, []int64{a.ID}, now, soon); err != nil {
				return err
			}
			if agency, err = tx.AgencyWork(ctx, nil, now, soon); err != nil {
				return err
			}
			if samples, err = tx.HandlingSamples(ctx, []int64{7}, now.Add(-72*time.Hour), now, 10); err != nil {
				return err
			}
			if handling, err = tx.AgencyHandlingTimes(ctx, []int64{a.ID}, now.Add(-24*time.Hour), now); err != nil {
				return err
			}
			points, err = tx.PointsOpen(ctx, []int64{pt.ID}, now)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []motcua.WorkCount{
			{AgencyID: a.ID, UserID: 7, Open: 2, DueSoon: 1, Overdue: 1},
			{AgencyID: a.ID, Role: motcua.RoleReception, Open: 1},
			{AgencyID: a.ID, Role: motcua.RoleSpecialist, Open: 1, Overdue: 1},
		}
		if len(counts) != len(want) {
			t.Fatalf("work counts %+v", counts)
		}
		for i := range want {
			if counts[i] != want[i] {
				t.Errorf("work count %d: %+v, want %+v", i, counts[i], want[i])
			}
		}
		if len(agency) != 1 || agency[0] != (motcua.WorkCount{AgencyID: a.ID, Open: 3, DueSoon: 1, Overdue: 1}) {
			t.Errorf("agency work %+v", agency)
		}
		if len(samples) != 1 || samples[0].UserID != 7 || !samples[0].From.Equal(d2.CreatedAt) || samples[0].To.Sub(samples[0].From) != 30*time.Minute {
			t.Errorf("handling samples %+v", samples)
		}
		if len(handling) != 1 || handling[0] != (motcua.AgencyHandling{AgencyID: a.ID, Finished: 1, SumMS: 3_600_000}) {
			t.Errorf("agency handling %+v", handling)
		}
		if len(points) != 1 || points[0] != (motcua.PointOpen{ReceptionPointID: pt.ID, Open: 3, Overdue: 1}) {
			t.Errorf("points open %+v", points)
		}
	})
}
