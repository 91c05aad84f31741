package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// TestSeedQueue seeds the demo's queue after the province (on a Monday,
// after a weekend and the Friday before it) and checks that the queue
// report of phường Trung Tâm counts every ticket issued, each called once
// (or skipped), on two counters, with waits that a real morning has.
func TestSeedQueue(t *testing.T) {
	ctx := context.Background()
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlstore.Open(filepath.Join(t.TempDir(), "demo.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, motcua.VietnamTime).UTC()
	o := demo.Options{Store: db, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32},
		Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: now}
	if _, err := demo.Seed(ctx, o); err != nil {
		t.Fatal(err)
	}
	n, err := demo.SeedQueue(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	svc := service.New(db, cal, o.Hasher, service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern, Now: func() time.Time { return now }})
	var sup *motcua.User
	db.Read(ctx, func(tx motcua.Tx) (err error) { sup, err = tx.UserByUsername(ctx, "giamsat.tinh"); return err })
	_, points, _ := svc.Agency(ctx, "H99.102")
	st, err := svc.QueueReport(motcua.NewContextWithUser(ctx, sup), points[0].ID, motcua.DayOf(now)-14, motcua.DayOf(now))
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 || st.All.Issued != n || st.All.Called != n || st.All.Served+st.All.Skipped != n || st.All.Skipped == 0 {
		t.Errorf("%d tickets seeded; report %+v", n, st.All)
	}
	if len(st.ByCounter) != 2 || len(st.ByArea) != 3 || st.All.AvgWait <= 0 || st.All.AvgService < 4*time.Minute {
		t.Errorf("report by counter %+v, by area %d, wait %s, service %s", st.ByCounter, len(st.ByArea), st.All.AvgWait, st.All.AvgService)
	}
}
