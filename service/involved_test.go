package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestAdministrationReadsNoDossier: the province's administrator and the
// national portal's account, both with a role at the province's top
// agency, read no dossier — not the police's, not a commune's — nor any
// tracking book; the province's supervisor reads them all and each view
// is logged as supervision; a commune's leader reads the dossiers that
// have been at the commune and no other.
func TestAdministrationReadsNoDossier(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		police, anPhu := f.agency("000.00.20.H99"), f.agency("H99.101")
		all := f.seeded(func(*motcua.Dossier) bool { return true })
		policeOnes := f.seeded(func(d *motcua.Dossier) bool { return d.CompetentAgencyID == police.ID })
		if len(all) < 10 || len(policeOnes) == 0 {
			t.Fatalf("the demo has %d dossiers, %d of the police", len(all), len(policeOnes))
		}
		for _, who := range []string{"admin", "dvcqg"} {
			for _, d := range all {
				_, err := f.svc.Dossier(f.as(who), d.Code, "")
				wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
				_, err = f.svc.DossierFiles(f.as(who), d.Code)
				wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
			}
			for _, a := range []*motcua.Agency{police, anPhu, f.agency("000.00.01.H99")} {
				_, err := f.svc.DossierBook(f.as(who), a.ID, vn(2025, 1, 1, 0, 0), vn(2025, 3, 10, 0, 0), "")
				wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
			}
			if list, err := f.svc.BookAgencies(f.as(who)); err != nil || len(list) != 0 {
				t.Errorf("%s may read the tracking books of %d agencies (%v)", who, len(list), err)
			}
		}

		// The portal, an outside system, has no report lists either.
		march := motcua.Period{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)}
		for _, ag := range []int64{0, anPhu.ID} {
			_, err := f.svc.ReportDossiers(f.as("dvcqg"), march, ag, "06a.4", 0)
			wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
		}

		// The supervisor at the province reads the police's dossier; the
		// view is logged as supervision.
		d := policeOnes[0]
		before := len(f.audits(d.ID))
		v, err := f.svc.Dossier(f.as("giamsat.tinh"), d.Code, "10.0.0.9")
		if err != nil || v.Dossier.Applicant.IDNumber == "" {
			t.Fatalf("the supervisor reading a police dossier: %v", err)
		}
		if len(v.Allowed) != 0 {
			t.Errorf("the supervisor may act: %v", v.Allowed)
		}
		es := f.audits(d.ID)
		if len(es) != before+1 || !strings.Contains(es[len(es)-1].Detail, "supervision") || es[len(es)-1].IP != "10.0.0.9" {
			t.Errorf("the supervisor's view was not logged as supervision: %d entries", len(es)-before)
		}
		if _, err := f.svc.DossierBook(f.as("giamsat.tinh"), police.ID, vn(2025, 1, 1, 0, 0), vn(2025, 3, 10, 0, 0), ""); err != nil {
			t.Errorf("the supervisor reading the police's book: %v", err)
		}

		// A commune's leader: the commune's dossiers only.
		seen := 0
		for _, d := range all {
			var events []motcua.Event
			if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { events, err = tx.Events(ctx, d.ID); return err }); err != nil {
				t.Fatal(err)
			}
			ids := []int64{d.ReceptionAgencyID, d.CompetentAgencyID, d.Status.AgencyID}
			for _, e := range events {
				ids = append(ids, e.FromAgencyID, e.ToAgencyID, e.ActorAgencyID, e.PartAgencyID)
			}
			_, err := f.svc.Dossier(f.as("ct.anphu"), d.Code, "")
			if slices.Contains(ids, anPhu.ID) {
				seen++
				if err != nil {
					t.Errorf("An Phú's leader reading its dossier %s: %v", d.Code, err)
				}
			} else {
				wantCode(t, err, motcua.ENOTFOUND, "dossier_not_found")
			}
		}
		if seen == 0 || seen == len(all) {
			t.Errorf("An Phú's leader saw %d of %d dossiers", seen, len(all))
		}
		_, err = f.svc.DossierBook(f.as("ct.anphu"), police.ID, vn(2025, 1, 1, 0, 0), vn(2025, 3, 10, 0, 0), "")
		wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
	})
}
