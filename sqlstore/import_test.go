package sqlstore_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestImportHistoryResultFile imports a history whose result was signed and
// then issued: the file's record is stored before the issue_result, which
// (with the status) names it by its id. A history claiming a signed result
// whose file is not signed is refused whole.
func TestImportHistoryResultFile(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		history := func(code string, signed bool) (*motcua.Dossier, []motcua.Event, []motcua.HistoryFile) {
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
			f := &motcua.DossierFile{ComponentID: motcua.ResultComponent, Name: "KQ-" + code + ".pdf", ContentType: "application/pdf",
				Size: 900, SHA256: "ab01" + code, BlobKey: "dossiers/generated/ab01" + code, UploadedBy: 7, UploadedAt: at.Add(time.Minute),
				DocCode: "KQ-" + code}
			if signed {
				f.Signer, f.SignedAt = "Lãnh đạo", at.Add(time.Minute)
			}
			return d, evs, []motcua.HistoryFile{{File: f, AfterSeq: 1}}
		}

		d, evs, files := history("H99.101-260310-0001", true)
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.ImportHistory(ctx, d, evs, files) })
		f := files[0].File
		if f.ID == 0 || f.DossierID != d.ID {
			t.Fatalf("file stored as %+v for dossier %d", f, d.ID)
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.DossierByCode(ctx, d.Code)
			if err != nil || got.Status.ResultFileRef != f.IDString() || !got.Status.ResultSigned || got.Status.ResultNumber != "1/KQ" {
				t.Errorf("stored status %+v %v, want the result file %d", got, err, f.ID)
			}
			stored, err := tx.Events(ctx, d.ID)
			if err != nil || len(stored) != 2 || stored[1].ResultFileRef != f.IDString() || !stored[1].ResultSigned {
				t.Errorf("stored history %+v %v", stored, err)
			}
			if st, err := motcua.Replay(stored); err != nil || st.ResultFileRef != f.IDString() || !st.ResultSigned {
				t.Errorf("replayed %+v %v", st, err)
			}
			return nil
		})

		d, evs, files = history("H99.101-260310-0002", false)
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.ImportHistory(ctx, d, evs, files) }); err == nil {
			t.Fatal("a history claiming a signed result with an unsigned file was imported")
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			if _, err := tx.DossierByCode(ctx, d.Code); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("the refused dossier: %v, want not found", err)
			}
			if _, err := tx.DossierFileByDocCode(ctx, "KQ-"+d.Code); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("the refused dossier's file: %v, want not found", err)
			}
			return nil
		})
	})
}

// TestMigrationMarksSignedResults: migration 21 marks as signed the results
// issued, before result_signed was recorded, with a result file verified
// signed when stored, in the status and in the issue_result; a result
// naming a file kept elsewhere stays unsigned.
func TestMigrationMarksSignedResults(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		importOne := func(code string, signed bool) *motcua.Dossier {
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234"}
			issue := motcua.Event{Seq: 2, Action: motcua.ActIssueResult, At: at.Add(time.Minute), FromState: motcua.StateReceived,
				ToState: motcua.StateResultReady, FromStep: -1, ToStep: -1, FromAgencyID: a.ID, ToAgencyID: a.ID, ResultNumber: "1/KQ"}
			var files []motcua.HistoryFile
			if signed {
				issue.ResultSigned = true
				files = append(files, motcua.HistoryFile{AfterSeq: 1, File: &motcua.DossierFile{ComponentID: motcua.ResultComponent,
					Name: "KQ.pdf", ContentType: "application/pdf", Size: 900, SHA256: "ab01", BlobKey: "dossiers/generated/ab01",
					UploadedBy: 7, UploadedAt: at.Add(time.Minute), DocCode: "KQ-" + code, Signer: "Lãnh đạo", SignedAt: at.Add(time.Minute)}})
			} else {
				issue.ResultFileRef = "ket-qua/1.pdf" // kept elsewhere
			}
			evs := []motcua.Event{{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(time.Hour), ActionDueAt: at.Add(time.Hour)}, issue}
			st, err := motcua.Replay(evs)
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.ImportHistory(ctx, d, evs, files) })
			return d
		}
		signed, elsewhere := importOne("H99.101-260310-0001", true), importOne("H99.101-260310-0002", false)
		state := func(d *motcua.Dossier) (status, event bool) {
			db.Read(ctx, func(tx motcua.Tx) error {
				got, err := tx.DossierByCode(ctx, d.Code)
				if err != nil {
					t.Fatal(err)
				}
				evs, err := tx.Events(ctx, d.ID)
				if err != nil || len(evs) != 2 {
					t.Fatalf("history %+v %v", evs, err)
				}
				status, event = got.Status.ResultSigned, evs[1].ResultSigned
				return nil
			})
			return
		}
		// Back to the rows of a program before result_signed (the
		// rewind also undoes the later migrations' formats).
		if err := db.Rewind(ctx, 21); err != nil {
			t.Fatal(err)
		}
		// As a program before result_signed wrote them.
		strip := []string{`UPDATE dossiers SET status = json_remove(status, '$.result_signed')`,
			`UPDATE dossier_events SET data = json_remove(data, '$.result_signed')`}
		if e == sqltest.Postgres {
			strip = []string{`UPDATE dossiers SET status = (status::jsonb - 'result_signed')::text`,
				`UPDATE dossier_events SET data = (data::jsonb - 'result_signed')::text`}
		}
		for _, q := range strip {
			if err := db.ExecRaw(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		if s, ev := state(signed); !s || !ev {
			t.Errorf("signed result after the migration: status %v, issue_result %v", s, ev)
		}
		if s, ev := state(elsewhere); s || ev {
			t.Errorf("result kept elsewhere after the migration: status %v, issue_result %v", s, ev)
		}
	})
}
