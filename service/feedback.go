package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// feedbackLimits bounds what one address may do on the public complaint
// pages: sending (a few an hour, so that a script cannot flood the
// officers' list) and following with a wrong secret (as the lookup).
type feedbackLimits struct {
	once  sync.Once
	sends *failureLimiter
}

func (s *Service) feedbackSends() *failureLimiter {
	s.fb.once.Do(func() { s.fb.sends = newFailureLimiter(5, time.Hour) })
	return s.fb.sends
}

// FeedbackInput is a complaint or suggestion as sent or entered.
type FeedbackInput struct {
	Name        string                 `json:"name"`
	Contact     string                 `json:"contact"`
	Content     string                 `json:"content"`
	DossierCode string                 `json:"dossier_code"`
	Consent     bool                   `json:"consent"`
	Channel     motcua.FeedbackChannel `json:"channel"` // staff entry only: counter, phone, letter
}

// FeedbackReceipt is what the sender keeps to follow the complaint: its
// code and the secret, shown once (only its hash is stored).
type FeedbackReceipt struct {
	Code        string    `json:"code"`
	Secret      string    `json:"secret"`
	ReceivedAt  time.Time `json:"received_at"`
	AnswerDueAt time.Time `json:"answer_due_at"`
}

// clean checks and tidies the input: NFC is the caller's (web does it);
// control characters are stripped; sizes bounded. EINVALID with a field.
func (in *FeedbackInput) clean() error {
	var ok bool
	if in.Name, ok = motcua.CleanLine(motcua.StripControls(in.Name), motcua.MaxFeedbackName); !ok || in.Name == "" {
		return motcua.FieldError("name", "name_invalid", "Vui lòng nhập họ tên (tối đa 100 ký tự).")
	}
	if in.Contact, ok = motcua.CleanLine(motcua.StripControls(in.Contact), motcua.MaxFeedbackContact); !ok || in.Contact == "" {
		return motcua.FieldError("contact", "contact_invalid", "Vui lòng nhập số điện thoại hoặc thư điện tử để nhận trả lời (tối đa 100 ký tự).")
	}
	if in.Content, ok = motcua.CleanText(motcua.StripControls(in.Content), motcua.MaxFeedbackContent); !ok || len([]rune(in.Content)) < 10 {
		return motcua.FieldError("content", "content_invalid", "Vui lòng nhập nội dung phản ánh, kiến nghị (từ 10 đến 4.000 ký tự).")
	}
	if in.DossierCode, ok = motcua.CleanLine(motcua.StripControls(in.DossierCode), 64); !ok {
		return motcua.FieldError("dossier_code", "dossier_code_invalid", "Mã hồ sơ không hợp lệ.")
	}
	in.DossierCode = strings.ToUpper(in.DossierCode)
	return nil
}

func newFeedbackSecret() string {
	b := make([]byte, 12)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func secretHash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// SubmitFeedback receives a complaint from the public page (no sign-in).
// ip is the sender's address: five a hour per address (an IPv6 /64), then
// ETOOMANY. A dossier code that names a dossier links it and sends the
// complaint to the dossier's competent agency; otherwise the province's
// service centre classifies it. Errors: EINVALID (a field), ETOOMANY.
func (s *Service) SubmitFeedback(ctx context.Context, in FeedbackInput, ip string) (*FeedbackReceipt, error) {
	if err := in.clean(); err != nil {
		return nil, err
	}
	key := "feedback " + addressKey(ip)
	if !s.feedbackSends().attempt(key, s.now()) {
		return nil, motcua.Errorf(motcua.ETOOMANY, "too_many_feedback",
			"Địa chỉ này đã gửi nhiều phản ánh, kiến nghị trong một giờ; vui lòng thử lại sau.")
	}
	in.Channel = motcua.FeedbackWeb
	rc, err := s.receiveFeedback(ctx, in, 0)
	if err != nil {
		s.feedbackSends().refund(key) // the system failed, not the sender
	}
	return rc, err
}

// EnterFeedback records a complaint a staff member took at the counter,
// by telephone or by letter. Errors: EUNAUTHORIZED, EFORBIDDEN (no
// handling role), EINVALID.
func (s *Service) EnterFeedback(ctx context.Context, in FeedbackInput) (*FeedbackReceipt, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(motcua.HandlingRoles, u.HasRole) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_handling_staff", "Chỉ cán bộ, công chức xử lý hồ sơ mới nhập được phản ánh, kiến nghị.")
	}
	if in.Channel != motcua.FeedbackCounter && in.Channel != motcua.FeedbackPhone && in.Channel != motcua.FeedbackLetter {
		return nil, motcua.FieldError("channel", "channel_invalid", "Vui lòng chọn hình thức tiếp nhận: tại quầy, điện thoại hoặc văn bản.")
	}
	if err := in.clean(); err != nil {
		return nil, err
	}
	return s.receiveFeedback(ctx, in, u.ID)
}

