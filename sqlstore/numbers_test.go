package sqlstore_test

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestNumberedDossiersAcrossInstances creates dossiers concurrently through
// three store handles (three instances), for four agencies in mixed order,
// every seventh transaction failing after its dossier was created. Every
// acknowledged dossier carries the code it was stored under, the codes of
// each agency are 1…n without gaps or repeats, and on PostgreSQL no batch
// was a deadlock victim: batches take the counter rows in one order.
func TestNumberedDossiersAcrossInstances(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		addr := sqltest.Fresh(t, e)
		obs := []*observer{{}, {}, {}}
		var stores []*sqlstore.DB
		for i := range obs {
			stores = append(stores, sqltest.OpenAtWith(t, addr, sqlstore.Options{Observer: obs[i]}))
		}
		if err := stores[0].Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		a := mustAgency(t, stores[0], "H98.100")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, stores[0], func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		p := &motcua.Procedure{Name: "Thủ tục", Level: motcua.LevelCommune, Published: true, Process: motcua.DefaultProcess(motcua.LevelCommune)}
		mustWrite(t, stores[0], func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })

		at := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
		agencies := []string{"H98.104", "H98.101", "H98.103", "H98.102"}
		const n = 600
		codes := make([]string, n)
		errs := make([]error, n)
		failed := errors.New("failed after the dossier was created")
		var wg sync.WaitGroup
		sem := make(chan struct{}, 48)
		for i := range n {
			wg.Add(1)
			sem <- struct{}{}
			go func() {
				defer func() { <-sem; wg.Done() }()
				ag := agencies[(i*7+i/5)%len(agencies)]
				e1 := &motcua.Event{Seq: 1, Action: motcua.ActReceive, At: at, ToState: motcua.StateReceived, FromStep: -1, ToStep: -1,
					ToAgencyID: a.ID, ClockStartAt: at, DueAt: at.Add(72 * time.Hour)}
				st, _ := motcua.Replay([]motcua.Event{*e1})
				var created *motcua.Dossier
				errs[i] = stores[i%3].Write(ctx, func(tx motcua.Tx) error {
					d := &motcua.Dossier{ProcedureID: p.ID, ProcedureVersion: 1, Channel: motcua.ChannelCounter,
						ReceptionPointID: pt.ID, ReceptionAgencyID: a.ID, CompetentAgencyID: a.ID, Verifier: "1", CreatedAt: at, Status: st,
						Applicant: motcua.Applicant{FullName: "Người nộp " + strconv.Itoa(i)}}
					ev := *e1
					render := func(seq int) string { return fmt.Sprintf("%s-261123-%04d", ag, seq) }
					if err := tx.CreateNumberedDossier(ctx, d, &ev, ag+"|2026-11-23", render); err != nil {
						return err
					}
					if i%7 == 3 {
						return failed
					}
					created = d
					return nil
				})
				if errs[i] == nil {
					// Read when Write returns: a store may draw the number
					// when the transaction ends.
					codes[i] = created.Code
				}
			}()
		}
		wg.Wait()
		perAgency := map[string][]int{}
		for i, err := range errs {
			if i%7 == 3 {
				if !errors.Is(err, failed) {
					t.Fatalf("dossier %d: %v, want its transaction's error", i, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("dossier %d: %v", i, err)
			}
			c := codes[i]
			k := strings.LastIndexByte(c, '-')
			if k < 0 || !strings.HasPrefix(c, agencies[(i*7+i/5)%len(agencies)]+"-261123-") {
				t.Fatalf("dossier %d acknowledged with code %q", i, c)
			}
			seq, err := strconv.Atoi(c[k+1:])
			if err != nil {
				t.Fatalf("dossier %d: code %q", i, c)
			}
			perAgency[c[:k]] = append(perAgency[c[:k]], seq)
			var stored *motcua.Dossier
			stores[0].Read(ctx, func(tx motcua.Tx) (err error) { stored, err = tx.DossierByCode(ctx, c); return err })
			if stored == nil || stored.Applicant.FullName != "Người nộp "+strconv.Itoa(i) {
				t.Fatalf("code %s acknowledged for dossier %d is stored as %+v", c, i, stored)
			}
		}
		total := 0
		for prefix, seqs := range perAgency {
			sort.Ints(seqs)
			for j, s := range seqs {
				if s != j+1 {
					t.Fatalf("%s: number %d where %d was expected (a gap or a repeat)", prefix, s, j+1)
				}
			}
			total += len(seqs)
		}
		if want := n - (n+3)/7; total != want || len(perAgency) != len(agencies) {
			t.Fatalf("%d dossiers in %d agencies acknowledged, want %d in %d", total, len(perAgency), want, len(agencies))
		}
		if count, err := stores[0].CountRows(ctx, "dossiers"); err != nil || count != int64(total) {
			t.Fatalf("%d dossiers stored (%v), want %d", count, err, total)
		}
		deadlocks := 0
		batched := false
		for _, o := range obs {
			deadlocks += o.retried("deadlock")
			for _, c := range o.seen() {
				batched = batched || c.batch > 1
			}
		}
		if deadlocks != 0 {
			t.Errorf("%d batches were deadlock victims", deadlocks)
		}
		if !batched {
			t.Error("no commit held more than one transaction: the test exercised no batch")
		}
	})
}
