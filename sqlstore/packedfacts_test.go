package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPackedFactsKeepDossiers takes the demo province's facts documents
// back to their form before migration 40 (a JSON object per component and
// per fee) and migrates again: every dossier reads back as it was, the
// documents hold their components packed ("cs") and their fees as pairs,
// and they are smaller.
func TestPackedFactsKeepDossiers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		ds, _ := histories(t, db)
		if len(ds) < 20 {
			t.Fatalf("%d dossiers in the demo province", len(ds))
		}
		packed, comps, fees := 0, 0, 0
		for id, d := range ds {
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(f, `"components"`) || strings.Contains(f, `"name":`) {
				t.Errorf("dossier %d written unpacked: %s", id, f)
			}
			packed += len(f)
			comps, fees = comps+len(d.Components), fees+len(d.Fees)
		}
		if comps == 0 || fees == 0 {
			t.Fatalf("%d components and %d fees in the demo province: the packing is not tested", comps, fees)
		}
		if err := db.Rewind(ctx, 40); err != nil {
			t.Fatal(err)
		}
		old := 0
		for id := range ds {
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(f, `"cs"`) || !strings.Contains(f, `"components":[`) {
				t.Errorf("dossier %d not in the form of before 0040 after the rewind: %s", id, f)
			}
			old += len(f)
		}
		if err := db.Migrate(ctx, func(int, string) {}); err != nil {
			t.Fatal(err)
		}
		ds2, _ := histories(t, db)
		migrated := 0
		for id, d := range ds {
			if !reflect.DeepEqual(d, ds2[id]) {
				t.Errorf("dossier %d differs after the migration:\n%+v\n%+v", id, d, ds2[id])
			}
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Components) > 0 && !strings.Contains(f, `"cs":"`) {
				t.Errorf("dossier %d: components not packed after the migration: %s", id, f)
			}
			if len(d.Fees) > 0 && !strings.Contains(f, `"fees":[["`) {
				t.Errorf("dossier %d: fees not paired after the migration: %s", id, f)
			}
			migrated += len(f)
		}
		t.Logf("facts of %d dossiers (%d components, %d fees): %d bytes packed, %d in the old form, %d migrated",
			len(ds), comps, fees, packed, old, migrated)
		if migrated != packed || migrated >= old {
			t.Errorf("facts: %d bytes migrated, %d in the old form, %d written packed", migrated, old, packed)
		}
	})
}

// TestSetComponentsPacksThem: replacing a dossier's components writes them
// packed, or as objects when one holds text, or not at all when there are
// none, and keeps the rest of the document (its lookup secret included).
func TestSetComponentsPacksThem(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		ds, _ := histories(t, db)
		var id int64
		for k, d := range ds {
			if d.LookupSecret != "" && (id == 0 || k < id) {
				id = k
			}
		}
		if id == 0 {
			t.Fatal("no dossier with a lookup secret")
		}
		for _, c := range []struct {
			comps []motcua.DossierComponent
			want  string
			not   []string
		}{
			{[]motcua.DossierComponent{{ComponentID: 4, Provided: true, Digitized: true}, {ComponentID: 9, TakenFromStore: true}}, `"cs":"4:9,9:16"`, []string{`"components"`}},
			{[]motcua.DossierComponent{{ComponentID: 4, Reused: true, ReusedResult: "7/QĐ", ReusedFrom: "motcua:X"}}, `"components":[{"id":4,"r":true,"rr":"7/QĐ"`, []string{`"cs"`}},
			{[]motcua.DossierComponent{}, `"lookup_secret"`, []string{`"cs"`, `"components"`}},
		} {
			if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.SetDossierComponents(ctx, id, c.comps) }); err != nil {
				t.Fatal(err)
			}
			f, err := db.Facts(id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f, c.want) {
				t.Errorf("components %+v stored as %s, without %s", c.comps, f, c.want)
			}
			for _, n := range c.not {
				if strings.Contains(f, n) {
					t.Errorf("components %+v stored as %s, with %s", c.comps, f, n)
				}
			}
			after, _ := histories(t, db)
			got := after[id]
			if !reflect.DeepEqual(stripNames(got.Components), c.comps) || got.LookupSecret != ds[id].LookupSecret || got.Applicant != ds[id].Applicant {
				t.Errorf("components %+v read back as %+v (secret %q, applicant %+v)", c.comps, got.Components, got.LookupSecret, got.Applicant)
			}
		}
	})
}

// stripNames returns cs without what the procedure version fills in.
func stripNames(cs []motcua.DossierComponent) []motcua.DossierComponent {
	out := make([]motcua.DossierComponent, len(cs))
	for i, c := range cs {
		c.Name, c.Mandatory = "", false
		out[i] = c
	}
	return out
}
