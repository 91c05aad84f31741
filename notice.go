package motcua

import (
	"context"
	"strings"
	"time"
)

// NoticeChoice is how the applicant wants to be told of their dossier's
// progress (chosen at reception, Applicant.Notify).
type NoticeChoice string

// Notice choices.
const (
	NotifyNone  NoticeChoice = "none"
	NotifySMS   NoticeChoice = "sms"
	NotifyEmail NoticeChoice = "email"
	NotifyBoth  NoticeChoice = "both"
)

// NoticeChoices lists the choices in the order forms offer them.
var NoticeChoices = []NoticeChoice{NotifyNone, NotifySMS, NotifyEmail, NotifyBoth}

// Label is the Vietnamese name of the choice.
func (c NoticeChoice) Label() string {
	switch c {
	case NotifyNone:
		return "Không nhận thông báo"
	case NotifySMS:
		return "Tin nhắn SMS"
	case NotifyEmail:
		return "Thư điện tử"
	case NotifyBoth:
		return "Cả SMS và thư điện tử"
	}
	return string(c)
}

// SMS reports whether the choice asks for text messages.
func (c NoticeChoice) SMS() bool { return c == NotifySMS || c == NotifyBoth }

// Email reports whether the choice asks for e-mail.
func (c NoticeChoice) Email() bool { return c == NotifyEmail || c == NotifyBoth }

// CheckNotice checks an applicant's notice choice against the contacts
// they gave: a choice needs the contact it names. "" is allowed (no
// choice made: DefaultNotice applies). Errors: EINVALID on the field
// applicant.notify.
func CheckNotice(a Applicant) error {
	switch a.Notify {
	case "", NotifyNone:
		return nil
	case NotifySMS, NotifyEmail, NotifyBoth:
	default:
		return FieldError("applicant.notify", "notify_invalid", "Cách nhận thông báo không hợp lệ.")
	}
	if a.Notify.SMS() && strings.TrimSpace(a.Phone) == "" {
		return FieldError("applicant.notify", "notify_needs_phone", "Muốn nhận tin nhắn SMS cần có số điện thoại.")
	}
	if a.Notify.Email() && strings.TrimSpace(a.Email) == "" {
		return FieldError("applicant.notify", "notify_needs_email", "Muốn nhận thư điện tử cần có địa chỉ thư điện tử.")
	}
	return nil
}

// DefaultNotice is the choice for an applicant who made none (an online
// dossier forwarded by the portal): every contact the message carries.
func DefaultNotice(a Applicant) NoticeChoice {
	if a.Notify != "" {
		return a.Notify
	}
	phone, mail := strings.TrimSpace(a.Phone) != "", strings.TrimSpace(a.Email) != ""
	switch {
	case phone && mail:
		return NotifyBoth
	case phone:
		return NotifySMS
	case mail:
		return NotifyEmail
	}
	return NotifyNone
}

// NoticeEvent is a moment of a dossier's life the applicant is told of.
type NoticeEvent string

// Notice events.
const (
	NoticeReceived   NoticeEvent = "received"   // validly received: the clock starts
	NoticeSupplement NoticeEvent = "supplement" // a supplement is requested
	NoticeResult     NoticeEvent = "result"     // the result, or the written refusal (NoticeData.Refused), is ready
	NoticeExtension  NoticeEvent = "extension"  // the appointment is moved, with the apology (NĐ 118 Art.21)
	NoticeReturned   NoticeEvent = "returned"   // the result was handed over
)

// NoticeEvents lists the events in the order pages show them.
var NoticeEvents = []NoticeEvent{NoticeReceived, NoticeSupplement, NoticeResult, NoticeExtension, NoticeReturned}

// Label is the Vietnamese name of the event.
func (e NoticeEvent) Label() string {
	switch e {
	case NoticeReceived:
		return "Tiếp nhận hồ sơ"
	case NoticeSupplement:
		return "Yêu cầu bổ sung hồ sơ"
	case NoticeResult:
		return "Có kết quả"
	case NoticeExtension:
		return "Gia hạn (kèm thư xin lỗi)"
	case NoticeReturned:
		return "Đã trả kết quả"
	}
	return string(e)
}

// NoticeEventOf returns the notice event an action of the history causes,
// and false when the action is none the applicant is told of.
func NoticeEventOf(a Action) (NoticeEvent, bool) {
	switch a {
	case ActReceive:
		return NoticeReceived, true
	case ActRequestSupplement:
		return NoticeSupplement, true
	case ActIssueResult, ActRefuse:
		return NoticeResult, true
	case ActExtend:
		return NoticeExtension, true
	case ActReturn:
		return NoticeReturned, true
	}
	return "", false
}

