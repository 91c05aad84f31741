package service

import (
	"context"
	"fmt"

	"github.com/motcua/motcua"
)

// feedbackUnit are the complaint and rating facts of one unit of the index
// (indicators 5.1–5.4), read from the records.
type feedbackUnit struct {
	// held: the system records ratings or complaints (any exist); the
	// indicators are "no data" before the first.
	held bool
	// total, regulation, conduct count the complaints received in the
	// period; onTime those handled on time (5.2) at the period's end; bad
	// those disliked, late or repeated (5.3).
	total, regulation, conduct, onTime, bad int64
	// flagged counts the unit's dossiers with a dislike rating or a
	// complaint in the period (5.4).
	flagged int64
}

func (u *unitData) feedbackFacts() *feedbackUnit {
	if u.feedback == nil {
		u.feedback = &feedbackUnit{}
	}
	return u.feedback
}

// feedbackIndexInputs adds the period's complaints and ratings to the
// units (the agencies and the province, 0). A complaint not yet assigned
// to an agency counts for the province only. The units that exist after it
// all know whether feedback is held; a unit made later (by the payments,
// which run after it) reads as not held, so it must run before them.
func (s *Service) feedbackIndexInputs(ctx context.Context, p motcua.Period, units map[int64]*unitData, unit func(int64) *unitData) error {
	from, to := p.From.Start(), p.To.End()
	at := to
	if now := s.now(); now.Before(at) {
		at = now // a period not over yet is judged now
	}
	var fs []*motcua.Feedback
	var ratings []motcua.RatingAgg
	held := false
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if held, err = tx.FeedbackRecorded(ctx); err != nil || !held {
			return err
		}
		if fs, err = tx.FeedbackIn(ctx, from, to); err != nil {
			return err
		}
		ratings, err = tx.RatingAggs(ctx, from, to)
		return err
	})
	if err != nil {
		return err
	}
	for _, f := range fs {
		targets := []*unitData{unit(0)}
		if f.AgencyID != 0 {
			targets = append(targets, unit(f.AgencyID))
		}
		onTime := f.OnTimeAt(at)
		bad := !onTime || f.RepeatOf != 0 || (f.AnswerLevel > 0 && f.AnswerLevel <= motcua.LevelDissatisfied)
		for _, u := range targets {
			fu := u.feedbackFacts()
			fu.total++
			switch f.Kind {
			case motcua.KindRegulation:
				fu.regulation++
			case motcua.KindConduct:
				fu.conduct++
			}
			if onTime {
				fu.onTime++
			}
			if bad {
				fu.bad++
			}
		}
	}
	for _, r := range ratings {
		for _, u := range []*unitData{unit(r.AgencyID), unit(0)} {
			u.feedbackFacts().flagged += r.Flagged
		}
	}
	unit(0)
	for _, u := range units {
		u.feedbackFacts().held = held
	}
	return nil
}

// feedbackValues puts the numerators and denominators of 5.1–5.4 into
// values and whether feedback is held into held (domain-vn.md §5):
//
//   - 5.1 (display only): complaints about regulations / all complaints;
//   - 5.2: complaints handled on time (every stage by its due time) / all;
//   - 5.3: (all − disliked, late or repeated) / all;
//   - 5.4: 100 % − (share of overdue dossiers + share of dossiers with a
//     dislike or a complaint), over the dossiers of indicator 2.1: as a
//     fraction, (on time − flagged) / in scope, never below 0.
func feedbackValues(values map[string][2]int64, held map[motcua.IndexInput]bool, u *unitData) {
	fu := u.feedbackFacts()
	held[motcua.InputFeedback] = fu.held
	values["5.1"] = [2]int64{fu.regulation, fu.total}
	values["5.2"] = [2]int64{fu.onTime, fu.total}
	values["5.3"] = [2]int64{fu.total - fu.bad, fu.total}
	num := u.onTime - fu.flagged
	if num < 0 {
		num = 0
	}
	values["5.4"] = [2]int64{num, u.scope}
}

// feedbackNote is what indicator 5.1 shows: it earns no points, so its
// figures are said in words.
func feedbackNote(u *unitData) string {
	fu := u.feedbackFacts()
	return fmt.Sprintf("Chỉ theo dõi, không tính điểm: %d phản ánh, kiến nghị về quy định hành chính, %d về hành vi của cán bộ, công chức, trên tổng số %d.",
		fu.regulation, fu.conduct, fu.total)
}
