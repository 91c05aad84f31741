package main

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// seedDemo migrates store and fills it with the demo province as of now,
// with a cheap password hash, and returns a service on it with the same
// settings.
func seedDemo(t *testing.T, store *sqlstore.DB) *service.Service {
	t.Helper()
	ctx := context.Background()
	if err := store.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
	if _, err := demo.Seed(ctx, demo.Options{Store: store, Cal: cal, Hasher: cheapHash, Service: cfg, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return service.New(store, cal, cheapHash, cfg)
}
