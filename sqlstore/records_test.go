package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestDossierTimingsAndBook stores dossiers received on different days,
// one finished, one refused at reception (never validly received), and
// checks which ones the progress figures and the tracking book select.
func TestDossierTimingsAndBook(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		db := sqltest.Open(t, eng)
		a := mustAgency(t, db, "H99.101")
		b := mustAgency(t, db, "H99.102")
		pa := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "PA", Name: "Quầy A"}
		pb := &motcua.ReceptionPoint{AgencyID: b.ID, Code: "PB", Name: "Quầy B"}
		mustWrite(t, db, func(tx motcua.Tx) error {
			if err := tx.CreateReceptionPoint(ctx, pa); err != nil {
				return err
			}
			return tx.CreateReceptionPoint(ctx, pb)
		})
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })

		day := func(d int) time.Time { return time.Date(2026, 3, d, 2, 0, 0, 0, time.UTC) }
		mk := func(code string, pt *motcua.ReceptionPoint, at time.Time, events ...motcua.Event) {
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: pt.AgencyID, CompetentAgencyID: pt.AgencyID,
				Applicant: motcua.Applicant{FullName: "Người nộp " + code, IDNumber: "089186001234"}, Verifier: "1234", CreatedAt: at}
			for i := range events {
				events[i].Seq = i + 1
			}
			st, err := motcua.Replay(events[:1])
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			first := events[0]
			mustWrite(t, db, func(tx motcua.Tx) error {
				if err := tx.CreateDossier(ctx, d, &first); err != nil {
					return err
				}
				s, _ := motcua.Replay(events[:1])
				for _, e := range events[1:] {
					e.DossierID = d.ID
					if s, err = s.Apply(e); err != nil {
						return err
					}
					if err := tx.AppendEvent(ctx, &e, &s); err != nil {
						return err
					}
				}
				return nil
			})
		}
		receive := func(at, due time.Time, agency int64) motcua.Event {
			return motcua.Event{Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: agency, ClockStartAt: at, DueAt: due}
		}
		// 1 March: received at A, still pending.
		mk("A-1", pa, day(1), receive(day(1), day(5), a.ID))
		// 2 March: received at A, withdrawn on 3 March.
		r2 := receive(day(2), day(6), a.ID)
		mk("A-2", pa, day(2), r2, motcua.Event{Action: motcua.ActWithdraw, At: day(3), FromState: motcua.StateReceived,
			ToState: motcua.StateWithdrawn, ToAgencyID: a.ID, FromStep: -1, ToStep: -1, DueAt: day(6), ClockStartAt: day(2)})
		// 4 March: refused at reception at B: no valid reception.
		mk("B-1", pb, day(4), motcua.Event{Action: motcua.ActRefuse, At: day(4), ToState: motcua.StateRejected, FromStep: -1, ToStep: -1, ToAgencyID: b.ID})
		// 9 March: received at B.
		mk("B-2", pb, day(9), receive(day(9), day(12), b.ID))

		var timings []motcua.DossierTiming
		mustWrite(t, db, func(tx motcua.Tx) (err error) {
			// From 3 March (inclusive) to 9 March (exclusive): A-1 (pending),
			// A-2 (finished on 3 March, not before from); not B-1 (never
			// received), not B-2 (received at to).
			timings, err = tx.DossierTimings(ctx, day(3), day(9))
			return err
		})
		if len(timings) != 2 {
			t.Fatalf("timings: %+v, want A-1 and A-2", timings)
		}
		got := map[motcua.State]motcua.DossierTiming{}
		for _, x := range timings {
			got[x.State] = x
		}
		if w := got[motcua.StateWithdrawn]; !w.FinishedAt.Equal(day(3)) || !w.ReceivedAt.Equal(day(2)) || !w.DueAt.Equal(day(6)) || w.CompetentAgencyID != a.ID || w.ProcedureID != p.ID {
			t.Errorf("withdrawn timing %+v", w)
		}
		if r := got[motcua.StateReceived]; !r.FinishedAt.IsZero() || !r.DueAt.Equal(day(5)) {
			t.Errorf("pending timing %+v", r)
		}
		mustWrite(t, db, func(tx motcua.Tx) (err error) {
			// A later window excludes A-2, finished before it.
			timings, err = tx.DossierTimings(ctx, day(4), day(10))
			return err
		})
		if len(timings) != 2 {
			t.Fatalf("timings from 4 March: %+v, want A-1 and B-2", timings)
		}

		book := func(f motcua.BookFilter) []string {
			t.Helper()
			var ds []*motcua.Dossier
			if err := db.Read(ctx, func(tx motcua.Tx) (err error) { ds, err = tx.DossierBook(ctx, f); return err }); err != nil {
				t.Fatal(err)
			}
			var codes []string
			for _, d := range ds {
				codes = append(codes, d.Code)
			}
			return codes
		}
		all := motcua.BookFilter{ReceptionAgencyIDs: []int64{a.ID, b.ID}, From: day(1), To: day(10)}
		if got := book(all); len(got) != 4 || got[0] != "A-1" || got[1] != "A-2" || got[2] != "B-1" || got[3] != "B-2" {
			t.Errorf("book of both agencies: %v", got)
		}
		onlyB := motcua.BookFilter{ReceptionAgencyIDs: []int64{b.ID}, From: day(1), To: day(9)}
		if got := book(onlyB); len(got) != 1 || got[0] != "B-1" {
			t.Errorf("book of B before 9 March: %v", got)
		}
		// Pages of one: the second page starts after A-1.
		page := all
		page.Limit = 1
		first := book(page)
		var a1 *motcua.Dossier
		db.Read(ctx, func(tx motcua.Tx) (err error) { a1, err = tx.DossierByCode(ctx, "A-1"); return err })
		page.AfterCreatedAt, page.AfterID = a1.CreatedAt, a1.ID
		if second := book(page); len(first) != 1 || first[0] != "A-1" || len(second) != 1 || second[0] != "A-2" {
			t.Errorf("pages: %v then %v", first, second)
		}
		if got := book(motcua.BookFilter{From: day(1), To: day(10)}); len(got) != 0 {
			t.Errorf("no agency selects nothing, got %v", got)
		}
	})
}
