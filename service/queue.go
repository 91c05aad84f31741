package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// DefaultQueueWaitTarget is the longest wait at a one-stop counter that
// Quyết định 468/QĐ-TTg (27/3/2021, Đề án đổi mới việc thực hiện cơ chế một
// cửa, một cửa liên thông) sets as target: a citizen waits at most 30
// minutes to be served. Configurable (Config.QueueWaitTarget).
const DefaultQueueWaitTarget = 30 * time.Minute

// IssuedTicket is a ticket with what the kiosk prints on it.
type IssuedTicket struct {
	Ticket *motcua.Ticket
	Area   *motcua.ServiceArea
	Point  *motcua.ReceptionPoint
	Label  string
	// Ahead is how many tickets of the area were waiting before this one
	// when it was issued.
	Ahead int
}

// newDeviceToken returns a fresh device token and its hash.
func newDeviceToken() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	h := sha256.Sum256([]byte(tok))
	return tok, h[:]
}

func deviceHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// mayAdministerPoint checks that u administers the point's agency (the
// administrator role there or above).
func (s *Service) mayAdministerPoint(ctx context.Context, u *motcua.User, pointID int64) (*motcua.ReceptionPoint, error) {
	p, err := s.receptionPoint(ctx, pointID)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if !s.holdsOver(u, motcua.RoleAdmin, p.AgencyID, byID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Chỉ quản trị viên của cơ quan mới cấu hình được hàng chờ của điểm tiếp nhận này.")
	}
	return p, nil
}

// SaveServiceArea creates (a.ID 0) or changes a service area of a
// reception point. The caller must administer the point's agency.
// Errors: EUNAUTHORIZED, EFORBIDDEN, EINVALID (prefix of one to three
// letters, a name), ECONFLICT (prefix taken), ENOTFOUND.
func (s *Service) SaveServiceArea(ctx context.Context, a *motcua.ServiceArea) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	if _, err := s.mayAdministerPoint(ctx, u, a.ReceptionPointID); err != nil {
		return err
	}
	a.Prefix = strings.ToUpper(strings.TrimSpace(a.Prefix))
	var ok bool
	a.Name, ok = motcua.CleanLine(a.Name, 120)
	fields := map[string]string{}
	if !ok || a.Name == "" {
		fields["name"] = "Tên quầy (lĩnh vực) phải có, tối đa 120 ký tự."
	}
	if n := len(a.Prefix); n < 1 || n > 3 || strings.IndexFunc(a.Prefix, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		fields["prefix"] = "Ký hiệu là một đến ba chữ cái không dấu (A, B, HT…)."
	}
	if len(fields) > 0 {
		return &motcua.Error{Code: motcua.EINVALID, Reason: "area_invalid", Message: "Thông tin quầy chưa hợp lệ.", Fields: fields}
	}
	return s.store.Write(ctx, func(tx motcua.Tx) error {
		if a.ID != 0 {
			old, err := tx.ServiceArea(ctx, a.ID)
			if err != nil {
				return err
			}
			if old.ReceptionPointID != a.ReceptionPointID {
				return motcua.Errorf(motcua.ENOTFOUND, "area_not_found", "Không tìm thấy quầy (lĩnh vực) xếp hàng.")
			}
		}
		return tx.SaveServiceArea(ctx, a)
	})
}

// ServiceAreas lists a reception point's service areas. Anyone signed in
// may read them (names of counters are public information).
func (s *Service) ServiceAreas(ctx context.Context, pointID int64) ([]*motcua.ServiceArea, error) {
	if _, err := actor(motcua.UserFromContext(ctx)); err != nil {
		return nil, err
	}
	return s.serviceAreas(ctx, pointID)
}

func (s *Service) serviceAreas(ctx context.Context, pointID int64) ([]*motcua.ServiceArea, error) {
	var out []*motcua.ServiceArea
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { out, err = tx.ServiceAreas(ctx, pointID); return err })
	return out, err
}

// BindQueueDevice makes a kiosk or calling display of a reception point
// and returns its token, shown once (the device keeps it in a cookie).
// The caller must administer the point's agency.
func (s *Service) BindQueueDevice(ctx context.Context, pointID int64, name string) (string, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return "", err
	}
	if _, err := s.mayAdministerPoint(ctx, u, pointID); err != nil {
		return "", err
	}
	name, ok := motcua.CleanLine(name, 120)
	if !ok || name == "" {
		return "", motcua.FieldError("name", "device_name_invalid", "Đặt tên cho thiết bị (ví dụ: Máy lấy số sảnh A), tối đa 120 ký tự.")
	}
	tok, h := newDeviceToken()
	d := &motcua.QueueDevice{TokenHash: h, ReceptionPointID: pointID, Name: name, CreatedBy: u.ID, CreatedAt: s.now()}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.CreateQueueDevice(ctx, d) }); err != nil {
		return "", err
	}
	return tok, nil
}

