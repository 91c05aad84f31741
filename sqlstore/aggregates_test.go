package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

func TestProcedureVersions(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		three := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
		amount := int64(8000)
		p := &motcua.Procedure{Code: "2.000635", Name: "Cấp bản sao Trích lục hộ tịch", FieldName: "Hộ tịch", Level: motcua.LevelCommune,
			TimeLimit: &three, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune),
			Components: []motcua.Component{{Name: "Tờ khai", Mandatory: true}, {Name: "Giấy tờ cư trú", FromNationalDB: true}},
			Fees:       []motcua.Fee{{Name: "Lệ phí", Amount: &amount}}, UpdatedAt: time.Now().UTC().Truncate(time.Millisecond)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		if p.ID == 0 || p.Version != 1 || p.Components[0].ID != 1 || p.Components[1].ID != 2 {
			t.Fatalf("created %+v", p)
		}
		// A new version keeps component IDs and numbers new components after them.
		p2 := *p
		p2.Components = append([]motcua.Component{p.Components[1], p.Components[0]}, motcua.Component{Name: "Ảnh"})
		p2.Name = "Cấp bản sao trích lục hộ tịch (sửa đổi)"
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, &p2) })
		if p2.Version != 2 || p2.Components[0].ID != 2 || p2.Components[2].ID != 3 {
			t.Fatalf("updated %+v", p2.Components)
		}
		stale := *p // still at version 1
		err := db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, &stale) })
		if motcua.ErrorReason(err) != "procedure_version_conflict" {
			t.Fatalf("stale update: %v", err)
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			v1, err := tx.ProcedureVersion(ctx, p.ID, 1)
			if err != nil || v1.Name != p.Name || len(v1.Components) != 2 {
				t.Errorf("version 1: %+v %v", v1, err)
			}
			cur, err := tx.ProcedureByCode(ctx, "2.000635")
			if err != nil || cur.Version != 2 || cur.Name != p2.Name {
				t.Errorf("current: %+v %v", cur, err)
			}
			for _, q := range []string{"trich luc", "TRÍCH LỤC hộ", "2.000635", "ho tich"} {
				found, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{Query: q})
				if err != nil || len(found) != 1 {
					t.Errorf("search %q: %d results, %v", q, len(found), err)
				}
			}
			found, _ := tx.FindProcedures(ctx, motcua.ProcedureFilter{Query: "khai sinh"})
			if len(found) != 0 {
				t.Errorf("search for another procedure found %d", len(found))
			}
			return nil
		})
	})
}

func TestUsersAndSessions(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		b := mustAgency(t, db, "H99.102")
		u := &motcua.User{Username: "lan", FullName: "Trần Thị Lan", PasswordHash: "h", CreatedAt: time.Now().UTC().Truncate(time.Millisecond),
			Grants: []motcua.Grant{{AgencyID: a.ID, Role: motcua.RoleReception}, {AgencyID: b.ID, Role: motcua.RoleSpecialist}}}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateUser(ctx, u) })
		err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateUser(ctx, &motcua.User{Username: "lan", FullName: "x"}) })
		if motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Fatalf("duplicate username: %v", err)
		}
		now := time.Now().UTC().Truncate(time.Millisecond)
		s := &motcua.Session{TokenHash: []byte{1, 2, 3}, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateSession(ctx, s) })
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.UserByUsername(ctx, "lan")
			if err != nil || !reflect.DeepEqual(got.Grants, u.Grants) {
				t.Errorf("user: %+v %v", got, err)
			}
			list, _ := tx.Users(ctx, motcua.UserFilter{AgencyID: b.ID, Role: motcua.RoleSpecialist})
			if len(list) != 1 {
				t.Errorf("users of b as specialist: %d", len(list))
			}
			list, _ = tx.Users(ctx, motcua.UserFilter{AgencyID: b.ID, Role: motcua.RoleReception})
			if len(list) != 0 {
				t.Errorf("users of b as reception: %d", len(list))
			}
			if _, err := tx.Session(ctx, []byte{1, 2, 3}, now.Add(30*time.Minute)); err != nil {
				t.Errorf("live session: %v", err)
			}
			if _, err := tx.Session(ctx, []byte{1, 2, 3}, now.Add(2*time.Hour)); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("expired session: %v", err)
			}
			return nil
		})
		var n int
		mustWrite(t, db, func(tx motcua.Tx) (err error) {
			n, err = tx.DeleteExpiredSessions(ctx, now.Add(2*time.Hour))
			return err
		})
		if n != 1 {
			t.Fatalf("deleted %d expired sessions", n)
		}
	})
}

