package sqlstore_test

import (
	"context"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// The packed expression the pass selects must be the one the migration
// indexed, character for character: SQLite otherwise computes it from the
// table's rows, and the pass reads the whole table.
func TestPeriodPassReadsItsIndexAlone(t *testing.T) {
	mig, err := os.ReadFile("migrations/sqlite/0029_period_pass.sql")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mig), sqlstore.PeriodPackSQL) {
		t.Fatalf("migration 0029 does not index the pass's expression %s", sqlstore.PeriodPackSQL)
	}
	db := sqltest.OpenWith(t, sqltest.SQLite, sqlstore.Options{})
	plan, err := db.PeriodPassPlan(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "COVERING INDEX dossiers_period") {
		t.Errorf("the pass does not read index dossiers_period alone: %s", plan)
	}
}

// A period's facts are the same read in two halves on two connections as
// on one; the fee-bearing and store-flagged receptions they count are
// those the payment and store queries count.
func TestPeriodFactsInHalvesAndTheirFlags(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		db := sqltest.OpenWith(t, e, sqlstore.Options{ReadConns: 2, LongReadConns: 2})
		generated(t, db, 1500, 7)
		// No generated dossier takes a component from the national store:
		// some are flagged here, so that the count is tested.
		if err := db.ExecRaw(ctx, "UPDATE dossiers SET report_flags = report_flags | "+
			strconv.FormatInt(int64(motcua.FlagFromStore), 10)+" WHERE id % 5 = 0"); err != nil {
			t.Fatal(err)
		}
		day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, motcua.VietnamTime) }
		spans := [][2]time.Time{{day(1, 1), day(12, 31)}, {day(3, 1), day(4, 1)}, {day(6, 10), day(6, 11)}, {day(12, 31), generatedNow}}
		var fees, flagged int64
		for _, sp := range spans {
			// Both long-read connections free: two halves on SQLite.
			before := sqlstore.PeriodSplits()
			var halves *motcua.PeriodFacts
			if err := db.Read(ctx, func(tx motcua.Tx) (err error) { halves, err = tx.PeriodFacts(ctx, sp[0], sp[1]); return err }); err != nil {
				t.Fatal(err)
			}
			if e == sqltest.SQLite && sqlstore.PeriodSplits() == before {
				t.Errorf("%v: not read in two halves although a second connection was free", sp)
			}
			// Both held by long reads: one connection.
			var one *motcua.PeriodFacts
			whileLongReadsHeld(t, db, e, 2, func(tx motcua.Tx) (err error) { one, err = tx.PeriodFacts(ctx, sp[0], sp[1]); return err })
			if !reflect.DeepEqual(halves, one) {
				t.Errorf("%v: the facts differ:\ntwo halves %+v\none pass   %+v", sp, halves, one)
			}
			// A read inside a write's function (the writer busy with it)
			// cannot pin a second connection: it waits for the writer a
			// moment, then reads on one.
			var nested *motcua.PeriodFacts
			wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			err := db.Write(wctx, func(motcua.Tx) error {
				return db.Read(wctx, func(tx motcua.Tx) (err error) { nested, err = tx.PeriodFacts(wctx, sp[0], sp[1]); return err })
			})
			cancel()
			if err != nil {
				t.Fatalf("%v: a report read inside a write: %v", sp, err)
			}
			if !reflect.DeepEqual(halves, nested) {
				t.Errorf("%v: the facts differ read inside a write:\n%+v\n%+v", sp, halves, nested)
			}
			// Report 06a's counts per agency, in two halves and on one
			// connection.
			type counts struct {
				recv []motcua.ReceivedAgg
				fin  []motcua.FinishedAgg
			}
			read := func(c *counts) func(tx motcua.Tx) error {
				return func(tx motcua.Tx) (err error) {
					if c.recv, err = tx.ReceivedByAgency(ctx, sp[0], sp[1]); err != nil {
						return err
					}
					c.fin, err = tx.FinishedByAgency(ctx, sp[0], sp[1])
					return err
				}
			}
			var two, single counts
			before = sqlstore.PeriodSplits()
			if err := db.Read(ctx, read(&two)); err != nil {
				t.Fatal(err)
			}
			if e == sqltest.SQLite && sqlstore.PeriodSplits() == before {
				t.Errorf("%v: 06a's counts not read in two halves although a second connection was free", sp)
			}
			whileLongReadsHeld(t, db, e, 2, read(&single))
			if !reflect.DeepEqual(two, single) {
				t.Errorf("%v: 06a's counts differ:\ntwo halves %+v\none        %+v", sp, two, single)
			}
			var payments []motcua.PaymentAgg
			var use, results []motcua.ReceivedAgg
			if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
				if payments, err = tx.PaymentAggs(ctx, sp[0], sp[1]); err != nil {
					return err
				}
				if use, err = tx.StoreUseIn(ctx, sp[0], sp[1]); err != nil {
					return err
				}
				results, err = tx.StoreResultsIn(ctx, sp[0], sp[1])
				return err
			}); err != nil {
				t.Fatal(err)
			}
			type key struct{ a, p int64 }
			wantFee, wantStore, gotFee, gotStore := map[key]int64{}, map[key]int64{}, map[key]int64{}, map[key]int64{}
			for _, p := range payments {
				if p.FeeDossiers != 0 {
					wantFee[key{p.AgencyID, p.ProcedureID}] += p.FeeDossiers
				}
			}
			for _, u := range use {
				wantStore[key{u.AgencyID, u.ProcedureID}] += u.Store
			}
			for _, r := range results {
				wantStore[key{r.AgencyID, r.ProcedureID}] -= r.Store
			}
			for _, r := range halves.Received {
				if r.FeeBearing != 0 {
					gotFee[key{r.AgencyID, r.ProcedureID}] = r.FeeBearing
					fees += r.FeeBearing
				}
				if r.Store != 0 {
					gotStore[key{r.AgencyID, r.ProcedureID}] = r.Store
					flagged += r.Store
				}
			}
			for k, v := range wantStore {
				if v == 0 {
					delete(wantStore, k)
				}
			}
			// And both are what the table holds.
			for _, c := range []struct {
				got  map[key]int64
				flag motcua.ReportFlags
			}{{gotFee, motcua.FlagFeeBearing}, {gotStore, motcua.FlagFromStore}} {
				table, err := db.ReceptionsWhere(ctx, sp[0], sp[1], "(report_flags & "+strconv.FormatInt(int64(c.flag), 10)+") != 0")
				if err != nil {
					t.Fatal(err)
				}
				want := map[key]int64{}
				for k, n := range table {
					want[key{k[0], k[1]}] = n
				}
				if !reflect.DeepEqual(c.got, want) {
					t.Errorf("%v: flag %d: the pass counts %v, the table %v", sp, c.flag, c.got, want)
				}
			}
			if !reflect.DeepEqual(gotFee, wantFee) {
				t.Errorf("%v: fee-bearing receptions %v, payment facts %v", sp, gotFee, wantFee)
			}
			if !reflect.DeepEqual(gotStore, wantStore) {
				t.Errorf("%v: store-flagged receptions %v, store use %v", sp, gotStore, wantStore)
			}
		}
		if fees == 0 || flagged == 0 {
			t.Errorf("nothing to compare: %d fee-bearing, %d store-flagged receptions", fees, flagged)
		}
	})
}

// whileLongReadsHeld runs read while n long reads hold their
// connections, so that no second connection is free.
func whileLongReadsHeld(t *testing.T, db *sqlstore.DB, e sqltest.Engine, n int, read func(motcua.Tx) error) {
	t.Helper()
	long := motcua.NewContextLongRead(context.Background())
	release := make(chan struct{})
	held := make(chan struct{}, n)
	done := make(chan error, n)
	for range n {
		go func() {
			done <- db.Read(long, func(tx motcua.Tx) error {
				held <- struct{}{}
				<-release
				return nil
			})
		}()
	}
	for range n {
		<-held
	}
	before := sqlstore.PeriodSplits()
	err := db.Read(context.Background(), read)
	close(release)
	for range n {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	if e == sqltest.SQLite && sqlstore.PeriodSplits() != before {
		t.Errorf("work was split in two halves although every long-read connection was held")
	}
}
