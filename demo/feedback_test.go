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

// TestSeedFeedback: after the province, the citizens' ratings and
// complaints are made through the service, so the index's 5.x have data.
func TestSeedFeedback(t *testing.T) {
	ctx := context.Background()
	db, err := sqlstore.Open(filepath.Join(t.TempDir(), "demo.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	now := time.Date(2026, 3, 11, 3, 0, 0, 0, time.UTC)
	o := demo.Options{Store: db, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}, Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: now}
	if _, err := demo.Seed(ctx, o); err != nil {
		t.Fatal(err)
	}
	o.Now = now.Add(time.Minute)
	if err := demo.SeedFeedback(ctx, o); err != nil {
		t.Fatal(err)
	}
	db.Read(ctx, func(tx motcua.Tx) error {
		aggs, err := tx.RatingAggs(ctx, now, now.Add(time.Hour))
		var n, dislikes int64
		for _, a := range aggs {
			n += a.Ratings
			dislikes += a.Dislikes
		}
		if err != nil || n != 5 || dislikes != 1 {
			t.Errorf("ratings %d (dislikes %d) %v, want 5 (1)", n, dislikes, err)
		}
		fs, err := tx.FeedbackIn(ctx, now, now.Add(time.Hour))
		states := map[motcua.FeedbackState]int{}
		for _, f := range fs {
			states[f.State]++
		}
		if err != nil || len(fs) != 3 || states[motcua.FeedbackAnswered] != 1 || states[motcua.FeedbackAssigned] != 1 {
			t.Errorf("complaints %v %v", states, err)
		}
		pub, _ := tx.PublishedFeedback(ctx, 0, 10)
		if len(pub) != 1 || pub[0].AnswerLevel != motcua.LevelSatisfied {
			t.Errorf("published %+v", pub)
		}
		return nil
	})
}
