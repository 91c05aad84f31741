package service

import (
	"context"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// DefaultOutboxLease is how long a claimed message is reserved for the
// instance delivering it when Config.OutboxLease is 0; if that instance
// dies, another takes the message after the lease.
const DefaultOutboxLease = 2 * time.Minute

// deliveryWorkers is how many messages of a batch are delivered at once.
// A batch holds at most one message per ordering key (ClaimOutbox), so
// delivering them side by side keeps each key's order.
const deliveryWorkers = 8

// DeliverOutbox delivers the messages that are due through d (a scheduled
// job, run as the system): it claims a batch, delivers its messages (several
// at once), and records in one transaction every delivery — with what the
// deliverer records of it (motcua.DeliveryRecorder) — and every failure with
// the next attempt after a growing back-off, giving up after
// motcua.MaxOutboxAttempts or at once when the destination refuses the
// message for good (motcua.PermanentFailure). Claims are leases committed
// before delivery, so instances running the job at once share the work
// instead of repeating it; an instance that dies before recording leaves
// its messages to be delivered again after the lease, which destinations
// de-duplicate. It returns how many messages were delivered.
func (s *Service) DeliverOutbox(ctx context.Context, d motcua.Deliverer) (int, error) {
	delivered := 0
	// A deliverer that names its topics is given only those: messages it
	// cannot deliver wait for one that can instead of failing.
	var topics []string
	if t, ok := d.(interface{ Claims() []string }); ok {
		topics = t.Claims()
	}
	rec, _ := d.(motcua.DeliveryRecorder)
	for round := 0; round < 20; round++ {
		now := s.now()
		var batch []*motcua.OutboxMessage
		if err := s.store.Write(ctx, func(tx motcua.Tx) (err error) {
			batch, err = tx.ClaimOutbox(ctx, now, now.Add(s.cfg.OutboxLease), 50, topics)
			return err
		}); err != nil {
			return delivered, err
		}
		if len(batch) == 0 {
			return delivered, nil
		}
		errs := make([]error, len(batch))
		at := make([]time.Time, len(batch))
		work := make(chan int)
		var wg sync.WaitGroup
		for range min(deliveryWorkers, len(batch)) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					errs[i] = d.Deliver(ctx, batch[i])
					at[i] = s.now()
				}
			}()
		}
		for i := range batch {
			work <- i
		}
		close(work)
		wg.Wait()
		ok, err := s.recordDeliveries(ctx, batch, errs, at, rec)
		if err != nil {
			return delivered, err
		}
		delivered += ok
		if ctx.Err() != nil {
			return delivered, ctx.Err()
		}
	}
	return delivered, nil
}

// recordDeliveries records, in one transaction, the outcome of each
// message of batch (errs[i] nil: delivered at at[i]) and returns how many
// were delivered. The outcomes are recorded even if ctx ended meanwhile:
// a delivered message must not be sent again needlessly.
func (s *Service) recordDeliveries(ctx context.Context, batch []*motcua.OutboxMessage, errs []error, at []time.Time, rec motcua.DeliveryRecorder) (int, error) {
	rctx := context.WithoutCancel(ctx)
	ok := 0
	err := s.store.Write(rctx, func(tx motcua.Tx) error {
		ok = 0
		for i, m := range batch {
			if err := errs[i]; err != nil {
				giveUp := m.Attempts >= motcua.MaxOutboxAttempts || motcua.PermanentFailure(err)
				if err := tx.OutboxRetry(rctx, m.ID, motcua.ErrorText(err), at[i], at[i].Add(motcua.OutboxBackoff(m.Attempts)), giveUp); err != nil {
					return err
				}
				continue
			}
			if err := tx.OutboxDelivered(rctx, m.ID, at[i]); err != nil {
				return err
			}
			if rec != nil {
				if err := rec.Recorded(rctx, tx, m, at[i]); err != nil {
					return err
				}
			}
			ok++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return ok, nil
}

// FailedDeliveries lists the outbox messages given up after every attempt,
// newest first, for the province's administrator to act on: the outbox
// holds the notices of every agency, so an administrator of one agency
// does not see it. Errors: EFORBIDDEN.
func (s *Service) FailedDeliveries(ctx context.Context, limit int) ([]*motcua.OutboxMessage, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if !s.isRootAdmin(u, byID) && u != motcua.SystemUser {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "admin_only", "Chỉ quản trị hệ thống cấp tỉnh được xem các thông điệp gửi không thành công.")
	}
	var out []*motcua.OutboxMessage
	err = s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		out, err = tx.FailedOutbox(ctx, limit)
		return err
	})
	return out, err
}

// OutboxBacklog counts the messages waiting for delivery (for metrics).
func (s *Service) OutboxBacklog(ctx context.Context) (int, error) {
	var n int
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		n, err = tx.OutboxBacklog(ctx)
		return err
	})
	return n, err
}
