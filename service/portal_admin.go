package service

import (
	"context"
	"encoding/json"
	"strconv"
	"time"

	"github.com/motcua/motcua"
)

// PortalOverview is the state of the link with the national portal, for
// the province's administrators: the backlog of status messages and its
// lag, the messages waiting or given up (with the dossiers they are for),
// and the last messages received from the portal.
type PortalOverview struct {
	Connected bool
	State     motcua.OutboxState
	// Lag is how long the oldest undelivered message has waited.
	Lag      time.Duration
	Alert    bool // Lag is past Config.PortalAlertAfter
	Pending  []PortalPending
	Received []*motcua.PortalMessage
}

// PortalPending is an undelivered status message with its dossier.
type PortalPending struct {
	Message   *motcua.OutboxMessage
	DossierID int64
	Code      string
	Seq       int
}

// PortalOverview returns the link's state to the province's administrator.
// connected says whether the portal is configured on this instance.
// Errors: EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) PortalOverview(ctx context.Context, connected bool) (*PortalOverview, error) {
	if err := s.requireRootAdmin(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	out := &PortalOverview{Connected: connected}
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		var err error
		if out.State, err = tx.OutboxTopicState(ctx, motcua.TopicPortalSync, now); err != nil {
			return err
		}
		msgs, err := tx.PendingOutbox(ctx, motcua.TopicPortalSync, 200)
		if err != nil {
			return err
		}
		codes := map[int64]string{}
		for _, m := range msgs {
			var job portalJob
			_ = json.Unmarshal(m.Payload, &job)
			p := PortalPending{Message: m, DossierID: job.DossierID, Seq: job.Seq}
			if c, ok := codes[job.DossierID]; ok {
				p.Code = c
			} else if d, err := tx.Dossier(ctx, job.DossierID); err == nil {
				p.Code, codes[job.DossierID] = d.Code, d.Code
			}
			out.Pending = append(out.Pending, p)
		}
		out.Received, err = tx.PortalMessages(ctx, 50)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !out.State.Oldest.IsZero() {
		out.Lag = now.Sub(out.State.Oldest)
		out.Alert = out.Lag >= s.cfg.PortalAlertAfter
	}
	return out, nil
}

// PortalBacklog is the backlog of status messages to the portal (for
// metrics; no authorization: it holds no personal data).
func (s *Service) PortalBacklog(ctx context.Context) (motcua.OutboxState, error) {
	var st motcua.OutboxState
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		st, err = tx.OutboxTopicState(ctx, motcua.TopicPortalSync, s.now())
		return err
	})
	return st, err
}

// ReplayPortalMessage makes a status message that was given up due again
// now (the messages of its dossier behind it follow in order). Errors:
// EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) ReplayPortalMessage(ctx context.Context, id int64) error {
	if err := s.requireRootAdmin(ctx); err != nil {
		return err
	}
	u := motcua.UserFromContext(ctx)
	now := s.now()
	return s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.ReplayOutbox(ctx, id, now); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: "portal_replay", Detail: "outbox message " + strconv.FormatInt(id, 10)})
	})
}

// QueueAllForPortal queues every dossier the portal has not been told of
// yet — its record and the progress rows of its whole history — for the
// first synchronisation of a province with the portal, in batches; progress
// is called after each batch with the count so far. It stops between
// batches when ctx ends (what was queued stays queued; running it again
// continues). Run by the province's administrator or the command line
// (as the system). Errors: EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) QueueAllForPortal(ctx context.Context, progress func(queued int)) (int, error) {
	if u := motcua.UserFromContext(ctx); u != motcua.SystemUser {
		if err := s.requireRootAdmin(ctx); err != nil {
			return 0, err
		}
	}
	queued := 0
	var after int64
	for ctx.Err() == nil {
		var ids []int64
		if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
			ids, err = tx.DossiersWithoutPortalSync(ctx, after, 500)
			return err
		}); err != nil {
			return queued, err
		}
		if len(ids) == 0 {
			return queued, nil
		}
		now := s.now()
		if err := s.store.Write(ctx, func(tx motcua.Tx) error {
			for _, id := range ids {
				d, err := tx.Dossier(ctx, id)
				if err != nil {
					return err
				}
				if d.Status.Seq < 1 {
					continue
				}
				if err := queuePortalJob(ctx, tx, motcua.PortalSyncJob{DossierID: id, Seq: d.Status.Seq}, 1, "", now); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return queued, err
		}
		queued += len(ids)
		after = ids[len(ids)-1]
		if progress != nil {
			progress(queued)
		}
	}
	return queued, ctx.Err()
}

// requireRootAdmin checks that the signed-in user administers the province.
func (s *Service) requireRootAdmin(ctx context.Context) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	if !s.isRootAdmin(u, byID) {
		return motcua.Errorf(motcua.EFORBIDDEN, "admin_only", "Chỉ quản trị hệ thống cấp tỉnh được quản lý kết nối với Cổng Dịch vụ công quốc gia.")
	}
	return nil
}
