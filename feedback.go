package motcua

import (
	"context"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FeedbackState is where a complaint or suggestion (phản ánh, kiến nghị,
// PAKN) stands. It moves forward only: received → assigned → answered, or
// received/assigned → rejected.
type FeedbackState string

// Feedback states.
const (
	FeedbackReceived FeedbackState = "received" // waiting to be classified and assigned
	FeedbackAssigned FeedbackState = "assigned" // classified and assigned to an agency (and officer)
	FeedbackAnswered FeedbackState = "answered" // answered; published when the citizen agreed
	FeedbackRejected FeedbackState = "rejected" // not taken up (outside the scope, no content), with the reason
)

// Label is the state in Vietnamese.
func (s FeedbackState) Label() string {
	switch s {
	case FeedbackReceived:
		return "Mới tiếp nhận"
	case FeedbackAssigned:
		return "Đang xử lý"
	case FeedbackAnswered:
		return "Đã trả lời"
	case FeedbackRejected:
		return "Không tiếp nhận xử lý"
	}
	return string(s)
}

// Valid reports whether s is a known state.
func (s FeedbackState) Valid() bool {
	return s == FeedbackReceived || s == FeedbackAssigned || s == FeedbackAnswered || s == FeedbackRejected
}

// FeedbackKind is the class of indicator 5.1: about a regulation
// (quy định hành chính, NĐ 20/2008) or about the conduct of staff.
type FeedbackKind string

// Feedback kinds.
const (
	KindRegulation FeedbackKind = "regulation" // quy định hành chính, thủ tục hành chính
	KindConduct    FeedbackKind = "conduct"    // hành vi, thái độ của cán bộ, công chức
	KindOther      FeedbackKind = "other"      // other (information, systems, facilities)
)

// Valid reports whether k is a known kind.
func (k FeedbackKind) Valid() bool { return k == KindRegulation || k == KindConduct || k == KindOther }

// Label is the kind in Vietnamese.
func (k FeedbackKind) Label() string {
	switch k {
	case KindRegulation:
		return "Quy định, thủ tục hành chính"
	case KindConduct:
		return "Hành vi, thái độ của cán bộ, công chức"
	case KindOther:
		return "Nội dung khác"
	}
	return "Chưa phân loại"
}

// FeedbackChannel is how a complaint arrived.
type FeedbackChannel string

// Feedback channels: the public page, or entered by staff from a visit,
// a call, a letter.
const (
	FeedbackWeb     FeedbackChannel = "web"
	FeedbackCounter FeedbackChannel = "counter"
	FeedbackPhone   FeedbackChannel = "phone"
	FeedbackLetter  FeedbackChannel = "letter"
)

// Valid reports whether c is a known channel.
func (c FeedbackChannel) Valid() bool {
	return c == FeedbackWeb || c == FeedbackCounter || c == FeedbackPhone || c == FeedbackLetter
}

// Label is the channel in Vietnamese.
func (c FeedbackChannel) Label() string {
	switch c {
	case FeedbackWeb:
		return "Trang phản ánh, kiến nghị trực tuyến"
	case FeedbackCounter:
		return "Trực tiếp tại Bộ phận Một cửa"
	case FeedbackPhone:
		return "Điện thoại, đường dây nóng"
	case FeedbackLetter:
		return "Văn bản, thư"
	}
	return string(c)
}

// Sizes of a complaint's fields, in characters.
const (
	MaxFeedbackName    = 100
	MaxFeedbackContact = 100
	MaxFeedbackContent = 4000
	MaxFeedbackAnswer  = 8000
	MaxFeedbackTopic   = 200
)

// FeedbackDeadlines are the working days a complaint's stages may take.
// The defaults are those the national portal's QĐ 766 indicator 5.2
// checks (domain-vn.md §5, PAKN); NĐ 20/2008's own counts are NOT
// CONFIRMED (domain-vn.md §1.8), so they are configuration.
type FeedbackDeadlines struct {
	// Classify: classify and assign, or reject, counted from reception.
	Classify int `json:"classify"`
	// Answer: answer, counted from reception.
	Answer int `json:"answer"`
	// Publish: publish the answer (when the citizen agreed), counted
	// from the answer.
	Publish int `json:"publish"`
	// WarnBefore: how many working days before a due time the complaint
	// is shown as due soon.
	WarnBefore int `json:"warn_before"`
}

// DefaultFeedbackDeadlines returns 2 working days to classify or reject,
// 15 to answer, 2 to publish, and a warning 2 working days before.
func DefaultFeedbackDeadlines() FeedbackDeadlines {
	return FeedbackDeadlines{Classify: 2, Answer: 15, Publish: 2, WarnBefore: 2}
}

// Validate checks that every count is between 0 and 90 and the stages are
// in order.
func (d FeedbackDeadlines) Validate() error {
	for _, n := range []int{d.Classify, d.Answer, d.Publish, d.WarnBefore} {
		if n < 0 || n > 90 {
			return Errorf(EINVALID, "feedback_deadlines_invalid", "Thời hạn xử lý phản ánh, kiến nghị phải từ 0 đến 90 ngày làm việc.")
		}
	}
	if d.Answer < d.Classify {
		return Errorf(EINVALID, "feedback_deadlines_invalid", "Thời hạn trả lời phản ánh, kiến nghị không được ngắn hơn thời hạn phân loại.")
	}
	return nil
}

// Feedback is one complaint or suggestion. Name and Contact are personal
// data: shown only to the staff who handle it and to supervisors, never
// published.
type Feedback struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	// SecretHash is the SHA-256 of the secret given to the sender, who
	// follows the complaint with the code and the secret.
	SecretHash []byte          `json:"-"`
	Channel    FeedbackChannel `json:"channel"`
	Name       string          `json:"name"`
	Contact    string          `json:"contact"`
	Content    string          `json:"content"`
	// DossierCode is the dossier the complaint is about, as typed ("" for
	// none); DossierID is set when a dossier with that code exists.
	DossierCode string `json:"dossier_code,omitempty"`
	DossierID   int64  `json:"dossier_id,omitempty"`
	// Consent: the sender agrees that the question and its answer are
	// published, without personal data.
	Consent    bool      `json:"consent"`
	ReceivedAt time.Time `json:"received_at"`
	ReceivedBy int64     `json:"received_by,omitempty"` // staff who entered it; 0 from the public page

	State      FeedbackState `json:"state"`
	Kind       FeedbackKind  `json:"kind,omitempty"`
	Topic      string        `json:"topic,omitempty"`
	AgencyID   int64         `json:"agency_id,omitempty"`   // the agency concerned, which answers
	AssigneeID int64         `json:"assignee_id,omitempty"` // the officer who prepares the answer
	// RepeatOf is an earlier complaint of the same content (indicator 5.3
	// counts repeats against the unit).
	RepeatOf     int64     `json:"repeat_of,omitempty"`
	ClassifiedAt time.Time `json:"classified_at,omitzero"`
	ClassifiedBy int64     `json:"classified_by,omitempty"`

	Answer     string    `json:"answer,omitempty"` // or the reason of a rejection
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	AnsweredBy int64     `json:"answered_by,omitempty"`

	// PublicContent and PublicAnswer are what the public list shows,
	// checked by the officer who published them and cleared of personal
	// data.
	PublishedAt   time.Time `json:"published_at,omitzero"`
	PublishedBy   int64     `json:"published_by,omitempty"`
	PublicContent string    `json:"public_content,omitempty"`
	PublicAnswer  string    `json:"public_answer,omitempty"`

	// AnswerLevel is the sender's rating of the answer, 1–5 (0: none).
	AnswerLevel int       `json:"answer_level,omitempty"`
	RatedAt     time.Time `json:"rated_at,omitzero"`

	// Due times, computed at reception (classify, answer) and at the
	// answer (publish) with the working-time calendar.
	ClassifyDueAt time.Time `json:"classify_due_at"`
	AnswerDueAt   time.Time `json:"answer_due_at"`
	PublishDueAt  time.Time `json:"publish_due_at,omitzero"`
	// Version counts changes, for optimistic locking.
	Version int `json:"version"`
}

// Open reports whether the complaint still waits on staff.
func (f *Feedback) Open() bool { return f.State == FeedbackReceived || f.State == FeedbackAssigned }

// NextDue returns the due time of the stage the complaint waits on (zero
// when it waits on nothing).
func (f *Feedback) NextDue() time.Time {
	switch {
	case f.State == FeedbackReceived:
		return f.ClassifyDueAt
	case f.State == FeedbackAssigned:
		return f.AnswerDueAt
	case f.State == FeedbackAnswered && f.Consent && f.PublishedAt.IsZero():
		return f.PublishDueAt
	}
	return time.Time{}
}

// OnTimeAt applies indicator 5.2 at instant at: every stage done by its
// due time, and a stage still open at at not yet past its due time.
func (f *Feedback) OnTimeAt(at time.Time) bool {
	late := func(done, due time.Time) bool {
		if due.IsZero() {
			return false
		}
		if done.IsZero() {
			return at.After(due)
		}
		return done.After(due)
	}
	if late(f.ClassifiedAt, f.ClassifyDueAt) {
		return false
	}
	if f.State != FeedbackRejected && late(f.AnsweredAt, f.AnswerDueAt) {
		return false
	}
	if f.State == FeedbackAnswered && f.Consent && late(f.PublishedAt, f.PublishDueAt) {
		return false
	}
	return true
}

// StripControls removes control and invisible formatting characters from
// s, line breaks and tabs excepted: a text typed by the public is kept,
// whatever stray bytes it carries, rather than refused.
func StripControls(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			return r
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE:
			return -1
		}
		return r
	}, s)
}

