package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// twoProvinces seeds two demo provinces (the same generator, so that every
// agency code, username, procedure code and dossier code conflicts) and
// returns their addresses, open.
func twoProvinces(t *testing.T, e sqltest.Engine, from ...sqltest.Engine) (string, string, *sqlstore.DB, *sqlstore.DB) {
	t.Helper()
	eb := e
	if len(from) > 0 {
		eb = from[0]
	}
	a, b := sqltest.Fresh(t, e), sqltest.Fresh(t, eb)
	da, db := sqltest.OpenAt(t, a), sqltest.OpenAt(t, b)
	for i, st := range []*sqlstore.DB{da, db} {
		svc := seedDemo(t, st)
		// The demo's queue at its centre: the same reception point and
		// area prefixes in both provinces.
		if _, err := demo.SeedQueue(context.Background(), demo.Options{Store: st, Cal: svc.Calendar(), Hasher: cheapHash,
			Service: service.Config{Rules: motcua.DefaultRules()}, Now: time.Now()}); err != nil {
			t.Fatal(err)
		}
		if i == 1 { // the absorbed centre's areas renamed, as an operator must (see TestMergeDBQueueClash)
			renameAreas(t, st, svc, "DEF")
		}
		// Audit entries naming users and dossiers, with a gap (a rolled
		// back insert), sealed into the chain as the job would a minute on.
		err := st.Write(context.Background(), func(tx motcua.Tx) error {
			for j := range 5 {
				if err := tx.Audit(context.Background(), &motcua.AuditEntry{At: time.Now(), UserID: int64(j + 1), Action: "view_personal_data",
					DossierID: int64(j + 2), Detail: fmt.Sprintf("entry %d of province %d", j, i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_ = st.Write(context.Background(), func(tx motcua.Tx) error {
			tx.Audit(context.Background(), &motcua.AuditEntry{At: time.Now(), Action: "rolled back"})
			return errors.New("roll back")
		})
		if err := st.Write(context.Background(), func(tx motcua.Tx) error {
			return tx.Audit(context.Background(), &motcua.AuditEntry{At: time.Now(), UserID: 3, Action: "after the gap"})
		}); err != nil {
			t.Fatal(err)
		}
		later := service.New(st, nil, nil, service.Config{Rules: motcua.DefaultRules(), Now: func() time.Time { return time.Now().Add(time.Minute) }})
		if n, err := later.SealAudit(context.Background()); err != nil || n == 0 {
			t.Fatalf("seal: %d %v", n, err)
		}
		// A generated year on top of the demo's dossiers: histories of
		// every kind, and live counters written as the generator does.
		pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
		now := time.Now()
		if _, err := demo.Generate(context.Background(), demo.GenerateOptions{Store: st, Cal: svc.Calendar(), Rules: motcua.DefaultRules(),
			Pattern: pattern, Dossiers: 400, Year: now.Year() - 1, Now: now, Seed: uint64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	return a, b, da, db
}

func sums(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	s, err := db.Checksums(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(s)
	return string(b)
}

// codes maps every dossier's code to its applicant and state, read from
// the canonical rows of the table (columns 1, 11 and 15).
func codes(t *testing.T, db *sqlstore.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, vals := range fields(t, db, "dossiers") {
		out[vals[1]] = vals[11] + "|" + vals[15]
	}
	return out
}

// fields returns the rows of a table as text, column by column, decoded
// from their canonical form (strings as they are, other values as their
// text).
func fields(t *testing.T, db *sqlstore.DB, table string) [][]string {
	t.Helper()
	rows, err := db.Rows(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, q := range rows {
		r, err := strconv.Unquote(q)
		if err != nil {
			t.Fatal(err)
		}
		var vals []string
		for b := []byte(r); len(b) > 0; {
			switch b[0] {
			case 'S':
				n, k := binary.Uvarint(b[1:])
				vals = append(vals, string(b[1+k:1+k+int(n)]))
				b = b[1+k+int(n)+1:]
			default: // I<number>, N (NULL), T, F
				i := bytes.IndexByte(b, 0)
				vals = append(vals, strings.TrimPrefix(string(b[:i]), "I"))
				b = b[i+1:]
			}
		}
		out = append(out, vals)
	}
	return out
}

// TestMergeDB merges two generated provinces: a dry run writes nothing and
// reports the conflicts; the real run imports every dossier (each found by
// its old code, or its suffixed one when the survivor had the code), and
// the merge's own verification (counts and checksums per table, live
// counters = recount, the absorbed audit chain) passes, as does a recount
// made here and the survivor's audit chain; a second run is refused. On
// both engines.
func TestMergeDB(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two provinces")
	}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		testMergeDB(t, e, e)
		if e == sqltest.Postgres { // a SQLite province into a PostgreSQL one
			t.Run("from-sqlite", func(t *testing.T) { testMergeDB(t, e, sqltest.SQLite) })
		}
	})
}

func testMergeDB(t *testing.T, e, from sqltest.Engine) {
	{
		ctx := context.Background()
		a, b, da, db := twoProvinces(t, e, from)
		dir := t.TempDir()
		report := filepath.Join(dir, "r")
		before := sums(t, da)
		oldA, oldB := codes(t, da), codes(t, db)
		args := []string{"merge-db", "--db", a, "--blobs", "file://" + dir + "/docs", "--from", b, "--tag", "H98", "--report", report, "--batch", "7"}
		var out syncBuffer
		if err := run(ctx, append(args, "--dry-run"), &out, &out, func(string) string { return "" }); err != nil {
			t.Fatalf("dry run: %v\n%s", err, out.String())
		}
		if sums(t, da) != before {
			t.Fatal("the dry run wrote to the target")
		}
		var rep sqlstore.MergeReport
		raw, err := os.ReadFile(report + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &rep); err != nil {
			t.Fatal(err)
		}
		shared := 0
		for c := range oldB {
			if _, ok := oldA[c]; ok {
				shared++
			}
		}
		if shared == 0 || rep.ConflictCounts["dossiers"] != shared || rep.ConflictCounts["users"] == 0 || rep.ConflictCounts["agencies"] == 0 {
			t.Fatalf("conflicts %v, want the %d dossier codes both use, users and agencies", rep.ConflictCounts, shared)
		}
		csvText, _ := os.ReadFile(report + ".csv")
		if n := strings.Count(string(csvText), "\n") - 1; n < shared {
			t.Fatalf("the CSV lists %d conflicts", n)
		}
		out.Reset()
		if err := run(ctx, args, &out, &out, func(string) string { return "" }); err != nil {
			t.Fatalf("merge: %v\n%s", err, out.String())
		}
		if !strings.Contains(out.String(), "live counters = recount") || !strings.Contains(out.String(), "imported entries rebuild the absorbed chain") ||
			strings.Contains(out.String(), "FAIL") {
			t.Fatalf("no verification printed:\n%s", out.String())
		}
		merged := codes(t, da)
		if len(merged) != len(oldA)+len(oldB) {
			t.Fatalf("%d dossiers after the merge, want %d + %d", len(merged), len(oldA), len(oldB))
		}
		for c, v := range oldA {
			if merged[c] != v {
				t.Fatalf("survivor's dossier %s: %q, was %q", c, merged[c], v)
			}
		}
		for c, v := range oldB {
			want := c // found by the code printed on its receipt…
			if _, ok := oldA[c]; ok {
				want = c + "-H98" // … unless the survivor had that code
			}
			if merged[want] != v {
				t.Fatalf("absorbed dossier %s: not found under %s (%q)", c, want, merged[want])
			}
		}
		if ok, note, err := sqlstore.RecountStats(ctx, da); err != nil || !ok {
			t.Fatalf("recount: %v %s", err, note)
		}
		checkPredicted(t, da, &rep)
		recordMatchesHistory(t, da) // merged: the absorbed dossiers' rows under their new ids
		out.Reset()
		if err := run(ctx, []string{"audit", "verify", "--db", a}, &out, &out, func(string) string { return "" }); err != nil {
			t.Fatalf("audit verify: %v\n%s", err, out.String())
		}
		after := sums(t, da)
		if err := run(ctx, args, &out, &out, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "already been merged") {
			t.Fatalf("second merge: %v", err)
		}
		if sums(t, da) != after {
			t.Fatal("the refused merge wrote")
		}
	}
}

// TestMergeDBRefusals: the same database, and a database at another schema
// version, are refused before anything is written.
func TestMergeDBRefusals(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two provinces")
	}
	ctx := context.Background()
	a, b, da, db := twoProvinces(t, sqltest.SQLite)
	dir := t.TempDir()
	before := sums(t, da)
	try := func(from string) error {
		var out syncBuffer
		return run(ctx, []string{"merge-db", "--db", a, "--blobs", "file://" + dir, "--from", from, "--tag", "X", "--report", ""}, &out, &out, func(string) string { return "" })
	}
	if err := try(a); err == nil || !strings.Contains(err.Error(), "same database") {
		t.Fatalf("same database: %v", err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if err := try(b); err == nil || !strings.Contains(err.Error(), "schema") {
		t.Fatalf("older schema: %v", err)
	}
	if sums(t, da) != before {
		t.Fatal("a refused merge wrote")
	}
}

// mergeChildEnv, when set, makes this test binary run "motcua" with the
// newline-separated arguments it holds (the merge the parent kills).
const mergeChildEnv = "MOTCUA_MERGE_CHILD"

// TestMergeDBKilled kills a merge with SIGKILL in the middle of its
// batches, runs it again, and checks that it resumes to the same verified
// result as an uninterrupted merge of copies of the same two provinces.
func TestMergeDBKilled(t *testing.T) {
	if args := os.Getenv(mergeChildEnv); args != "" {
		crashServe(strings.Split(args, "\n"))
		return
	}
	if testing.Short() {
		t.Skip("spawns a merge")
	}
	ctx := context.Background()
	a, b, da, db := twoProvinces(t, sqltest.SQLite)
	dir := t.TempDir()
	a2, b2 := filepath.Join(dir, "a2.db"), filepath.Join(dir, "b2.db")
	for _, c := range []struct {
		db   *sqlstore.DB
		path string
	}{{da, a2}, {db, b2}} {
		if _, err := c.db.Backup(ctx, c.path, nil); err != nil {
			t.Fatal(err)
		}
	}
	args := func(into, from, docs string) []string {
		return []string{"merge-db", "--db", into, "--blobs", "file://" + filepath.Join(dir, docs), "--from", from, "--tag", "H98", "--report", ""}
	}
	// The reference: an uninterrupted merge of the copies.
	var out syncBuffer
	if err := run(ctx, args(a2, b2, "docs2"), &out, &out, func(string) string { return "" }); err != nil {
		t.Fatalf("reference merge: %v\n%s", err, out.String())
	}
	// The merge killed half-way through the events.
	cmd := exec.Command(os.Args[0], "-test.run=^TestMergeDBKilled$")
	cmd.Env = append(os.Environ(), mergeChildEnv+"="+strings.Join(append(args(a, b, "docs"), "--batch", "3", "--batch-pause", "20ms"), "\n"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	killed := false
	var seen []string
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if f := strings.Fields(sc.Text()); len(f) == 3 && f[1] == "dossier_events" && f[2] != "0" {
			cmd.Process.Signal(syscall.SIGKILL)
			killed = true
			break
		}
	}
	cmd.Wait()
	if !killed {
		t.Fatalf("the merge ended before it could be killed:\n%s\n%s", strings.Join(seen, "\n"), stderr.String())
	}
	var n int64
	if n, err = da.CountRows(ctx, "dossier_events"); err != nil {
		t.Fatal(err)
	}
	ref := sqltest.OpenAt(t, a2)
	full, err := ref.CountRows(ctx, "dossier_events")
	if err != nil {
		t.Fatal(err)
	}
	if n >= full {
		t.Fatalf("killed after the events were all in (%d of %d)", n, full)
	}
	// Another database cannot be merged while this merge is unfinished.
	out.Reset()
	if err := run(ctx, args(a, a2, "docs"), &out, &out, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "unfinished merge") {
		t.Fatalf("another merge during an unfinished one: %v", err)
	}
	out.Reset()
	if err := run(ctx, args(a, b, "docs"), &out, &out, func(string) string { return "" }); err != nil {
		t.Fatalf("resumed merge: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "resumed") && !strings.Contains(out.String(), "Resuming") {
		t.Fatalf("the rerun did not resume:\n%s", out.String())
	}
	got, err := da.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := ref.Checksums(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		switch want[i].Table {
		case "audit_chain":
			// Seals are made by the clock (entries old enough when the
			// merge ends), not by the merge: a resumed merge ending a
			// minute later seals more. The chain is verified by the merge.
		case "audit_log": // the merge's own entries carry their times
			if got[i].Rows != want[i].Rows {
				t.Errorf("%s: %d rows after the resumed merge, %d after the uninterrupted one", want[i].Table, got[i].Rows, want[i].Rows)
			}
		default:
			if got[i] != want[i] {
				t.Errorf("%s: resumed %+v, uninterrupted %+v", want[i].Table, got[i], want[i])
			}
		}
	}
}

// TestMergeDBDocuments: the absorbed province's documents are copied into
// the survivor's storage under their dossiers' new ids (a result's
// document code the survivor uses is suffixed); one missing from the
// absorbed storage refuses the merge, listed, before anything is written.
func TestMergeDBDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two provinces")
	}
	ctx := context.Background()
	a, b, da, db := twoProvinces(t, sqltest.SQLite)
	dir := t.TempDir()
	docsA, err := blob.OpenDir(filepath.Join(dir, "a"))
	if err != nil {
		t.Fatal(err)
	}
	docsB, err := blob.OpenDir(filepath.Join(dir, "b"))
	if err != nil {
		t.Fatal(err)
	}
	// A result with the same document code in both, and two scans in B.
	addFile := func(st *sqlstore.DB, docs motcua.BlobStore, dossierID int64, body, docCode string) *motcua.DossierFile {
		sum := sha256.Sum256([]byte(body))
		f := &motcua.DossierFile{DossierID: dossierID, Name: "scan.pdf", ContentType: "application/pdf", Size: int64(len(body)),
			SHA256: hex.EncodeToString(sum[:]), UploadedBy: 1, UploadedAt: time.Now(), DocCode: docCode}
		f.BlobKey = fmt.Sprintf("dossiers/%d/%s", dossierID, f.SHA256)
		if err := docs.Put(ctx, f.BlobKey, strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		if err := st.Write(ctx, func(tx motcua.Tx) error { return tx.AddDossierFile(ctx, f) }); err != nil {
			t.Fatal(err)
		}
		return f
	}
	addFile(da, docsA, 1, "survivor's result", "KQ-2025-1")
	var fs []*motcua.DossierFile
	for i, code := range []string{"KQ-2025-1", "", ""} {
		fs = append(fs, addFile(db, docsB, int64(i+1), fmt.Sprintf("absorbed document %d", i), code))
	}
	args := []string{"merge-db", "--db", a, "--blobs", "file://" + filepath.Join(dir, "a"), "--from", b,
		"--from-blobs", "file://" + filepath.Join(dir, "b"), "--tag", "H98", "--report", ""}
	before := sums(t, da)
	if err := docsB.Delete(ctx, fs[2].BlobKey); err != nil {
		t.Fatal(err)
	}
	var out syncBuffer
	if err := run(ctx, args, &out, &out, func(string) string { return "" }); err == nil || !strings.Contains(out.String(), "missing document: "+fs[2].BlobKey) {
		t.Fatalf("a missing document: %v\n%s", err, out.String())
	}
	if sums(t, da) != before {
		t.Fatal("the refused merge wrote")
	}
	// A document whose bytes are not the ones its record hashed stops the
	// merge at its batch; put right, the merge resumes.
	if err := docsB.Put(ctx, fs[2].BlobKey, strings.NewReader("tampered")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, args, &out, &out, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "SHA-256") {
		t.Fatalf("a tampered document: %v\n%s", err, out.String())
	}
	if err := docsB.Put(ctx, fs[2].BlobKey, strings.NewReader("absorbed document 2")); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, args, &out, &out, func(string) string { return "" }); err != nil {
		t.Fatalf("merge: %v\n%s", err, out.String())
	}
	for i, f := range fs {
		var got *motcua.DossierFile
		err := da.Read(ctx, func(tx motcua.Tx) error {
			code := "KQ-2025-1-H98"
			if f.DocCode == "" {
				return nil
			}
			var err error
			got, err = tx.DossierFileByDocCode(ctx, code)
			return err
		})
		if err != nil {
			t.Fatalf("file %d: %v", i, err)
		}
		if got != nil && got.SHA256 != f.SHA256 {
			t.Fatalf("the absorbed result under the suffixed code: %+v", got)
		}
		list, err := docsA.List(ctx, "dossiers/")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, bi := range list {
			if strings.HasSuffix(bi.Key, "/"+f.SHA256) && bi.Key != f.BlobKey {
				rc, err := docsA.Get(ctx, bi.Key)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(rc)
				rc.Close()
				found = string(body) == fmt.Sprintf("absorbed document %d", i)
			}
		}
		if !found {
			t.Fatalf("document %d not in the survivor's storage under a new dossier: %v", i, list)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the command's output and the
// log lines its store's background work writes at the same time.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (s *syncBuffer) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.Reset()
}
