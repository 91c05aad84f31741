package sqlstore_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestStatusColumnsKeepDossiers takes the demo province's status
// documents back to their form before migration 41 (the appraiser and the
// result's number as keys) and migrates again: every dossier reads back as
// it was, and the documents are again those written since 41, byte for
// byte, without either key.
func TestStatusColumnsKeepDossiers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		ds, _ := histories(t, db)
		written := map[int64]string{}
		appraised, numbered := 0, 0
		for id, d := range ds {
			s, err := db.Status(id)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(s, `"appraiser_id"`) || strings.Contains(s, `"result_number"`) {
				t.Errorf("dossier %d written with the columns' keys: %s", id, s)
			}
			written[id] = s
			if d.Status.AppraiserID != 0 {
				appraised++
			}
			if d.Status.ResultNumber != "" {
				numbered++
			}
		}
		if appraised == 0 || numbered == 0 {
			t.Fatalf("%d appraised and %d numbered dossiers in the demo province: the move is not tested", appraised, numbered)
		}
		if err := db.Rewind(ctx, 41); err != nil {
			t.Fatal(err)
		}
		old, keyed := 0, 0
		for id := range ds {
			s, err := db.Status(id)
			if err != nil {
				t.Fatal(err)
			}
			old += len(s)
			if strings.Contains(s, `"appraiser_id"`) || strings.Contains(s, `"result_number"`) {
				keyed++
			}
		}
		if keyed < appraised {
			t.Fatalf("%d documents with the keys after the rewind, %d dossiers appraised", keyed, appraised)
		}
		// A number with what JSON escapes, written as the program wrote it.
		var odd int64
		for id, d := range ds {
			if d.Status.ResultNumber != "" && (odd == 0 || id < odd) {
				odd = id
			}
		}
		const oddNumber = `Số "12"/QĐ-UBND \ <b>`
		doc, err := db.Status(odd)
		if err != nil {
			t.Fatal(err)
		}
		was, _ := json.Marshal(ds[odd].Status.ResultNumber)
		now, _ := json.Marshal(oddNumber)
		doc = strings.Replace(doc, `"result_number":`+string(was), `"result_number":`+string(now), 1)
		if !strings.Contains(doc, `\"12\"`) || !strings.Contains(doc, `\u003cb\u003e`) {
			t.Fatalf("the odd number is not in the document: %s", doc)
		}
		if err := db.SetStatusDoc(odd, doc); err != nil {
			t.Fatal(err)
		}
		ds[odd].Status.ResultNumber = oddNumber
		if err := db.Migrate(ctx, func(int, string) {}); err != nil {
			t.Fatal(err)
		}
		ds2, _ := histories(t, db)
		migrated := 0
		for id, d := range ds {
			if !reflect.DeepEqual(d, ds2[id]) {
				t.Errorf("dossier %d differs after the migration:\n%+v\n%+v", id, d.Status, ds2[id].Status)
			}
			s, err := db.Status(id)
			if err != nil {
				t.Fatal(err)
			}
			if s != written[id] {
				t.Errorf("dossier %d: status %q after the migration, %q as written", id, s, written[id])
			}
			migrated += len(s)
		}
		t.Logf("status of %d dossiers (%d appraised, %d numbered): %d bytes in the old form, %d migrated", len(ds), appraised, numbered, old, migrated)
	})
}
