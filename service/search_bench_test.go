package service_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// benchCatalogue seeds the demo province and, with copies > 0, that many
// extra copies of each demo procedure (new codes, names with a suffix), so
// that search can be measured on a catalogue of provincial size.
func benchCatalogue(b *testing.B, copies int) (*sqlstore.DB, *service.Service) {
	b.Helper()
	db, err := sqlstore.Open(filepath.Join(b.TempDir(), "bench.db"), sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		b.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		b.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	now := time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern, Now: func() time.Time { return now }}
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: cheap, Service: cfg, Now: now}); err != nil {
		b.Fatal(err)
	}
	svc := service.New(db, cal, cheap, cfg)
	if copies > 0 {
		procs, _, err := demo.Catalogue()
		if err != nil {
			b.Fatal(err)
		}
		for i := range copies {
			for j, p := range procs {
				p.ID, p.Code = 0, fmt.Sprintf("8.%03d%03d", i, j)
				p.Name = fmt.Sprintf("%s (bản %d)", p.Name, i+1)
				for k := range p.Components {
					p.Components[k].ID = 0
				}
				p.AgencyID, p.Process = 0, motcua.Process{}
				if p.Level == motcua.LevelProvince {
					p.Level = motcua.LevelCommune
				}
				if err := svc.SetupProcedure(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	return db, svc
}

var benchQueries = []string{"dang ky khai sinh", "ĐĂNG KÝ", "chứng thực", "1.0011", "ho kinh doanh"}

// BenchmarkSearch compares, in the same run, the ranked search of the
// counter (SearchProcedures, in memory) with the baseline it replaces at
// the counter: the store's SQL LIKE search of the folded text
// (FindProcedures, as the JSON API uses it), on the demo catalogue (53
// procedures) and on one of provincial size (53 × 41 = 2,173).
//
//	go test -run XXX -bench BenchmarkSearch -benchtime 2s ./service/
func BenchmarkSearch(b *testing.B) {
	for _, size := range []struct {
		name   string
		copies int
	}{{"demo", 0}, {"province", 40}} {
		db, svc := benchCatalogue(b, size.copies)
		if _, err := svc.SearchProcedures(ctx, service.SearchQuery{}); err != nil { // builds the index
			b.Fatal(err)
		}
		b.Run(size.name+"/ranked", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := svc.SearchProcedures(ctx, service.SearchQuery{Text: benchQueries[i%len(benchQueries)], Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(size.name+"/baseline-sql-like", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				err := db.Read(ctx, func(tx motcua.Tx) error {
					_, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{Query: benchQueries[i%len(benchQueries)], PublishedOnly: true, Limit: 20})
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
