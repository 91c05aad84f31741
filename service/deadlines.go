package service

import (
	"context"
	"encoding/json"
	"time"

	"github.com/motcua/motcua"
)

// WarningNotice is the payload of a deadline warning in the outbox: enough
// for a notifier to tell the holding agency, without personal data.
type WarningNotice struct {
	Code           string    `json:"code"`
	Kind           string    `json:"kind"`
	DueAt          time.Time `json:"due_at"`
	HolderAgencyID int64     `json:"holder_agency_id"`
	ProcedureCode  string    `json:"procedure_code"`
	ProcedureName  string    `json:"procedure_name"`
}

// WarnDeadlines records a warning, with its notice in the outbox, for every
// dossier whose appointment is due within one working day (WarnDueSoon) or
// has passed (WarnOverdue) while it is still being processed (a scheduled
// job, run as the system). Each warning is its own transaction; the store
// refuses a second warning for the same dossier, kind and appointment, so
// when several instances run the job at once each warning is recorded (and
// its notice sent) exactly once. It returns how many warnings it recorded.
func (s *Service) WarnDeadlines(ctx context.Context) (int, error) {
	now := s.now()
	cal := s.Calendar()
	soon := cal.AddWorking(now, cal.WorkingDayLength())
	passes := []struct {
		kind        string
		after, upTo time.Time
	}{
		{motcua.WarnOverdue, time.UnixMilli(0), now},
		{motcua.WarnDueSoon, now, soon},
	}
	n := 0
	for _, p := range passes {
		for {
			var due []*motcua.Dossier
			if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
				due, err = tx.DossiersToWarn(ctx, p.kind, p.after, p.upTo, 200)
				return err
			}); err != nil {
				return n, err
			}
			recorded := 0
			for _, d := range due {
				if err := ctx.Err(); err != nil {
					return n, err
				}
				err := s.warn(ctx, d, p.kind, now)
				switch motcua.ErrorCode(err) {
				case "":
					n++
					recorded++
				case motcua.ECONFLICT:
					// Another instance warned first.
				default:
					return n, err
				}
			}
			if len(due) < 200 || recorded == 0 {
				break
			}
		}
	}
	return n, nil
}

func (s *Service) warn(ctx context.Context, d *motcua.Dossier, kind string, now time.Time) error {
	w := &motcua.DeadlineWarning{DossierID: d.ID, Code: d.Code, Kind: kind, DueAt: d.Status.DueAt,
		HolderAgencyID: d.Status.AgencyID, At: now}
	payload, err := json.Marshal(WarningNotice{Code: d.Code, Kind: kind, DueAt: d.Status.DueAt, HolderAgencyID: d.Status.AgencyID,
		ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName})
	if err != nil {
		return err
	}
	return s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.RecordDeadlineWarning(ctx, w); err != nil {
			return err
		}
		return tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: motcua.TopicDeadlineWarning, Payload: payload,
			CreatedAt: now, NextAttemptAt: now})
	})
}
