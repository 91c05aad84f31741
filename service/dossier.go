package service

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// ActInput is a command on an existing dossier as a client gives it.
type ActInput struct {
	Action       motcua.Action `json:"action"`
	Reason       string        `json:"reason,omitempty"`
	AssigneeID   int64         `json:"assignee_id,omitempty"`
	NewDueAt     time.Time     `json:"new_due_at,omitzero"`
	ResultNumber string        `json:"result_number,omitempty"`
	// ResultFileRef names the electronic result file (issue_result).
	ResultFileRef string  `json:"result_file_ref,omitempty"`
	Missing       []int64 `json:"missing,omitempty"`
	// Supplied are the components that arrived with a supplement
	// (supplement_received); empty means those the request asked for.
	Supplied []int64 `json:"supplied,omitempty"`
}

// Act performs an action on the dossier with the given code, through the
// transition table and the rules of the decree, and returns the dossier
// after it without the applicant's personal data (Applicant.
// WithoutPersonalData): acting needs none of it, and reading it goes
// through Dossier, which logs the view. Errors: ENOTFOUND (no such
// dossier, or not visible to the caller), EFORBIDDEN, ECONFLICT (state or
// rule), EINVALID (input).
func (s *Service) Act(ctx context.Context, code string, in ActInput) (*motcua.Dossier, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	// The reason goes on notices and the control sheet: bounded and
	// printable, as the applicant's data is (motcua.CleanText).
	var ok bool
	if in.Reason, ok = motcua.CleanText(in.Reason, 4000); !ok {
		if utf8.RuneCountInString(in.Reason) > 4000 {
			return nil, motcua.FieldError("reason", "reason_too_long", "Nội dung quá dài (tối đa 4000 ký tự).")
		}
		return nil, motcua.FieldError("reason", "reason_unprintable", "Nội dung có ký tự điều khiển hoặc ký tự ẩn không được phép; vui lòng nhập lại.")
	}
	if in.ResultNumber, ok = motcua.CleanLine(in.ResultNumber, 100); !ok {
		return nil, motcua.FieldError("result_number", "result_number_invalid", "Số văn bản kết quả không hợp lệ (tối đa 100 ký tự, không có ký tự ẩn).")
	}
	d, err := s.act(ctx, u, code, in)
	if motcua.ErrorReason(err) == "dossier_not_found" {
		s.auditRefused(ctx, u, s.refusedDossier(ctx, code), "action "+string(in.Action)+" on dossier "+code, "")
	}
	if d != nil {
		d.Applicant, d.Verifier, d.LookupSecret = d.Applicant.WithoutPersonalData(), "", ""
	}
	return d, err
}

func (s *Service) act(ctx context.Context, u *motcua.User, code string, in ActInput) (*motcua.Dossier, error) {
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	var out *motcua.Dossier
	err = s.store.Write(ctx, func(tx motcua.Tx) (err error) {
		out, err = s.actTx(ctx, tx, u, code, in, byID, now)
		return err
	})
	s.changed(ctx, motcua.CacheKey{Kind: motcua.CachePublic, Key: code})
	if err == nil {
		s.nudgeOutbox()
	}
	return out, err
}

