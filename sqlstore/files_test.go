package sqlstore_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestDossierFiles stores file records of two dossiers and reads them back
// whole, per dossier, in upload order; a file is not found through another
// dossier.
func TestDossierFiles(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		var ds []*motcua.Dossier
		for _, code := range []string{"H99.101-260310-0001", "H99.101-260310-0002"} {
			d := &motcua.Dossier{Code: code, ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
				Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234"}
			ev := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(time.Hour), ActionDueAt: at.Add(time.Hour)}
			st, err := motcua.Replay([]motcua.Event{*ev})
			if err != nil {
				t.Fatal(err)
			}
			d.Status = st
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
			ds = append(ds, d)
		}
		files := []*motcua.DossierFile{
			{DossierID: ds[0].ID, ComponentID: 1, Name: "Tờ khai khai sinh.pdf", ContentType: "application/pdf", Size: 1234,
				SHA256: "ab01", BlobKey: "dossiers/1/ab01", UploadedBy: 7, UploadedAt: at.Add(time.Minute)},
			{DossierID: ds[1].ID, ComponentID: 2, Name: "anh.png", ContentType: "image/png", Size: 5,
				SHA256: "cd02", BlobKey: "dossiers/2/cd02", UploadedBy: 8, UploadedAt: at.Add(2 * time.Minute)},
			{DossierID: ds[0].ID, ComponentID: motcua.ResultComponent, Name: "Kết quả.jpg", ContentType: "image/jpeg", Size: 1 << 40,
				SHA256: "ef03", BlobKey: "dossiers/1/ef03", UploadedBy: 7, UploadedAt: at.Add(3 * time.Minute)},
		}
		for _, f := range files {
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.AddDossierFile(ctx, f) })
			if f.ID == 0 {
				t.Fatalf("no id set for %s", f.Name)
			}
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.DossierFiles(ctx, ds[0].ID)
			if err != nil || !reflect.DeepEqual(got, []*motcua.DossierFile{files[0], files[2]}) {
				t.Errorf("files of the first dossier: %+v %v", got, err)
			}
			one, err := tx.DossierFile(ctx, ds[1].ID, files[1].ID)
			if err != nil || !reflect.DeepEqual(one, files[1]) {
				t.Errorf("file: %+v %v", one, err)
			}
			if _, err := tx.DossierFile(ctx, ds[1].ID, files[0].ID); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Errorf("a file through another dossier: %v", err)
			}
			if none, err := tx.DossierFiles(ctx, 999); err != nil || len(none) != 0 {
				t.Errorf("files of no dossier: %v %v", none, err)
			}
			return nil
		})
	})
}

// TestSignedFiles keeps a file's signature and result code, finds a result
// by its code (unique), and SaveDigitized stores the derived flags without
// touching the history, refusing a dossier that moved on.
func TestSignedFiles(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.102")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
		d := &motcua.Dossier{Code: "H99.102-260310-0001", ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
			ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, CreatedAt: at,
			Applicant: motcua.Applicant{FullName: "Người nộp", IDNumber: "089186001234"}, Verifier: "1234",
			Components: []motcua.DossierComponent{{ComponentID: 1, Provided: true}, {ComponentID: 2, Provided: true, Reused: true}}}
		ev := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
			ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(time.Hour), ActionDueAt: at.Add(time.Hour)}
		st, err := motcua.Replay([]motcua.Event{*ev})
		if err != nil {
			t.Fatal(err)
		}
		d.Status = st
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateDossier(ctx, d, ev) })
		f := &motcua.DossierFile{DossierID: d.ID, ComponentID: motcua.ResultComponent, Name: "kq.pdf", ContentType: "application/pdf",
			Size: 10, SHA256: "ab", BlobKey: "dossiers/1/ab", UploadedBy: 7, UploadedAt: at,
			Signer: "Nguyễn Văn A", SignedAt: at.Add(time.Second), DocCode: "KQ-H99.102-260310-0001"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.AddDossierFile(ctx, f) })
		dup := *f
		dup.ID, dup.SHA256 = 0, "cd"
		err = db.Write(ctx, func(tx motcua.Tx) error { return tx.AddDossierFile(ctx, &dup) })
		if motcua.ErrorReason(err) != "doc_code_taken" {
			t.Errorf("a second file with the same code: %v", err)
		}
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.DossierFileByDocCode(ctx, f.DocCode)
			if err != nil || !reflect.DeepEqual(got, f) || !got.Signed() {
				t.Errorf("by code: %+v %v", got, err)
			}
			for _, c := range []string{"", "KQ-nope"} {
				if _, err := tx.DossierFileByDocCode(ctx, c); motcua.ErrorCode(err) != motcua.ENOTFOUND {
					t.Errorf("code %q: %v", c, err)
				}
			}
			return nil
		})
		d.Components[0].Digitized = true
		d.Status.Report.Flags = motcua.FlagDigitized | motcua.FlagReused
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SaveDigitized(ctx, d) })
		db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.Dossier(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Components[0].Digitized || got.Components[1].Digitized || !got.Components[1].Reused ||
				got.Status.Report.Flags != motcua.FlagDigitized|motcua.FlagReused || got.Status.Seq != 1 || got.Applicant.FullName != "Người nộp" {
				t.Errorf("after SaveDigitized: %+v %+v", got.Components, got.Status.Report)
			}
			return nil
		})
		stale := *d
		stale.Status.Seq = 0
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.SaveDigitized(ctx, &stale) }); motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Errorf("stale dossier: %v", err)
		}
	})
}