// TestDossierHistoryAndInbox stores a dossier with its events and pages an
// inbox with keyset pagination while dossiers keep arriving.
func TestDossierHistoryAndInbox(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		three := motcua.TimeLimit{Value: 3, Unit: motcua.UnitWorkingDays}
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, TimeLimit: &three, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })

		base := time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC)
		create := func(i int) *motcua.Dossier {
			d := &motcua.Dossier{Code: "H99.101-250310-" + string(rune('A'+i/26)) + string(rune('A'+i%26)), ProcedureID: p.ID, ProcedureVersion: 1,
				Channel: motcua.ChannelCounter, ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234", CreatedAt: base}
			due := base.Add(time.Duration(i%7) * time.Hour)
			e := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: base, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: base, DueAt: due, ActionDueAt: due}
			st, err := motcua.Replay([]motcua.Event{*e})
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, e) })
			return d
		}
		var ds []*motcua.Dossier
		for i := range 30 {
			ds = append(ds, create(i))
		}
		// Append an event; a second append with the same sequence number fails.
		d0 := ds[0]
		e2 := motcua.Event{DossierID: d0.ID, Seq: 2, Action: motcua.ActTransfer, At: base.Add(time.Hour), FromState: motcua.StateReceived,
			ToState: motcua.StateProcessing, ToAgencyID: a.ID, FromStep: -1, ToStep: 0, DueAt: d0.Status.DueAt, ClockStartAt: base}
		st2, err := d0.Status.Apply(e2)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, &e2, &st2) })
		dup := e2
		err = db.Write(ctx, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, &dup, &st2) })
		if motcua.ErrorReason(err) != "dossier_changed" {
			t.Fatalf("duplicate event: %v", err)
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.DossierByCode(ctx, d0.Code)
			if err != nil || got.Status.State != motcua.StateProcessing || got.Status.Seq != 2 || got.Applicant.FullName != "Người nộp" {
				t.Errorf("dossier after append: %+v %v", got, err)
			}
			evs, err := tx.Events(ctx, d0.ID)
			if err != nil || len(evs) != 2 {
				t.Fatalf("events: %d %v", len(evs), err)
			}
			replayed, err := motcua.Replay(evs)
			if err != nil || !reflect.DeepEqual(replayed, got.Status) {
				t.Errorf("stored status differs from its replayed history:\n%+v\n%+v (%v)", replayed, got.Status, err)
			}
			return nil
		})

		// Page through the inbox 7 at a time while new dossiers arrive: every
		// dossier present at the start is seen exactly once, in due order.
		seen := map[string]bool{}
		var after *motcua.DossierCursor
		var last time.Time
		for page := 0; ; page++ {
			var got []*motcua.Dossier
			db.Read(ctx, func(tx motcua.Tx) (err error) {
				got, err = tx.FindDossiers(ctx, motcua.DossierFilter{HolderAgencyIDs: []int64{a.ID}, After: after, Limit: 7})
				return err
			})
			for _, d := range got {
				if seen[d.Code] {
					t.Fatalf("dossier %s seen twice", d.Code)
				}
				seen[d.Code] = true
				if nd := d.Status.NextDueAt(); nd.Before(last) {
					t.Fatalf("out of order: %v after %v", nd, last)
				} else {
					last = nd
				}
			}
			if len(got) < 7 {
				break
			}
			l := got[len(got)-1]
			after = &motcua.DossierCursor{NextDueAt: l.Status.NextDueAt(), ID: l.ID}
			if page == 1 {
				create(40) // arrives while paging
			}
		}
		for _, d := range ds {
			if !seen[d.Code] {
				t.Errorf("dossier %s never listed", d.Code)
			}
		}
		// Filters.
		db.Read(ctx, func(tx motcua.Tx) error {
			got, _ := tx.FindDossiers(ctx, motcua.DossierFilter{States: []motcua.State{motcua.StateProcessing}})
			if len(got) != 1 || got[0].Code != d0.Code {
				t.Errorf("state filter: %d", len(got))
			}
			got, _ = tx.FindDossiers(ctx, motcua.DossierFilter{HolderAgencyIDs: []int64{}})
			if len(got) != 0 {
				t.Errorf("empty agency list selected %d", len(got))
			}
			return nil
		})
		// A finished dossier is held by nobody: the holder's list (and its
		// index, migration 39) leaves it out, and keeps the open ones.
		d1 := ds[1]
		ew := motcua.Event{DossierID: d1.ID, Seq: 2, Action: motcua.ActWithdraw, At: base.Add(2 * time.Hour), FromState: motcua.StateReceived,
			ToState: motcua.StateWithdrawn, ToAgencyID: a.ID, FromStep: -1, ToStep: -1, ClockStartAt: base, DueAt: d1.Status.DueAt}
		stw, err := d1.Status.Apply(ew)
		if err != nil || stw.FinishedAt.IsZero() {
			t.Fatalf("withdraw: %+v %v", stw, err)
		}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.AppendEvent(ctx, &ew, &stw) })
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.FindDossiers(ctx, motcua.DossierFilter{HolderAgencyIDs: []int64{a.ID}, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			held := map[string]bool{}
			for _, d := range got {
				held[d.Code] = true
			}
			if held[d1.Code] || len(got) != len(seen)-1 {
				t.Errorf("holder's list after a withdrawal: %d dossiers of %d, the withdrawn one listed: %v", len(got), len(seen), held[d1.Code])
			}
			return nil
		})
	})
}

func TestIdempotencyAndAudit(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		now := time.Now().UTC().Truncate(time.Millisecond)
		mustWrite(t, db, func(tx motcua.Tx) error {
			return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: 5, Action: motcua.AuditViewPersonalData, DossierID: 9, Detail: "x"})
		})
		db.Read(ctx, func(tx motcua.Tx) error {
			es, err := tx.AuditEntries(ctx, motcua.AuditFilter{DossierID: 9})
			if err != nil || len(es) != 1 || es[0].UserID != 5 || !es[0].At.Equal(now) {
				t.Errorf("audit: %+v %v", es, err)
			}
			if _, err := tx.Idempotency(ctx, 5, "k"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("missing key: %v", err)
			}
			return nil
		})
		y := &motcua.CalendarYear{Year: 2027, Data: []byte(`{"year":2027}`), UpdatedBy: 1, UpdatedAt: now}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SaveCalendarYear(ctx, y) })
		y.Data = []byte(`{"year":2027,"note":"sửa"}`)
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SaveCalendarYear(ctx, y) })
		db.Read(ctx, func(tx motcua.Tx) error {
			ys, err := tx.CalendarYears(ctx)
			if err != nil || len(ys) != 1 || string(ys[0].Data) != string(y.Data) {
				t.Errorf("calendar years: %+v %v", ys, err)
			}
			return nil
		})
	})
}
