package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/sqlstore"
)

// dataOptions are the settings of backup, restore and migrate-data.
type dataOptions struct {
	to        string
	from      string
	fromBlobs string
}

func (o *dataOptions) bind(cmd string, fs *flag.FlagSet) {
	switch cmd {
	case "backup":
		fs.StringVar(&o.to, "to", "", "new folder to write the backup to (required)")
	case "restore":
		fs.StringVar(&o.from, "from", "", "backup folder to restore from (required); the target is --db and --blobs")
	case "migrate-data":
		fs.StringVar(&o.from, "from", "", "SQLite database file to copy from (required); the target is --db")
		fs.StringVar(&o.fromBlobs, "from-blobs", "", "document storage to copy from (file:///… or s3://…); empty copies no documents")
	}
}

// manifest describes a backup folder.
type manifest struct {
	CreatedAt     time.Time           `json:"created_at"`
	Source        string              `json:"source"`
	Engine        string              `json:"engine"`
	SchemaVersion int                 `json:"schema_version"`
	Tables        []sqlstore.TableSum `json:"tables"`
	Documents     []docSum            `json:"documents"`
}

type docSum struct {
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

func progressTo(w io.Writer) sqlstore.CopyProgress {
	return func(table string, rows int64) { fmt.Fprintf(w, "  %-20s %d rows\n", table, rows) }
}

// runBackup writes a backup folder: motcua.db (a consistent SQLite copy,
// whatever the engine), documents/ and manifest.json with the counts and
// checksums to verify a restore against.
func runBackup(ctx context.Context, cfg Config, o dataOptions, stdout io.Writer) (err error) {
	if o.to == "" {
		return errors.New("backup: give the new folder with --to")
	}
	if entries, err := os.ReadDir(o.to); err == nil && len(entries) > 0 {
		return fmt.Errorf("backup: %s is not empty; choose a new folder", o.to)
	}
	db, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	docs, err := blob.Open(ctx, cfg.Blobs)
	if err != nil {
		return fmt.Errorf("document storage: %w", err)
	}
	if err := os.MkdirAll(o.to, 0o750); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(o.to)
			err = fmt.Errorf("%w (the incomplete backup folder %s was removed; run the backup again)", err, o.to)
		}
	}()
	fmt.Fprintf(stdout, "Backing up %s to %s…\n", db.Path(), o.to)
	_, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	m := manifest{CreatedAt: time.Now().UTC(), Source: db.Path(), Engine: db.Engine(), SchemaVersion: latest}
	if m.Tables, err = db.Backup(ctx, filepath.Join(o.to, "motcua.db"), progressTo(stdout)); err != nil {
		return err
	}
	dst, err := blob.OpenDir(filepath.Join(o.to, "documents"))
	if err != nil {
		return err
	}
	if m.Documents, err = copyDocuments(ctx, docs, dst, nil, stdout); err != nil {
		return err
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := writeFileSync(filepath.Join(o.to, "manifest.json"), b); err != nil {
		return err
	}
	printSums(stdout, m.Tables, nil)
	fmt.Fprintf(stdout, "Backup complete: %d documents. Restore with: motcua restore --from %s --db <new database>\n", len(m.Documents), o.to)
	return nil
}