// actTx takes action in on the dossier with code as u at now, within tx
// (see act). An issue_result names its electronic result file (resultFile).
func (s *Service) actTx(ctx context.Context, tx motcua.Tx, u *motcua.User, code string, in ActInput, byID map[int64]*motcua.Agency, now time.Time) (*motcua.Dossier, error) {
	var out *motcua.Dossier
	err := func() error {
		// The payments with the dossier (on PostgreSQL one round trip):
		// the fee lines of the answer say what the payment records say,
		// and an action changes none of them.
		r, err := tx.DossierRecord(ctx, code, motcua.RecordPayments)
		if err != nil {
			return err
		}
		d := r.Dossier
		if u != motcua.SystemUser && !s.involved(u, d, nil, byID) && !portalOwns(u, d) {
			// Not revealing whether the code exists to people with no
			// business with it.
			return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
		}
		p, err := s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
		if err != nil {
			return err
		}
		signed := false
		if in.Action == motcua.ActIssueResult {
			if in, signed, err = s.resultFile(ctx, tx, d, in); err != nil {
				return err
			}
		}
		cmd := motcua.Command{Action: in.Action, Reason: in.Reason, NewDueAt: in.NewDueAt,
			ResultNumber: in.ResultNumber, ResultFileRef: in.ResultFileRef, ResultSigned: signed, Missing: in.Missing, Supplied: in.Supplied}
		if in.AssigneeID != 0 {
			if cmd.Assignee, err = tx.User(ctx, in.AssigneeID); err != nil {
				if motcua.ErrorCode(err) == motcua.ENOTFOUND {
					return motcua.FieldError("assignee_id", "assignee_not_found", "Người được chọn không tồn tại.")
				}
				return err
			}
		}
		ev, err := s.decider().Decide(d, p, u, now, cmd)
		if err != nil {
			return err
		}
		if d.MarkSupplied(ev.Supplied) {
			if err := tx.SetDossierComponents(ctx, d.ID, d.Components); err != nil {
				return err
			}
		}
		prev := d.Status
		st, err := d.Status.Apply(ev)
		if err != nil {
			return err
		}
		d.Status = st
		d.Status.Report = motcua.ReportFactsOf(d, p, s.Calendar())
		d.Status.Report.LastEventAt = ev.At
		if err := tx.AppendEvent(ctx, &ev, &d.Status); err != nil {
			return err
		}
		if err := tx.AddStats(ctx, motcua.StatDeltasOf(d, &prev, ev.At)); err != nil {
			return err
		}
		if err := s.queuePortalSync(ctx, tx, d.ID, ev.Seq, "", now); err != nil {
			return err
		}
		if err := s.queueNotices(ctx, tx, d, &ev, now); err != nil {
			return err
		}
		if st.ResultNumber != "" && (st.ResultNumber != prev.ResultNumber || st.ResultFileRef != prev.ResultFileRef) {
			if err := s.keepResult(ctx, tx, d, p, byID, now); err != nil {
				return err
			}
		}
		d.FillComponents(p)
		motcua.MarkFeesPaid(d.Fees, r.Payments)
		out = d
		return nil
	}()
	return out, err
}

// DossierView is a dossier as staff see it: the dossier with personal data,
// its history, its procedure version, the agencies named in it, and the
// actions the viewer may take now.
type DossierView struct {
	Dossier   *motcua.Dossier
	Events    []motcua.Event
	Procedure *motcua.Procedure
	Agencies  map[int64]*motcua.Agency
	Allowed   []motcua.Action
	// Refused are the actions the viewer's role could take in this state
	// but a rule of the decree forbids now, each with the reason (a
	// second supplement request, a second extension, …): the page says
	// why instead of leaving the action out silently.
	Refused []RefusedAction
	Result  motcua.Timeliness
	// Files are the dossier's digitized files, oldest first, and
	// Uploaders the names of the people who uploaded them (by user id).
	Files     []*motcua.DossierFile
	Uploaders map[int64]string
	// Attach lists the component ids (0 for the result) the viewer may
	// attach a file to now (AttachFile); empty when they may not.
	Attach []int64
	// PortalSync is what the national portal holds of the dossier; nil
	// when it was never queued (the portal is not connected).
	PortalSync *motcua.PortalSyncState
	// Payments are the dossier's fees and payments; the dossier's fee
	// lines carry paid flags derived from them.
	Payments *PaymentView
	// CanSignResult: the viewer may make, sign and issue the result now
	// (SignResult): the dossier is approved, the viewer may issue it, and
	// signing is configured with a certificate for them.
	CanSignResult bool
	// Warnings are the deadline warnings and escalations recorded for
	// the dossier, oldest first (part of its history).
	Warnings []*motcua.DossierWarning
	// Alert is the most urgent warning level a running clock of the
	// dossier has reached now ("" when none), and AlertClock that clock.
	Alert      string
	AlertClock motcua.Clock
}

