package motcua

import (
	"context"
	"errors"
	"slices"
	"time"
)

// OutboxMessage is one outbound delivery (a notice to another system: the
// national portal, a messaging gateway, a webhook). It is written in the
// same transaction as the change that causes it, so a change is never
// committed without its notice nor a notice sent for a change that rolled
// back; a worker then delivers it with retries and back-off.
type OutboxMessage struct {
	ID    int64  `json:"id"`
	Topic string `json:"topic"`
	// Key orders delivery: messages with the same non-empty key are
	// delivered one at a time, in the order they were enqueued, and one
	// that is given up holds back those after it until it is replayed
	// (a dossier's changes must reach the portal in order). Empty: no
	// order.
	Key           string    `json:"key,omitempty"`
	Payload       []byte    `json:"payload"` // JSON
	CreatedAt     time.Time `json:"created_at"`
	Attempts      int       `json:"attempts"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	DeliveredAt   time.Time `json:"delivered_at,omitzero"`
	// FailedAt is set when delivery was given up after MaxOutboxAttempts;
	// such messages are listed for an administrator.
	FailedAt  time.Time `json:"failed_at,omitzero"`
	LastError string    `json:"last_error,omitempty"`
}

// Outbox topics.
const (
	TopicDeadlineWarning = "dossier.deadline_warning"
	// TopicAdminNotice tells the province's administrators of a fault
	// that needs them (deliveries to the national portal failing).
	TopicAdminNotice = "admin.notice"
)

// MaxOutboxAttempts is how many times a message is tried before it is
// given up and listed as failed.
const MaxOutboxAttempts = 12

// OutboxBackoff is the wait before attempt n+1 after n failed attempts:
// 10 s doubling each time, at most an hour.
func OutboxBackoff(attempts int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < attempts && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// OutboxStore keeps the outbox.
type OutboxStore interface {
	// Enqueue stores m (to be delivered from m.NextAttemptAt on) and sets
	// m.ID.
	Enqueue(ctx context.Context, m *OutboxMessage) error
	// ClaimOutbox leases up to limit messages of the topics (nil: any
	// topic; an entry "!t" leaves topic t out instead) that are due at now, neither delivered nor failed nor leased
	// to someone else, until the lease ends at until, counts the attempt,
	// and returns them oldest first. Two claims, from any instances, never
	// return the same message while its lease runs.
	ClaimOutbox(ctx context.Context, now, until time.Time, limit int, topics []string) ([]*OutboxMessage, error)
	// OutboxDelivered records the delivery of message id.
	OutboxDelivered(ctx context.Context, id int64, at time.Time) error
	// OutboxRetry records a failed attempt: the message is tried again at
	// next, or, with giveUp, marked failed at now.
	OutboxRetry(ctx context.Context, id int64, errText string, now, next time.Time, giveUp bool) error
	// FailedOutbox lists the messages given up, newest first.
	FailedOutbox(ctx context.Context, limit int) ([]*OutboxMessage, error)
	// OutboxBacklog counts the messages neither delivered nor failed.
	OutboxBacklog(ctx context.Context) (int, error)
	// OutboxTopicState describes the messages of one topic that are not
	// delivered yet, at now.
	OutboxTopicState(ctx context.Context, topic string, now time.Time) (OutboxState, error)
	// PendingOutbox lists the undelivered messages of a topic, failed ones
	// included, oldest first.
	PendingOutbox(ctx context.Context, topic string, limit int) ([]*OutboxMessage, error)
	// ReplayOutbox makes undelivered message id (given up, or waiting
	// for its next attempt) due again at now with its attempts counted
	// from zero; ENOTFOUND when it is delivered or unknown.
	ReplayOutbox(ctx context.Context, id int64, now time.Time) error
}

// OutboxState is the backlog of one topic: how many messages wait, how
// many were given up, how many failed at least once, and the oldest
// undelivered message's creation (zero when none): now minus it is the
// delivery lag. OldestFailing is the creation of the oldest message still
// retried after a failure (zero when none): a backlog that has not failed
// (a history imported, a queue draining) is not an outage, and a message
// given up waits for a person, not for the destination.
type OutboxState struct {
	Pending       int       `json:"pending"`
	Failed        int       `json:"failed"`
	Retrying      int       `json:"retrying"`
	Oldest        time.Time `json:"oldest,omitzero"`
	OldestFailing time.Time `json:"oldest_failing,omitzero"`
}

// Deliverer sends one outbox message to its destination. It returns nil
// only when the destination has accepted the message. A message may be
// delivered more than once (after a crash between delivery and its
// record); destinations de-duplicate on the message ID.
type Deliverer interface {
	Deliver(ctx context.Context, m *OutboxMessage) error
}

// DeliveryRecorder is a Deliverer whose deliveries also change what motcua
// keeps (the portal's sync state of a dossier): Recorded writes that change
// in the transaction that records the delivery, so the two never disagree.
type DeliveryRecorder interface {
	Deliverer
	Recorded(ctx context.Context, tx Tx, m *OutboxMessage, at time.Time) error
}

// PermanentFailure reports whether err says that sending the same message
// again cannot succeed (a destination that refuses the message as invalid):
// an error in err's chain with a method PermanentFailure() bool answering
// true. The outbox gives such a message up at once and lists it for a
// person, instead of retrying it for hours.
func PermanentFailure(err error) bool {
	var p interface{ PermanentFailure() bool }
	return errors.As(err, &p) && p.PermanentFailure()
}

// DeliverByTopic routes each message to the deliverer of its topic, or to
// Default for the others; a topic with neither is an error, so the message
// is retried and, in the end, listed as failed.
type DeliverByTopic struct {
	Topics  map[string]Deliverer
	Default Deliverer
	// Except are topics the Default never takes: a runner of their own
	// delivers them (the OCR job), so this one does not even claim them.
	Except []string
}

// Claims lists the topics r delivers, or nil when it has a Default (it
// delivers every topic), or "!t" for each topic t of Except when it has
// a Default and exceptions.
func (r DeliverByTopic) Claims() []string {
	if r.Default != nil {
		if len(r.Except) == 0 {
			return nil
		}
		out := make([]string, 0, len(r.Except))
		for _, t := range r.Except {
			out = append(out, "!"+t)
		}
		slices.Sort(out)
		return out
	}
	out := make([]string, 0, len(r.Topics))
	for t := range r.Topics {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Recorded implements DeliveryRecorder for the topics whose deliverer is
// one.
func (r DeliverByTopic) Recorded(ctx context.Context, tx Tx, m *OutboxMessage, at time.Time) error {
	d, ok := r.Topics[m.Topic]
	if !ok {
		d = r.Default
	}
	if rec, ok := d.(DeliveryRecorder); ok {
		return rec.Recorded(ctx, tx, m, at)
	}
	return nil
}

// Deliver implements Deliverer.
func (r DeliverByTopic) Deliver(ctx context.Context, m *OutboxMessage) error {
	if d, ok := r.Topics[m.Topic]; ok {
		return d.Deliver(ctx, m)
	}
	if r.Default != nil && !slices.Contains(r.Except, m.Topic) {
		return r.Default.Deliver(ctx, m)
	}
	return Errorf(EINTERNAL, "no_deliverer", "Không có nơi nhận cho thông điệp loại %s.", m.Topic)
}

// Deadline warning kinds.
const (
	WarnDueSoon = "due_soon" // due within one working day
	WarnOverdue = "overdue"  // past due and not finished
)

// DeadlineWarning records that the holder of a dossier was warned about its
// appointment (Status.DueAt). There is at most one per dossier, kind and
// due time, however many instances run the scheduler: an extension (a new
// due time) is warned about afresh.
type DeadlineWarning struct {
	DossierID      int64     `json:"dossier_id"`
	Code           string    `json:"code"`
	Kind           string    `json:"kind"`
	DueAt          time.Time `json:"due_at"`
	HolderAgencyID int64     `json:"holder_agency_id"`
	At             time.Time `json:"at"`
}

// WarningStore keeps deadline warnings.
type WarningStore interface {
	// DossiersToWarn returns dossiers whose processing clock runs, whose
	// appointment lies in (after, upTo], and that have no warning of kind
	// for that appointment yet; up to limit, earliest due first.
	DossiersToWarn(ctx context.Context, kind string, after, upTo time.Time, limit int) ([]*Dossier, error)
	// RecordDeadlineWarning stores w; ECONFLICT when the dossier was
	// already warned of kind for w.DueAt.
	RecordDeadlineWarning(ctx context.Context, w *DeadlineWarning) error
	// DeadlineWarnings lists the warnings recorded at or after since,
	// oldest first.
	DeadlineWarnings(ctx context.Context, since time.Time) ([]*DeadlineWarning, error)
}
