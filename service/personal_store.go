package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// keepResult writes the result just issued for d into the province's
// store of personal e-data (NĐ 118/2025 Art.22(3),(4)), in the
// transaction of the event that issued it, and queues it for the national
// store when one is connected. Dossiers whose applicant has no ID number
// have no owner to keep it for.
func (s *Service) keepResult(ctx context.Context, tx motcua.Tx, d *motcua.Dossier, p *motcua.Procedure, byID map[int64]*motcua.Agency, now time.Time) error {
	if d.Applicant.IDNumber == "" || d.Status.ResultNumber == "" {
		return nil
	}
	r := &motcua.PersonalResult{IDNumber: d.Applicant.IDNumber, DossierID: d.ID, DossierCode: d.Code, ProcedureCode: d.ProcedureCode,
		ProcedureName: d.ProcedureName, ResultName: d.ProcedureName, Number: d.Status.ResultNumber, FileRef: d.Status.ResultFileRef,
		IssuedAt: now}
	if len(p.Results) > 0 {
		// The first result type is the procedure's main result (the
		// catalogue lists it first).
		r.ResultCode, r.ResultName = p.Results[0].Code, p.Results[0].Name
	}
	if a := byID[d.CompetentAgencyID]; a != nil {
		r.AgencyCode, r.AgencyName = a.Code, a.Name
	}
	if err := tx.SavePersonalResult(ctx, r); err != nil {
		return fmt.Errorf("keep result in the personal store: %w", err)
	}
	if s.cfg.ResultStore == nil {
		return nil
	}
	payload, err := json.Marshal(storePush{DossierID: d.ID})
	if err != nil {
		return err
	}
	return tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: motcua.TopicStorePush, Key: "kho:" + d.Code, Payload: payload,
		CreatedAt: now, NextAttemptAt: now})
}

// storePush is the payload of a TopicStorePush message: the result is read
// again at delivery, so that a corrected result goes out as it is then.
type storePush struct {
	DossierID int64 `json:"dossier_id"`
}

// StoreDeliverer delivers TopicStorePush messages to the national store
// and records, with the delivery, that the store holds the result
// (indicator 4.4 counts it). Nil when no store is connected.
func (s *Service) StoreDeliverer() motcua.DeliveryRecorder {
	if s.cfg.ResultStore == nil {
		return nil
	}
	return storeDeliverer{s}
}

type storeDeliverer struct{ s *Service }

func (d storeDeliverer) result(ctx context.Context, tx motcua.Tx, m *motcua.OutboxMessage) (*motcua.PersonalResult, error) {
	var p storePush
	if err := json.Unmarshal(m.Payload, &p); err != nil || p.DossierID <= 0 {
		return nil, permanent{fmt.Errorf("store push %d: malformed payload", m.ID)}
	}
	return tx.PersonalResultByDossier(ctx, p.DossierID)
}

// Deliver implements motcua.Deliverer.
func (d storeDeliverer) Deliver(ctx context.Context, m *motcua.OutboxMessage) error {
	var r *motcua.PersonalResult
	if err := d.s.store.Read(ctx, func(tx motcua.Tx) (err error) { r, err = d.result(ctx, tx, m); return err }); err != nil {
		return err
	}
	return d.s.cfg.ResultStore.Push(ctx, r)
}

// Recorded implements motcua.DeliveryRecorder.
func (d storeDeliverer) Recorded(ctx context.Context, tx motcua.Tx, m *motcua.OutboxMessage, at time.Time) error {
	r, err := d.result(ctx, tx, m)
	if err != nil {
		return err
	}
	return tx.PersonalResultPushed(ctx, r.ID, at)
}

// permanent marks an error that retrying cannot cure.
type permanent struct{ error }

func (permanent) PermanentFailure() bool { return true }
func (p permanent) Unwrap() error        { return p.error }
