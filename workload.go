package motcua

import (
	"context"
	"time"
)

// WorkCount is the open work of one duty (motcua.DutiesOf) at an agency:
// the dossiers waiting on the person UserID (Role empty), or on anyone
// holding Role there (UserID 0). DueSoon counts those whose next deadline
// falls in [now, soon); Overdue those whose deadline passed.
type WorkCount struct {
	AgencyID int64
	Role     Role
	UserID   int64
	Open     int
	DueSoon  int
	Overdue  int
}

// HandlingSample is one step an officer finished: when the dossier came
// to the step (the previous event) and when the officer acted.
type HandlingSample struct {
	UserID   int64
	From, To time.Time
}

// AgencyHandling is the handling time of the dossiers an agency settled
// in a period: their number and the sum of their handling times (working
// time, pauses left out: ReportFacts.HandleMS).
type AgencyHandling struct {
	AgencyID int64
	Finished int64
	SumMS    int64
}

// PointOpen counts the unfinished dossiers received at a reception point.
type PointOpen struct {
	ReceptionPointID int64
	Open, Overdue    int
}

// WorkloadStore answers the workload views from the base tables by their
// indexes: the open work (dossier_work), the events by actor, the finished
// dossiers by time.
type WorkloadStore interface {
	// WorkCounts counts the open work at the agencies (nil: every agency),
	// per agency, role and user.
	WorkCounts(ctx context.Context, agencyIDs []int64, now, soon time.Time) ([]WorkCount, error)
	// AgencyWork counts, per agency (nil: every agency), the distinct
	// dossiers held there, by the earliest deadline of their duties.
	AgencyWork(ctx context.Context, agencyIDs []int64, now, soon time.Time) ([]WorkCount, error)
	// HandlingSamples returns the steps the users finished in [from, to),
	// at most the latest perUser of each user.
	HandlingSamples(ctx context.Context, userIDs []int64, from, to time.Time, perUser int) ([]HandlingSample, error)
	// AgencyHandlingTimes sums per competent agency (nil: every agency)
	// the handling times of the dossiers finished in [from, to).
	AgencyHandlingTimes(ctx context.Context, agencyIDs []int64, from, to time.Time) ([]AgencyHandling, error)
	// PointsOpen counts the unfinished received dossiers of reception
	// points, overdue when their due time is before now.
	PointsOpen(ctx context.Context, pointIDs []int64, now time.Time) ([]PointOpen, error)
}