// Notice channels, which are also the suffixes of their outbox topics.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Outbox topics of notices, one per channel, so that each has its own
// deliverer and a failure of one never holds back the other.
const (
	TopicNoticeSMS   = "notice.sms"
	TopicNoticeEmail = "notice.email"
	// TopicStaffEmail carries a warning to a staff member's address.
	TopicStaffEmail = "staff.email"
)

// NoticeMessage is the payload of a notice in the outbox. It names the
// dossier and the event of its history, not the addresses: the deliverer
// reads the contacts and renders the template when it sends, so the
// outbox (and its failed-delivery view) holds no personal data.
type NoticeMessage struct {
	DossierID int64       `json:"dossier_id"`
	Seq       int         `json:"seq"`
	Event     NoticeEvent `json:"event"`
	Channel   string      `json:"channel"`
}

// StaffEmail is the payload of a warning e-mailed to a staff member: the
// user's id (the address is read when it is sent) and the text.
type StaffEmail struct {
	UserID  int64  `json:"user_id"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// NoticeTemplate is the text of one event's notice on one channel: a
// subject (e-mail only) and a body, both Go text/template sources over
// NoticeData.
type NoticeTemplate struct {
	Event     NoticeEvent `json:"event"`
	Channel   string      `json:"channel"`
	Subject   string      `json:"subject"`
	Body      string      `json:"body"`
	UpdatedBy int64       `json:"updated_by,omitempty"`
	UpdatedAt time.Time   `json:"updated_at,omitzero"`
}

// NoticeData is what a notice template may use. Dates are already written
// for people (dd/mm/yyyy, Vietnam time).
type NoticeData struct {
	Code          string
	ProcedureName string
	ApplicantName string
	ReceivedDate  string
	DueDate       string
	// OldDueDate and Reason are set for an extension (the apology) and a
	// supplement request (Reason).
	OldDueDate string
	Reason     string
	// Refused is set when the "result" is a refusal (with its Reason).
	Refused   bool
	Agency    string
	LookupURL string
}

// NoticeTemplateStore keeps the templates an administrator changed; the
// others are the built-in ones.
type NoticeTemplateStore interface {
	// NoticeTemplates lists the saved templates.
	NoticeTemplates(ctx context.Context) ([]*NoticeTemplate, error)
	// SaveNoticeTemplate stores t, replacing the one of its event and
	// channel.
	SaveNoticeTemplate(ctx context.Context, t *NoticeTemplate) error
}

// SMS is one text message to send.
type SMS struct {
	// ID is unique per message and the same on every retry, so that the
	// gateway de-duplicates.
	ID   string
	To   string
	Text string
}

// SMSSender sends text messages through a gateway. Send returns nil only
// when the gateway accepted the message; an error for which
// PermanentFailure is true means it will never accept it.
type SMSSender interface {
	SendSMS(ctx context.Context, m SMS) error
}

// Mail is one e-mail to send, in plain text.
type Mail struct {
	// ID becomes the Message-ID's local part, the same on every retry.
	ID      string
	To      string
	Subject string
	Body    string
}

// MailSender sends e-mail. Send returns nil only when the server accepted
// the message; PermanentFailure(err) tells a refusal for good.
type MailSender interface {
	SendMail(ctx context.Context, m Mail) error
}

// MaskPhone hides a phone number for logs: only its last three digits are
// kept ("*******789").
func MaskPhone(p string) string {
	r := []rune(strings.TrimSpace(p))
	if len(r) <= 3 {
		return strings.Repeat("*", len(r))
	}
	return strings.Repeat("*", len(r)-3) + string(r[len(r)-3:])
}

// MaskEmail hides an address for logs: the first letter of the local part
// and the domain are kept ("n***@example.vn").
func MaskEmail(e string) string {
	e = strings.TrimSpace(e)
	at := strings.LastIndexByte(e, '@')
	if at <= 0 {
		return strings.Repeat("*", len([]rune(e)))
	}
	r := []rune(e[:at])
	return string(r[0]) + strings.Repeat("*", len(r)-1) + e[at:]
}

// SendError is how a sender reports a failure: Permanent when sending the
// same message again cannot succeed (an address or number refused for
// good), so that the outbox gives it up at once (PermanentFailure).
type SendError struct {
	Err       error
	Permanent bool
}

// Error implements error.
func (e *SendError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// PermanentFailure tells the outbox whether to give the message up.
func (e *SendError) PermanentFailure() bool { return e.Permanent }
