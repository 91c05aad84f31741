package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

var cheapHash = password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}

// seedProvince fills the store at addr with the demo province and puts
// three documents in the folder docs.
func seedProvince(t *testing.T, addr, docs string) {
	t.Helper()
	ctx := context.Background()
	db := sqltest.OpenAt(t, addr)
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: cheapHash,
		Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedFeedback(ctx, demo.Options{Store: db, Cal: cal, Hasher: cheapHash,
		Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: time.Date(2026, 3, 11, 3, 5, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	// Rows of the tables the demo leaves empty, so that every column is
	// copied and checked.
	svc := service.New(db, cal, cheapHash, service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern,
		Now: func() time.Time { return time.Date(2026, 4, 30, 3, 0, 0, 0, time.UTC) }})
	if n, err := svc.WarnDeadlines(ctx); err != nil || n == 0 {
		t.Fatalf("warnings on the demo data: %d %v", n, err)
	}
	store, err := blob.OpenDir(docs)
	if err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"Tờ khai đăng ký khai sinh", "Giấy chứng sinh", strings.Repeat("scan ", 50000)} {
		if err := store.Put(ctx, fmt.Sprintf("dossiers/%d/doc.pdf", i+1), strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	attachFiles(t, db, store)
	twoFactorRows(t, db)
	citizenRows(t, db)
	sealAudit(t, db, cal, pattern)
	db.Close()
}

// twoFactorRows gives an account a second factor, recovery codes and a
// half-signed-in browser, so that their tables are copied and checked.
func twoFactorRows(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 4, 30, 3, 0, 0, 0, time.UTC)
	if err := db.Write(ctx, func(tx motcua.Tx) error {
		u, err := tx.UserByUsername(ctx, "admin")
		if err != nil {
			return err
		}
		if err := tx.SaveTOTP(ctx, &motcua.TOTP{UserID: u.ID, Secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", Confirmed: true, LastStep: 59264640, CreatedAt: at}); err != nil {
			return err
		}
		if err := tx.SetRecoveryCodes(ctx, u.ID, []string{"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"}); err != nil {
			return err
		}
		return tx.CreateChallenge(ctx, &motcua.SignInChallenge{TokenHash: []byte("0123456789abcdef0123456789abcdef"), UserID: u.ID,
			CreatedAt: at, ExpiresAt: at.Add(5 * time.Minute), UserAgent: "Trình duyệt", IP: "192.0.2.4"})
	}); err != nil {
		t.Fatal(err)
	}
}

// sealAudit adds access-log entries with every kind of field (Vietnamese
// text, an address, no dossier) and seals the whole log, so that a copy
// must keep the chain verifiable on the other engine.
func sealAudit(t *testing.T, db *sqlstore.DB, cal motcua.Calendar, pattern motcua.CodePattern) {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 4, 30, 3, 0, 0, 0, time.UTC)
	for _, e := range []*motcua.AuditEntry{
		{At: at, UserID: 1, Action: motcua.AuditViewPersonalData, DossierID: 1, Detail: "Xem hồ sơ — giấy khai sinh", IP: "192.0.2.9"},
		{At: at.Add(1234 * time.Microsecond), UserID: 2, Action: motcua.AuditLoginFailed, Detail: "motcua.anphu", IP: "2001:db8::1"},
	} {
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.Audit(ctx, e) }); err != nil {
			t.Fatal(err)
		}
	}
	svc := service.New(db, cal, cheapHash, service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern,
		Now: func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if n, err := svc.SealAudit(ctx); err != nil || n < 2 {
		t.Fatalf("sealing the audit log: %d %v", n, err)
	}
}

// verifyAudit runs "motcua audit verify" on the database at addr and
// fails unless the whole log is sealed and intact.
func verifyAudit(t *testing.T, addr, dir string) {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", "--db", addr, "--data", dir}, &out, io.Discard, env(nil)); err != nil {
		t.Fatalf("audit verify: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "OK:") || !strings.Contains(out.String(), "not sealed yet: 0") || strings.Contains(out.String(), "sealed entries: 0,") {
		t.Fatalf("audit verify:\n%s", out.String())
	}
}

// seededDocuments is how many documents seedProvince stores: three put
// directly, two attached to a dossier.
const seededDocuments = 5

// attachFiles receives a dossier at An Phú's counter and attaches two
// scans to it through the service, so that the files' records are copied
// and checked with their bytes.
func attachFiles(t *testing.T, db *sqlstore.DB, docs motcua.BlobStore) {
	t.Helper()
	ctx := context.Background()
	cal, _ := calendar.Default()
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	svc := service.New(db, cal, cheapHash, service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern, Blobs: docs,
		Now: func() time.Time { return time.Date(2026, 3, 11, 3, 10, 0, 0, time.UTC) }})
	var u *motcua.User
	if err := db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "motcua.anphu"); return err }); err != nil {
		t.Fatal(err)
	}
	as := motcua.NewContextWithUser(ctx, u)
	p, err := svc.ProcedureByCode(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	_, points, _ := svc.Agency(ctx, "H99.101")
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Trần Văn Số Hóa", IDNumber: "001193054321"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	res, err := svc.ReceiveDossier(as, "", n)
	if err != nil {
		t.Fatal(err)
	}
	// Two payments of the dossier, one paid (with its time) and one
	// pending (no time), so that both kinds of row are copied.
	at := time.Date(2026, 3, 11, 3, 15, 0, 0, time.UTC)
	fees := []motcua.PaymentFee{{Name: "Lệ phí", Amount: 8000}}
	for _, p := range []*motcua.Payment{
		{DossierID: res.Dossier.ID, Method: motcua.PayCash, Amount: 8000, Fees: fees, Reference: "TM-0001", State: motcua.PaymentPaid,
			ReceiptNumber: "0001", PaidAt: at, RecordedBy: u.ID, CreatedAt: at, UpdatedAt: at},
		{DossierID: res.Dossier.ID, Method: motcua.PayOnline, Amount: 8000, Fees: fees, Reference: "TT-1-ab", State: motcua.PaymentPending,
			CreatedAt: at, UpdatedAt: at},
	} {
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreatePayment(ctx, p) }); err != nil {
			t.Fatal(err)
		}
	}
	// A population-database lookup with its answer, so that the log and
	// its JSON answer are copied too.
	lookup := &motcua.PopulationLookup{At: at, UserID: u.ID, AgencyID: points[0].AgencyID, IDNumber: "001193054321", Purpose: "Tiếp nhận hồ sơ",
		DossierCode: res.Dossier.Code, Outcome: motcua.LookupFound, TokenHash: []byte{9, 8, 7}, DossierID: res.Dossier.ID,
		Citizen: &motcua.Citizen{IDNumber: "001193054321", FullName: "Trần Văn Số Hóa", DateOfBirth: "1993-01-02",
			Permanent: motcua.RegisterAddress{ProvinceCode: "99", CommuneCode: "99101", Text: "Ấp Bắc, xã An Phú, tỉnh Mẫu"}}}
	if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.SavePopulationLookup(ctx, lookup) }); err != nil {
		t.Fatal(err)
	}
	for i, body := range []string{"%PDF-1.7 tờ khai", "\x89PNG\r\n\x1a\n giấy chứng sinh"} {
		c := res.Dossier.Components[i%len(res.Dossier.Components)].ComponentID
		if _, err := svc.AttachFile(as, res.Dossier.Code, c, fmt.Sprintf("bản số hóa %d", i+1), strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
	}
	// The text read from the first scan and its confirmed metadata, so
	// that both tables are copied.
	if err := db.Write(ctx, func(tx motcua.Tx) error {
		fs, err := tx.DossierFiles(ctx, res.Dossier.ID)
		if err != nil {
			return err
		}
		if _, err := tx.ClaimScanRead(ctx, fs[0].ID, res.Dossier.ID, at, at.Add(time.Minute)); err != nil {
			return err
		}
		if err := tx.SaveScanText(ctx, &motcua.ScanText{FileID: fs[0].ID, DossierID: res.Dossier.ID, Text: "TỜ KHAI ĐĂNG KÝ KHAI SINH", ReadAt: at}); err != nil {
			return err
		}
		return tx.SaveFileMetadata(ctx, &motcua.ConfirmedMetadata{FileID: fs[0].ID, DossierID: res.Dossier.ID, ConfirmedBy: u.ID, ConfirmedAt: at,
			DocumentMetadata: motcua.DocumentMetadata{DocType: "Tờ khai", IssuedOn: time.Date(2026, 3, 10, 0, 0, 0, 0, motcua.VietnamTime), Issuer: "Người nộp"}})
	}); err != nil {
		t.Fatal(err)
	}
}

