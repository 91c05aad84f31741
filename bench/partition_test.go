package bench

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestRunPartition runs the partitioning experiment on a seeded province:
// every measurement runs on the three tables, the reports agree (RunPartition
// fails otherwise), and the copies are dropped afterwards.
func TestRunPartition(t *testing.T) {
	addr := sqltest.FreshSchema(t)
	db := sqltest.OpenAt(t, addr)
	ctx := context.Background()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.Default()
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	now := time.Now()
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: password.Default(),
		Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: now}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	figs, err := RunPartition(ctx, PartitionOptions{DB: addr, Year: now.In(motcua.VietnamTime).Year(), Runs: 1, Out: &out})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if len(figs) != 5 {
		t.Fatalf("%d measurements, want 5:\n%s", len(figs), out.String())
	}
	for _, f := range figs {
		if f.Original <= 0 || f.Plain <= 0 || f.Part <= 0 {
			t.Errorf("%s: a measurement did not run: %+v", f.Name, f)
		}
	}
	admin, err := sql.Open("pgx", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var left int
	if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_namespace WHERE nspname IN ('part_exp', 'part_flat')`).Scan(&left); err != nil || left != 0 {
		t.Errorf("the copies were not dropped: %d schemas left (%v)", left, err)
	}
}
