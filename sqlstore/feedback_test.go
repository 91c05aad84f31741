package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestRatingsAndFeedback stores ratings (one per dossier, the second
// refused by the schema), finds the dossier a counter officer returned
// last, counts ratings and flagged dossiers per agency, and keeps
// complaints whole through their changes (optimistic locking, filters,
// the published list), on both engines.
func TestRatingsAndFeedback(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		var ds []*motcua.Dossier
		for _, code := range []string{"H99.101-260310-0001", "H99.101-260310-0002", "H99.101-260310-0003"} {
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234"}
			ev := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(time.Hour), ActionDueAt: at.Add(time.Hour)}
			st, err := motcua.Replay([]motcua.Event{*ev})
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
			ds = append(ds, d)
		}
		var none bool
		db.Read(ctx, func(tx motcua.Tx) (err error) {
			none, err = tx.FeedbackRecorded(ctx)
			if _, lerr := tx.LastReturnedBy(ctx, 7); motcua.ErrorCode(lerr) != motcua.ENOTFOUND {
				t.Errorf("last returned before any return: %v", lerr)
			}
			return err
		})
		if none {
			t.Error("feedback recorded before any")
		}
		// Officer 7 returns the first and then the second dossier.
		for i, d := range ds[:2] {
			st := d.Status
			st.State = motcua.StateReturned
			ev := &motcua.Event{DossierID: d.ID, Seq: 2, Action: motcua.ActReturn, At: at.Add(time.Duration(i+1) * time.Hour), ActorID: 7,
				FromState: motcua.StateResultReady, ToState: motcua.StateReturned, FromStep: -1, ToStep: -1}
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, ev, &st) })
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			last, err := tx.LastReturnedBy(ctx, 7)
			if err != nil || last.ID != ds[1].ID {
				t.Errorf("last returned by 7: %v %v, want %s", last, err, ds[1].Code)
			}
			return nil
		})

		r := &motcua.Rating{DossierID: ds[0].ID, AgencyID: a.ID, Level: 2, Attitude: 3, Trips: 1, OnTime: true, Comment: "Chậm",
			Channel: motcua.RateCounter, CounterUserID: 7, At: at.Add(3 * time.Hour)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateRating(ctx, r) })
		again := *r
		again.ID, again.Level = 0, 5
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateRating(ctx, &again) }); motcua.ErrorReason(err) != "already_rated" {
			t.Errorf("second rating: %v", err)
		}
		r2 := &motcua.Rating{DossierID: ds[1].ID, AgencyID: a.ID, Level: 5, Attitude: 5, Trips: 0, Channel: motcua.RateLookup,
			At: at.Add(4 * time.Hour)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateRating(ctx, r2) })

		f := &motcua.Feedback{SecretHash: []byte{1, 2, 3, 4}, Channel: motcua.FeedbackWeb, Name: "Nguyễn Văn An", Contact: "0912000111",
			Content: "Nội dung phản ánh.", DossierCode: ds[2].Code, DossierID: ds[2].ID, Consent: true, ReceivedAt: at.Add(time.Hour),
			State: motcua.FeedbackReceived, AgencyID: a.ID, ClassifyDueAt: at.Add(48 * time.Hour), AnswerDueAt: at.Add(15 * 24 * time.Hour)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateFeedback(ctx, f) })
		if f.Code != "PA000001" || f.Version != 1 {
			t.Errorf("created %s version %d", f.Code, f.Version)
		}
		g := &motcua.Feedback{SecretHash: []byte{9}, Channel: motcua.FeedbackPhone, Name: "B", Contact: "b@x.vn", Content: "Khác.",
			ReceivedAt: at.Add(2 * time.Hour), ReceivedBy: 7, State: motcua.FeedbackReceived, ClassifyDueAt: at.Add(time.Hour),
			AnswerDueAt: at.Add(100 * time.Hour)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateFeedback(ctx, g) })

		// Assign, answer and publish f; a change from a stale copy is
		// refused.
		stale := *f
		f.State, f.Kind, f.Topic, f.AssigneeID, f.ClassifiedAt, f.ClassifiedBy = motcua.FeedbackAssigned, motcua.KindConduct, "Hộ tịch", 8,
			at.Add(2*time.Hour), 9
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.UpdateFeedback(ctx, f) })
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateFeedback(ctx, &stale) }); motcua.ErrorReason(err) != "feedback_changed" {
			t.Errorf("stale update: %v", err)
		}
		f.State, f.Answer, f.AnsweredAt, f.AnsweredBy, f.PublishDueAt = motcua.FeedbackAnswered, "Trả lời.", at.Add(5*time.Hour), 8, at.Add(53*time.Hour)
		f.PublishedAt, f.PublishedBy, f.PublicContent, f.PublicAnswer = at.Add(6*time.Hour), 9, "Nội dung công khai.", "Trả lời công khai."
		f.AnswerLevel, f.RatedAt = 1, at.Add(7*time.Hour)
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.UpdateFeedback(ctx, f) })

		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.FeedbackByCode(ctx, f.Code)
			if err != nil || !reflect.DeepEqual(got, f) {
				t.Errorf("read back %+v %v\nwant %+v", got, err, f)
			}
			if _, err := tx.FeedbackByCode(ctx, "PA999999"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("unknown code: %v", err)
			}
			list, err := tx.FindFeedback(ctx, motcua.FeedbackFilter{AgencyIDs: []int64{a.ID}})
			if err != nil || len(list) != 1 || list[0].ID != f.ID {
				t.Errorf("the agency's: %v %v", list, err)
			}
			list, err = tx.FindFeedback(ctx, motcua.FeedbackFilter{AgencyIDs: []int64{a.ID}, Unassigned: true})
			if err != nil || len(list) != 2 || list[0].ID != g.ID {
				t.Errorf("the agency's and the unassigned, newest first: %v %v", list, err)
			}
			list, err = tx.FindFeedback(ctx, motcua.FeedbackFilter{DueBefore: at.Add(90 * time.Minute)})
			if err != nil || len(list) != 1 || list[0].ID != g.ID {
				t.Errorf("due before: %v %v", list, err)
			}
			list, err = tx.FindFeedback(ctx, motcua.FeedbackFilter{States: []motcua.FeedbackState{motcua.FeedbackAnswered}, Kind: motcua.KindConduct, AssigneeID: 8})
			if err != nil || len(list) != 1 || list[0].ID != f.ID {
				t.Errorf("answered conduct of 8: %v %v", list, err)
			}
			pub, err := tx.PublishedFeedback(ctx, 0, 10)
			if err != nil || len(pub) != 1 || pub[0].ID != f.ID {
				t.Errorf("published: %v %v", pub, err)
			}
			in, err := tx.FeedbackIn(ctx, at, at.Add(90*time.Minute))
			if err != nil || len(in) != 1 || in[0].ID != f.ID {
				t.Errorf("received in the period: %v %v", in, err)
			}
			rt, err := tx.DossierRating(ctx, ds[0].ID)
			if err != nil || !reflect.DeepEqual(rt, r) {
				t.Errorf("rating %+v %v, want %+v", rt, err, r)
			}
			if _, err := tx.DossierRating(ctx, ds[2].ID); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("no rating: %v", err)
			}
			// Two ratings, one a dislike (ds[0]); the complaint names
			// ds[2]: two flagged dossiers.
			aggs, err := tx.RatingAggs(ctx, at, at.Add(24*time.Hour))
			want := []motcua.RatingAgg{{AgencyID: a.ID, Ratings: 2, Dislikes: 1, Flagged: 2}}
			if err != nil || !reflect.DeepEqual(aggs, want) {
				t.Errorf("rating aggs %+v %v, want %+v", aggs, err, want)
			}
			aggs, err = tx.RatingAggs(ctx, at.Add(24*time.Hour), at.Add(48*time.Hour))
			if err != nil || len(aggs) != 0 {
				t.Errorf("aggs of an empty period: %+v %v", aggs, err)
			}
			rec, err := tx.FeedbackRecorded(ctx)
			if err != nil || !rec {
				t.Errorf("recorded: %v %v", rec, err)
			}
			return nil
		})
	})
}
