package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// mergeDBOptions are the settings of merge-db.
type mergeDBOptions struct {
	from, into, fromBlobs, tag, report string
	cpuProfile                         string
	dryRun                             bool
	batch                              int
	pause                              time.Duration
}

func (o *mergeDBOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.from, "from", "", "the absorbed province's database: SQLite file or postgres://… (required)")
	fs.StringVar(&o.into, "into", "", "the surviving province's database (default: --db); its documents are --blobs")
	fs.StringVar(&o.fromBlobs, "from-blobs", "", "the absorbed province's document storage (file:///… or s3://…)")
	fs.StringVar(&o.tag, "tag", "", "suffix for the absorbed province's codes and usernames the survivor already uses (e.g. H02)")
	fs.StringVar(&o.report, "report", "merge-report", "report files to write: <report>.json and <report>.csv (every conflict)")
	fs.BoolVar(&o.dryRun, "dry-run", false, "plan and report only; write nothing")
	fs.IntVar(&o.batch, "batch", 5000, "rows per resumable batch")
	fs.DurationVar(&o.pause, "batch-pause", 0, "pause after each batch (spares a disk other systems use); shows every batch")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
}

// runMergeDB merges the province of --from into --into: wiring only (the
// rules and the verification are sqlstore.MergeDB's), then seals and
// verifies the survivor's audit chain.
func runMergeDB(ctx context.Context, cfg Config, o mergeDBOptions, stdout io.Writer) error {
	if o.from == "" {
		return errors.New("merge-db: give the absorbed province's database with --from")
	}
	if o.into == "" {
		o.into = cfg.DB
	}
	if o.cpuProfile != "" {
		stop, err := startCPUProfile(o.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	open := func(url string) (*sqlstore.DB, error) {
		if !sqlstore.IsPostgresURL(url) {
			if _, err := os.Stat(url); err != nil {
				return nil, fmt.Errorf("merge-db: %w", err)
			}
		}
		return sqlstore.OpenURL(ctx, url, sqlstore.Options{MinFreeSpace: -1})
	}
	src, err := open(o.from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := open(o.into)
	if err != nil {
		return err
	}
	defer dst.Close()
	into, err := blob.Open(ctx, cfg.Blobs)
	if err != nil {
		return fmt.Errorf("--blobs: %w", err)
	}
	var from motcua.BlobStore
	if o.fromBlobs != "" {
		if from, err = blob.Open(ctx, o.fromBlobs); err != nil {
			return fmt.Errorf("--from-blobs: %w", err)
		}
	}
	// The absorbed chain is verified before it is moved; its head is
	// recorded in the merge and checked again from the imported rows.
	v, err := service.New(src, nil, nil, service.Config{Rules: motcua.DefaultRules()}).VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !v.OK() {
		return fmt.Errorf("merge-db: the absorbed province's audit chain fails verification at entry %d (%s): nothing was written", v.ProblemID, v.Problem)
	}
	var head *motcua.AuditLink
	if v.HeadID > 0 {
		head = &motcua.AuditLink{LastID: v.HeadID, Hash: v.HeadHash}
	}
	var csvw *csv.Writer
	if o.report != "" {
		f, err := os.Create(o.report + ".csv")
		if err != nil {
			return err
		}
		defer f.Close()
		csvw = csv.NewWriter(f)
		defer csvw.Flush()
		csvw.Write([]string{"table", "key", "reason", "rule"})
	}
	start := time.Now()
	last := time.Time{}
	opts := sqlstore.MergeOptions{Tag: o.tag, DryRun: o.dryRun, Batch: o.batch, From: from, Into: into, AuditHead: head,
		Progress: func(stage string, done, _ int64) {
			// An import batch's stage is its table's name; the checks,
			// sums and verification ("check …", "verify …") read only.
			batch := !strings.ContainsRune(stage, ' ')
			if o.pause > 0 && done > 0 && batch {
				time.Sleep(o.pause)
			}
			if time.Since(last) > 2*time.Second || done == 0 || (o.pause > 0 && batch) {
				last = time.Now()
				fmt.Fprintf(stdout, "  %6.1fs  %-24s %d\n", time.Since(start).Seconds(), stage, done)
			}
		},
		OnConflict: func(c sqlstore.MergeConflict) {
			if csvw != nil {
				csvw.Write([]string{c.Table, c.Key, c.Reason, c.Rule})
			}
		}}
	fmt.Fprintf(stdout, "Merging %s into %s%s…\n", src.Path(), dst.Path(), map[bool]string{true: " (dry run: nothing is written)"}[o.dryRun])
	rep, err := sqlstore.MergeDB(ctx, src, dst, opts)
	if rep != nil && rep.Resumed {
		fmt.Fprintln(stdout, "Resuming the interrupted merge of this database (its plan is read back from the target).")
	}
	if rep != nil && err == nil && o.dryRun {
		err = mergeDBFigures(ctx, cfg, src, dst, rep, o.report, stdout)
	}
	if rep != nil {
		printMergeReport(stdout, rep)
		if o.report != "" {
			b, _ := json.MarshalIndent(rep, "", "  ")
			if werr := writeFileSync(o.report+".json", b); werr != nil && err == nil {
				err = werr
			}
			fmt.Fprintf(stdout, "Report written to %s.json and %s.csv.\n", o.report, o.report)
		}
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errors.New("merge-db: interrupted; what was committed stays: run the same command again to resume")
		}
		if motcua.ErrorCode(err) != "" && motcua.ErrorCode(err) != motcua.EINTERNAL {
			return fmt.Errorf("merge-db: %s", motcua.ErrorMessage(err))
		}
		return fmt.Errorf("merge-db: %w", err)
	}
	if o.dryRun {
		fmt.Fprintln(stdout, "Dry run: nothing was written. Run again without --dry-run to merge.")
		return nil
	}
	svc := service.New(dst, nil, nil, service.Config{Rules: motcua.DefaultRules()})
	if _, err := svc.SealAudit(ctx); err != nil {
		return err
	}
	av, err := svc.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !av.OK() {
		return fmt.Errorf("merge-db: the survivor's audit chain fails at entry %d (%s)", av.ProblemID, av.Problem)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(stdout, "Merged and verified in %s (Go heap peak ≈ %d MB). Audit chain: %d sealed, %d not sealed yet, head %d %s.\n",
		time.Since(start).Round(time.Millisecond), ms.Sys>>20, av.Sealed, av.Unsealed, av.HeadID, av.HeadHash)
	return nil
}

func printMergeReport(w io.Writer, rep *sqlstore.MergeReport) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  TABLE\tABSORBED\tMOVED\tCONFLICTS\tRULE")
	for _, t := range rep.Tables {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%s\n", t.Table, t.Source, t.Moved, rep.ConflictCounts[t.Table], t.Rule)
	}
	tw.Flush()
	if len(rep.Figures) > 0 {
		fmt.Fprintln(w, "Dossiers settled per agency (before + added by the merge):")
		for _, f := range rep.Figures {
			fmt.Fprintf(w, "  %-16s %-50s %d + %d\n", f.Agency, f.Name, f.Before, f.Added)
		}
	}
	for _, b := range rep.Blocking {
		fmt.Fprintf(w, "  STOPS THE MERGE: %s\n", b)
	}
	for i, m := range rep.MissingFiles {
		if i == 20 {
			fmt.Fprintf(w, "  … and %d more (see the report)\n", len(rep.MissingFiles)-20)
			break
		}
		fmt.Fprintf(w, "  missing document: %s\n", m)
	}
	for _, c := range rep.Verified {
		mark := "OK  "
		if !c.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "  %s %s: %s\n", mark, c.What, c.Note)
	}
}
