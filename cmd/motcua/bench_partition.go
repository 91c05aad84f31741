package main

import (
	"context"
	"fmt"
	"io"

	"github.com/motcua/motcua/bench"
)

// partitionBench runs the partitioning experiment (bench.RunPartition) on
// the PostgreSQL province of --db.
func partitionBench(ctx context.Context, cfg Config, o benchOptions, stdout io.Writer) error {
	fmt.Fprintf(stdout, "Partitioning experiment (dossiers of %d by month of creation):\n", o.year)
	_, err := bench.RunPartition(ctx, bench.PartitionOptions{DB: cfg.DB, Year: o.year, Runs: 5, Out: stdout})
	return err
}
