package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Optimize prepares a database that was just filled in bulk (restore,
// migrate-data) for queries. On PostgreSQL it runs VACUUM (ANALYZE) on the
// province's tables: without the statistics the planner guesses, and
// without the visibility map the index-only scans of the reports visit
// every heap page (on a copied province-year, 06a took 6 s, and a first
// query over fresh rows two minutes, instead of 1 s). On SQLite, whose
// reports name their indexes, there is nothing to do.
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect != postgresDialect {
		return nil
	}
	names := make([]string, len(tableSpecs))
	for i, spec := range tableSpecs {
		name, _, _ := strings.Cut(spec, ":")
		names[i] = pgx.Identifier{name}.Sanitize()
	}
	if _, err := db.pg.ExecContext(ctx, "VACUUM (ANALYZE) "+strings.Join(names, ", ")); err != nil {
		return fmt.Errorf("VACUUM ANALYZE: %w", err)
	}
	return nil
}
