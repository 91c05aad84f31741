package motcua

import (
	"context"
	"time"
)

// Standing is a dossier's standing as report 06a and indicator 2.1 of
// QĐ 766 read it (its Stock while pending), packed in one integer so that
// the record of standings over time (StandingStore) costs a few bytes a
// change: the appointment in Unix milliseconds times 8 (0 when waiting
// for a supplement, or when no appointment is set), plus 1 when waiting
// for a supplement, 2 when asked more than once, 4 when waiting after a
// request made past the appointment. The zero Standing is the standing of
// a dossier with no event yet (StockOfPending of the zero Pending766).
type Standing int64

// Standing flags (the low three bits).
const (
	standingWaiting  Standing = 1
	standingMulti    Standing = 2
	standingWaitLate Standing = 4
)

// StandingOf packs the standing of a dossier that indicator 2.1 knows as p:
// StandingOf(p).Stock() equals StockOfPending(p).
func StandingOf(p Pending766) Standing {
	return PackStock(StockOfPending(p))
}

// PackStock packs a pending dossier's stock (Kind BucketWaiting or
// BucketWithin; a BucketNone stock packs as BucketWithin, which a pending
// dossier's stock never is).
func PackStock(k Stock) Standing {
	var s Standing
	if k.Kind == BucketWaiting {
		s = standingWaiting
		if k.WaitLate {
			s |= standingWaitLate
		}
	} else if !k.Due.IsZero() {
		s = Standing(k.Due.UnixMilli()) * 8
	}
	if k.Multi {
		s |= standingMulti
	}
	return s
}

// Stock unpacks the standing.
func (s Standing) Stock() Stock {
	k := Stock{Multi: s&standingMulti != 0}
	if s&standingWaiting != 0 {
		k.Kind = BucketWaiting
		k.WaitLate = s&standingWaitLate != 0
		return k
	}
	k.Kind = BucketWithin
	if due := int64(s >> 3); due != 0 {
		k.Due = time.UnixMilli(due).UTC()
	}
	return k
}

// Next returns the standing after history line l of a dossier that stood
// at p: ReplayHistory's fold, one line at a time.
func (p Pending766) Next(l HistoryLine) Pending766 {
	p.State, p.DueAt = l.ToState, l.DueAt
	if l.Action == ActRequestSupplement {
		p.Supplements++
		p.LastRequest = l.At
	}
	return p
}

// HistoryLineOf is the part of event e the reports replay.
func HistoryLineOf(e *Event) HistoryLine {
	return HistoryLine{DossierID: e.DossierID, Action: e.Action, At: e.At, ToState: e.ToState, DueAt: e.DueAt}
}

// StandingStore reads the record of each dossier's standing over time: a
// row per event after which the dossier's Standing differs from the
// previous row's (or whose time is earlier than a previous row's), written
// in the transaction of the event and filled for older dossiers by
// migration 0035. Reports on a past period read a dossier's standing at
// the period's end from it instead of replaying the dossier's history.
type StandingStore interface {
	// StandingsAt returns, per dossier with an event before t, its
	// standing after the last of them (by sequence): StandingOf of what
	// ReportStore.StandingsBefore returns. A dossier without an event
	// before t is absent (its standing then is the zero Standing).
	StandingsAt(ctx context.Context, dossierIDs []int64, t time.Time) (map[int64]Standing, error)
}