// runRestore fills an empty target (--db, --blobs) from a backup folder
// and verifies every table and document against the manifest.
func runRestore(ctx context.Context, cfg Config, o dataOptions, stdout io.Writer) error {
	if o.from == "" {
		return errors.New("restore: give the backup folder with --from")
	}
	b, err := os.ReadFile(filepath.Join(o.from, "manifest.json"))
	if err != nil {
		return fmt.Errorf("restore: %w (is %s a backup folder made by motcua backup?)", err, o.from)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("restore: manifest.json: %w", err)
	}
	src, err := sqlstore.Open(filepath.Join(o.from, "motcua.db"), sqlstore.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	if err := checkSums(ctx, src, m.Tables, "the backup"); err != nil {
		return err
	}
	docs, err := blob.Open(ctx, cfg.Blobs)
	if err != nil {
		return fmt.Errorf("document storage: %w", err)
	}
	if err := copyData(ctx, cfg, src, stdout); err != nil {
		return err
	}
	from, err := blob.OpenDir(filepath.Join(o.from, "documents"))
	if err != nil {
		return err
	}
	want := map[string]docSum{}
	for _, d := range m.Documents {
		want[d.Key] = d
	}
	got, err := copyDocuments(ctx, from, docs, want, stdout)
	if err != nil {
		return err
	}
	if len(got) != len(m.Documents) {
		return fmt.Errorf("restore: %d documents copied, the manifest lists %d", len(got), len(m.Documents))
	}
	fmt.Fprintf(stdout, "Restore complete and verified: every table and %d documents match the backup.\n", len(got))
	return nil
}

// runMigrateData copies a SQLite province into the (PostgreSQL) database of
// --db, verifying counts and checksums per table, and its documents from
// --from-blobs into --blobs.
func runMigrateData(ctx context.Context, cfg Config, o dataOptions, stdout io.Writer) error {
	if o.from == "" {
		return errors.New("migrate-data: give the SQLite database to copy with --from")
	}
	if _, err := os.Stat(o.from); err != nil {
		return fmt.Errorf("migrate-data: %w", err)
	}
	src, err := sqlstore.Open(o.from, sqlstore.Options{})
	if err != nil {
		return err
	}
	defer src.Close()
	if err := copyData(ctx, cfg, src, stdout); err != nil {
		return err
	}
	if o.fromBlobs != "" && o.fromBlobs != cfg.Blobs {
		from, err := blob.Open(ctx, o.fromBlobs)
		if err != nil {
			return fmt.Errorf("--from-blobs: %w", err)
		}
		to, err := blob.Open(ctx, cfg.Blobs)
		if err != nil {
			return fmt.Errorf("--blobs: %w", err)
		}
		docs, err := copyDocuments(ctx, from, to, nil, stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d documents copied and verified.\n", len(docs))
	}
	fmt.Fprintln(stdout, "Done: serve with the new --db now.")
	return nil
}

// copyData migrates the target, copies src into it and verifies it.
func copyData(ctx context.Context, cfg Config, src *sqlstore.DB, stdout io.Writer) error {
	dst, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer dst.Close()
	if err := dst.Migrate(ctx, nil); err != nil {
		return fmt.Errorf("migrate the target: %w", err)
	}
	fmt.Fprintf(stdout, "Copying %s into %s (one transaction: an interruption leaves the target empty)…\n", src.Path(), dst.Path())
	sums, err := sqlstore.Copy(ctx, src, dst, progressTo(stdout))
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; nothing was written to the target: run the command again")
		}
		return err
	}
	if err := checkSums(ctx, dst, sums, "the target"); err != nil {
		return err
	}
	printSums(stdout, sums, dst)
	if dst.Engine() == "postgres" {
		fmt.Fprintln(stdout, "Preparing the copy for queries (VACUUM ANALYZE: planner statistics and visibility map)…")
		if err := dst.Optimize(ctx); err != nil {
			return fmt.Errorf("%w: the data is copied and verified, but reports will be slow until you run VACUUM (ANALYZE) on the database", err)
		}
	}
	return nil
}

// checkSums compares the tables of db with want.
func checkSums(ctx context.Context, db *sqlstore.DB, want []sqlstore.TableSum, what string) error {
	got, err := db.Checksums(ctx)
	if err != nil {
		return err
	}
	byName := map[string]sqlstore.TableSum{}
	for _, s := range got {
		byName[s.Table] = s
	}
	for _, w := range want {
		g, ok := byName[w.Table]
		if !ok || g.Rows != w.Rows || g.Sum != w.Sum {
			return fmt.Errorf("verification failed: table %s of %s has %d rows (checksum %.12s), expected %d (%.12s)",
				w.Table, what, g.Rows, g.Sum, w.Rows, w.Sum)
		}
	}
	return nil
}

func printSums(w io.Writer, sums []sqlstore.TableSum, verified *sqlstore.DB) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  TABLE\tROWS\tSHA-256")
	for _, s := range sums {
		fmt.Fprintf(tw, "  %s\t%d\t%.16s…\n", s.Table, s.Rows, s.Sum)
	}
	tw.Flush()
	if verified != nil {
		fmt.Fprintf(w, "Every table of %s matches the source: same row counts and checksums.\n", verified.Path())
	}
}

// copyDocuments copies every blob of from into to, hashing what it reads;
// with want, each must match its recorded size and hash.
func copyDocuments(ctx context.Context, from, to motcua.BlobStore, want map[string]docSum, stdout io.Writer) ([]docSum, error) {
	list, err := from.List(ctx, "")
	if err != nil {
		return nil, err
	}
	var out []docSum
	for i, bi := range list {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("document copy interrupted after %d of %d: %w (run the command again)", i, len(list), err)
		}
		r, err := from.Get(ctx, bi.Key)
		if err != nil {
			return out, err
		}
		h := sha256.New()
		cr := &countReader{r: io.TeeReader(r, h)}
		err = to.Put(ctx, bi.Key, cr)
		r.Close()
		if err != nil {
			return out, err
		}
		d := docSum{Key: bi.Key, Size: cr.n, SHA256: hex.EncodeToString(h.Sum(nil))}
		if w, ok := want[bi.Key]; want != nil && (!ok || w != d) {
			return out, fmt.Errorf("verification failed: document %s (%d bytes, %.12s) does not match the backup's manifest", d.Key, d.Size, d.SHA256)
		}
		out = append(out, d)
		if (i+1)%100 == 0 {
			fmt.Fprintf(stdout, "  documents %d/%d\n", i+1, len(list))
		}
	}
	return out, nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// writeFileSync writes a small file durably.
func writeFileSync(path string, b []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