func (s *Service) receiveFeedback(ctx context.Context, in FeedbackInput, by int64) (*FeedbackReceipt, error) {
	now := s.now()
	cal, dl := s.Calendar(), s.cfg.FeedbackDeadlines
	secret := newFeedbackSecret()
	f := &motcua.Feedback{SecretHash: secretHash(secret), Channel: in.Channel, Name: in.Name, Contact: in.Contact, Content: in.Content,
		DossierCode: in.DossierCode, Consent: in.Consent, ReceivedAt: now, ReceivedBy: by, State: motcua.FeedbackReceived,
		ClassifyDueAt: workingDays(cal, now, dl.Classify), AnswerDueAt: workingDays(cal, now, dl.Answer)}
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		if f.DossierCode != "" {
			if d, err := tx.DossierByCode(ctx, f.DossierCode); err == nil {
				f.DossierID, f.AgencyID = d.ID, d.CompetentAgencyID
			} else if motcua.ErrorCode(err) != motcua.ENOTFOUND {
				return err
			}
		}
		return tx.CreateFeedback(ctx, f)
	})
	if err != nil {
		return nil, err
	}
	return &FeedbackReceipt{Code: f.Code, Secret: secret, ReceivedAt: f.ReceivedAt, AnswerDueAt: f.AnswerDueAt}, nil
}

// workingDays is n working days from t by the calendar.
func workingDays(cal motcua.Calendar, t time.Time, n int) time.Time {
	return cal.Due(t, motcua.TimeLimit{Value: float64(n), Unit: motcua.UnitWorkingDays})
}

// PublicFeedback is what the sender sees with the code and the secret,
// and what the public list shows once published: no personal data.
type PublicFeedback struct {
	Code        string               `json:"code"`
	State       motcua.FeedbackState `json:"state"`
	StateLabel  string               `json:"state_label"`
	Content     string               `json:"content"`
	ReceivedAt  time.Time            `json:"received_at"`
	AnswerDueAt time.Time            `json:"answer_due_at,omitzero"`
	Agency      string               `json:"agency,omitempty"`
	KindLabel   string               `json:"kind_label,omitempty"`
	Answer      string               `json:"answer,omitempty"`
	AnsweredAt  time.Time            `json:"answered_at,omitzero"`
	Published   bool                 `json:"published"`
	AnswerLevel int                  `json:"answer_level,omitempty"`
	// CanRate: answered (or rejected) and not yet rated.
	CanRate bool `json:"can_rate"`
}

func (s *Service) publicFeedback(ctx context.Context, f *motcua.Feedback, published bool) (*PublicFeedback, error) {
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	p := &PublicFeedback{Code: f.Code, State: f.State, StateLabel: f.State.Label(), Content: f.Content, ReceivedAt: f.ReceivedAt,
		Answer: f.Answer, AnsweredAt: f.AnsweredAt, Published: !f.PublishedAt.IsZero(), AnswerLevel: f.AnswerLevel,
		CanRate: (f.State == motcua.FeedbackAnswered || f.State == motcua.FeedbackRejected) && f.AnswerLevel == 0}
	if f.Open() {
		p.AnswerDueAt = f.AnswerDueAt
	}
	if f.Kind != "" {
		p.KindLabel = f.Kind.Label()
	}
	if a, ok := byID[f.AgencyID]; ok {
		p.Agency = a.Name
	}
	if published {
		p.Content, p.Answer, p.CanRate, p.AnswerLevel = f.PublicContent, f.PublicAnswer, false, 0
	}
	return p, nil
}

