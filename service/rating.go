package service

import (
	"context"
	"slices"
	"strings"

	"github.com/motcua/motcua"
)

// RatingInput is what a citizen answers when rating a returned dossier
// (motcua.Rating).
type RatingInput struct {
	Level    int    `json:"level"`
	Attitude int    `json:"attitude"`
	Trips    int    `json:"trips"`
	OnTime   bool   `json:"on_time"`
	Comment  string `json:"comment"`
}

// RateByLookup records the rating of a returned dossier given by whoever
// holds its code and the lookup's verifier or the receipt's QR secret — the
// public lookup's checks and limits apply, never the code alone. Errors:
// ENOTFOUND, ETOOMANY (as the lookup), EINVALID (a field),
// ECONFLICT not_returned (before return) or already_rated.
func (s *Service) RateByLookup(ctx context.Context, code, verifier, ip string, in RatingInput) (*motcua.Rating, error) {
	if _, err := s.Lookup(ctx, code, verifier, ip); err != nil {
		return nil, err
	}
	return s.rate(ctx, normCode(code), in, motcua.RateLookup, 0, nil)
}

// RateAsApplicant records the rating of a returned dossier from the
// citizen's own page: idNumber is the citizen's identity as the page's
// sign-in established it (never a typed value), and must be the dossier's
// applicant's. A dossier of someone else is ENOTFOUND, as an unknown code.
// Other errors as RateByLookup.
func (s *Service) RateAsApplicant(ctx context.Context, code, idNumber string, in RatingInput) (*motcua.Rating, error) {
	idNumber = strings.TrimSpace(idNumber)
	return s.rate(ctx, normCode(code), in, motcua.RateCitizen, 0, func(d *motcua.Dossier) bool {
		return idNumber != "" && d.Applicant.IDNumber == idNumber
	})
}

// CounterRating is what the counter's tablet shows: the dossier the
// signed-in officer returned last, without personal data, and its rating
// when given.
type CounterRating struct {
	Code          string         `json:"code"`
	ProcedureName string         `json:"procedure_name"`
	ReturnedAt    string         `json:"returned_at"` // dd/mm/yyyy hh:mm, Vietnam time
	Rating        *motcua.Rating `json:"rating,omitempty"`
}

// CounterRatingTarget returns the dossier the signed-in officer returned
// last (the tablet at the counter rates only that one). Errors:
// EUNAUTHORIZED, EFORBIDDEN (not a reception officer), ENOTFOUND
// no_returned_dossier.
func (s *Service) CounterRatingTarget(ctx context.Context) (*CounterRating, error) {
	u, err := counterOfficer(ctx)
	if err != nil {
		return nil, err
	}
	var out *CounterRating
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		d, err := tx.LastReturnedBy(ctx, u.ID)
		if err != nil {
			return err
		}
		out = &CounterRating{Code: d.Code, ProcedureName: d.ProcedureName,
			ReturnedAt: d.Status.ReturnedAt.In(motcua.VietnamTime).Format("02/01/2006 15:04")}
		r, err := tx.DossierRating(ctx, d.ID)
		switch {
		case err == nil:
			out.Rating = r
		case motcua.ErrorCode(err) != motcua.ENOTFOUND:
			return err
		}
		return nil
	})
	return out, err
}

// RateAtCounter records the rating given on the counter's tablet for the
// dossier code, which must be the one the signed-in officer returned last.
// Errors: as CounterRatingTarget, ECONFLICT not_last_returned (another
// dossier was returned since the page was opened), and as RateByLookup.
func (s *Service) RateAtCounter(ctx context.Context, code string, in RatingInput) (*motcua.Rating, error) {
	u, err := counterOfficer(ctx)
	if err != nil {
		return nil, err
	}
	code = normCode(code)
	return s.rate(ctx, code, in, motcua.RateCounter, u.ID, nil)
}

// LookupRating returns the rating of a dossier to whoever holds its code
// and verifier (the lookup's checks); ENOTFOUND rating_not_found when not
// rated.
func (s *Service) LookupRating(ctx context.Context, code, verifier, ip string) (*motcua.Rating, error) {
	if _, err := s.Lookup(ctx, code, verifier, ip); err != nil {
		return nil, err
	}
	var r *motcua.Rating
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		d, err := tx.DossierByCode(ctx, normCode(code))
		if err != nil {
			return err
		}
		r, err = tx.DossierRating(ctx, d.ID)
		return err
	})
	return r, err
}

func normCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// counterOfficer returns the signed-in reception officer.
func counterOfficer(ctx context.Context) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if !u.HasRole(motcua.RoleReception) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_counter",
			"Thiết bị đánh giá chỉ dùng được với phiên đăng nhập của công chức Bộ phận Một cửa.")
	}
	return u, nil
}

// rate writes the rating of dossier code in one transaction: the dossier
// must be returned and not rated (the store's uniqueness refuses a second
// rating that races the first); owns, when given, must accept the
// dossier; a counter rating (counterUser ≠ 0) must be of that officer's
// last returned dossier.
func (s *Service) rate(ctx context.Context, code string, in RatingInput, ch motcua.RatingChannel, counterUser int64,
	owns func(*motcua.Dossier) bool) (*motcua.Rating, error) {
	r := &motcua.Rating{Level: in.Level, Attitude: in.Attitude, Trips: in.Trips, OnTime: in.OnTime, Comment: in.Comment,
		Channel: ch, CounterUserID: counterUser}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		d, err := tx.DossierByCode(ctx, code)
		if err != nil {
			return err
		}
		if owns != nil && !owns(d) {
			return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ %s trong các hồ sơ của bạn.", code)
		}
		if counterUser != 0 {
			last, err := tx.LastReturnedBy(ctx, counterUser)
			if err != nil {
				return err
			}
			if last.ID != d.ID {
				return motcua.Errorf(motcua.ECONFLICT, "not_last_returned",
					"Quầy vừa trả kết quả một hồ sơ khác; vui lòng tải lại trang để đánh giá hồ sơ mới nhất.")
			}
		}
		if d.Status.State != motcua.StateReturned {
			return motcua.Errorf(motcua.ECONFLICT, "not_returned",
				"Hồ sơ %s chưa trả kết quả; chỉ đánh giá được sau khi đã nhận kết quả.", code)
		}
		if _, err := tx.DossierRating(ctx, d.ID); err == nil {
			return motcua.Errorf(motcua.ECONFLICT, "already_rated", "Hồ sơ %s đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần.", code)
		} else if motcua.ErrorCode(err) != motcua.ENOTFOUND {
			return err
		}
		r.DossierID, r.AgencyID, r.At = d.ID, d.CompetentAgencyID, s.now()
		return tx.CreateRating(ctx, r)
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ratingLevels are the five levels with their labels, best first, for
// forms.
var ratingLevels = []int{motcua.LevelVerySatisfied, motcua.LevelSatisfied, motcua.LevelNeutral, motcua.LevelDissatisfied,
	motcua.LevelVeryDissatisfied}

// RatingLevels returns the five satisfaction levels, best first.
func RatingLevels() []int { return slices.Clone(ratingLevels) }
