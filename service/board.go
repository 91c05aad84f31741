package service

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// BoardRow is one agency's line of the public progress board.
type BoardRow struct {
	Agency *motcua.Agency
	// Received counts dossiers validly received in the period.
	Received int
	// Early, OnTime and Late count dossiers finished in the period.
	Early, OnTime, Late int
	// Pending and Overdue count dossiers not finished at the end of the
	// period (now, for the current one): within time, and past due.
	Pending, Overdue int
	// Waiting counts the dossiers waiting for a supplement, part of
	// Pending. Report 06a counts them handled on time instead (its
	// column 9), so its "handled" is Finished + Waiting (Handled06a).
	Waiting int
}

// Handled06a is the number of dossiers handled as report 06a counts them:
// those finished and those waiting for a supplement.
func (r BoardRow) Handled06a() int { return r.Finished() + r.Waiting }

// Finished is the number of dossiers finished in the period.
func (r BoardRow) Finished() int { return r.Early + r.OnTime + r.Late }

// Unfinished is the number of dossiers still being settled.
func (r BoardRow) Unfinished() int { return r.Pending + r.Overdue }

func (r *BoardRow) add(o BoardRow) {
	r.Received += o.Received
	r.Early += o.Early
	r.OnTime += o.OnTime
	r.Late += o.Late
	r.Pending += o.Pending
	r.Overdue += o.Overdue
	r.Waiting += o.Waiting
}

// BoardPeriod is the board of one period: its rows, one per agency that
// settled, received or holds dossiers, and their total.
type BoardPeriod struct {
	From, To time.Time // [From, To), To being the moment asked
	Rows     []BoardRow
	Total    BoardRow
}

// Board is the public progress board for the current month and year.
type Board struct {
	At    time.Time
	Month BoardPeriod
	Year  BoardPeriod
}

type boardCache struct {
	mu    sync.Mutex
	board *Board
}

// boardTTL bounds how stale the public board may be: it is public and
// cheap to ask for, so it is not recomputed for every visitor.
const boardTTL = time.Minute

// ProgressBoard returns the public progress board (public information,
// no personal data): for each competent agency, for the current month and
// the current year in Vietnam time, the dossiers received, finished early,
// on time and late, and still pending within time or overdue.
//
// How it counts (to be replaced by the II.06a figures when they exist):
//   - received: valid reception (the clock start printed on the receipt)
//     in the period; dossiers refused at reception were never received
//     and online dossiers still awaiting reception are not counted;
//   - finished: processing ended in the period. A result or a refusal
//     after appraisal is judged against the appointment in force
//     (motcua.Judge: late after the due time, early on an earlier day);
//     withdrawn, stopped and closed dossiers count as on time, as II.06a
//     column 9 counts them; a procedure without a time limit is on time;
//   - pending: not finished at the end of the period (for a current period
//     that is now); overdue when past the appointment, and a dossier
//     waiting for the applicant's supplement is within time (its clock is
//     paused).
//
// A dossier counts for its competent agency. The figures are kept for a
// minute.
func (s *Service) ProgressBoard(ctx context.Context) (*Board, error) {
	now := s.now()
	s.board.mu.Lock()
	defer s.board.mu.Unlock()
	if b := s.board.board; b != nil && now.Sub(b.At) < boardTTL && !now.Before(b.At) {
		return b, nil
	}
	byID, list, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	local := now.In(motcua.VietnamTime)
	yearStart := time.Date(local.Year(), 1, 1, 0, 0, 0, 0, motcua.VietnamTime)
	monthStart := time.Date(local.Year(), local.Month(), 1, 0, 0, 0, 0, motcua.VietnamTime)
	end := now.Add(time.Millisecond) // instants are kept to the millisecond: "up to now" includes now
	var timings []motcua.DossierTiming
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		timings, err = tx.DossierTimings(ctx, yearStart, end)
		return err
	}); err != nil {
		return nil, err
	}
	b := &Board{At: now, Month: tallyBoard(timings, monthStart, end, now, byID, list),
		Year: tallyBoard(timings, yearStart, end, now, byID, list)}
	s.board.board = b
	return b, nil
}

// tallyBoard counts the timings for the period [from, to) judged at now.
func tallyBoard(timings []motcua.DossierTiming, from, to, now time.Time, byID map[int64]*motcua.Agency, order []*motcua.Agency) BoardPeriod {
	rows := map[int64]*BoardRow{}
	row := func(id int64) *BoardRow {
		r, ok := rows[id]
		if !ok {
			r = &BoardRow{Agency: byID[id]}
			if r.Agency == nil {
				r.Agency = &motcua.Agency{ID: id, Name: "Cơ quan không xác định"}
			}
			rows[id] = r
		}
		return r
	}
	in := func(t time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(to) }
	for _, d := range timings {
		if d.ReceivedAt.IsZero() || !d.ReceivedAt.Before(to) {
			continue
		}
		r := row(d.CompetentAgencyID)
		if in(d.ReceivedAt) {
			r.Received++
		}
		switch {
		case in(d.FinishedAt):
			switch d.State {
			case motcua.StateWithdrawn, motcua.StateStopped, motcua.StateClosed:
				r.OnTime++
			default:
				switch motcua.Judge(d.FinishedAt, d.DueAt, motcua.VietnamTime) {
				case motcua.Early:
					r.Early++
				case motcua.Late:
					r.Late++
				default:
					r.OnTime++
				}
			}
		case d.FinishedAt.IsZero() || !d.FinishedAt.Before(to):
			if d.State != motcua.StateAwaitingSupplement && motcua.Pending(now, d.DueAt) == motcua.Overdue {
				r.Overdue++
			} else {
				r.Pending++
			}
			if d.State == motcua.StateAwaitingSupplement {
				r.Waiting++
			}
		}
	}
	p := BoardPeriod{From: from, To: to}
	for _, a := range order {
		if r, ok := rows[a.ID]; ok {
			p.Rows = append(p.Rows, *r)
			p.Total.add(*r)
			delete(rows, a.ID)
		}
	}
	var rest []int64
	for id := range rows {
		rest = append(rest, id)
	}
	slices.Sort(rest)
	for _, id := range rest {
		p.Rows = append(p.Rows, *rows[id])
		p.Total.add(*rows[id])
	}
	return p
}
