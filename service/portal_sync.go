package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// queuePortalSync queues event seq of the dossier for the national portal,
// in the transaction of the change, when the portal is configured.
// nationalCode is the portal's code of a dossier it forwarded ("" for the
// others). Every channel is reported: the province is scored on what the
// portal holds.
func (s *Service) queuePortalSync(ctx context.Context, tx motcua.Tx, dossierID int64, seq int, nationalCode string, now time.Time) error {
	if !s.cfg.PortalSync {
		return nil
	}
	return queuePortalJob(ctx, tx, motcua.PortalSyncJob{DossierID: dossierID, Seq: seq}, seq, nationalCode, now)
}

func queuePortalJob(ctx context.Context, tx motcua.Tx, job motcua.PortalSyncJob, fromSeq int, nationalCode string, now time.Time) error {
	if err := tx.QueuePortalSync(ctx, job.DossierID, nationalCode, nationalCode != "", job.Seq); err != nil {
		return err
	}
	payload, err := json.Marshal(portalJob{PortalSyncJob: job, FromSeq: fromSeq})
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: motcua.TopicPortalSync, Key: portalKey(job.DossierID),
		Payload: payload, CreatedAt: now, NextAttemptAt: now})
}

// portalJob is the stored payload: the record and the progress rows of
// events FromSeq..Seq (one event, except for a dossier's first
// synchronisation after the portal was connected).
type portalJob struct {
	motcua.PortalSyncJob
	FromSeq int `json:"from_seq,omitempty"`
}

// OutboxNudges delivers a value soon after a change of this instance queued
// an outbox message (several changes may share one value): the delivery
// job waits on it as well as on its ticker.
func (s *Service) OutboxNudges() <-chan struct{} { return s.nudge }

// nudgeOutbox wakes the delivery job after a committed change queued a
// message for the portal.
func (s *Service) nudgeOutbox() {
	if !s.cfg.PortalSync {
		return
	}
	select {
	case s.nudge <- struct{}{}:
	default:
	}
}

func portalKey(dossierID int64) string { return "dossier:" + strconv.FormatInt(dossierID, 10) }

// PortalDeliverer returns the deliverer of motcua.TopicPortalSync messages
// through p: it builds the portal's record of the dossier as it is now and
// the progress rows of the message's events from the append-only history,
// sends them, and records what the portal accepted (the sync state that
// indicator 1.4 counts and the dossier page shows).
func (s *Service) PortalDeliverer(p motcua.Portal) motcua.Deliverer {
	return &portalDeliverer{s: s, portal: p}
}

type portalDeliverer struct {
	s      *Service
	portal motcua.Portal
}

// errPortalExists is how a portal adapter says a record it was asked to
// create exists already (a create delivered twice after a crash): the
// deliverer then updates it instead.
var errPortalExists = motcua.ECONFLICT

func (pd *portalDeliverer) Deliver(ctx context.Context, m *motcua.OutboxMessage) error {
	s := pd.s
	var job portalJob
	if err := json.Unmarshal(m.Payload, &job); err != nil || job.DossierID == 0 || job.Seq < 1 {
		return motcua.Errorf(motcua.EINVALID, "bad_portal_job", "Thông điệp đồng bộ không hợp lệ.")
	}
	if job.FromSeq < 1 || job.FromSeq > job.Seq {
		job.FromSeq = job.Seq
	}
	rec, rows, sync, err := s.portalRecord(ctx, job)
	if err != nil {
		return err
	}
	create := sync.SyncedSeq == 0 && sync.FirstSyncedAt.IsZero()
	err = pd.portal.SyncDossier(ctx, rec, !create)
	if create && motcua.ErrorCode(err) == errPortalExists {
		err = pd.portal.SyncDossier(ctx, rec, true)
	}
	for i := 0; err == nil && i < len(rows); i++ {
		err = pd.portal.SyncProgress(ctx, rows[i])
	}
	if err != nil {
		at, rctx := s.now(), context.WithoutCancel(ctx)
		if werr := s.store.Write(rctx, func(tx motcua.Tx) error {
			return tx.PortalSyncFailed(rctx, job.DossierID, motcua.ErrorText(err), at)
		}); werr != nil {
			slog.Error("record portal sync failure", "dossier", job.DossierID, "err", werr)
		}
		s.alertPortalLag(rctx, at)
	}
	return err
}

// Recorded implements motcua.DeliveryRecorder: what the portal accepted is
// kept in the transaction that records the delivery.
func (pd *portalDeliverer) Recorded(ctx context.Context, tx motcua.Tx, m *motcua.OutboxMessage, at time.Time) error {
	var job portalJob
	if err := json.Unmarshal(m.Payload, &job); err != nil {
		return err
	}
	return tx.PortalSynced(ctx, job.DossierID, job.Seq, at)
}

