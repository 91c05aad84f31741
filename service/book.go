package service

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// maxBookDossiers bounds one tracking book: a commune receives a few
// thousand dossiers a year; a longer book is printed period by period.
const maxBookDossiers = 5000

// DossierBook returns the tracking book (sổ theo dõi hồ sơ) of a reception
// agency for the days from..to (Vietnam time, both included): every
// dossier registered there, in order. The book names applicants, so only
// the agency's staff who work on dossiers, and supervisors of it or of an
// agency above it, may read it (not its administrators); each reading is
// written to the audit log. Errors: EFORBIDDEN, EINVALID (dates,
// or more than maxBookDossiers dossiers).
func (s *Service) DossierBook(ctx context.Context, agencyID int64, from, to time.Time, ip string) ([]*motcua.Dossier, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := byID[agencyID]; !ok {
		return nil, motcua.FieldError("agency_id", "agency_not_found", "Cơ quan không tồn tại.")
	}
	if !s.mayReadAgency(u, agencyID, byID) {
		s.auditRefused(ctx, u, 0, fmt.Sprintf("tracking book of agency %d", agencyID), ip)
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_permitted", "Bạn chỉ được xem sổ theo dõi hồ sơ của cơ quan mình.")
	}
	start := dayStart(from)
	end := dayStart(to).AddDate(0, 0, 1)
	if !start.Before(end) {
		return nil, motcua.FieldError("to", "period_reversed", "Ngày kết thúc phải từ ngày bắt đầu trở đi.")
	}
	if end.Sub(start) > 367*24*time.Hour {
		return nil, motcua.FieldError("to", "period_too_long", "Sổ theo dõi in tối đa một năm mỗi lần.")
	}
	var out []*motcua.Dossier
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		f := motcua.BookFilter{ReceptionAgencyIDs: []int64{agencyID}, From: start, To: end, Limit: 1000}
		for {
			page, err := tx.DossierBook(ctx, f)
			if err != nil {
				return err
			}
			out = append(out, page...)
			if len(out) > maxBookDossiers {
				return motcua.FieldError("to", "book_too_long", fmt.Sprintf("Kỳ đã chọn có hơn %d hồ sơ; vui lòng chọn kỳ ngắn hơn.", maxBookDossiers))
			}
			if len(page) < f.Limit {
				return nil
			}
			last := page[len(page)-1]
			f.AfterCreatedAt, f.AfterID = last.CreatedAt, last.ID
		}
	})
	if err != nil {
		return nil, err
	}
	now := s.now()
	// One entry per dossier, so that "who saw this citizen's data?" finds
	// the book too, then the book's own.
	book := fmt.Sprintf("tracking book of agency %d, %s–%s", agencyID, motcua.FormatDate(start), motcua.FormatDate(to))
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		for _, d := range out {
			if err := tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditViewPersonalData,
				DossierID: d.ID, Detail: book, IP: ip}); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditViewPersonalData,
			Detail: fmt.Sprintf("%s (%d dossiers)", book, len(out)), IP: ip})
	}); err != nil {
		return nil, fmt.Errorf("audit tracking book: %w", err)
	}
	return out, nil
}

// dayStart is the start of t's day in Vietnam time.
func dayStart(t time.Time) time.Time {
	l := t.In(motcua.VietnamTime)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, motcua.VietnamTime)
}

// BookAgencies lists the agencies whose tracking book the caller may read
// (see DossierBook), in the order of the agency list.
func (s *Service) BookAgencies(ctx context.Context) ([]*motcua.Agency, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, list, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out []*motcua.Agency
	for _, a := range list {
		if s.mayReadAgency(u, a.ID, byID) {
			out = append(out, a)
		}
	}
	return out, nil
}