// Dossier returns the dossier with its timeline to a person involved with
// it (a role that works on dossiers at an agency the dossier has been at,
// or a supervisor over one; see access). Every such view shows personal
// data and is written to the audit log before anything is returned, a
// supervisor's marked as such.
func (s *Service) Dossier(ctx context.Context, code, ip string) (*DossierView, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	v := &DossierView{Agencies: map[int64]*motcua.Agency{}, Uploaders: map[int64]string{}}
	var how access
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		// Everything the page shows is read at once (one round trip on
		// PostgreSQL), before the access check: nothing of it leaves
		// this function when the check refuses.
		r, err := tx.DossierRecord(ctx, code, motcua.RecordAll)
		if err != nil {
			return err
		}
		d := r.Dossier
		v.Events = r.Events
		if how = s.access(u, d, v.Events, byID); how == noAccess {
			return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
		}
		v.Dossier = d
		if v.Procedure, err = s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion); err != nil {
			return err
		}
		d.FillComponents(v.Procedure)
		v.Files, v.PortalSync, v.Warnings = r.Files, r.PortalSync, r.Warnings
		v.Payments = s.staffPaymentView(ctx, tx, u, d, r.Payments)
		return s.uploaders(ctx, tx, v)
	})
	if motcua.ErrorReason(err) == "dossier_not_found" {
		s.auditRefused(ctx, u, s.refusedDossier(ctx, code), "dossier "+code, ip)
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	detail := "dossier " + code
	if how == supervising {
		detail += " (supervision)"
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditViewPersonalData,
			DossierID: v.Dossier.ID, Detail: detail, IP: ip})
	}); err != nil {
		return nil, fmt.Errorf("audit personal data view: %w", err)
	}
	for _, id := range agencyIDsOf(v.Dossier, v.Events) {
		if a, ok := byID[id]; ok {
			v.Agencies[id] = a
		}
	}
	v.Allowed, v.Refused = s.allowed(v.Dossier, v.Procedure, u, now)
	v.Attach = s.attachable(v.Dossier, v.Allowed)
	v.CanSignResult = s.cfg.Signer != nil && s.cfg.RenderResult != nil && s.cfg.Blobs != nil &&
		v.Dossier.Status.State == motcua.StateApproved &&
		(slices.Contains(v.Allowed, motcua.ActIssueResult) || u.Has(motcua.RoleLeader, v.Dossier.CompetentAgencyID) && !resultSigned(v)) &&
		s.cfg.Signer.CanSign(motcua.Signatory{Username: u.Username})
	v.Result = v.Dossier.Status.Result(now, motcua.VietnamTime)
	v.Alert, v.AlertClock = motcua.WorstClock(&v.Dossier.Status, now, s.Calendar(), s.warnTimes())
	return v, nil
}

// resultSigned reports whether the viewed dossier has its result signed.
func resultSigned(v *DossierView) bool {
	return slices.ContainsFunc(v.Files, func(f *motcua.DossierFile) bool { return f.DocCode == motcua.ResultCode(v.Dossier.Code) })
}

// allowed lists the actions u may take on d now, by asking the decider.
// RefusedAction is an action a rule forbids now, with the Vietnamese
// reason.
type RefusedAction struct {
	Action  motcua.Action
	Message string
}

// notAtThisPoint are the refusals of an action that does not belong to
// this state, step or channel at all: they are checked before the role,
// so they say nothing about what this viewer could do, and are not shown.
var notAtThisPoint = map[string]bool{"action_not_allowed_in_state": true, "action_not_for_channel": true, "action_not_allowed_at_step": true}

