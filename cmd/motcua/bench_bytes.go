package main

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/motcua/motcua/sqlstore"
)

// bytesBench prints what the database of --data or --db takes per dossier,
// rows and indexes separately, table by table (issue 15, docs/deployment.md
// §17). It only reads.
func bytesBench(ctx context.Context, cfg Config, stdout io.Writer) error {
	db, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	tables, err := db.TableBytes(ctx)
	if err != nil {
		return err
	}
	var dossiers int64
	for _, tb := range tables {
		if tb.Table == "dossiers" {
			dossiers = tb.Rows
		}
	}
	if dossiers == 0 {
		return fmt.Errorf("no dossiers in %s: fill it first with motcua demo --dossiers N --year Y --no-serve", cfg.DB)
	}
	per := func(n int64) float64 { return float64(n) / float64(dossiers) }
	fmt.Fprintf(stdout, "bytes per dossier on %s (engine %s, %d dossiers):\n", cfg.DB, db.Engine(), dossiers)
	fmt.Fprintf(stdout, "  %-28s %12s %10s %10s %12s\n", "table", "rows", "B/dossier", "+ indexes", "total bytes")
	var rows, idx, other, otherIdx int64
	for _, tb := range tables {
		rows, idx = rows+tb.Bytes, idx+tb.Indexes
		if per(tb.Bytes+tb.Indexes) < 5 {
			other, otherIdx = other+tb.Bytes, otherIdx+tb.Indexes
			continue
		}
		fmt.Fprintf(stdout, "  %-28s %12d %10.0f %10.0f %12d\n", tb.Table, tb.Rows, per(tb.Bytes), per(tb.Indexes), tb.Bytes+tb.Indexes)
		names := make([]string, 0, len(tb.Index))
		for n := range tb.Index {
			names = append(names, n)
		}
		sort.Slice(names, func(i, j int) bool { return tb.Index[names[i]] > tb.Index[names[j]] })
		for _, n := range names {
			fmt.Fprintf(stdout, "      index %-38s %10.0f\n", n, per(tb.Index[n]))
		}
	}
	fmt.Fprintf(stdout, "  %-28s %12s %10.0f %10.0f %12d\n", "every other table", "", per(other), per(otherIdx), other+otherIdx)
	fmt.Fprintf(stdout, "  %-28s %12s %10.0f %10.0f %12d  = %.2f KB/dossier\n", "all", "", per(rows), per(idx), rows+idx, per(rows+idx)/1000)
	db2 := ""
	if sqlstore.IsPostgresURL(cfg.DB) {
		db2 = " --db postgres://…"
	}
	fmt.Fprintf(stdout, "reproduce: go run ./cmd/motcua bench --bytes --data DIR%s\n", db2)
	return nil
}
