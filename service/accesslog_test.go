package service_test

import (
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// entries returns the access-log entries of a kind for a dossier (0: any).
func (f *fixture) entries(action string, dossierID, userID int64) []*motcua.AuditEntry {
	f.t.Helper()
	var es []*motcua.AuditEntry
	if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) {
		es, err = tx.AuditEntries(ctx, motcua.AuditFilter{Action: action, DossierID: dossierID, UserID: userID, Limit: 1000})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	return es
}

// TestAccessLogHasNoGaps: refused attempts are logged (dossier, files,
// action, tracking book, unknown code), a tracking book logs each dossier
// it shows, an inbox logs the names it shows once a day; a supervisor reads
// the log of a dossier they supervise, the province's supervisor the whole
// log, and no one else.
func TestAccessLogHasNoGaps(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f, _ := newFilesFixture(t, e)
		police := f.agency("000.00.20.H99")
		ds := f.seeded(func(d *motcua.Dossier) bool { return d.CompetentAgencyID == police.ID })
		d := ds[0]
		f.as("admin")
		admin := f.users["admin"]

		_, err := f.svc.Dossier(f.as("admin"), d.Code, "203.0.113.7")
		wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
		f.svc.DossierFiles(f.as("admin"), d.Code)
		f.svc.Act(f.as("admin"), d.Code, service.ActInput{Action: motcua.ActStop, Reason: "thử"})
		refused := f.entries(motcua.AuditViewRefused, d.ID, admin.ID)
		if len(refused) != 3 || refused[2].IP != "203.0.113.7" || !strings.Contains(refused[2].Detail, d.Code) {
			t.Errorf("refused attempts logged: %+v", refused)
		}
		f.svc.Dossier(f.as("admin"), "KHONG-CO-MA-NAY", "203.0.113.7")
		f.svc.DossierBook(f.as("admin"), police.ID, vn(2025, 1, 1, 0, 0), vn(2025, 3, 10, 0, 0), "203.0.113.7")
		all := f.entries(motcua.AuditViewRefused, 0, admin.ID)
		if len(all) != 5 || !strings.Contains(all[0].Detail, "tracking book") || !strings.Contains(all[1].Detail, "KHONG-CO-MA-NAY") {
			t.Errorf("refusals of an unknown code and a book: %+v", all[:min(2, len(all))])
		}

		// The provincial centre's counter reads its book: each dossier in
		// it has its entry.
		book, err := f.svc.DossierBook(f.as("motcua.tinh"), f.agency("000.00.01.H99").ID, vn(2025, 1, 1, 0, 0), vn(2025, 3, 10, 0, 0), "10.0.0.2")
		if err != nil || len(book) == 0 {
			t.Fatalf("book: %d %v", len(book), err)
		}
		for _, b := range book {
			es := f.entries(motcua.AuditViewPersonalData, b.ID, f.users["motcua.tinh"].ID)
			if len(es) != 1 || !strings.Contains(es[0].Detail, "tracking book") {
				t.Errorf("dossier %s in the book: %d entries", b.Code, len(es))
			}
		}

		// The inbox's names: once a day per dossier.
		inbox := func() int {
			t.Helper()
			p, err := f.svc.Inbox(f.as("motcua.anphu"), service.InboxQuery{})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Items)
		}
		n := inbox()
		f.as("motcua.anphu")
		reader := f.users["motcua.anphu"].ID
		if got := len(f.entries(motcua.AuditViewNames, 0, reader)); n == 0 || got != n {
			t.Errorf("inbox of %d dossiers logged %d name views", n, got)
		}
		inbox()
		if got := len(f.entries(motcua.AuditViewNames, 0, reader)); got != n {
			t.Errorf("a second look the same day logged %d more", got-n)
		}
		f.set(vn(2025, 3, 11, 9, 0))
		inbox()
		if got := len(f.entries(motcua.AuditViewNames, 0, reader)); got != 2*n {
			t.Errorf("the next day: %d name views, want %d", got, 2*n)
		}

		// Reading the log.
		page, err := f.svc.AccessLog(f.as("giamsat.tinh"), service.AccessLogQuery{DossierCode: d.Code})
		if err != nil || len(page.Lines) < 3 || page.Lines[0].DossierCode != d.Code || page.Lines[0].Username == "" {
			t.Fatalf("the province's supervisor reading a dossier's log: %v", err)
		}
		whole, err := f.svc.AccessLog(f.as("giamsat.tinh"), service.AccessLogQuery{Username: "admin", Action: motcua.AuditViewRefused})
		if err != nil || len(whole.Lines) != 5 {
			t.Errorf("the province's supervisor reading the admin's refusals: %v", err)
		}
		_, err = f.svc.AccessLog(f.as("admin"), service.AccessLogQuery{DossierCode: d.Code})
		wantCode(t, err, motcua.EFORBIDDEN, "not_supervisor")
		anPhu := f.agency("H99.101")
		gs, err := f.svc.CreateUser(f.as("admin"), service.NewUser{Username: "giamsat.anphu", FullName: "Giám Sát Xã", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleSupervisor}}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[gs.Username] = gs
		_, err = f.svc.AccessLog(f.as("giamsat.anphu"), service.AccessLogQuery{DossierCode: d.Code})
		wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
		_, err = f.svc.AccessLog(f.as("giamsat.anphu"), service.AccessLogQuery{})
		wantCode(t, err, motcua.EINVALID, "dossier_code_required")
		mine := f.seeded(func(x *motcua.Dossier) bool { return x.ReceptionAgencyID == anPhu.ID })
		if _, err := f.svc.AccessLog(f.as("giamsat.anphu"), service.AccessLogQuery{DossierCode: mine[0].Code}); err != nil {
			t.Errorf("a commune's supervisor reading the log of its dossier: %v", err)
		}
	})
}
