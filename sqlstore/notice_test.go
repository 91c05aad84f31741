package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestWarningsNotificationsTemplates stores warnings (a duplicate is a
// conflict that leaves the transaction usable), lists the candidates of
// the warning job by their deadlines, keeps a user's notifications with
// their unread count, and replaces a notice template.
func TestWarningsNotificationsTemplates(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		u := &motcua.User{Username: "lan", FullName: "Trần Thị Lan"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateUser(ctx, u) })
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		var ds []*motcua.Dossier
		for i, code := range []string{"H99.101-260310-0001", "H99.101-260310-0002"} {
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234", Phone: "0912345678", Notify: motcua.NotifySMS}, Verifier: "5678"}
			// The second is due a day later.
			off := time.Duration(i) * 24 * time.Hour
			ev := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(48*time.Hour + off), ActionDueAt: at.Add(time.Hour + off)}
			st, err := motcua.Replay([]motcua.Event{*ev})
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
			ds = append(ds, d)
		}
		// The choice of channel is kept with the applicant.
		var back *motcua.Dossier
		mustWrite(t, db, func(tx motcua.Tx) (err error) { back, err = tx.Dossier(ctx, ds[0].ID); return err })
		if back.Applicant.Notify != motcua.NotifySMS {
			t.Fatalf("notice choice read back as %q", back.Applicant.Notify)
		}
		candidates := func(upTo time.Time, byAppointment bool, after motcua.DossierCursor) []string {
			var out []*motcua.Dossier
			mustWrite(t, db, func(tx motcua.Tx) (err error) {
				out, err = tx.DossiersWithClocks(ctx, upTo, byAppointment, after, 10)
				return err
			})
			var codes []string
			for _, d := range out {
				codes = append(codes, d.Code)
			}
			return codes
		}
		none := motcua.DossierCursor{}
		if got := candidates(at.Add(30*time.Minute), false, none); len(got) != 0 {
			t.Fatalf("candidates before any deadline: %v", got)
		}
		if got := candidates(at.Add(2*time.Hour), false, none); !reflect.DeepEqual(got, []string{ds[0].Code}) {
			t.Fatalf("candidates after the first transfer deadline: %v", got)
		}
		if got := candidates(at.Add(30*time.Hour), false, none); !reflect.DeepEqual(got, []string{ds[0].Code, ds[1].Code}) {
			t.Fatalf("candidates a day later: %v", got)
		}
		first := motcua.DossierCursor{NextDueAt: ds[0].Status.NextDueAt(), ID: ds[0].ID}
		if got := candidates(at.Add(30*time.Hour), false, first); !reflect.DeepEqual(got, []string{ds[1].Code}) {
			t.Fatalf("candidates after the first, a day later: %v", got)
		}
		// By appointment: the first is due two days after, the second three.
		if got := candidates(at.Add(60*time.Hour), true, none); !reflect.DeepEqual(got, []string{ds[0].Code}) {
			t.Fatalf("candidates by appointment: %v", got)
		}
		w := &motcua.DossierWarning{DossierID: ds[0].ID, Code: ds[0].Code, Clock: motcua.ClockAction, AgencyID: a.ID, Level: motcua.LevelOverdue,
			DueAt: at.Add(time.Hour), At: at.Add(2 * time.Hour), UserIDs: []int64{u.ID}, Names: []string{u.FullName}}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.RecordDossierWarning(ctx, w) })
		if w.ID == 0 {
			t.Fatal("no id set")
		}
		// The same warning again: a conflict, and the transaction goes on
		// (on PostgreSQL a failed statement would abort it).
		err := db.Write(ctx, func(tx motcua.Tx) error {
			again := *w
			if err := tx.RecordDossierWarning(ctx, &again); motcua.ErrorCode(err) != motcua.ECONFLICT {
				t.Errorf("duplicate warning: %v, want a conflict", err)
			}
			return tx.AddStaffNotification(ctx, &motcua.StaffNotification{UserID: u.ID, DossierID: ds[0].ID, Code: ds[0].Code,
				Level: motcua.LevelOverdue, Text: "Quá hạn", At: w.At})
		})
		if err != nil {
			t.Fatal(err)
		}
		var ws []*motcua.DossierWarning
		mustWrite(t, db, func(tx motcua.Tx) (err error) {
			ws, err = tx.WarningsOfDossiers(ctx, []int64{ds[0].ID, ds[1].ID})
			return err
		})
		if len(ws) != 1 || !reflect.DeepEqual(ws[0], w) {
			t.Fatalf("warnings read back: %+v, want %+v", ws, w)
		}
		unread := func() int {
			var n int
			mustWrite(t, db, func(tx motcua.Tx) (err error) { n, err = tx.UnreadStaffNotifications(ctx, u.ID); return err })
			return n
		}
		if n := unread(); n != 1 {
			t.Fatalf("unread = %d", n)
		}
		var marked int
		mustWrite(t, db, func(tx motcua.Tx) (err error) {
			marked, err = tx.MarkStaffNotificationsRead(ctx, u.ID, at.Add(3*time.Hour))
			return err
		})
		var ns []*motcua.StaffNotification
		mustWrite(t, db, func(tx motcua.Tx) (err error) { ns, err = tx.StaffNotifications(ctx, u.ID, 10); return err })
		if marked != 1 || unread() != 0 || len(ns) != 1 || !ns[0].ReadAt.Equal(at.Add(3*time.Hour)) || ns[0].Text != "Quá hạn" {
			t.Fatalf("after reading: marked %d, list %+v", marked, ns)
		}

		for _, body := range []string{"Mẫu 1 {{.Code}}", "Mẫu 2 {{.Code}}"} {
			tpl := &motcua.NoticeTemplate{Event: motcua.NoticeReceived, Channel: motcua.ChannelEmail, Subject: "Tiêu đề", Body: body,
				UpdatedBy: u.ID, UpdatedAt: at}
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.SaveNoticeTemplate(ctx, tpl) })
		}
		var ts []*motcua.NoticeTemplate
		mustWrite(t, db, func(tx motcua.Tx) (err error) { ts, err = tx.NoticeTemplates(ctx); return err })
		if len(ts) != 1 || ts[0].Body != "Mẫu 2 {{.Code}}" || !ts[0].UpdatedAt.Equal(at) {
			t.Fatalf("templates: %+v", ts)
		}
	})
}
