package sqlstore

import "time"

// Observers returns an Observer that reports every commit and retry to
// each non-nil observer given, in order; nil if none is given. It lets a
// benchmark count the group commit's batches and time the tail at once,
// since a store takes a single observer.
func Observers(obs ...Observer) Observer {
	var set observerSet
	for _, o := range obs {
		if o != nil {
			set = append(set, o)
		}
	}
	switch len(set) {
	case 0:
		return nil
	case 1:
		return set[0]
	}
	return set
}

type observerSet []Observer

func (s observerSet) Commit(engine string, batch int, took time.Duration, err error) {
	for _, o := range s {
		o.Commit(engine, batch, took, err)
	}
}

func (s observerSet) Retry(engine, reason string) {
	for _, o := range s {
		o.Retry(engine, reason)
	}
}
