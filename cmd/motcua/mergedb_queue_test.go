package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// renameAreas gives the queue areas of the demo's centre (phường Trung
// Tâm) the prefixes of letters, in order, through the administration.
func renameAreas(t *testing.T, db *sqlstore.DB, svc *service.Service, letters string) {
	t.Helper()
	admin := signedIn(t, db, "admin")
	var points []*motcua.ReceptionPoint
	if err := db.Read(context.Background(), func(tx motcua.Tx) (err error) {
		points, err = tx.ReceptionPoints(context.Background(), agencyByCode(t, svc, "H99.102").ID)
		return err
	}); err != nil || len(points) == 0 {
		t.Fatalf("the centre's points: %v", err)
	}
	areas, err := svc.ServiceAreas(admin, points[0].ID)
	if err != nil || len(areas) == 0 || len(areas) > len(letters) {
		t.Fatalf("areas: %d %v", len(areas), err)
	}
	for i, a := range areas {
		a.Prefix = letters[i : i+1]
		if err := svc.SaveServiceArea(admin, a); err != nil {
			t.Fatal(err)
		}
	}
}

// TestMergeDBQueueClash: a queue area of a joined reception point whose
// prefix the survivor's area there has (both queues' past tickets carry
// the same numbers) is listed by the dry run as stopping the merge, and
// the merge is refused, nothing written, until one is renamed.
func TestMergeDBQueueClash(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two provinces")
	}
	ctx := context.Background()
	a, b, da, db := twoProvinces(t, sqltest.SQLite)
	renameAreas(t, db, service.New(db, nil, nil, service.Config{Rules: motcua.DefaultRules()}), "AEF")
	dir := t.TempDir()
	report := filepath.Join(dir, "r")
	args := []string{"merge-db", "--db", a, "--blobs", "file://" + dir + "/docs", "--from", b, "--tag", "H98", "--report", report}
	var out syncBuffer
	if err := run(ctx, append(args, "--dry-run"), &out, &out, func(string) string { return "" }); err != nil {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "STOPS THE MERGE: queue area") {
		t.Fatalf("the dry run does not say what stops the merge:\n%s", out.String())
	}
	var rep sqlstore.MergeReport
	raw, _ := os.ReadFile(report + ".json")
	if err := json.Unmarshal(raw, &rep); err != nil || len(rep.Blocking) != 1 || rep.ConflictCounts["queue_areas"] != 1 {
		t.Fatalf("report: %v, blocking %v, conflicts %v", err, rep.Blocking, rep.ConflictCounts)
	}
	before := sums(t, da)
	out.Reset()
	err := run(ctx, args, &out, &out, func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "nothing was written") {
		t.Fatalf("merge with a clash: %v\n%s", err, out.String())
	}
	if sums(t, da) != before {
		t.Fatal("the refused merge wrote")
	}
}

// TestMergeDBCopy: a province merged with a copy of itself changed a
// little (as the 1.6-million measurement does): the devices registered in
// both are not imported twice (listed), the queue areas renamed first in
// one, and the merge ends verified.
func TestMergeDBCopy(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a province")
	}
	ctx := context.Background()
	a, _, da, _ := twoProvinces(t, sqltest.SQLite)
	dir := t.TempDir()
	b := filepath.Join(dir, "copy.db")
	if _, err := da.Backup(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	db := sqltest.OpenAt(t, b)
	renameAreas(t, db, service.New(db, nil, nil, service.Config{Rules: motcua.DefaultRules()}), "DEF")
	if err := db.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: time.Now(), UserID: 1, Action: "view_personal_data", Detail: "the copy goes on"})
	}); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "r")
	var out syncBuffer
	if err := run(ctx, []string{"merge-db", "--db", a, "--blobs", "file://" + dir + "/docs", "--from", b, "--tag", "H98", "--report", report},
		&out, &out, func(string) string { return "" }); err != nil {
		t.Fatalf("merge of a copy: %v\n%s", err, out.String())
	}
	var rep sqlstore.MergeReport
	raw, _ := os.ReadFile(report + ".json")
	if err := json.Unmarshal(raw, &rep); err != nil || rep.ConflictCounts["queue_devices"] == 0 {
		t.Fatalf("report: %v, conflicts %v", err, rep.ConflictCounts)
	}
	if n := len(fields(t, da, "queue_devices")); n != 1 {
		t.Fatalf("%d devices after the merge, want the one registered in both once", n)
	}
}
