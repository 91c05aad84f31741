package service_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestElectronicResultsAreSigned: indicators 4.1 and 4.2b count a result
// as electronic exactly when the dossier was issued with a result file
// verified valid signed when stored. A file uploaded unsigned while
// signing was not configured is kept and named by issue_result, but does
// not count; a result with no file does not either.
func TestElectronicResultsAreSigned(t *testing.T) {
	sqltest.Run(t, electronicResultsAreSigned)
}

func electronicResultsAreSigned(t *testing.T, e sqltest.Engine) {
	yes := true
	s := newSmall(t, e, func(p *motcua.Procedure) { p.PaperResult, p.CertifiesCopies = &yes, &yes })
	cal, err := calendar.Default()
	must(t, err)
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	// The same province and documents, as an instance with signing off.
	off := service.New(s.db, cal, cheap, service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern,
		SessionTTL: time.Hour, Now: func() time.Time { return *s.clock.Load() }, Blobs: s.docs})

	s.receive("S", "a", vn(2025, 3, 3, 9, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("S", "a", vn(2025, 3, 3, 9, 0), vn(2025, 3, 4, 9, 0), true)
	s.receive("P", "a", vn(2025, 3, 3, 10, 0), motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.finish("P", "a", vn(2025, 3, 3, 10, 0), vn(2025, 3, 4, 10, 0), false)

	received := vn(2025, 3, 5, 9, 0)
	s.receive("U", "a", received, motcua.ChannelCounter, "", provided, motcua.Applicant{})
	s.act("U", "reception.a", received.Add(30*time.Minute), service.ActInput{Action: motcua.ActTransfer})
	s.act("U", "specialist.a", received.Add(time.Hour), service.ActInput{Action: motcua.ActForward})
	s.act("U", "leader.a", received.Add(90*time.Minute), service.ActInput{Action: motcua.ActApprove})
	s.set(vn(2025, 3, 6, 9, 0))
	f, err := off.AttachFile(s.ctxOf("specialist.a"), s.codes["U"], motcua.ResultComponent, "ket-qua.pdf",
		bytes.NewReader(scanPage(t, "Kết quả U")))
	must(t, err)
	if f.Signed() {
		t.Fatalf("a file uploaded with signing off is recorded signed: %+v", f)
	}
	// The signing instance refuses to issue with it; the other accepts.
	if _, err := s.svc.Act(s.ctxOf("specialist.a"), s.codes["U"], service.ActInput{Action: motcua.ActIssueResult,
		ResultFileRef: f.IDString()}); motcua.ErrorReason(err) != "result_file_unsigned" {
		t.Fatalf("issue with an unsigned file where signing is on: %v", err)
	}
	d, err := off.Act(s.ctxOf("specialist.a"), s.codes["U"], service.ActInput{Action: motcua.ActIssueResult,
		ResultNumber: "2/KQ", ResultFileRef: f.IDString()})
	must(t, err)
	if d.Status.ResultFileRef != f.IDString() || d.Status.ResultSigned || d.Status.Report.Flags.Has(motcua.FlagResultFile) {
		t.Fatalf("unsigned result: ref %q signed %v flags %b", d.Status.ResultFileRef, d.Status.ResultSigned, d.Status.Report.Flags)
	}
	var signed *motcua.Dossier
	must(t, s.db.Read(ctx, func(tx motcua.Tx) (err error) { signed, err = tx.DossierByCode(ctx, s.codes["S"]); return err }))
	if !signed.Status.ResultSigned || !signed.Status.Report.Flags.Has(motcua.FlagResultFile) {
		t.Fatalf("signed result: signed %v flags %b", signed.Status.ResultSigned, signed.Status.Report.Flags)
	}
	// The history keeps it too, so that a status replayed from it agrees.
	var events []motcua.Event
	must(t, s.db.Read(ctx, func(tx motcua.Tx) (err error) { events, err = tx.Events(ctx, signed.ID); return err }))
	replayed := motcua.Status{Step: -1}
	for _, ev := range events {
		if replayed, err = replayed.Apply(ev); err != nil {
			t.Fatal(err)
		}
	}
	if !replayed.ResultSigned || replayed.ResultFileRef != signed.Status.ResultFileRef {
		t.Errorf("replayed from the stored history: signed %v ref %q, want true %q", replayed.ResultSigned, replayed.ResultFileRef, signed.Status.ResultFileRef)
	}

	march := motcua.Period{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)}
	for _, src := range []string{service.SourceBase, service.SourceLive} {
		idx, err := s.svc.Index766From(ctx, march, src)
		must(t, err)
		seen := 0
		for _, u := range idx.Units {
			if u.AgencyID != s.a.ID {
				continue
			}
			for _, v := range u.Values {
				if v.ID != "4.1" && v.ID != "4.2b" {
					continue
				}
				seen++
				if v.Status != "ok" || v.Num != 1 || v.Den != 3 {
					t.Errorf("source %v: %s %+v, want 1/3 (the signed result only)", src, v.ID, v)
				}
			}
		}
		if seen != 2 {
			t.Errorf("source %v: %d of indicators 4.1 and 4.2b for commune A, want both", src, seen)
		}
	}
}
