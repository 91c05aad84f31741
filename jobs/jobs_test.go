package jobs_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/jobs"
)

func TestRunKeepsGoingAfterAFailure(t *testing.T) {
	var a, b atomic.Int32
	js := []jobs.Job{
		{Name: "fails", Run: func(context.Context) (int, error) { a.Add(1); return 0, errors.New("boom") }},
		{Name: "works", Run: func(context.Context) (int, error) { b.Add(1); return 2, nil }},
	}
	if got := jobs.RunOnce(context.Background(), js); got["works"] != 2 || a.Load() != 1 || b.Load() != 1 {
		t.Fatalf("RunOnce: %v, a=%d b=%d", got, a.Load(), b.Load())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Millisecond)
	defer cancel()
	jobs.Run(ctx, 20*time.Millisecond, js)
	if n := b.Load(); n < 3 {
		t.Errorf("the working job ran %d times in 120 ms at a 20 ms interval", n)
	}
}
