package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// Long reads (reports computed from the dossiers) run on connections of
// their own: while as many of them as allowed hold theirs, ordinary reads
// still get a connection at once, and a further long read waits for a long
// one to end — not for the others.
func TestLongReadsKeepTheirOwnConnections(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.OpenWith(t, e, sqlstore.Options{ReadConns: 1, LongReadConns: 1})
		long := motcua.NewContextLongRead(context.Background())
		held, release := make(chan struct{}), make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- db.Read(long, func(tx motcua.Tx) error {
				close(held)
				<-release
				return nil
			})
		}()
		<-held
		// The one ordinary connection is free, twice in a row.
		for i := range 2 {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			err := db.Read(sctx, func(tx motcua.Tx) error { _, err := tx.Agencies(sctx); return err })
			cancel()
			if err != nil {
				t.Fatalf("ordinary read %d while a long read holds its connection: %v", i, err)
			}
		}
		// A second long read waits for the first.
		wctx, cancel := context.WithTimeout(long, 200*time.Millisecond)
		err := db.Read(wctx, func(tx motcua.Tx) error { return nil })
		cancel()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("a second long read ran beside the first (limit 1): %v", err)
		}
		close(release)
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if err := db.Read(long, func(tx motcua.Tx) error { _, err := tx.Agencies(long); return err }); err != nil {
			t.Errorf("long read after the first ended: %v", err)
		}
	})
}
