package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestCompactFactsKeepDossiers takes the demo province's facts documents
// back to their form before migration 30 (the applicant's ID number and
// name repeated from the columns, fees with their paid flags; one dossier
// whose name column differs from its document) and migrates again: every
// dossier reads back as it was, the documents no longer repeat what the
// columns hold except where they differ, and they are smaller. Saving the
// digitized flags keeps the dossier's lookup secret.
func TestCompactFactsKeepDossiers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		ds, _ := histories(t, db)
		if len(ds) < 20 {
			t.Fatalf("%d dossiers in the demo province", len(ds))
		}
		compact := 0
		for id := range ds {
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(f, `"id_number"`) || strings.Contains(f, `"full_name"`) || strings.Contains(f, `"paid`) ||
				strings.Contains(f, `"kind":"citizen"`) || strings.Contains(f, `"id_kind":"personal_id"`) || strings.Contains(f, `"return_method":"counter"`) {
				t.Errorf("dossier %d written with repeated facts: %s", id, f)
			}
			compact += len(f)
		}
		if err := db.Rewind(ctx, 30); err != nil {
			t.Fatal(err)
		}
		old := 0
		for id := range ds {
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			old += len(f)
		}
		if err := db.Migrate(ctx, func(int, string) {}); err != nil {
			t.Fatal(err)
		}
		ds2, _ := histories(t, db)
		migrated, fees := 0, 0
		for id, d := range ds {
			if !reflect.DeepEqual(d, ds2[id]) {
				t.Errorf("dossier %d differs after the migration:\n%+v\n%+v", id, d, ds2[id])
			}
			fees += len(d.Fees)
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			migrated += len(f)
			if repeated := strings.Contains(f, `"full_name"`); repeated != (id == 1) {
				t.Errorf("dossier %d: name in the document %v after the migration: %s", id, repeated, f)
			}
			if strings.Contains(f, `"paid`) {
				t.Errorf("dossier %d: paid flags after the migration: %s", id, f)
			}
		}
		if fees == 0 {
			t.Error("no fee in the demo province: the fees' form is not tested")
		}
		t.Logf("facts: %d bytes written compact, %d in the old form, %d migrated", compact, old, migrated)
		if migrated >= old || migrated > compact+200 {
			t.Errorf("facts: %d bytes migrated, %d in the old form, %d written compact", migrated, old, compact)
		}

		var id int64
		var secret string
		for k, d := range ds2 {
			if d.LookupSecret != "" {
				id, secret = k, d.LookupSecret
				break
			}
		}
		if id == 0 {
			t.Fatal("no dossier with a lookup secret")
		}
		if err := db.Write(ctx, func(tx motcua.Tx) error {
			d, err := tx.Dossier(ctx, id)
			if err != nil {
				return err
			}
			return tx.(motcua.DossierFileStore).SaveDigitized(ctx, d)
		}); err != nil {
			t.Fatal(err)
		}
		ds3, _ := histories(t, db)
		if ds3[id].LookupSecret != secret {
			t.Errorf("lookup secret %q after saving the digitized flags, was %q", ds3[id].LookupSecret, secret)
		}
	})
}