// followFeedback returns the complaint with code if secret is its secret.
// A wrong secret and an unknown code are the same ENOTFOUND; failures are
// limited per address as the lookup's (ETOOMANY).
func (s *Service) followFeedback(ctx context.Context, code, secret, ip string) (*motcua.Feedback, error) {
	code, secret = normCode(code), strings.TrimSpace(secret)
	notFound := motcua.Errorf(motcua.ENOTFOUND, "feedback_not_found",
		"Không tìm thấy phản ánh, kiến nghị với mã và mã bí mật đã nhập; vui lòng kiểm tra lại.")
	if code == "" || len(code) > 32 || secret == "" || len(secret) > 64 {
		return nil, notFound
	}
	key := "feedback-follow " + addressKey(ip)
	if !s.lookups.attempt(key, s.now()) {
		return nil, motcua.Errorf(motcua.ETOOMANY, "too_many_lookup_failures",
			"Tra cứu sai quá nhiều lần từ địa chỉ này; vui lòng thử lại sau 15 phút.")
	}
	var f *motcua.Feedback
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { f, err = tx.FeedbackByCode(ctx, code); return err })
	if err != nil {
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return nil, notFound
		}
		s.lookups.refund(key)
		return nil, err
	}
	if subtle.ConstantTimeCompare(f.SecretHash, secretHash(secret)) != 1 {
		return nil, notFound
	}
	s.lookups.refund(key)
	return f, nil
}

// FeedbackStatus shows a complaint to its sender (code and secret).
// Errors: ENOTFOUND, ETOOMANY.
func (s *Service) FeedbackStatus(ctx context.Context, code, secret, ip string) (*PublicFeedback, error) {
	f, err := s.followFeedback(ctx, code, secret, ip)
	if err != nil {
		return nil, err
	}
	return s.publicFeedback(ctx, f, false)
}

// RateFeedbackAnswer records the sender's rating of the answer, 1–5 (1
// and 2 count as a dislike for indicator 5.3). Errors: as FeedbackStatus,
// EINVALID level_invalid, ECONFLICT not_answered or already_rated.
func (s *Service) RateFeedbackAnswer(ctx context.Context, code, secret, ip string, level int) (*PublicFeedback, error) {
	if level < 1 || level > 5 {
		return nil, motcua.FieldError("level", "level_invalid", "Vui lòng chọn mức độ hài lòng (từ 1 đến 5).")
	}
	f, err := s.followFeedback(ctx, code, secret, ip)
	if err != nil {
		return nil, err
	}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		cur, err := tx.Feedback(ctx, f.ID)
		if err != nil {
			return err
		}
		if cur.State != motcua.FeedbackAnswered && cur.State != motcua.FeedbackRejected {
			return motcua.Errorf(motcua.ECONFLICT, "not_answered", "Phản ánh, kiến nghị chưa được trả lời; vui lòng đánh giá sau khi nhận trả lời.")
		}
		if cur.AnswerLevel != 0 {
			return motcua.Errorf(motcua.ECONFLICT, "already_rated", "Bạn đã đánh giá câu trả lời này; mỗi phản ánh chỉ được đánh giá một lần.")
		}
		cur.AnswerLevel, cur.RatedAt = level, s.now()
		f = cur
		return tx.UpdateFeedback(ctx, cur)
	})
	if err != nil {
		return nil, err
	}
	return s.publicFeedback(ctx, f, false)
}

// PublishedFeedback lists the answered complaints published with their
// senders' consent, newest first (no personal data).
func (s *Service) PublishedFeedback(ctx context.Context, beforeID int64) ([]*PublicFeedback, error) {
	var fs []*motcua.Feedback
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { fs, err = tx.PublishedFeedback(ctx, beforeID, 50); return err }); err != nil {
		return nil, err
	}
	out := make([]*PublicFeedback, 0, len(fs))
	for _, f := range fs {
		p, err := s.publicFeedback(ctx, f, true)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// feedbackRefused is the refusal of a complaint the caller may not see:
// the same as an unknown code.
func feedbackRefused(code string) error {
	return motcua.Errorf(motcua.ENOTFOUND, "feedback_not_found", "%s", fmt.Sprintf("Không tìm thấy phản ánh, kiến nghị %s.", code))
}
