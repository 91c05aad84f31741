package sqlstore_test

import (
	"context"
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

// On PostgreSQL the period pass and the dossiers pending at a moment are
// read from an index alone (migration 0032): a column missing from the
// index would make PostgreSQL read every row of the period from the
// table (for the pending dossiers, a sequential scan of the table was
// what the planner chose).
func TestPGReportReadsAreIndexOnly(t *testing.T) {
	sqltest.RequirePostgres(t)
	db := sqltest.Open(t, sqltest.Postgres)
	ctx := context.Background()
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 1, 20, 9, 0, 0, 0, motcua.VietnamTime)
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cheap := password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: cheap, Service: cfg, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, demo.GenerateOptions{Store: db, Cal: cal, Rules: motcua.DefaultRules(), Pattern: pattern,
		Dossiers: 1500, Year: 2025, Now: now, Communes: 3, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	plans, err := db.PGReportPlans(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for q, plan := range plans {
		if !strings.Contains(plan, "Index Only Scan") || strings.Contains(plan, "Seq Scan") ||
			strings.Contains(plan, "Index Scan using") {
			t.Errorf("not read from an index alone:\n%s\n%s", q, plan)
		}
	}
	if len(plans) != 6 {
		t.Errorf("%d plans, want 6", len(plans))
	}
}
