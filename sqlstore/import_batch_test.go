package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// oneByOne is a store whose transactions import a batch of histories one
// ImportHistory at a time: the way the generator stored them before
// ImportHistories, against which the batch import is compared.
type oneByOne struct{ motcua.Store }

func (s oneByOne) Write(ctx context.Context, fn func(motcua.Tx) error) error {
	return s.Store.Write(ctx, func(tx motcua.Tx) error { return fn(perHistory{tx}) })
}

type perHistory struct{ motcua.Tx }

func (p perHistory) ImportHistories(ctx context.Context, hs []motcua.HistoryImport) error {
	for _, h := range hs {
		if err := p.ImportHistory(ctx, h.Dossier, h.Events, h.Files); err != nil {
			return err
		}
	}
	return nil
}

// TestGenerateBatchSameAsOneByOne generates the same province into two
// copies of one seeded store, once through the batch import (COPY on
// PostgreSQL) and once one history at a time, and compares every table:
// the same rows, ids included, and the same live counters. 1,500 dossiers
// make two chunks, built on two workers: their order is covered too.
func TestGenerateBatchSameAsOneByOne(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		cal, err := calendar.Default()
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2025, 12, 31, 23, 0, 0, 0, motcua.VietnamTime)
		pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
		cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
		seeded := sqltest.Open(t, e)
		if _, err := demo.Seed(ctx, demo.Options{Store: seeded, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32},
			Service: cfg, Now: now}); err != nil {
			t.Fatal(err)
		}
		// Two copies, so that both start from the same rows and the same
		// id sequences, with nothing left in memory from the seeding.
		batch, single := sqltest.Open(t, e), sqltest.Open(t, e)
		for _, db := range []*sqlstore.DB{batch, single} {
			if _, err := sqlstore.Copy(ctx, seeded, db, nil); err != nil {
				t.Fatal(err)
			}
			if err := db.WarmVersionNames(ctx); err != nil {
				t.Fatal(err)
			}
		}
		gen := func(s motcua.Store) *demo.GenerateResult {
			res, err := demo.Generate(ctx, demo.GenerateOptions{Store: s, Cal: cal, Rules: cfg.Rules, Pattern: pattern, Dossiers: 1500,
				Year: 2025, Now: now, Communes: 4, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		a, b := gen(batch), gen(oneByOne{single})
		if *a != *b || a.Dossiers < 1450 {
			t.Fatalf("generated %+v in a batch, %+v one by one", a, b)
		}
		sa, err := batch.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := single.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sa) != len(sb) {
			t.Fatalf("%d tables against %d", len(sa), len(sb))
		}
		compared := map[string]int64{}
		for i := range sa {
			if sa[i] != sb[i] {
				ra, _ := batch.Rows(ctx, sa[i].Table)
				rb, _ := single.Rows(ctx, sb[i].Table)
				t.Errorf("table %s differs: %d rows %s in a batch, %d rows %s one by one; %s", sa[i].Table, sa[i].Rows, sa[i].Sum[:12],
					sb[i].Rows, sb[i].Sum[:12], firstDifference(ra, rb))
			}
			compared[sa[i].Table] = sa[i].Rows
		}
		// The comparison covered what the generator writes.
		if compared["dossiers"] < 1450 || compared["dossier_events"] < 5*1450 || compared["dossier_work"] == 0 || compared["stat_counts"] == 0 {
			t.Errorf("compared %v", compared)
		}
	})
}

