package motcua

import (
	"context"
	"fmt"
	"time"
)

// ServiceArea is a line of the queue at a reception point (quầy, lĩnh
// vực): citizens take a ticket for one, officers call the tickets of the
// areas they serve. Prefix is the letter printed before the number ("A"
// gives A001), unique at the point.
type ServiceArea struct {
	ID               int64  `json:"id"`
	ReceptionPointID int64  `json:"reception_point_id"`
	Prefix           string `json:"prefix"`
	Name             string `json:"name"`
	Active           bool   `json:"active"`
}

// TicketState is where a queue ticket stands.
type TicketState string

// Ticket states. A ticket moves waiting → called → done, or called →
// skipped (the citizen did not come); a recall keeps it called.
const (
	TicketWaiting TicketState = "waiting"
	TicketCalled  TicketState = "called"
	TicketSkipped TicketState = "skipped"
	TicketDone    TicketState = "done"
)

// Label is the Vietnamese name of the state.
func (s TicketState) Label() string {
	switch s {
	case TicketWaiting:
		return "Đang chờ"
	case TicketCalled:
		return "Đang phục vụ"
	case TicketSkipped:
		return "Vắng mặt"
	case TicketDone:
		return "Đã xong"
	}
	return string(s)
}

// Ticket is one number of the queue. Number counts from 1 per area and
// Vietnam-time day. FirstCalledAt ends the wait; CalledAt is the latest
// call (a recall moves it, so that the display shows the number again);
// DoneAt ends the service. DossierID is the dossier received for it (0
// when none was).
type Ticket struct {
	ID               int64       `json:"id"`
	AreaID           int64       `json:"area_id"`
	ReceptionPointID int64       `json:"reception_point_id"`
	Day              Day         `json:"day"`
	Number           int         `json:"number"`
	IssuedAt         time.Time   `json:"issued_at"`
	State            TicketState `json:"state"`
	FirstCalledAt    time.Time   `json:"first_called_at,omitzero"`
	CalledAt         time.Time   `json:"called_at,omitzero"`
	CalledBy         int64       `json:"called_by,omitempty"`
	Counter          string      `json:"counter,omitempty"`
	Recalls          int         `json:"recalls,omitempty"`
	DoneAt           time.Time   `json:"done_at,omitzero"`
	DossierID        int64       `json:"dossier_id,omitempty"`
}

// TicketLabel is the number as printed and called: the area's prefix and
// three digits (A007).
func TicketLabel(prefix string, number int) string {
	return fmt.Sprintf("%s%03d", prefix, number)
}

// Wait is the time from issue to the first call; ok is false while the
// ticket has not been called.
func (t *Ticket) Wait() (d time.Duration, ok bool) {
	if t.FirstCalledAt.IsZero() {
		return 0, false
	}
	return t.FirstCalledAt.Sub(t.IssuedAt), true
}

// Service is the time from the first call to the end of the service; ok
// is false until the ticket is done.
func (t *Ticket) Service() (d time.Duration, ok bool) {
	if t.State != TicketDone || t.FirstCalledAt.IsZero() || t.DoneAt.IsZero() {
		return 0, false
	}
	return t.DoneAt.Sub(t.FirstCalledAt), true
}

// QueueDevice is a kiosk or a calling display that an administrator bound
// to a reception point. Only the hash of its token is kept.
type QueueDevice struct {
	TokenHash        []byte    `json:"-"`
	ReceptionPointID int64     `json:"reception_point_id"`
	Name             string    `json:"name"`
	CreatedBy        int64     `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
	Revoked          bool      `json:"revoked"`
}

// TicketFilter selects tickets. Only set fields apply. Tickets come in
// the order of issue, or of the latest call, newest first, with
// ByLatestCall.
type TicketFilter struct {
	ReceptionPointID int64
	AreaIDs          []int64
	States           []TicketState
	// IssuedFrom and IssuedTo bound the issue time: [from, to).
	IssuedFrom, IssuedTo time.Time
	// CalledSince selects the tickets called at or after it.
	CalledSince  time.Time
	CalledBy     int64
	ByLatestCall bool
	Limit        int
}

// QueueStore keeps the service areas, the devices and the tickets.
type QueueStore interface {
	// ServiceAreas lists the areas of a reception point (0: of every
	// point), by point and prefix.
	ServiceAreas(ctx context.Context, receptionPointID int64) ([]*ServiceArea, error)
	ServiceArea(ctx context.Context, id int64) (*ServiceArea, error)
	// SaveServiceArea inserts a (setting a.ID) when a.ID is 0, else
	// updates its name, prefix and Active. ECONFLICT when the prefix is
	// taken at the point.
	SaveServiceArea(ctx context.Context, a *ServiceArea) error
	CreateQueueDevice(ctx context.Context, d *QueueDevice) error
	// QueueDevice returns the device with the token hash, revoked or not.
	QueueDevice(ctx context.Context, tokenHash []byte) (*QueueDevice, error)
	// QueueDevices lists the devices of a reception point, newest first.
	QueueDevices(ctx context.Context, receptionPointID int64) ([]*QueueDevice, error)
	// RevokeQueueDevice marks the device revoked.
	RevokeQueueDevice(ctx context.Context, tokenHash []byte) error
	// CreateTicket stores t and sets t.ID. ECONFLICT when the number is
	// taken in the area that day.
	CreateTicket(ctx context.Context, t *Ticket) error
	Ticket(ctx context.Context, id int64) (*Ticket, error)
	// UpdateTicket stores t's state, calls, end and dossier if the stored
	// ticket is still in state from; ECONFLICT otherwise (someone else
	// called or closed it first).
	UpdateTicket(ctx context.Context, t *Ticket, from TicketState) error
	Tickets(ctx context.Context, f TicketFilter) ([]*Ticket, error)
}
