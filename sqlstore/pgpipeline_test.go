package sqlstore_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPipelinedBatch queues, behind a held writer, one batch of intakes
// (numbered dossier, event, inbox rows, idempotency key) where every fifth
// reuses an idempotency key stored before, a violation the server reports
// only when the batch's queued statements are sent (on PostgreSQL), and
// every third reads its own dossier back before it ends (which sends the
// queue early, so that its code is set by an UPDATE). The reused keys fail
// alone with their conflict; every other intake is stored with the code it
// was acknowledged with, with its event and inbox row, and the numbers
// follow the one stored before without gaps.
func TestPipelinedBatch(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.OpenWith(t, e, sqlstore.Options{PGWriters: 1})
		a := mustAgency(t, db, "H98.200")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
		at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
		render := func(seq int) string { return fmt.Sprintf("H98.200-261123-%04d", seq) }
		intake := func(tx motcua.Tx, i int, key string) (*motcua.Dossier, error) {
			e1 := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
				ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(72 * time.Hour)}
			st, _ := motcua.Replay([]motcua.Event{*e1})
			st.Duties = []motcua.Duty{{AgencyID: a.ID, Role: motcua.RoleReception}}
			d := &motcua.Dossier{ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
				ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, Verifier: "1", CreatedAt: at, Status: st,
				Applicant: motcua.Applicant{FullName: "Người nộp " + strconv.Itoa(i)}}
			if err := tx.CreateNumberedDossier(ctx, d, e1, "H98.200|2026-11-23", render); err != nil {
				return nil, err
			}
			return d, tx.SaveIdempotency(ctx, &motcua.IdempotencyRecord{UserID: 1, Key: key, RequestHash: []byte{2}, DossierID: d.ID, CreatedAt: at})
		}
		// Number 1, under the key the batch reuses.
		mustWrite(t, db, func(tx motcua.Tx) error { _, err := intake(tx, -1, "taken"); return err })

		seen := map[string]bool{}
		auditIDs := map[int64]bool{}
		want := 0
		// First a batch that succeeds as a whole (its INSERTs take their
		// codes in the pipeline, or by an UPDATE after a read sent them),
		// then one with reused keys (run again in isolation).
		for phase, reuse := range []bool{false, true} {
			release := holdWriter(t, db, "H98.HOLD"+strconv.Itoa(phase))
			const n = 30
			errs := make([]error, n)
			made := make([]*motcua.Dossier, n)
			audits := make([]*motcua.AuditEntry, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = db.Write(ctx, func(tx motcua.Tx) error {
						key := fmt.Sprintf("k%d-%d", phase, i)
						if reuse && i%5 == 4 {
							key = "taken"
						}
						d, err := intake(tx, 100*phase+i, key)
						if err != nil {
							return err
						}
						// An access-log entry: its id is the database's,
						// known once the write commits.
						audits[i] = &motcua.AuditEntry{At: at, UserID: 1, Action: motcua.AuditViewNames, DossierID: d.ID}
						if err := tx.Audit(ctx, audits[i]); err != nil {
							return err
						}
						if i%3 == 0 {
							back, err := tx.Dossier(ctx, d.ID)
							if err != nil {
								return err
							}
							if back.Applicant.FullName != d.Applicant.FullName {
								return fmt.Errorf("read back %q", back.Applicant.FullName)
							}
						}
						made[i] = d
						return nil
					})
				}()
			}
			waitQueued(t, db, n)
			if err := release(); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			for i, err := range errs {
				if reuse && i%5 == 4 {
					if motcua.ErrorCode(err) != motcua.ECONFLICT || motcua.ErrorReason(err) != "idempotency_key_reused" {
						t.Errorf("intake %d reused a key: %v, want the conflict idempotency_key_reused", i, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("intake %d: %v", i, err)
				}
				d := made[i]
				var stored *motcua.Dossier
				var evs []motcua.Event
				var inbox []*motcua.Dossier
				if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
					if stored, err = tx.DossierByCode(ctx, d.Code); err != nil {
						return err
					}
					if evs, err = tx.Events(ctx, d.ID); err != nil {
						return err
					}
					inbox, err = tx.FindDossiers(ctx, motcua.DossierFilter{Duties: d.Status.Duties, Limit: 200})
					return err
				}); err != nil {
					t.Fatalf("intake %d: %v", i, err)
				}
				if len(d.Status.Duties) == 0 {
					t.Fatalf("intake %d has no duty: the inbox check would be empty", i)
				}
				if stored.ID != d.ID || stored.Applicant.FullName != "Người nộp "+strconv.Itoa(100*phase+i) || len(evs) != 1 {
					t.Errorf("intake %d acknowledged as %s (id %d) is stored as id %d, %q, %d events", i, d.Code, d.ID, stored.ID, stored.Applicant.FullName, len(evs))
				}
				found := false
				for _, x := range inbox {
					found = found || x.ID == d.ID
				}
				if !found {
					t.Errorf("intake %d is not in its agency's inbox", i)
				}
				seen[d.Code] = true
				if id := audits[i].ID; id <= 0 || auditIDs[id] {
					t.Errorf("intake %d: access-log entry id %d (zero or repeated)", i, id)
				}
				auditIDs[audits[i].ID] = true
			}
			want += n
			if reuse {
				want -= n / 5
			}
		}
		if len(seen) != want {
			t.Fatalf("%d codes, want %d", len(seen), want)
		}
		for k := 2; k <= want+1; k++ {
			if c := fmt.Sprintf("H98.200-261123-%04d", k); !seen[c] {
				t.Errorf("number %s missing: a gap", c)
			}
		}
	})
}