// portalRecord reads what a job sends: the record of the dossier and the
// progress rows of its events, with the dossier's sync state.
func (s *Service) portalRecord(ctx context.Context, job portalJob) (*motcua.PortalDossier, []*motcua.PortalProgress, *motcua.PortalSyncState, error) {
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	var d *motcua.Dossier
	var events []motcua.Event
	var p *motcua.Procedure
	var files []*motcua.DossierFile
	var payments []*motcua.Payment
	var sync *motcua.PortalSyncState
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if d, err = tx.Dossier(ctx, job.DossierID); err != nil {
			return err
		}
		if events, err = tx.Events(ctx, d.ID); err != nil {
			return err
		}
		if p, err = s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion); err != nil {
			return err
		}
		if files, err = tx.DossierFiles(ctx, d.ID); err != nil {
			return err
		}
		if payments, err = tx.DossierPayments(ctx, d.ID); err != nil {
			return err
		}
		sync, err = tx.PortalSync(ctx, d.ID)
		return err
	}); err != nil {
		return nil, nil, nil, err
	}
	if job.Seq > len(events) {
		return nil, nil, nil, fmt.Errorf("portal job for event %d of dossier %s, which has %d", job.Seq, d.Code, len(events))
	}
	if strings.TrimSpace(p.Code) == "" {
		// The portal refuses a record without MaTTHC, and retrying cannot
		// change that: give the message up at once and tell a person what
		// to mend (the procedure's national code in the catalogue; the
		// dossier is sent again on its next event or by a retry).
		return nil, nil, nil, &motcua.SendError{Permanent: true, Err: motcua.Errorf(motcua.EINVALID, "procedure_without_national_code",
			"Thủ tục %q chưa có mã thủ tục quốc gia trong danh mục, Cổng Dịch vụ công quốc gia không nhận hồ sơ %s. Bổ sung mã thủ tục rồi gửi lại.", p.Name, d.Code)}
	}
	d.FillComponents(p)
	national := sync.NationalCode
	if national == "" {
		national = d.Code
	}
	rec := portalDossierOf(d, p, events, files, payments, byID, national)
	s.linkPortalResults(rec, d)
	var rows []*motcua.PortalProgress
	for seq := job.FromSeq; seq <= job.Seq; seq++ {
		rows = append(rows, portalProgressOf(d, &events[seq-1], byID, national))
	}
	return rec, rows, sync, nil
}

// portalDossierOf is the portal's record of d as it is now.
func portalDossierOf(d *motcua.Dossier, p *motcua.Procedure, events []motcua.Event, files []*motcua.DossierFile,
	payments []*motcua.Payment, byID map[int64]*motcua.Agency, national string) *motcua.PortalDossier {
	st := &d.Status
	r := &motcua.PortalDossier{Code: d.Code, NationalCode: national, ProcedureCode: p.Code, ProcedureName: p.Name,
		FieldCode: p.FieldCode, FieldName: p.FieldName, Applicant: d.Applicant, Summary: d.Content, Channel: d.Channel,
		State: st.State, SubmittedAt: st.SubmittedAt, ReceivedAt: st.ReceivedAt, DueAt: st.DueAt,
		Fees: d.Fees, VNeIDVerified: d.Applicant.VNeIDVerified}
	if r.Summary == "" {
		r.Summary = p.Name
	}
	if r.SubmittedAt.IsZero() {
		// Handed in at a counter or by post: the day the applicant gave
		// it, whether or not it was then received.
		r.SubmittedAt = d.CreatedAt
	}
	if a := byID[d.CompetentAgencyID]; a != nil {
		r.AgencyCode, r.AgencyName = a.Code, a.Name
	}
	// What was paid comes from the payment records; the citizen is asked
	// to pay (the portal's "financial obligation") while an online payment
	// of fees still due waits for the platform.
	r.Fees = append([]motcua.DossierFee(nil), d.Fees...)
	motcua.MarkFeesPaid(r.Fees, payments)
	paid := motcua.FeesPaid(payments)
	r.PaidOnline = paid != nil && paid.Method == motcua.PayOnline
	if paid == nil && motcua.FeesDue(d.Fees) > 0 {
		for _, pm := range payments {
			r.PaymentPending = r.PaymentPending || pm.State == motcua.PaymentPending
		}
	}
	var resultRefs []string // the file each result was issued with
	for _, e := range events {
		switch {
		case e.Action == motcua.ActRefuse && e.ToState == motcua.StateRejected:
			r.RejectedAt = e.At
		case e.ToState == motcua.StateReturned:
			r.ReturnedAt = e.At
		}
		if e.ToState.Finished() && e.ToState != motcua.StateReturned && r.FinishedAt.IsZero() {
			r.FinishedAt = e.At
		}
		if e.Action == motcua.ActIssueResult {
			r.Results = append(r.Results, motcua.PortalResult{Name: resultName(p), Number: e.ResultNumber})
			resultRefs = append(resultRefs, e.ResultFileRef)
			if r.FinishedAt.IsZero() {
				r.FinishedAt = e.At
			}
		}
		if e.Action == motcua.ActRequestSupplement {
			sr := motcua.PortalSupplementRequest{At: e.At, Reason: e.Reason}
			for _, id := range e.Missing {
				sr.Components = append(sr.Components, componentName(p, id))
			}
			r.Supplements = append(r.Supplements, sr)
		}
		if len(r.Supplements) > 0 && (e.Action == motcua.ActSupplementReceived ||
			e.Action == motcua.ActReceive && e.FromState == motcua.StateAwaitingSupplement) {
			r.Supplements[len(r.Supplements)-1].AnsweredAt = e.At
		}
	}
	for _, f := range files {
		// A file is a digitized copy when it is validly signed (the
		// component's own flag is derived from such files).
		pf := motcua.PortalFile{ID: strconv.FormatInt(f.ID, 10), Name: f.Name, Digitized: f.Signed()}
		if f.ComponentID == motcua.ResultComponent {
			// A result issued with a signed file is an electronic
			// result: the portal gets its document code (and, from
			// linkPortalResults, where to download it).
			for i, ref := range resultRefs {
				if ref == pf.ID && f.Signed() {
					r.Results[i].Code = f.DocCode
				}
			}
			continue
		}
		for i, c := range p.Components {
			if c.ID == f.ComponentID {
				pf.ComponentName, pf.ComponentSeq = c.Name, i+1
			}
		}
		for _, c := range d.Components {
			if c.ComponentID == f.ComponentID {
				pf.Reused, pf.FromStore = c.Reused, c.TakenFromStore
			}
		}
		r.Files = append(r.Files, pf)
	}
	for _, c := range d.Components {
		r.Digitized = r.Digitized || c.Digitized
	}
	return r
}

