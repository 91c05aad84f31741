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
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestSeedEveryStateWhateverTheDay seeds the demo at several moments — a
// working morning, a Sunday, the middle of Tết, just before midnight — and
// checks that dossiers exist in every state, some overdue, some waiting for
// a supplement, and that each stored status equals its replayed history.
func TestSeedEveryStateWhateverTheDay(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		cal, err := calendar.Default()
		if err != nil {
			t.Fatal(err)
		}
		moments := []time.Time{
			time.Date(2025, 3, 10, 9, 0, 0, 0, motcua.VietnamTime),
			time.Date(2026, 11, 22, 10, 0, 0, 0, motcua.VietnamTime),  // Sunday
			time.Date(2026, 2, 18, 14, 0, 0, 0, motcua.VietnamTime),   // Tết 2026
			time.Date(2026, 11, 24, 23, 50, 0, 0, motcua.VietnamTime), // a day off, late
		}
		if testing.Short() {
			moments = moments[:1]
		}
		for _, now := range moments {
			t.Run(now.Format("2006-01-02T15:04"), func(t *testing.T) {
				db, err := sqlstore.Open(filepath.Join(t.TempDir(), "demo.db"), sqlstore.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if err := db.Migrate(ctx, nil); err != nil {
					t.Fatal(err)
				}
				pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
				res, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32},
					Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: now.UTC()})
				if err != nil {
					t.Fatal(err)
				}
				if seeded, _ := demo.Seeded(ctx, db); !seeded {
					t.Error("Seeded reports an empty store")
				}
				if res.Procedures < 30 {
					t.Errorf("%d procedures", res.Procedures)
				}
				for _, st := range motcua.AllStates {
					if res.Dossiers[st] == 0 {
						t.Errorf("no demo dossier in state %q", st)
					}
				}
				overdue := 0
				err = db.Read(ctx, func(tx motcua.Tx) error {
					ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 500})
					if err != nil {
						return err
					}
					for _, d := range ds {
						if d.Status.Result(now, motcua.VietnamTime) == motcua.Overdue {
							overdue++
						}
						evs, err := tx.Events(ctx, d.ID)
						if err != nil {
							return err
						}
						replayed, err := motcua.Replay(evs)
						if err != nil {
							return err
						}
						if replayed.State != d.Status.State || replayed.Seq != d.Status.Seq || !replayed.DueAt.Equal(d.Status.DueAt) {
							t.Errorf("dossier %s: stored status differs from its history", d.Code)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if overdue == 0 {
					t.Error("no overdue dossier in the demo")
				}
			})
		}
	})
}
