package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// PartitionOptions control RunPartition.
type PartitionOptions struct {
	DB   string // postgres:// address of a province filled by motcua demo or migrate-data
	Year int    // the generated year: partitions are its months
	Runs int    // timed runs of each measurement; the median is reported
	Keep bool   // keep the partitioned copy (schema part_exp) afterwards
	Out  io.Writer
}

// PartitionFigures are the medians of one measurement on the original
// table, on a fresh plain copy and on the partitioned copy.
type PartitionFigures struct {
	Name                  string
	Original, Plain, Part time.Duration
}

// partSchema holds the partitioned copy, flatSchema a copy of the same rows
// in a plain table: a fresh copy is denser than a table that has been
// updated for a year, so the partitioned one is compared with both.
// Everything else the store reads (events, agencies, counters…) stays in
// the original schema, found through the search path, so the store's own
// code runs unchanged on all three.
const (
	partSchema = "part_exp"
	flatSchema = "part_flat"
)

// RunPartition measures whether declarative partitioning of the dossiers
// by month of creation helps: it copies the dossiers of the database at
// o.DB into a table partitioned by RANGE (created_at), one partition a
// month of o.Year and a default one, with the same indexes (the unique
// ones, which PostgreSQL requires to hold the partition key, extended with
// created_at), then times the same store and service calls on both: an
// agency's inbox pages, public lookups by code, report 06a for a month and
// for the year, and inserts of dossier rows. created_at is the key because
// it never changes; received_at is set later for online dossiers (the row
// would move between partitions) and is NULL before.
func RunPartition(ctx context.Context, o PartitionOptions) ([]PartitionFigures, error) {
	if o.Runs <= 0 {
		o.Runs = 5
	}
	if o.Out == nil {
		o.Out = io.Discard
	}
	if !sqlstore.IsPostgresURL(o.DB) {
		return nil, fmt.Errorf("--partition needs --db postgres://…")
	}
	admin, err := sql.Open("pgx", o.DB)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	var schema string
	if err := admin.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, err
	}
	for _, copy := range []string{flatSchema, partSchema} {
		if err := buildCopy(ctx, admin, schema, copy, o); err != nil {
			return nil, err
		}
		if !o.Keep {
			defer admin.ExecContext(context.Background(), `DROP SCHEMA `+copy+` CASCADE`)
		}
	}
	open := func(first string) (*sqlstore.DB, error) {
		u, err := url.Parse(o.DB)
		if err != nil {
			return nil, err
		}
		if first != "" {
			q := u.Query()
			q.Set("search_path", first+","+schema)
			u.RawQuery = q.Encode()
		}
		return sqlstore.OpenURL(ctx, u.String(), sqlstore.Options{})
	}
	var dbs [3]*sqlstore.DB
	for i, sc := range []string{"", flatSchema, partSchema} {
		if dbs[i], err = open(sc); err != nil {
			return nil, err
		}
		defer dbs[i].Close()
	}

	// The inputs: the agency holding most dossiers, and codes to look up.
	var holder int64
	if err := admin.QueryRowContext(ctx, `SELECT holder_agency_id FROM dossiers GROUP BY 1 ORDER BY COUNT(*) DESC LIMIT 1`).Scan(&holder); err != nil {
		return nil, err
	}
	var codes []string
	// A sample of pages on a large table; a small one has too few pages
	// for a 1 % sample, and is read whole.
	for _, q := range []string{`SELECT code FROM dossiers TABLESAMPLE SYSTEM (1) LIMIT 2000`, `SELECT code FROM dossiers LIMIT 2000`} {
		rows, err := admin.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var c string
			rows.Scan(&c)
			codes = append(codes, c)
		}
		rows.Close()
		if len(codes) >= 100 {
			break
		}
	}
	if len(codes) == 0 {
		return nil, fmt.Errorf("no dossiers in %s", o.DB)
	}
	cal, err := calendar.Default()
	if err != nil {
		return nil, err
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	newSvc := func(db *sqlstore.DB) *service.Service {
		return service.New(db, cal, password.Default(), service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern})
	}
	svcs := [3]*service.Service{newSvc(dbs[0]), newSvc(dbs[1]), newSvc(dbs[2])}
	day := func(m time.Month, d int) motcua.Day {
		return motcua.DayOf(time.Date(o.Year, m, d, 12, 0, 0, 0, motcua.VietnamTime))
	}
	march := motcua.Period{From: day(3, 1), To: day(3, 31)}
	year := motcua.Period{From: day(1, 1), To: day(12, 31)}
	rng := rand.New(rand.NewPCG(1, 2))

	type measure struct {
		name string
		fn   func(i int) error // i: 0 the original, 1 plain copy, 2 partitioned copy
	}
	inbox := func(i int) error {
		return dbs[i].Read(ctx, func(tx motcua.Tx) error {
			var after *motcua.DossierCursor
			for range 5 { // five pages, as an officer scrolls
				ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{HolderAgencyIDs: []int64{holder}, After: after, Limit: 50})
				if err != nil || len(ds) == 0 {
					return err
				}
				last := ds[len(ds)-1]
				after = &motcua.DossierCursor{NextDueAt: last.Status.NextDueAt(), ID: last.ID}
			}
			return nil
		})
	}
	lookup := func(i int) error {
		return dbs[i].Read(ctx, func(tx motcua.Tx) error {
			for range 200 {
				if _, err := tx.PublicDossier(ctx, codes[rng.IntN(len(codes))]); err != nil {
					return err
				}
			}
			return nil
		})
	}
	var results [2][3]*motcua.Report06a
	r06a := func(p motcua.Period, k int) func(i int) error {
		return func(i int) (err error) {
			results[k][i], err = svcs[i].Report06a(ctx, p, service.SourceBase)
			return err
		}
	}
	insert := func(i int) error {
		table := [3]string{schema, flatSchema, partSchema}[i] + ".dossiers"
		return insertCopies(ctx, admin, table, schema, 2000)
	}
	var out []PartitionFigures
	for _, m := range []measure{
		{"inbox: 5 pages of the busiest agency", inbox},
		{"lookup: 200 public lookups by code", lookup},
		{"06a March from the dossiers", r06a(march, 0)},
		{"06a year from the dossiers", r06a(year, 1)},
		{"intake: 2,000 dossier rows inserted (rolled back)", insert},
	} {
		var ds [3][]time.Duration
		for range o.Runs { // interleaved, so that the machine's load falls on all
			for i := range 3 {
				t0 := time.Now()
				if err := m.fn(i); err != nil {
					return nil, fmt.Errorf("%s (%s): %w", m.name, [3]string{"original", "plain copy", "partitioned"}[i], err)
				}
				ds[i] = append(ds[i], time.Since(t0))
			}
		}
		med := func(d []time.Duration) time.Duration {
			sort.Slice(d, func(a, b int) bool { return d[a] < d[b] })
			return d[len(d)/2]
		}
		f := PartitionFigures{Name: m.name, Original: med(ds[0]), Plain: med(ds[1]), Part: med(ds[2])}
		fmt.Fprintf(o.Out, "  %-50s original %8.1f ms  plain copy %8.1f ms  partitioned %8.1f ms  (partitioned / plain copy × %.2f; median of %d)\n",
			f.Name, ms(f.Original), ms(f.Plain), ms(f.Part), float64(f.Part)/float64(f.Plain), o.Runs)
		out = append(out, f)
	}
	for k, name := range []string{"March", "year"} {
		for i := 1; i < 3; i++ {
			if results[k][0].Total != results[k][i].Total {
				return out, fmt.Errorf("06a %s differs between the original and copy %d: %+v, %+v", name, i, results[k][0].Total, results[k][i].Total)
			}
		}
	}
	return out, nil
}

