package sqlstore_test

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestDossierParentsStillChecked: migration 0043 replaces the dossiers'
// foreign keys to agencies, procedures and reception points by triggers.
// Everything the keys refused must still be refused, with the same
// SQLSTATE (23503): a dossier pointing to a missing row, alone or in a
// batch of intakes (the others stored, gap-free); an update moving one
// there; deleting, renumbering or truncating a row a dossier names, also
// when the dossier's transaction has not committed yet, and also when the
// delete came first. What the keys allowed stays allowed.
func TestDossierParentsStillChecked(t *testing.T) {
	sqltest.RequirePostgres(t)
	addr := sqltest.FreshSchema(t)
	db := openMigrated(t, addr, sqlstore.Options{PGWriters: 1})
	admin := pgAdmin(t, addr)
	var keys int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'dossiers'::regclass`).Scan(&keys); err != nil {
		t.Fatal(err)
	}
	if keys != 0 {
		t.Errorf("dossiers still has %d foreign keys: migration 0043 did not replace them", keys)
	}

	f := newIntakeFixture(t, db, "H98.400", time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC))
	a, pt, p := f.agency, f.point, f.proc
	other := mustAgency(t, db, "H98.401")
	const missing = 1 << 30 // no agency, procedure or point has this id
	intake := f.intake
	// The triggers' own messages, so that a key of another table
	// refusing the same change does not pass for them.
	isKeyError := func(err error) bool {
		return err != nil && strings.Contains(err.Error(), "23503") && // foreign_key_violation
			(strings.Contains(err.Error(), "points to a missing row") || strings.Contains(err.Error(), "named by dossiers"))
	}
	spoils := map[string]func(*motcua.Dossier){
		"competent agency": func(d *motcua.Dossier) { d.CompetentAgencyID = missing },
		"reception agency": func(d *motcua.Dossier) { d.ReceptionAgencyID = missing },
		"procedure":        func(d *motcua.Dossier) { d.ProcedureID = missing },
		"reception point":  func(d *motcua.Dossier) { d.ReceptionPointID = missing },
	}

	// Alone: each missing row refused.
	for what, spoil := range spoils {
		err := db.Write(ctx, func(tx motcua.Tx) error { _, err := intake(tx, 0, spoil); return err })
		if !isKeyError(err) {
			t.Errorf("a dossier with a missing %s, written alone: %v, want a foreign key violation", what, err)
		}
	}

	// In a batch of intakes (one multi-row INSERT): refused alone.
	const n = 12
	made := make([]*motcua.Dossier, n)
	errs := writeAsOneBatch(t, db, n, func(tx motcua.Tx, i int) error {
		var spoil func(*motcua.Dossier)
		if i == 5 {
			spoil = spoils["procedure"]
		}
		d, err := intake(tx, i, spoil)
		made[i] = d
		return err
	})
	seen := map[string]bool{}
	for i, err := range errs {
		if i == 5 {
			if !isKeyError(err) {
				t.Errorf("the intake with a missing procedure: %v, want a foreign key violation", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("intake %d: %v", i, err)
		}
		seen[made[i].Code] = true
	}
	for k := 1; k < n; k++ {
		if c := f.code(k); !seen[c] {
			t.Errorf("number %s missing: a gap (codes %v)", c, seen)
		}
	}
	var stored int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM dossiers`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != n-1 {
		t.Errorf("%d dossiers stored, want %d", stored, n-1)
	}
	first := made[0].ID

	// An update moving a dossier: to a missing row refused, to another
	// agency allowed.
	if _, err := admin.Exec(`UPDATE dossiers SET competent_agency_id = $1 WHERE id = $2`, missing, first); !isKeyError(err) {
		t.Errorf("a dossier moved to a missing agency: %v, want a foreign key violation", err)
	}
	if _, err := admin.Exec(`UPDATE dossiers SET competent_agency_id = $1 WHERE id = $2`, other.ID, first); err != nil {
		t.Errorf("a dossier moved to another agency: %v", err)
	}

	// An agency named only as a dossier's reception agency is named too.
	receiving := mustAgency(t, db, "H98.405")
	if _, err := admin.Exec(`UPDATE dossiers SET reception_agency_id = $1 WHERE id = $2`, receiving.ID, first); err != nil {
		t.Fatalf("a dossier's reception agency changed: %v", err)
	}

	// The rows a dossier names cannot go, nor change their id; the others can.
	for _, q := range []string{
		fmt.Sprintf(`DELETE FROM agencies WHERE id = %d`, a.ID),
		fmt.Sprintf(`DELETE FROM agencies WHERE id = %d`, other.ID),
		fmt.Sprintf(`UPDATE agencies SET id = %d WHERE id = %d`, missing, other.ID),
		fmt.Sprintf(`DELETE FROM agencies WHERE id = %d`, receiving.ID),
		fmt.Sprintf(`DELETE FROM procedures WHERE id = %d`, p.ID),
		fmt.Sprintf(`UPDATE procedures SET id = %d WHERE id = %d`, missing, p.ID),
		fmt.Sprintf(`DELETE FROM reception_points WHERE id = %d`, pt.ID),
		fmt.Sprintf(`UPDATE reception_points SET id = %d WHERE id = %d`, missing, pt.ID),
	} {
		if _, err := admin.Exec(q); !isKeyError(err) {
			t.Errorf("%s: %v, want a foreign key violation", q, err)
		}
	}
	for _, table := range []string{"agencies", "procedures", "reception_points"} {
		// CASCADE empties the tables with keys to this one: the trigger
		// is what refuses it, for dossiers.
		if _, err := admin.Exec(`TRUNCATE ` + table + ` CASCADE`); !isKeyError(err) {
			t.Errorf("TRUNCATE %s: %v, want a foreign key violation", table, err)
		}
	}
	lone := mustAgency(t, db, "H98.402")
	if _, err := admin.Exec(`UPDATE agencies SET name = 'Đổi tên' WHERE id = $1`, a.ID); err != nil {
		t.Errorf("renaming an agency dossiers name: %v", err)
	}
	if _, err := admin.Exec(`DELETE FROM agencies WHERE id = $1`, lone.ID); err != nil {
		t.Errorf("deleting an agency no dossier names: %v", err)
	}

	// A dossier not yet committed: the delete waits for it, then refuses.
	fresh := mustAgency(t, db, "H98.403")
	copyTo := func(tx *sql.Tx, agency int64, code string, id int64) error {
		_, err := tx.Exec(`CREATE TEMP TABLE one_dossier ON COMMIT DROP AS SELECT * FROM dossiers WITH NO DATA`)
		if err == nil {
			_, err = tx.Exec(`INSERT INTO one_dossier SELECT * FROM dossiers WHERE id = $1`, first)
		}
		if err == nil {
			_, err = tx.Exec(`UPDATE one_dossier SET id = $3, code = $1, competent_agency_id = $2`, code, agency, id)
		}
		if err == nil {
			_, err = tx.Exec(`INSERT INTO dossiers SELECT * FROM one_dossier`)
		}
		return err
	}
	writer, err := admin.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Rollback() // a failed check must not leave it holding the schema
	if err := copyTo(writer, fresh.ID, "H98.403-RACE-1", 1<<40); err != nil {
		t.Fatal(err)
	}
	err = waitsFor(t, writer, "the delete of an agency an uncommitted dossier names", func() error {
		_, err := admin.Exec(`DELETE FROM agencies WHERE id = $1`, fresh.ID)
		return err
	})
	if !isKeyError(err) {
		t.Errorf("the delete of an agency a dossier committed meanwhile names: %v, want a foreign key violation", err)
	}

	// The delete first: the dossier waits for it, then is refused.
	gone := mustAgency(t, db, "H98.404")
	deleter, err := admin.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer deleter.Rollback()
	if _, err := deleter.Exec(`DELETE FROM agencies WHERE id = $1`, gone.ID); err != nil {
		t.Fatalf("deleting an agency no dossier names: %v", err)
	}
	err = waitsFor(t, deleter, "a dossier naming an agency being deleted", func() error {
		tx, err := admin.Begin()
		if err != nil {
			return err
		}
		if err := copyTo(tx, gone.ID, "H98.404-RACE-2", 1<<40+1); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	})
	if !isKeyError(err) {
		t.Errorf("a dossier naming an agency deleted meanwhile: %v, want a foreign key violation", err)
	}
	var orphans int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM agencies a WHERE a.id = d.competent_agency_id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 {
		t.Errorf("%d dossiers name an agency that does not exist", orphans)
	}
}

// waitsFor runs second while first is open, checks that second waits for
// first (it has not ended 300 ms later), commits first and returns
// second's result.
func waitsFor(t *testing.T, first *sql.Tx, what string, second func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- second() }()
	select {
	case err := <-done:
		t.Fatalf("%s did not wait: %v", what, err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	return <-done
}