// sameRows compares two stores table by table, row by row.
func sameRows(t *testing.T, a, b *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	total := 0
	for _, table := range sqlstore.Tables() {
		ra, err := a.Rows(ctx, table)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.Rows(ctx, table)
		if err != nil {
			t.Fatal(err)
		}
		if len(ra) != len(rb) {
			t.Fatalf("table %s: %d rows in %s, %d in %s", table, len(ra), a.Engine(), len(rb), b.Engine())
		}
		for i := range ra {
			if ra[i] != rb[i] {
				t.Fatalf("table %s differs at row %d:\n%s: %.300s\n%s: %.300s", table, i, a.Engine(), ra[i], b.Engine(), rb[i])
			}
		}
		total += len(ra)
	}
	for _, table := range []string{"agencies", "procedures", "users", "dossiers", "dossier_events", "deadline_warnings", "outbox", "dossier_files", "payments", "population_lookups"} {
		if rows, _ := a.Rows(ctx, table); len(rows) == 0 {
			t.Errorf("table %s is empty: the comparison proves nothing for it", table)
		}
	}
	t.Logf("%d rows compared", total)
}

func sameDocuments(t *testing.T, a, b string) {
	t.Helper()
	ctx := context.Background()
	sa, _ := blob.Open(ctx, a)
	sb, _ := blob.Open(ctx, b)
	la, _ := sa.List(ctx, "")
	lb, _ := sb.List(ctx, "")
	if len(la) != seededDocuments || len(lb) != len(la) {
		t.Fatalf("%d documents, then %d", len(la), len(lb))
	}
	for i := range la {
		ra, _ := sa.Get(ctx, la[i].Key)
		rb, err := sb.Get(ctx, lb[i].Key)
		if err != nil {
			t.Fatal(err)
		}
		ba, _ := io.ReadAll(ra)
		bb, _ := io.ReadAll(rb)
		ra.Close()
		rb.Close()
		if la[i].Key != lb[i].Key || !bytes.Equal(ba, bb) {
			t.Fatalf("document %s differs from %s", la[i].Key, lb[i].Key)
		}
	}
}