// uniqueCols finds the column list of an index definition.
var uniqueCols = regexp.MustCompile(`USING btree \(([^)]*)\)`)

// buildCopy makes into.dossiers, partitioned by month of created_at when
// into is partSchema, filled with the dossiers of schema in the same order
// (by id) and indexed as they are.
func buildCopy(ctx context.Context, db *sql.DB, schema, into string, o PartitionOptions) error {
	t0 := time.Now()
	partitioned := into == partSchema
	stmts := []string{
		`DROP SCHEMA IF EXISTS ` + into + ` CASCADE`,
		`CREATE SCHEMA ` + into,
	}
	if partitioned {
		stmts = append(stmts, `CREATE TABLE `+into+`.dossiers (LIKE `+schema+`.dossiers INCLUDING DEFAULTS) PARTITION BY RANGE (created_at)`,
			`CREATE TABLE `+into+`.dossiers_other PARTITION OF `+into+`.dossiers DEFAULT`)
		for m := 1; m <= 12; m++ {
			from := time.Date(o.Year, time.Month(m), 1, 0, 0, 0, 0, motcua.VietnamTime)
			to := from.AddDate(0, 1, 0)
			stmts = append(stmts, fmt.Sprintf(`CREATE TABLE %s.dossiers_%02d PARTITION OF %s.dossiers FOR VALUES FROM (%d) TO (%d)`,
				into, m, into, from.UnixMilli(), to.UnixMilli()))
		}
	} else {
		stmts = append(stmts, `CREATE TABLE `+into+`.dossiers (LIKE `+schema+`.dossiers INCLUDING DEFAULTS)`)
	}
	stmts = append(stmts, `INSERT INTO `+into+`.dossiers SELECT * FROM `+schema+`.dossiers ORDER BY id`)
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	rows, err := db.QueryContext(ctx, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'dossiers'`, schema)
	if err != nil {
		return err
	}
	var defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		def = strings.Replace(def, "ON "+schema+".dossiers ", "ON "+into+".dossiers ", 1)
		def = strings.Replace(def, "INDEX "+name+" ", "INDEX "+name+"_"+into+" ", 1)
		if partitioned && strings.HasPrefix(def, "CREATE UNIQUE") && !strings.Contains(def, "created_at") {
			// A unique index of a partitioned table must hold the
			// partition key: the code is then unique per month only.
			def = uniqueCols.ReplaceAllString(def, "USING btree ($1, created_at)")
		}
		defs = append(defs, def)
	}
	rows.Close()
	// The foreign keys too (since migration 0043 dossiers has none on
	// PostgreSQL: its parents are checked by a statement trigger, which,
	// like the report triggers, the copies do not get). Both copies check
	// the same, so the partitioned one compares with the plain copy; the
	// original's inserts also run that check (0.07 ms a one-row INSERT).
	rows, err = db.QueryContext(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = ($1 || '.dossiers')::regclass AND contype = 'f'`, schema)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		defs = append(defs, `ALTER TABLE `+into+`.dossiers ADD CONSTRAINT `+name+` `+def)
	}
	rows.Close()
	for _, d := range defs {
		if _, err := db.ExecContext(ctx, d); err != nil {
			return fmt.Errorf("%s: %w", d, err)
		}
	}
	// VACUUM as the original was after its import: the visibility map
	// lets both answer from their indexes alone.
	if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE) `+into+`.dossiers`); err != nil {
		return err
	}
	what := "plain copy"
	if partitioned {
		what = "partitioned copy (13 partitions)"
	}
	fmt.Fprintf(o.Out, "  %s of the dossiers, %d indexes and foreign keys, built in %s\n", what, len(defs), time.Since(t0).Round(time.Second))
	return nil
}

// insertCopies inserts n copies of existing dossier rows into table, with
// new ids and codes, in a transaction it rolls back: the cost of the rows
// and their index entries, which is what partitioning could change in an
// intake.
func insertCopies(ctx context.Context, db *sql.DB, table, schema string, n int) error {
	rows, err := db.QueryContext(ctx, `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'dossiers' ORDER BY ordinal_position`, schema)
	if err != nil {
		return err
	}
	var cols, sel []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
		switch c {
		case "id":
			sel = append(sel, "id + 1000000000000")
		case "code":
			sel = append(sel, "code || '-x'")
		default:
			sel = append(sel, c)
		}
	}
	rows.Close()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// One row a statement, as intakes arrive.
	var ids []int64
	r, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT id FROM %s.dossiers ORDER BY id DESC LIMIT %d`, schema, n))
	if err != nil {
		return err
	}
	for r.Next() {
		var id int64
		r.Scan(&id)
		ids = append(ids, id)
	}
	r.Close()
	q := fmt.Sprintf(`INSERT INTO %s (%s) SELECT %s FROM %s.dossiers WHERE id = $1`, table, strings.Join(cols, ", "), strings.Join(sel, ", "), schema)
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}