// portalProgressOf is the progress row of event e.
func portalProgressOf(d *motcua.Dossier, e *motcua.Event, byID map[int64]*motcua.Agency, national string) *motcua.PortalProgress {
	row := &motcua.PortalProgress{Code: d.Code, NationalCode: national, Seq: e.Seq, Officer: e.ActorName,
		Title: e.ActorRole.Label(), At: e.At, Content: e.Action.Label(), State: e.ToState, StartedAt: e.At}
	if e.Reason != "" {
		row.Content += ": " + e.Reason
	}
	dept := e.ActorAgencyID
	if dept == 0 {
		dept = e.ToAgencyID
	}
	if a := byID[dept]; a != nil {
		row.Department = a.Name
	}
	for _, due := range []time.Time{e.ActionDueAt, e.StepDueAt, e.DueAt} {
		if !due.IsZero() {
			row.DueAt = due
			break
		}
	}
	return row
}

func resultName(p *motcua.Procedure) string {
	if len(p.Results) > 0 {
		return p.Results[0].Name
	}
	return "Kết quả giải quyết thủ tục " + p.Name
}

func componentName(p *motcua.Procedure, id int64) string {
	for _, c := range p.Components {
		if c.ID == id {
			return c.Name
		}
	}
	return "Thành phần " + strconv.FormatInt(id, 10)
}

// alertPortalLag tells the administrators, at most once an hour per
// instance, when the oldest message waiting for the portal is older than
// Config.PortalAlertAfter: a notice in the log (read by the operators'
// alerting) and on the synchronisation page, and an outbox notice
// (motcua.TopicAdminNotice) for the province's notification endpoint.
func (s *Service) alertPortalLag(ctx context.Context, now time.Time) {
	s.portalAlert.Lock()
	defer s.portalAlert.Unlock()
	if now.Sub(s.portalAlert.last) < time.Hour {
		return
	}
	var st motcua.OutboxState
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		st, err = tx.OutboxTopicState(ctx, motcua.TopicPortalSync, now)
		return err
	}); err != nil || st.OldestFailing.IsZero() || now.Sub(st.OldestFailing) < s.cfg.PortalAlertAfter {
		return
	}
	s.portalAlert.last = now
	lag := now.Sub(st.OldestFailing).Round(time.Second)
	slog.Error("deliveries to the national portal keep failing", "lag", lag, "pending", st.Pending, "failed", st.Failed)
	payload, _ := json.Marshal(map[string]any{"kind": "portal_sync_lag", "lag_seconds": int64(lag.Seconds()),
		"pending": st.Pending, "failed": st.Failed,
		"message": fmt.Sprintf("Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia đang chậm %s: %d thông điệp đang chờ, %d đã dừng gửi.", vnDuration(lag), st.Pending, st.Failed)})
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: motcua.TopicAdminNotice, Payload: payload, CreatedAt: now, NextAttemptAt: now})
	}); err != nil && !errors.Is(err, context.Canceled) {
		slog.Error("queue administrator notice", "err", err)
	}
}

// vnDuration writes a duration in Vietnamese words (giờ, phút).
func vnDuration(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	switch {
	case h > 0:
		return fmt.Sprintf("%d giờ %d phút", h, m)
	default:
		return fmt.Sprintf("%d phút", m)
	}
}