// QueueDevices lists the devices of a point, for its administrators.
func (s *Service) QueueDevices(ctx context.Context, pointID int64) ([]*motcua.QueueDevice, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if _, err := s.mayAdministerPoint(ctx, u, pointID); err != nil {
		return nil, err
	}
	var out []*motcua.QueueDevice
	err = s.store.Read(ctx, func(tx motcua.Tx) (err error) { out, err = tx.QueueDevices(ctx, pointID); return err })
	return out, err
}

// QueueDevice returns the device of a token and its reception point.
// EUNAUTHORIZED when the token is unknown or revoked: the device must be
// bound again by an administrator.
func (s *Service) QueueDevice(ctx context.Context, token string) (*motcua.QueueDevice, *motcua.ReceptionPoint, error) {
	refused := motcua.Errorf(motcua.EUNAUTHORIZED, "device_not_bound", "Thiết bị này chưa được quản trị viên gắn với điểm tiếp nhận (hoặc đã bị thu hồi).")
	if token == "" || len(token) > 100 {
		return nil, nil, refused
	}
	var d *motcua.QueueDevice
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.QueueDevice(ctx, deviceHash(token)); return err })
	if motcua.ErrorCode(err) == motcua.ENOTFOUND || (err == nil && d.Revoked) {
		return nil, nil, refused
	} else if err != nil {
		return nil, nil, err
	}
	p, err := s.receptionPoint(ctx, d.ReceptionPointID)
	if err != nil {
		return nil, nil, err
	}
	return d, p, nil
}

func queueSeqKey(areaID int64, day motcua.Day) string {
	return fmt.Sprintf("queue:%d|%s", areaID, day.Start().In(motcua.VietnamTime).Format("2006-01-02"))
}

