// Command motcua runs the one-stop administrative procedure system.
//
//	motcua demo      start with demo data on the embedded database
//	motcua serve     start the server
//	motcua migrate   bring the database schema up to date
//	motcua bench     measure intake and lookup against baselines
//	motcua backup    write a consistent backup folder (database and documents)
//	motcua restore   fill a new database and storage from a backup folder
//	motcua migrate-data  copy a SQLite province into PostgreSQL, verified
//	motcua audit verify  check the audit log's hash chain (audit seal: seal now)
//	motcua reindex   rebuild the PostgreSQL indexes that decayed
//	motcua version   print the version
//
// Run "motcua <command> --help" for the settings of each.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `motcua — hệ thống giải quyết thủ tục hành chính (one-stop administrative procedures)

Usage: motcua <command> [settings]

Commands:
  demo      Start the system with demo data on the embedded database (SQLite in
            ./data): creates and migrates the database, loads a demo province
            (service centre, departments, communes, 53 real procedures, staff
            for every role, dossiers in every state) if it is empty, then
            serves. Prints the URL and the demo accounts. With --dossiers N
            --year Y it also generates a realistic year of N dossiers (1.6
            million make a large province-year, in minutes) for reports and
            benchmarks; --no-serve stops after loading.
  serve     Start the server on an existing database. Refuses to start when the
            schema is outdated: run "motcua migrate" first.
  migrate   Apply the pending schema migrations, one transaction each, showing
            progress. Safe to interrupt: applied migrations stay applied.
  bench     Measure, in one run on this machine, durable intake through the
            HTTP API against raw durable single-row inserts (SQLite, or
            PostgreSQL with --db postgres://…), and the public lookup against
            a minimal HTTP handler. Prints the ratios.
  backup    Write a backup folder (--to): a consistent copy of the database as
            one SQLite file (whatever the engine), the documents, and a
            manifest with row counts and checksums. The system stays in use.
  restore   Fill a new, empty database (--db) and document storage (--blobs)
            from a backup folder (--from), verifying every table and document.
  migrate-data
            Copy a whole SQLite province (--from data/motcua.db) into the
            database of --db (PostgreSQL), in one transaction, then verify row
            counts and checksums per table; --from-blobs copies documents too.
  merge-db  Merge a whole province (--from, SQLite file or postgres://…) into
            another (--into, default --db): every table, ids remapped,
            conflicts resolved by listed rules; --dry-run reports first.
            Resumable: run it again after an interruption.
  audit verify
            Walk the audit log's hash chain and report the first entry
            altered, deleted or inserted after it was sealed (exit status 2),
            and the head hash to compare with one kept outside the database.
            "audit seal" seals the entries old enough now, as the job does.
  reindex   Rebuild the PostgreSQL indexes of --db (REINDEX CONCURRENTLY, reads
            and writes go on): indexes of rows that change decay to half
            full; monthly keeps them dense (docs/deployment.md §1).
            --dry-run lists them; Ctrl+C stops safely.
  revoke    Revoke an officer's demo certificate (--user, in --keys, by default
            <data>/keys): the demo CA issues a new revocation list (crl.pem),
            which the signing check and the verifier consult.
  version   Print the version.

Every setting can be given as a flag, as an environment variable MOTCUA_<NAME>
(or MOTCUA_<NAME>_FILE naming a file that holds it), or in a JSON file given
with --config; flags win over the environment, which wins over the file.
Run "motcua <command> --help" to list them.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "motcua:", err)
		}
		os.Exit(2)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, rest := args[0], args[1:]
	var auditSub string
	fs := flag.NewFlagSet("motcua "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "motcua", version)
		return nil
	case "serve", "migrate", "demo", "bench", "backup", "restore", "migrate-data", "merge-db", "revoke", "reindex":
	case "audit":
		// "audit verify|seal": the word after "audit" is the subcommand.
		sub := ""
		if len(rest) > 0 && rest[0] != "" && rest[0][0] != '-' {
			sub, rest = rest[0], rest[1:]
		}
		auditSub = sub
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	var bopts benchOptions
	var demoOpts demoOptions
	var dopts dataOptions
	var revokeUser string
	var ropts reindexOptions
	dopts.bind(cmd, fs)
	var mopts mergeDBOptions
	if cmd == "merge-db" {
		mopts.bind(fs)
	}
	switch cmd {
	case "revoke":
		fs.StringVar(&revokeUser, "user", "", "the officer whose demo certificate to revoke (users/<user>.pem)")
	case "demo":
		demoOpts.bind(fs)
	case "bench":
		bopts.bind(fs)
	case "reindex":
		ropts.bind(fs)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: motcua %s [settings]\n\nSettings:\n", cmd)
		fs.PrintDefaults()
	}
	cfg, err := loadConfig(fs, rest, getenv)
	if err != nil {
		return err
	}
	setupLogging(cfg.LogLevel, stderr)
	debug.SetGCPercent(cfg.GCPercent)
	switch limit, _ := parseBytes(cfg.MemoryLimit); {
	case cfg.MemoryLimit != "":
		debug.SetMemoryLimit(limit) // Go's alone
	case cmd == "serve" || cmd == "bench":
		// The whole process, SQLite and code included, within a budget
		// (memgovernor.go), which sets Go's limit at once and then every
		// tick.
		gctx, stop := context.WithCancel(ctx)
		defer stop()
		go governMemory(gctx, serveMemoryBudget(), 100*time.Millisecond)
	default:
		debug.SetMemoryLimit(1 << 30) // the batch commands (demo, migrate-data, merge-db) hold large batches
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, stdout, false)
	case "migrate":
		return migrate(ctx, cfg, stdout)
	case "demo":
		return runDemo(ctx, cfg, stdout, demoOpts)
	case "bench":
		return runBench(ctx, cfg, bopts, stdout)
	case "backup":
		return runBackup(ctx, cfg, dopts, stdout)
	case "restore":
		return runRestore(ctx, cfg, dopts, stdout)
	case "migrate-data":
		return runMigrateData(ctx, cfg, dopts, stdout)
	case "audit":
		return runAudit(ctx, cfg, auditSub, stdout)
	case "merge-db":
		return runMergeDB(ctx, cfg, mopts, stdout)
	case "revoke":
		return runRevoke(cfg, revokeUser, stdout)
	case "reindex":
		return runReindex(ctx, cfg, ropts, stdout)
	}
	return nil
}
