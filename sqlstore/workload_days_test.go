package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestHandlingSamplesAcrossDays gives an officer events every five hours
// over a week, one of them on the period's last day after its end, and
// asks for fewer samples than the period holds, for more, and for a
// period ending in the middle of a day: on both engines (PostgreSQL reads
// its index by day, from the day of the officer's perUser-th latest
// event) the samples are his latest events of the period, latest first,
// each from the event before it.
func TestHandlingSamplesAcrossDays(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		start := time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC)
		d := &motcua.Dossier{Code: "D1", ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
			ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: start,
			Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234"}
		ev := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: start, ActorID: 5, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
			ToAgencyID: a.ID, ClockStartAt: start, DueAt: start.Add(720 * time.Hour)}
		st, err := motcua.Replay([]motcua.Event{*ev})
		if err != nil {
			t.Fatal(err)
		}
		d.Status = st
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
		var times []time.Time // the officer's events, seq 2…
		for i := 1; i <= 34; i++ {
			at := start.Add(time.Duration(i) * 5 * time.Hour)
			ev := &motcua.Event{DossierID: d.ID, Seq: i + 1, Action: motcua.ActAssign, At: at, ActorID: 7,
				FromState: motcua.StateReceived, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1, ToAgencyID: a.ID}
			st := d.Status
			st.Seq = i + 1
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, ev, &st) })
			times = append(times, at)
		}
		// want lists the samples of the events in [from, to), latest first.
		want := func(from, to time.Time, perUser int) []motcua.HandlingSample {
			var out []motcua.HandlingSample
			for i := len(times) - 1; i >= 0 && len(out) < perUser; i-- {
				if !times[i].Before(from) && times[i].Before(to) {
					prev := start
					if i > 0 {
						prev = times[i-1]
					}
					out = append(out, motcua.HandlingSample{UserID: 7, From: prev, To: times[i]})
				}
			}
			return out
		}
		last := times[len(times)-1]
		for _, c := range []struct {
			from, to time.Time
			perUser  int
		}{
			{start, last.Add(time.Hour), 7},                           // the latest seven, over two days
			{start, last.Add(time.Hour), 100},                         // all of them
			{start.Add(30 * time.Hour), last.Add(-9 * time.Hour), 6},  // five on the last day, one after the end
			{start.Add(30 * time.Hour), last.Add(-9 * time.Hour), 5},  // the day of the 5th counts the late one
			{start.Add(30 * time.Hour), start.Add(31 * time.Hour), 5}, // none
		} {
			var got []motcua.HandlingSample
			if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
				got, err = tx.HandlingSamples(ctx, []int64{7, 8}, c.from, c.to, c.perUser)
				return err
			}); err != nil {
				t.Fatal(err)
			}
			w := want(c.from, c.to, c.perUser)
			if len(got) != len(w) {
				t.Errorf("%v…%v, %d: %d samples, want %d: %+v", c.from, c.to, c.perUser, len(got), len(w), got)
				continue
			}
			for i := range w {
				if got[i].UserID != w[i].UserID || !got[i].From.Equal(w[i].From) || !got[i].To.Equal(w[i].To) {
					t.Errorf("%v…%v, %d: sample %d is %+v, want %+v", c.from, c.to, c.perUser, i, got[i], w[i])
				}
			}
		}
	})
}