// TestMigrateDataDemoRowByRow moves the demo province from SQLite to
// PostgreSQL with the command, compares every table row by row, checks the
// moved province takes new dossiers (the id sequences follow the copied
// ids), and that a second run refuses to copy into a non-empty database.
func TestMigrateDataDemoRowByRow(t *testing.T) {
	sqltest.RequirePostgres(t)
	ctx := context.Background()
	dir := t.TempDir()
	src, docs := filepath.Join(dir, "motcua.db"), filepath.Join(dir, "documents")
	seedProvince(t, src, docs)
	pg := sqltest.FreshSchema(t)
	newDocs := "file://" + filepath.Join(dir, "moved-documents")
	var out bytes.Buffer
	args := []string{"migrate-data", "--from", src, "--from-blobs", "file://" + docs, "--db", pg, "--blobs", newDocs, "--data", dir}
	if err := run(ctx, args, &out, io.Discard, env(nil)); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "matches the source") || !strings.Contains(out.String(), fmt.Sprintf("%d documents copied", seededDocuments)) {
		t.Fatalf("no verification reported:\n%s", out.String())
	}
	a, b := sqltest.OpenAt(t, src), sqltest.OpenAt(t, pg)
	sameRows(t, a, b)
	sameDocuments(t, "file://"+docs, newDocs)
	verifyAudit(t, pg, dir)

	// The copy was vacuumed and analysed for the planner.
	admin, err := sql.Open("pgx", pg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var analysed bool
	if err := admin.QueryRow(`SELECT last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables
		WHERE relid = 'dossiers'::regclass`).Scan(&analysed); err != nil || !analysed || !strings.Contains(out.String(), "VACUUM ANALYZE") {
		t.Errorf("the copied dossiers were not vacuumed and analysed: %v %v", analysed, err)
	}

	// The moved province works: a new dossier gets new ids and the next
	// number of its day.
	cal, _ := calendar.Default()
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	svc := service.New(b, cal, cheapHash, service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern,
		Now: func() time.Time { return time.Date(2026, 3, 11, 3, 30, 0, 0, time.UTC) }})
	var u *motcua.User
	b.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "motcua.anphu"); return err })
	p, err := svc.ProcedureByCode(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	_, points, _ := svc.Agency(ctx, "H99.101")
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Phạm Văn Mới", IDNumber: "001193012345"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	res, err := svc.ReceiveDossier(motcua.NewContextWithUser(ctx, u), "after-move", n)
	if err != nil {
		t.Fatalf("intake after the move: %v", err)
	}
	var prev *motcua.Dossier
	a.Read(ctx, func(tx motcua.Tx) (err error) {
		ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 500})
		for _, d := range ds {
			if prev == nil || d.ID > prev.ID {
				prev = d
			}
		}
		return err
	})
	if res.Dossier.ID <= prev.ID {
		t.Fatalf("new dossier id %d reuses the copied range (last %d)", res.Dossier.ID, prev.ID)
	}

	out.Reset()
	err = run(ctx, args, &out, io.Discard, env(nil))
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("second copy into a full database: %v", err)
	}
}

