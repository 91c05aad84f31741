package service

import (
	"context"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// MergerStatus is how the merger started by StartMerge is going, for the
// page that shows its progress.
type MergerStatus struct {
	Running     bool
	Done, Total int
	StartedAt   time.Time
	// Report is the result once it finished well; Err why it failed
	// (nothing was written then).
	Report *MergerReport
	Err    error
}

// mergeTracker keeps the merger running in the background on this
// instance.
type mergeTracker struct {
	mu     sync.Mutex
	status MergerStatus
	byUser int64
}

// StartMerge runs Merge in the background, so that a page can show its
// progress (MergerStatus) for a long run; the checks that need no
// transaction are done first and their errors returned at once. ECONFLICT
// when a merger is already running here.
func (s *Service) StartMerge(ctx context.Context, in MergeInput) error {
	r, err := s.prepareMerge(ctx, in, nil)
	if err != nil {
		return err
	}
	u := r.u
	t := &s.mergeRun
	t.mu.Lock()
	if t.status.Running {
		t.mu.Unlock()
		return motcua.Errorf(motcua.ECONFLICT, "merger_running", "Đang có một đợt sáp nhập chạy; vui lòng chờ hoàn tất.")
	}
	t.status, t.byUser = MergerStatus{Running: true, StartedAt: s.now()}, u.ID
	t.mu.Unlock()
	bg := context.WithoutCancel(ctx)
	go func() {
		rep, err := s.Merge(bg, in, func(done, total int) error {
			t.mu.Lock()
			t.status.Done, t.status.Total = done, total
			t.mu.Unlock()
			return nil
		})
		t.mu.Lock()
		t.status.Running, t.status.Report, t.status.Err = false, rep, err
		t.mu.Unlock()
	}()
	return nil
}

// MergeStatus returns the state of the last merger the caller started here
// by StartMerge (the zero status when there is none) to the province's
// administrators (EFORBIDDEN otherwise).
func (s *Service) MergeStatus(ctx context.Context) (MergerStatus, error) {
	u, err := s.provinceAdmin(ctx)
	if err != nil {
		return MergerStatus{}, err
	}
	t := &s.mergeRun
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byUser != u.ID {
		return MergerStatus{}, nil
	}
	return t.status, nil
}
