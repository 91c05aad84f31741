package sqlstore_test

import (
	"context"
	"strings"
	"testing"

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
	generated(t, db, 1500, 7)
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
	if len(plans) != 8 {
		t.Errorf("%d plans, want 8", len(plans))
	}
}