// IssueTicket gives the next number of an area from a kiosk bound to the
// area's reception point (by its device token). Numbers run from 1 per
// area and Vietnam-time day, none skipped. Errors: EUNAUTHORIZED (device
// not bound), ENOTFOUND (no such open area at the device's point).
func (s *Service) IssueTicket(ctx context.Context, deviceToken string, areaID int64) (*IssuedTicket, error) {
	_, point, err := s.QueueDevice(ctx, deviceToken)
	if err != nil {
		return nil, err
	}
	now := s.now()
	day := motcua.DayOf(now)
	var out IssuedTicket
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		a, err := tx.ServiceArea(ctx, areaID)
		if err != nil {
			return err
		}
		if a.ReceptionPointID != point.ID || !a.Active {
			return motcua.Errorf(motcua.ENOTFOUND, "area_not_found", "Quầy này không nhận số tại điểm tiếp nhận.")
		}
		n, err := tx.NextCodeSeq(ctx, queueSeqKey(a.ID, day))
		if err != nil {
			return err
		}
		waiting, err := tx.Tickets(ctx, motcua.TicketFilter{AreaIDs: []int64{a.ID}, States: []motcua.TicketState{motcua.TicketWaiting},
			IssuedFrom: day.Start()})
		if err != nil {
			return err
		}
		t := &motcua.Ticket{AreaID: a.ID, ReceptionPointID: point.ID, Day: day, Number: n, IssuedAt: now, State: motcua.TicketWaiting}
		if err := tx.CreateTicket(ctx, t); err != nil {
			return err
		}
		out = IssuedTicket{Ticket: t, Area: a, Point: point, Label: motcua.TicketLabel(a.Prefix, n), Ahead: len(waiting)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// KioskTicket returns a ticket the device's point issued, for printing
// again. ENOTFOUND for a ticket of another point.
func (s *Service) KioskTicket(ctx context.Context, deviceToken string, id int64) (*IssuedTicket, error) {
	_, point, err := s.QueueDevice(ctx, deviceToken)
	if err != nil {
		return nil, err
	}
	var out IssuedTicket
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		t, err := tx.Ticket(ctx, id)
		if err != nil {
			return err
		}
		if t.ReceptionPointID != point.ID {
			return motcua.Errorf(motcua.ENOTFOUND, "ticket_not_found", "Không tìm thấy số thứ tự.")
		}
		a, err := tx.ServiceArea(ctx, t.AreaID)
		if err != nil {
			return err
		}
		waiting, err := tx.Tickets(ctx, motcua.TicketFilter{AreaIDs: []int64{a.ID}, States: []motcua.TicketState{motcua.TicketWaiting},
			IssuedFrom: t.Day.Start(), IssuedTo: t.IssuedAt})
		if err != nil {
			return err
		}
		out = IssuedTicket{Ticket: t, Area: a, Point: point, Label: motcua.TicketLabel(a.Prefix, t.Number), Ahead: len(waiting)}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CalledTicket is a ticket as the waiting room and the counter show it.
type CalledTicket struct {
	Ticket *motcua.Ticket
	Label  string
	Area   string
}

// AreaQueue is how many wait in an area now.
type AreaQueue struct {
	Area    *motcua.ServiceArea
	Waiting int
	// Next is the label of the next ticket to be called ("" when none).
	Next string
	// OldestWait is how long the first waiting ticket has waited.
	OldestWait time.Duration
}

// QueueBoard is the calling display of a reception point: the latest
// calls, newest first, and the waiting lines.
type QueueBoard struct {
	Point  *motcua.ReceptionPoint
	Called []CalledTicket
	Areas  []AreaQueue
	At     time.Time
}

// QueueBoard returns what the waiting room's display shows for the device's
// point: ticket numbers and counters only (no personal data).
func (s *Service) QueueBoard(ctx context.Context, deviceToken string) (*QueueBoard, error) {
	_, point, err := s.QueueDevice(ctx, deviceToken)
	if err != nil {
		return nil, err
	}
	return s.queueBoard(ctx, point, 8)
}

func (s *Service) queueBoard(ctx context.Context, point *motcua.ReceptionPoint, last int) (*QueueBoard, error) {
	now := s.now()
	day := motcua.DayOf(now)
	b := &QueueBoard{Point: point, At: now}
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		areas, err := tx.ServiceAreas(ctx, point.ID)
		if err != nil {
			return err
		}
		byID := map[int64]*motcua.ServiceArea{}
		var ids []int64
		for _, a := range areas {
			byID[a.ID] = a
			ids = append(ids, a.ID)
		}
		called, err := tx.Tickets(ctx, motcua.TicketFilter{ReceptionPointID: point.ID, CalledSince: day.Start(), ByLatestCall: true, Limit: last,
			States: []motcua.TicketState{motcua.TicketCalled, motcua.TicketDone, motcua.TicketSkipped}})
		if err != nil {
			return err
		}
		for _, t := range called {
			if a := byID[t.AreaID]; a != nil {
				b.Called = append(b.Called, CalledTicket{Ticket: t, Label: motcua.TicketLabel(a.Prefix, t.Number), Area: a.Name})
			}
		}
		waiting, err := tx.Tickets(ctx, motcua.TicketFilter{AreaIDs: ids, States: []motcua.TicketState{motcua.TicketWaiting}, IssuedFrom: day.Start()})
		if err != nil {
			return err
		}
		for _, a := range areas {
			if !a.Active {
				continue
			}
			q := AreaQueue{Area: a}
			for _, t := range waiting {
				if t.AreaID == a.ID {
					if q.Waiting == 0 {
						q.Next, q.OldestWait = motcua.TicketLabel(a.Prefix, t.Number), now.Sub(t.IssuedAt)
					}
					q.Waiting++
				}
			}
			b.Areas = append(b.Areas, q)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return b, nil
}

// mayServePoint checks that u is a one-stop officer of the point's agency.
func (s *Service) mayServePoint(ctx context.Context, u *motcua.User, pointID int64) (*motcua.ReceptionPoint, error) {
	p, err := s.receptionPoint(ctx, pointID)
	if err != nil {
		return nil, err
	}
	if !u.Has(motcua.RoleReception, p.AgencyID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_reception_officer", "Chỉ công chức Bộ phận Một cửa của điểm tiếp nhận này mới gọi số được.")
	}
	return p, nil
}

// CounterQueue is the officer's view of the queue at a point: the waiting
// lines, the ticket the officer is serving, and today's figures.
type CounterQueue struct {
	Board *QueueBoard
	// Serving is the officer's ticket being served (nil when none).
	Serving *CalledTicket
	Today   *QueueStats
}

// CounterQueue returns the queue of a reception point for one of its
// one-stop officers. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) CounterQueue(ctx context.Context, pointID int64) (*CounterQueue, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	p, err := s.mayServePoint(ctx, u, pointID)
	if err != nil {
		return nil, err
	}
	b, err := s.queueBoard(ctx, p, 10)
	if err != nil {
		return nil, err
	}
	out := &CounterQueue{Board: b}
	if out.Serving, err = s.serving(ctx, u, p); err != nil {
		return nil, err
	}
	day := motcua.DayOf(b.At)
	if out.Today, err = s.queueStats(ctx, p, day, day); err != nil {
		return nil, err
	}
	return out, nil
}

// serving returns the ticket u called today at p that is not closed yet.
func (s *Service) serving(ctx context.Context, u *motcua.User, p *motcua.ReceptionPoint) (*CalledTicket, error) {
	day := motcua.DayOf(s.now())
	var out *CalledTicket
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		ts, err := tx.Tickets(ctx, motcua.TicketFilter{ReceptionPointID: p.ID, CalledBy: u.ID, CalledSince: day.Start(),
			States: []motcua.TicketState{motcua.TicketCalled}, ByLatestCall: true, Limit: 1})
		if err != nil || len(ts) == 0 {
			return err
		}
		a, err := tx.ServiceArea(ctx, ts[0].AreaID)
		if err != nil {
			return err
		}
		out = &CalledTicket{Ticket: ts[0], Label: motcua.TicketLabel(a.Prefix, ts[0].Number), Area: a.Name}
		return nil
	})
	return out, err
}

// cleanCounter checks the counter's label ("3", "Quầy 3").
func cleanCounter(c string) (string, error) {
	c, ok := motcua.CleanLine(c, 30)
	if !ok || c == "" {
		return "", motcua.FieldError("counter", "counter_invalid", "Nhập số quầy của anh/chị (ví dụ: 3), tối đa 30 ký tự.")
	}
	return c, nil
}

// CallNext closes the ticket the officer was serving (done) and calls the
// oldest waiting ticket of today among areaIDs (areas of the point) to
// counter. Two officers calling at once never get the same ticket. ENOTFOUND
// (reason queue_empty) when nobody waits. Errors also: EUNAUTHORIZED,
// EFORBIDDEN (not a one-stop officer of the point), EINVALID.
func (s *Service) CallNext(ctx context.Context, pointID int64, areaIDs []int64, counter string) (*CalledTicket, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	p, err := s.mayServePoint(ctx, u, pointID)
	if err != nil {
		return nil, err
	}
	if counter, err = cleanCounter(counter); err != nil {
		return nil, err
	}
	if len(areaIDs) == 0 {
		return nil, motcua.FieldError("areas", "no_area", "Chọn ít nhất một quầy (lĩnh vực) để gọi số.")
	}
	areas, err := s.serviceAreas(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*motcua.ServiceArea{}
	for _, a := range areas {
		byID[a.ID] = a
	}
	for _, id := range areaIDs {
		if byID[id] == nil {
			return nil, motcua.FieldError("areas", "area_not_found", "Quầy (lĩnh vực) đã chọn không thuộc điểm tiếp nhận này.")
		}
	}
	now := s.now()
	day := motcua.DayOf(now)
	var out *CalledTicket
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		out = nil
		cur, err := tx.Tickets(ctx, motcua.TicketFilter{ReceptionPointID: p.ID, CalledBy: u.ID, States: []motcua.TicketState{motcua.TicketCalled}})
		if err != nil {
			return err
		}
		for _, t := range cur {
			t.State, t.DoneAt = motcua.TicketDone, now
			if motcua.DayOf(t.CalledAt) != day {
				// Left open on an earlier day: when its service ended is
				// unknown, and it is left out of the service times.
				t.DoneAt = time.Time{}
			}
			if err := tx.UpdateTicket(ctx, t, motcua.TicketCalled); err != nil {
				return err
			}
		}
		// A few candidates: should another officer take the first one in
		// the same instant (PostgreSQL), the next is tried.
		next, err := tx.Tickets(ctx, motcua.TicketFilter{AreaIDs: areaIDs, States: []motcua.TicketState{motcua.TicketWaiting},
			IssuedFrom: day.Start(), Limit: 5})
		if err != nil {
			return err
		}
		for _, t := range next {
			t.State, t.FirstCalledAt, t.CalledAt, t.CalledBy, t.Counter = motcua.TicketCalled, now, now, u.ID, counter
			err := tx.UpdateTicket(ctx, t, motcua.TicketWaiting)
			if motcua.ErrorCode(err) == motcua.ECONFLICT {
				continue
			} else if err != nil {
				return err
			}
			a := byID[t.AreaID]
			out = &CalledTicket{Ticket: t, Label: motcua.TicketLabel(a.Prefix, t.Number), Area: a.Name}
			return nil
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out == nil {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "queue_empty", "Không còn ai chờ ở các quầy đã chọn.")
	}
	return out, nil
}

// Ticket actions of the officer serving it.
const (
	TicketRecall = "recall" // call again (the display shows it again)
	TicketSkip   = "skip"   // the citizen did not come: no-show
	TicketFinish = "finish" // served, with no dossier received
)

// TicketAction recalls, skips or finishes the ticket the officer called.
// Errors: EUNAUTHORIZED, EFORBIDDEN (another officer's ticket), ENOTFOUND,
// ECONFLICT (no longer being served), EINVALID (unknown action).
func (s *Service) TicketAction(ctx context.Context, ticketID int64, action string) (*motcua.Ticket, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *motcua.Ticket
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		t, err := tx.Ticket(ctx, ticketID)
		if err != nil {
			return err
		}
		if _, err := s.mayServePoint(ctx, u, t.ReceptionPointID); err != nil {
			return err
		}
		if t.CalledBy != u.ID {
			return motcua.Errorf(motcua.EFORBIDDEN, "not_your_ticket", "Số thứ tự này do công chức khác gọi.")
		}
		// The action is checked after the caller, so that a stranger
		// learns nothing of the ticket from the answer.
		if !slices.Contains([]string{TicketRecall, TicketSkip, TicketFinish}, action) {
			return motcua.Errorf(motcua.EINVALID, "ticket_action_invalid", "Thao tác với số thứ tự không hợp lệ.")
		}
		if t.State != motcua.TicketCalled {
			return motcua.Errorf(motcua.ECONFLICT, "ticket_closed", "Số thứ tự này đã kết thúc.")
		}
		switch action {
		case TicketRecall:
			t.CalledAt, t.Recalls = now, t.Recalls+1
		case TicketSkip:
			t.State, t.DoneAt = motcua.TicketSkipped, now
		case TicketFinish:
			t.State, t.DoneAt = motcua.TicketDone, now
		}
		out = t
		return tx.UpdateTicket(ctx, t, motcua.TicketCalled)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// linkTicket is the reception's hook: the ticket the officer was serving
// (ticketID, from the counter's form) ends with the dossier just received
// for it, in the reception's transaction. A ticket that is not the
// officer's called ticket of the same point refuses the reception
// (EINVALID on field ticket_id), so that no dossier claims a stranger's
// number; 0 links nothing.
func (s *Service) linkTicket(ctx context.Context, tx motcua.Tx, u *motcua.User, ticketID int64, d *motcua.Dossier, now time.Time) error {
	if ticketID == 0 {
		return nil
	}
	bad := motcua.FieldError("ticket_id", "ticket_not_served", "Số thứ tự gắn với hồ sơ không phải số anh/chị đang phục vụ tại điểm tiếp nhận này.")
	t, err := tx.Ticket(ctx, ticketID)
	if motcua.ErrorCode(err) == motcua.ENOTFOUND {
		return bad
	} else if err != nil {
		return err
	}
	if t.CalledBy != u.ID || t.ReceptionPointID != d.ReceptionPointID {
		return bad
	}
	if t.State == motcua.TicketDone && t.DossierID != 0 && motcua.DayOf(t.DoneAt) == motcua.DayOf(now) {
		return nil // one citizen, several dossiers: the ticket keeps its first
	}
	if t.State != motcua.TicketCalled {
		return bad
	}
	t.State, t.DoneAt, t.DossierID = motcua.TicketDone, now, d.ID
	return tx.UpdateTicket(ctx, t, motcua.TicketCalled)
}

// ServingTicket returns the ticket the signed-in officer is serving now at
// one of the reception points where they receive (nil when none), for the
// reception form to carry.
func (s *Service) ServingTicket(ctx context.Context, points []*motcua.ReceptionPoint) (*CalledTicket, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	for _, p := range points {
		if !u.Has(motcua.RoleReception, p.AgencyID) {
			continue
		}
		if t, err := s.serving(ctx, u, p); t != nil || err != nil {
			return t, err
		}
	}
	return nil, nil
}

// QueuePoints lists the reception points whose queue the caller may
// administer (admin) or read (the rule of QueueReport), by ID.
func (s *Service) QueuePoints(ctx context.Context, admin bool) ([]*motcua.ReceptionPoint, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out []*motcua.ReceptionPoint
	s.agencies.mu.Lock()
	for _, p := range s.agencies.points {
		ok := s.holdsOver(u, motcua.RoleAdmin, p.AgencyID, byID)
		if !admin {
			ok = s.mayReadAgency(u, p.AgencyID, byID) || s.holdsOver(u, motcua.RoleLeader, p.AgencyID, byID)
		}
		if ok {
			out = append(out, p)
		}
	}
	s.agencies.mu.Unlock()
	slices.SortFunc(out, func(a, b *motcua.ReceptionPoint) int { return int(a.ID - b.ID) })
	return out, nil
}