// allowed returns the actions u may take on d now, and those u's role
// could take in this state that a rule forbids (ECONFLICT), with why.
func (s *Service) allowed(d *motcua.Dossier, p *motcua.Procedure, u *motcua.User, now time.Time) ([]motcua.Action, []RefusedAction) {
	dc := s.decider()
	var out []motcua.Action
	var refused []RefusedAction
	seen := func(a motcua.Action) bool {
		return slices.Contains(out, a) || slices.ContainsFunc(refused, func(r RefusedAction) bool { return r.Action == a })
	}
	for _, t := range motcua.Transitions {
		if slices.Contains(out, t.Action) || !slices.Contains(t.From, d.Status.State) {
			continue
		}
		_, err := dc.Decide(d, p, u, now, motcua.Command{Action: t.Action, Reason: "?", NewDueAt: d.Status.DueAt.Add(24 * time.Hour), Assignee: u})
		// Input errors mean the action is possible with proper input.
		if err == nil || motcua.ErrorCode(err) == motcua.EINVALID {
			// A later row may allow what an earlier one refused.
			refused = slices.DeleteFunc(refused, func(r RefusedAction) bool { return r.Action == t.Action })
			out = append(out, t.Action)
		} else if motcua.ErrorCode(err) == motcua.ECONFLICT && !notAtThisPoint[motcua.ErrorReason(err)] && !seen(t.Action) {
			refused = append(refused, RefusedAction{Action: t.Action, Message: motcua.ErrorMessage(err)})
		}
	}
	return out, refused
}

func agencyIDsOf(d *motcua.Dossier, events []motcua.Event) []int64 {
	ids := []int64{d.ReceptionAgencyID, d.CompetentAgencyID, d.Status.AgencyID}
	for _, e := range events {
		ids = append(ids, e.FromAgencyID, e.ToAgencyID, e.ActorAgencyID)
	}
	return ids
}

// InboxQuery selects the dossiers in the caller's inbox.
type InboxQuery struct {
	// Mine limits the inbox to dossiers whose work is assigned to the
	// caller in person.
	Mine bool
	// States selects states; none means every state (finished dossiers
	// wait on nobody, so they are never listed).
	States      []motcua.State
	ProcedureID int64
	AgencyID    int64 // one of the caller's agencies; 0 means all of them
	Channel     motcua.Channel
	Cursor      string
	Limit       int
}

// InboxItem is one dossier of an inbox with its urgency at the time asked.
type InboxItem struct {
	Dossier    *motcua.Dossier // brief (motcua.DossierFilter.Brief): no components, fees or content
	DueAt      time.Time
	Timeliness motcua.Timeliness
	// DueToday and DueSoon flag deadlines that fall today or within one
	// working day.
	DueToday bool
	DueSoon  bool
	// Alert is the most urgent warning level any running clock of the
	// dossier has reached (motcua.WorstClock), and AlertClock that clock:
	// the inbox's warning badge.
	Alert      string
	AlertClock motcua.Clock
}

// InboxPage is a page of an inbox, with the cursor of the next page ("" at
// the end).
type InboxPage struct {
	Items []InboxItem
	Next  string
}

