package motcua

import (
	"context"
	"time"
)

// RatingChannel is where a citizen rated the service of a dossier.
type RatingChannel string

// Rating channels (NĐ 118/2025 Art.31(1): electronic rating devices at the
// counter, online rating).
const (
	RateLookup  RatingChannel = "lookup"  // the public lookup page, opened from the receipt's QR code or by hand
	RateCitizen RatingChannel = "citizen" // the citizen's own page
	RateCounter RatingChannel = "counter" // the tablet at the counter
)

// Valid reports whether c is a known channel.
func (c RatingChannel) Valid() bool { return c == RateLookup || c == RateCitizen || c == RateCounter }

// Label is the channel in Vietnamese.
func (c RatingChannel) Label() string {
	switch c {
	case RateLookup:
		return "Trang tra cứu (mã QR trên giấy tiếp nhận)"
	case RateCitizen:
		return "Trang cá nhân của công dân"
	case RateCounter:
		return "Thiết bị đánh giá tại quầy"
	}
	return string(c)
}

// Satisfaction levels, the five-step scale of the public-service rating
// forms (domain-vn.md §1.7). Levels 1 and 2 are a "dislike" for the QĐ 766
// indicators 5.3 and 5.4.
const (
	LevelVeryDissatisfied = 1
	LevelDissatisfied     = 2
	LevelNeutral          = 3
	LevelSatisfied        = 4
	LevelVerySatisfied    = 5
)

// LevelLabel names a satisfaction level in Vietnamese ("" when out of
// range).
func LevelLabel(level int) string {
	switch level {
	case LevelVeryDissatisfied:
		return "Rất không hài lòng"
	case LevelDissatisfied:
		return "Không hài lòng"
	case LevelNeutral:
		return "Bình thường"
	case LevelSatisfied:
		return "Hài lòng"
	case LevelVerySatisfied:
		return "Rất hài lòng"
	}
	return ""
}

// MaxRatingComment bounds a rating's comment, in characters.
const MaxRatingComment = 1000

// Rating is a citizen's rating of the service of one returned dossier: the
// criteria of NĐ 118/2025 Art.33(1) that a citizen can judge at the end
// (overall satisfaction, the number of contacts needed to complete the
// dossier, the staff's attitude, whether the result came on time), each on
// the five-step scale or as a count. It holds no personal data.
type Rating struct {
	ID        int64 `json:"id"`
	DossierID int64 `json:"dossier_id"`
	// AgencyID is the dossier's competent agency, the unit of the index.
	AgencyID int64 `json:"agency_id"`
	// Level is the overall satisfaction, 1–5.
	Level int `json:"level"`
	// Attitude is the staff's attitude, 1–5.
	Attitude int `json:"attitude"`
	// Trips is how many times the citizen had to come back to complete
	// the dossier: 0, 1, or 2 for two or more.
	Trips int `json:"trips"`
	// OnTime is the citizen's answer to "did you get the result on the
	// appointed day".
	OnTime  bool          `json:"on_time"`
	Comment string        `json:"comment,omitempty"`
	Channel RatingChannel `json:"channel"`
	// CounterUserID is the session of the counter's tablet (channel
	// counter), 0 otherwise.
	CounterUserID int64     `json:"counter_user_id,omitempty"`
	At            time.Time `json:"at"`
}

// Dislike reports whether the rating counts as a dislike (indicator 5.4).
func (r *Rating) Dislike() bool { return r.Level <= LevelDissatisfied }

// Validate checks the levels, the trips, the channel and tidies the
// comment (NFC is the caller's; control characters are removed). EINVALID
// with a field name.
func (r *Rating) Validate() error {
	if r.Level < 1 || r.Level > 5 {
		return FieldError("level", "level_invalid", "Vui lòng chọn mức độ hài lòng chung (từ 1 đến 5).")
	}
	if r.Attitude < 1 || r.Attitude > 5 {
		return FieldError("attitude", "attitude_invalid", "Vui lòng chọn mức độ hài lòng về thái độ phục vụ (từ 1 đến 5).")
	}
	if r.Trips < 0 || r.Trips > 2 {
		return FieldError("trips", "trips_invalid", "Số lần phải đi lại để hoàn thiện hồ sơ không hợp lệ.")
	}
	if !r.Channel.Valid() {
		return FieldError("channel", "channel_invalid", "Kênh đánh giá không hợp lệ.")
	}
	c, ok := CleanText(StripControls(r.Comment), MaxRatingComment)
	if !ok {
		return FieldError("comment", "comment_too_long", "Góp ý dài quá 1.000 ký tự.")
	}
	r.Comment = c
	return nil
}

// RatingAgg counts, for one agency, the ratings made in a period and the
// dossiers of the agency flagged for indicator 5.4 (a dislike, or a
// complaint naming the dossier).
type RatingAgg struct {
	AgencyID int64
	Ratings  int64
	Dislikes int64
	// Flagged counts the distinct dossiers with a dislike rating or a
	// complaint received in the period.
	Flagged int64
}

// RatingStore keeps ratings of dossiers.
type RatingStore interface {
	// CreateRating sets r.ID. ECONFLICT (reason already_rated) when the
	// dossier has a rating.
	CreateRating(ctx context.Context, r *Rating) error
	// DossierRating returns the dossier's rating; ENOTFOUND when none.
	DossierRating(ctx context.Context, dossierID int64) (*Rating, error)
	// LastReturnedBy returns the dossier that user returned last (the
	// counter's tablet); ENOTFOUND when none.
	LastReturnedBy(ctx context.Context, userID int64) (*Dossier, error)
	// RatingAggs counts ratings and flagged dossiers per agency in
	// [from, to).
	RatingAggs(ctx context.Context, from, to time.Time) ([]RatingAgg, error)
	// FeedbackRecorded reports whether any rating or complaint exists:
	// the index holds its feedback input only then.
	FeedbackRecorded(ctx context.Context) (bool, error)
}