// TestBackupRestoreAcrossEngines backs up a province on one engine while it
// is open and restores it on the other, then compares row by row.
func TestBackupRestoreAcrossEngines(t *testing.T) {
	for _, pair := range [][2]sqltest.Engine{{sqltest.SQLite, sqltest.SQLite}, {sqltest.SQLite, sqltest.Postgres}, {sqltest.Postgres, sqltest.SQLite}} {
		t.Run(string(pair[0])+"-to-"+string(pair[1]), func(t *testing.T) {
			if pair[0] == sqltest.Postgres || pair[1] == sqltest.Postgres {
				sqltest.RequirePostgres(t)
			}
			ctx := context.Background()
			dir := t.TempDir()
			from, to := sqltest.Fresh(t, pair[0]), sqltest.Fresh(t, pair[1])
			docs := filepath.Join(dir, "documents")
			seedProvince(t, from, docs)
			live := sqltest.OpenAt(t, from) // in use during the backup
			var out bytes.Buffer
			bdir := filepath.Join(dir, "backup")
			if err := run(ctx, []string{"backup", "--db", from, "--blobs", "file://" + docs, "--to", bdir, "--data", dir}, &out, io.Discard, env(nil)); err != nil {
				t.Fatalf("backup: %v\n%s", err, out.String())
			}
			newDocs := "file://" + filepath.Join(dir, "restored-documents")
			if err := run(ctx, []string{"restore", "--from", bdir, "--db", to, "--blobs", newDocs, "--data", dir}, &out, io.Discard, env(nil)); err != nil {
				t.Fatalf("restore: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), "verified") {
				t.Fatalf("restore reported no verification:\n%s", out.String())
			}
			sameRows(t, live, sqltest.OpenAt(t, to))
			recordMatchesHistory(t, sqltest.OpenAt(t, to))
			sameDocuments(t, "file://"+docs, newDocs)
			verifyAudit(t, to, dir)
		})
	}
}

// TestInterruptedCopyLeavesTargetEmpty cancels a copy in the middle of the
// dossiers: the target stays empty, and the command run again succeeds.
func TestInterruptedCopyLeavesTargetEmpty(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		dir := t.TempDir()
		src := filepath.Join(dir, "motcua.db")
		seedProvince(t, src, filepath.Join(dir, "documents"))
		to := sqltest.Fresh(t, e)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := &cancelOn{word: "dossiers", cancel: cancel}
		err := run(ctx, []string{"migrate-data", "--from", src, "--db", to, "--data", dir}, w, io.Discard, env(nil))
		if err == nil || !strings.Contains(err.Error(), "nothing was written") {
			t.Fatalf("interrupted copy: %v", err)
		}
		target := sqltest.OpenAt(t, to)
		sums, err := target.Checksums(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sums {
			if s.Rows != 0 {
				t.Fatalf("table %s has %d rows after an interrupted copy", s.Table, s.Rows)
			}
		}
		if err := run(context.Background(), []string{"migrate-data", "--from", src, "--db", to, "--data", dir}, io.Discard, io.Discard, env(nil)); err != nil {
			t.Fatalf("second run: %v", err)
		}
		sameRows(t, sqltest.OpenAt(t, src), target)
	})
}

// cancelOn cancels when the output mentions word (progress of a table).
type cancelOn struct {
	word   string
	cancel func()
}

func (c *cancelOn) Write(p []byte) (int, error) {
	if bytes.Contains(p, []byte(c.word)) {
		c.cancel()
	}
	return len(p), nil
}