// Inbox lists the dossiers waiting on the caller, most urgent first, a page
// at a time (keyset pagination, stable under concurrent changes): those at
// a state or step one of the caller's roles acts on at its agency, as the
// transition table says (motcua.DutiesOf), and those whose work was
// assigned to the caller. A user with several roles sees the union.
// Errors: EFORBIDDEN (AgencyID not the caller's), EINVALID (state, channel,
// cursor).
func (s *Service) Inbox(ctx context.Context, q InboxQuery) (*InboxPage, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if q.AgencyID != 0 && !slices.Contains(u.AgencyIDs(), q.AgencyID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_permitted", "Bạn không làm việc tại cơ quan này.")
	}
	// Never nil: a nil list would mean "any dossier" to the store.
	duties := []motcua.Duty{}
	for _, w := range u.Duties() {
		if (q.AgencyID == 0 || w.AgencyID == q.AgencyID) && (!q.Mine || w.UserID != 0) {
			duties = append(duties, w)
		}
	}
	// Brief: the inbox shows each dossier's code, procedure, applicant's
	// name, state and deadlines, never its components or fees.
	f := motcua.DossierFilter{Duties: duties, States: q.States, ProcedureID: q.ProcedureID, Channel: q.Channel, Brief: true}
	for _, st := range q.States {
		if !st.Valid() {
			return nil, motcua.FieldError("state", "state_unknown", "Trạng thái hồ sơ không hợp lệ: "+string(st)+".")
		}
	}
	if q.Channel != 0 && !q.Channel.Valid() {
		return nil, motcua.FieldError("channel", "channel_unknown", "Kênh nộp không hợp lệ.")
	}
	if q.Cursor != "" {
		c, err := decodeCursor(q.Cursor)
		if err != nil {
			return nil, err
		}
		f.After = c
	}
	f.Limit = q.Limit
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	var ds []*motcua.Dossier
	// One statement (and procedure names, which never change): no
	// snapshot to share, so no BEGIN and ROLLBACK on PostgreSQL.
	if err := s.store.Read(motcua.NewContextNoSnapshot(ctx), func(tx motcua.Tx) (err error) {
		ds, err = tx.FindDossiers(ctx, f)
		return err
	}); err != nil {
		return nil, err
	}
	// The inbox shows applicants' names: logged once a day per dossier.
	if err := s.auditNames(ctx, u, ds, "inbox"); err != nil {
		return nil, fmt.Errorf("audit inbox names: %w", err)
	}
	now := s.now()
	cal := s.Calendar()
	tomorrow := cal.AddWorking(cal.NextWorkingMoment(now), cal.WorkingDayLength())
	page := &InboxPage{}
	for _, d := range ds {
		due := d.Status.NextDueAt()
		it := InboxItem{Dossier: d, Timeliness: d.Status.Result(now, motcua.VietnamTime)}
		it.Alert, it.AlertClock = motcua.WorstClock(&d.Status, now, cal, s.warnTimes())
		if !due.Equal(motcua.FarFuture) {
			it.DueAt = due
			it.DueToday = motcua.FormatDate(due) == motcua.FormatDate(now)
			it.DueSoon = !due.After(tomorrow)
			if now.After(due) {
				it.Timeliness = motcua.Overdue
			}
		}
		page.Items = append(page.Items, it)
	}
	if len(ds) == f.Limit {
		last := ds[len(ds)-1]
		page.Next = encodeCursor(motcua.DossierCursor{NextDueAt: last.Status.NextDueAt(), ID: last.ID})
	}
	return page, nil
}

func encodeCursor(c motcua.DossierCursor) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.NextDueAt.UnixMilli(), 10) + "." + strconv.FormatInt(c.ID, 10)))
}

func decodeCursor(s string) (*motcua.DossierCursor, error) {
	bad := motcua.FieldError("cursor", "cursor_malformed", "Tham số phân trang không hợp lệ.")
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, bad
	}
	a, c, ok := strings.Cut(string(b), ".")
	msv, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(c, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return nil, bad
	}
	return &motcua.DossierCursor{NextDueAt: time.UnixMilli(msv).UTC(), ID: id}, nil
}

// CloseExpiredSupplements closes dossiers whose supplement did not come
// within the allowed time (a scheduled job, run as the system). Each
// closure is one transaction; a dossier closed meanwhile by someone else is
// skipped. It returns the codes it closed.
func (s *Service) CloseExpiredSupplements(ctx context.Context) ([]string, error) {
	var due []*motcua.Dossier
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		due, err = tx.DossiersAwaitingClosure(ctx, s.now(), 500)
		return err
	}); err != nil {
		return nil, err
	}
	var closed []string
	for _, d := range due {
		_, err := s.act(ctx, motcua.SystemUser, d.Code, ActInput{Action: motcua.ActClose})
		switch motcua.ErrorCode(err) {
		case "":
			closed = append(closed, d.Code)
		case motcua.ECONFLICT:
			// Supplemented or closed meanwhile.
		default:
			return closed, err
		}
	}
	return closed, nil
}

// verifierMatches compares in constant time.
func verifierMatches(stored, given string) bool {
	given = strings.TrimSpace(given)
	return stored != "" && subtle.ConstantTimeCompare([]byte(stored), []byte(given)) == 1
}