var (
	personalEmail  = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}`)
	personalNumber = regexp.MustCompile(`(?:\+?\d[\d .-]{7,}\d)`)
)

// RedactPersonal removes what looks like personal data from a text to be
// published: e-mail addresses and runs of 9 or more digits (telephone and
// ID numbers) that do not continue a word (a dossier code such as
// H99.101-250310-0001 stays). It is a safety net under the officer's own
// reading, which remains the rule.
func RedactPersonal(s string) string {
	s = personalEmail.ReplaceAllString(s, "[đã ẩn]")
	var b strings.Builder
	last := 0
	for _, m := range personalNumber.FindAllStringIndex(s, -1) {
		n := 0
		for _, r := range s[m[0]:m[1]] {
			if r >= '0' && r <= '9' {
				n++
			}
		}
		before, _ := utf8.DecodeLastRuneInString(s[:m[0]])
		if n < 9 || unicode.IsLetter(before) {
			continue
		}
		b.WriteString(s[last:m[0]])
		b.WriteString("[đã ẩn]")
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String()
}

// FeedbackFilter selects complaints for the staff's list, newest first.
// The conditions combine with AND.
type FeedbackFilter struct {
	// AgencyIDs, when not nil, selects those concerning these agencies
	// or not yet assigned to any (when Unassigned is also true).
	AgencyIDs  []int64
	Unassigned bool
	AssigneeID int64
	States     []FeedbackState
	Kind       FeedbackKind
	// DueBefore selects the open ones whose next due time is before it.
	DueBefore time.Time
	BeforeID  int64
	Limit     int
}

// FeedbackStore keeps complaints and suggestions.
type FeedbackStore interface {
	// CreateFeedback sets f.ID and f.Code (PA + the id), Version 1.
	CreateFeedback(ctx context.Context, f *Feedback) error
	Feedback(ctx context.Context, id int64) (*Feedback, error)
	FeedbackByCode(ctx context.Context, code string) (*Feedback, error)
	// UpdateFeedback stores f as version f.Version+1 and sets it;
	// ECONFLICT when f.Version is not the stored one.
	UpdateFeedback(ctx context.Context, f *Feedback) error
	FindFeedback(ctx context.Context, f FeedbackFilter) ([]*Feedback, error)
	// PublishedFeedback lists the published ones, newest first, before
	// beforeID (0: from the newest).
	PublishedFeedback(ctx context.Context, beforeID int64, limit int) ([]*Feedback, error)
	// FeedbackIn lists the complaints received in [from, to).
	FeedbackIn(ctx context.Context, from, to time.Time) ([]*Feedback, error)
}
