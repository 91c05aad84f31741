package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// generatedNow is the moment generated writes its province at.
var generatedNow = time.Date(2026, 1, 20, 9, 0, 0, 0, motcua.VietnamTime)

// generated fills db with the demo province and n dossiers generated over
// 2025 from seed, as of 20/01/2026.
func generated(t *testing.T, db *sqlstore.DB, n int, seed uint64) {
	t.Helper()
	ctx := context.Background()
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	now := generatedNow
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
	cheap := password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: cheap, Service: cfg, Now: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Generate(ctx, demo.GenerateOptions{Store: db, Cal: cal, Rules: motcua.DefaultRules(), Pattern: pattern,
		Dossiers: n, Year: 2025, Now: now, Communes: 3, Seed: seed}); err != nil {
		t.Fatal(err)
	}
}