// firstDifference describes where two sorted row lists first differ.
func firstDifference(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("row %d: %.300s against %.300s", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("one list is a prefix of the other (%d and %d rows)", len(a), len(b))
}

// TestImportHistoriesFilesAndRefusal imports a batch whose histories carry
// a scan and a signed result (the batch path numbers the files before the
// events that name them), then batches with one bad history — refused by
// the checks, or by the database (a code already taken) — of which nothing
// is kept.
func TestImportHistoriesFilesAndRefusal(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		// db takes the batches; single the same histories one at a time,
		// to compare the rows of both.
		db, single := sqltest.Open(t, e), sqltest.Open(t, e)
		var a *motcua.Agency
		var pt *motcua.ReceptionPoint
		var p *motcua.Procedure
		for _, s := range []*sqlstore.DB{single, db} { // the same ids in both
			a = mustAgency(t, s, "H99.101")
			pt = &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
			mustWrite(t, s, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
			p = &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
			mustWrite(t, s, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		}
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		history := func(code string, signed bool) motcua.HistoryImport {
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234"}
			evs := []motcua.Event{
				{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
					ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(time.Hour), ActionDueAt: at.Add(time.Hour)},
				{Seq: 2, Action: motcua.ActIssueResult, At: at.Add(time.Minute), FromState: motcua.StateReceived, ToState: motcua.StateResultReady,
					FromStep: -1, ToStep: -1, FromAgencyID: a.ID, ToAgencyID: a.ID, ResultNumber: "1/KQ", ResultSigned: true},
			}
			st, err := motcua.Replay(evs)
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			scan := &motcua.DossierFile{ComponentID: 3, Name: "to-khai.pdf", ContentType: "application/pdf", Size: 500,
				SHA256: "cd02" + code, BlobKey: "dossiers/generated/cd02" + code, UploadedBy: 7, UploadedAt: at}
			res := &motcua.DossierFile{ComponentID: motcua.ResultComponent, Name: "KQ-" + code + ".pdf", ContentType: "application/pdf",
				Size: 900, SHA256: "ab01" + code, BlobKey: "dossiers/generated/ab01" + code, UploadedBy: 7, UploadedAt: at.Add(time.Minute),
				DocCode: "KQ-" + code}
			if signed {
				res.Signer, res.SignedAt = "Lãnh đạo", at.Add(time.Minute)
			}
			return motcua.HistoryImport{Dossier: d, Events: evs, Files: []motcua.HistoryFile{{File: scan, AfterSeq: 1}, {File: res, AfterSeq: 1}}}
		}
		good := []motcua.HistoryImport{history("H99.101-260310-0001", true), history("H99.101-260310-0002", true)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.ImportHistories(ctx, good) })
		mustWrite(t, single, func(tx motcua.Tx) error {
			return perHistory{tx}.ImportHistories(ctx, []motcua.HistoryImport{history("H99.101-260310-0001", true), history("H99.101-260310-0002", true)})
		})
		for _, table := range []string{"dossiers", "dossier_files", "dossier_events", "dossier_work", "event_actors"} {
			ra, err := db.Rows(ctx, table)
			if err != nil {
				t.Fatal(err)
			}
			rb, _ := single.Rows(ctx, table)
			if fmt.Sprint(ra) != fmt.Sprint(rb) {
				t.Errorf("%s: %d rows in a batch, %d one at a time; %s", table, len(ra), len(rb), firstDifference(ra, rb))
			}
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			for _, h := range good {
				res := h.Files[1].File
				if h.Dossier.ID == 0 || res.ID == 0 || res.DossierID != h.Dossier.ID || h.Files[0].File.DossierID != h.Dossier.ID {
					t.Errorf("dossier %d stored with files %+v %+v", h.Dossier.ID, h.Files[0].File, res)
				}
				got, err := tx.DossierByCode(ctx, h.Dossier.Code)
				if err != nil || got.ID != h.Dossier.ID || got.Status.ResultFileRef != res.IDString() || !got.Status.ResultSigned {
					t.Errorf("stored %+v %v, want the result file %d", got, err, res.ID)
					continue
				}
				evs, err := tx.Events(ctx, got.ID)
				if err != nil || len(evs) != 2 || evs[1].ResultFileRef != res.IDString() {
					t.Errorf("stored history %+v %v", evs, err)
				}
				files, err := tx.DossierFiles(ctx, got.ID)
				if err != nil || len(files) != 2 || files[0].SHA256 != h.Files[0].File.SHA256 || files[1].DocCode != res.DocCode || files[1].ID != res.ID {
					t.Errorf("stored files %+v %v", files, err)
				}
			}
			return nil
		})

		bad := map[string][]motcua.HistoryImport{
			"a signed result without its signed file": {history("H99.101-260310-0003", true), history("H99.101-260310-0004", false)},
			"a code already taken":                    {history("H99.101-260310-0005", true), history("H99.101-260310-0001", true)},
			"a history not ending at its status":      {history("H99.101-260310-0006", true), {Dossier: &motcua.Dossier{Code: "X", Status: motcua.Status{Seq: 3}}}},
			"no dossier":                              {history("H99.101-260310-0007", true), {}},
		}
		for name, hs := range bad {
			if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.ImportHistories(ctx, hs) }); err == nil {
				t.Errorf("%s: the batch was imported", name)
			}
			db.Read(ctx, func(tx motcua.Tx) error {
				d := hs[0].Dossier
				if _, err := tx.DossierByCode(ctx, d.Code); motcua.ErrorCode(err) != motcua.ENOTFOUND {
					t.Errorf("%s: the first dossier of the refused batch: %v, want not found", name, err)
				}
				if _, err := tx.DossierFileByDocCode(ctx, "KQ-"+d.Code); motcua.ErrorCode(err) != motcua.ENOTFOUND {
					t.Errorf("%s: its result file: %v, want not found", name, err)
				}
				return nil
			})
		}
	})
}
