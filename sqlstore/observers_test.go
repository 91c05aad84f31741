package sqlstore

import (
	"testing"
	"time"
)

type countingObserver struct{ commits, txs, retries int }

func (c *countingObserver) Commit(_ string, batch int, _ time.Duration, _ error) {
	c.commits++
	c.txs += batch
}

func (c *countingObserver) Retry(string, string) { c.retries++ }

func TestObserversReachEveryOne(t *testing.T) {
	if Observers() != nil || Observers(nil, nil) != nil {
		t.Fatal("no observer should give nil, so the store skips reporting")
	}
	one := &countingObserver{}
	if Observers(nil, one) != Observer(one) {
		t.Fatal("a single observer should be returned as is")
	}
	a, b := &countingObserver{}, &countingObserver{}
	o := Observers(a, nil, b)
	o.Commit("sqlite", 3, time.Millisecond, nil)
	o.Commit("sqlite", 2, time.Millisecond, nil)
	o.Retry("postgres", "deadlock")
	for name, c := range map[string]*countingObserver{"first": a, "second": b} {
		if c.commits != 2 || c.txs != 5 || c.retries != 1 {
			t.Errorf("%s observer saw %d commits, %d transactions, %d retries; want 2, 5, 1", name, c.commits, c.txs, c.retries)
		}
	}
}
