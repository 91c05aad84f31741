package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// Who handles complaints:
//   - coordinators: a handling role at a service centre (TTPVHCC), which
//     receives complaints for the province: they see every complaint,
//     classify and assign it to an agency, reject it, publish answers;
//   - an agency's leader or head: classifies, assigns to an officer of the
//     agency, rejects, answers and publishes the complaints of the agency;
//   - the assigned officer: answers;
//   - handling staff of the agency see its complaints; supervisors see those
//     of the agencies they supervise (a supervisor at the province: all).
// Every detail shown with the sender's name and contact is written to the
// access log.

func (s *Service) coordinator(u *motcua.User, byID map[int64]*motcua.Agency) bool {
	for _, g := range u.Grants {
		if a, ok := byID[g.AgencyID]; ok && a.Kind == motcua.KindServiceCentre && slices.Contains(motcua.HandlingRoles, g.Role) {
			return true
		}
	}
	return false
}

func agencyLead(u *motcua.User, agencyID int64) bool {
	return agencyID != 0 && (u.Has(motcua.RoleLeader, agencyID) || u.Has(motcua.RoleHead, agencyID))
}

// provinceSupervisor: RoleSupervisor at a province-level agency.
func provinceSupervisor(u *motcua.User, byID map[int64]*motcua.Agency) bool {
	for _, id := range u.AgenciesWith(motcua.RoleSupervisor) {
		if a, ok := byID[id]; ok && a.Level == motcua.LevelProvince {
			return true
		}
	}
	return false
}

func (s *Service) maySeeFeedback(u *motcua.User, f *motcua.Feedback, byID map[int64]*motcua.Agency) bool {
	if s.coordinator(u, byID) || provinceSupervisor(u, byID) {
		return true
	}
	if f.AgencyID == 0 {
		return false
	}
	return s.mayReadAgency(u, f.AgencyID, byID)
}

// FeedbackView is a complaint as staff see it, with what the viewer may
// do and its warning.
type FeedbackView struct {
	*motcua.Feedback
	Agency   string `json:"agency,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	// Warning is "overdue", "due_soon" or "".
	Warning    string    `json:"warning,omitempty"`
	NextDueAt  time.Time `json:"next_due_at,omitzero"`
	CanAssign  bool      `json:"can_assign"`
	CanAnswer  bool      `json:"can_answer"`
	CanPublish bool      `json:"can_publish"`
	// coordinator: the viewer works at a service centre.
	coordinator bool
}

// warning says whether due is past (overdue) or within the configured
// working days (due_soon) at now.
func (s *Service) feedbackWarning(due, now time.Time) string {
	if due.IsZero() {
		return ""
	}
	if now.After(due) {
		return "overdue"
	}
	cal := s.Calendar()
	if cal.WorkingBetween(now, due) <= time.Duration(s.cfg.FeedbackDeadlines.WarnBefore)*cal.WorkingDayLength() {
		return "due_soon"
	}
	return ""
}

func (s *Service) feedbackView(u *motcua.User, f *motcua.Feedback, byID map[int64]*motcua.Agency, names map[int64]string) *FeedbackView {
	v := &FeedbackView{Feedback: f, NextDueAt: f.NextDue(), Assignee: names[f.AssigneeID]}
	if a, ok := byID[f.AgencyID]; ok {
		v.Agency = a.Name
	}
	v.Warning = s.feedbackWarning(v.NextDueAt, s.now())
	coord := s.coordinator(u, byID)
	lead := agencyLead(u, f.AgencyID)
	v.coordinator = coord
	v.CanAssign = f.Open() && (coord || lead)
	v.CanAnswer = f.State == motcua.FeedbackAssigned && (lead || (f.AssigneeID != 0 && f.AssigneeID == u.ID))
	v.CanPublish = f.State == motcua.FeedbackAnswered && f.Consent && f.PublishedAt.IsZero() && (coord || lead)
	return v
}

// FeedbackQuery filters the staff's list.
type FeedbackQuery struct {
	State  motcua.FeedbackState `json:"state"`
	Kind   motcua.FeedbackKind  `json:"kind"`
	Mine   bool                 `json:"mine"`   // assigned to me
	Due    bool                 `json:"due"`    // overdue or due soon
	Before int64                `json:"before"` // keyset: ids below
}

// FeedbackList is a page of the staff's list, with the counts of the
// warnings in it.
type FeedbackList struct {
	Items   []*FeedbackView `json:"items"`
	Overdue int             `json:"overdue"`
	DueSoon int             `json:"due_soon"`
}

// ListFeedback lists the complaints the signed-in user may see, newest
// first, without the senders' personal data (the detail shows them).
// Errors: EUNAUTHORIZED, EFORBIDDEN (no complaints to see), EINVALID.
func (s *Service) ListFeedback(ctx context.Context, q FeedbackQuery) (*FeedbackList, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	f := motcua.FeedbackFilter{Kind: q.Kind, BeforeID: q.Before, Limit: 100}
	if q.State != "" {
		if !q.State.Valid() {
			return nil, motcua.FieldError("state", "state_invalid", "Trạng thái không hợp lệ.")
		}
		f.States = []motcua.FeedbackState{q.State}
	}
	if q.Kind != "" && !q.Kind.Valid() {
		return nil, motcua.FieldError("kind", "kind_invalid", "Loại phản ánh, kiến nghị không hợp lệ.")
	}
	if q.Mine {
		f.AssigneeID = u.ID
	}
	if !s.coordinator(u, byID) && !provinceSupervisor(u, byID) {
		f.AgencyIDs = []int64{}
		for _, a := range byID {
			if s.mayReadAgency(u, a.ID, byID) {
				f.AgencyIDs = append(f.AgencyIDs, a.ID)
			}
		}
		if len(f.AgencyIDs) == 0 {
			return nil, motcua.Errorf(motcua.EFORBIDDEN, "no_feedback_access", "Tài khoản không được giao xử lý phản ánh, kiến nghị.")
		}
	}
	if q.Due {
		f.States = []motcua.FeedbackState{motcua.FeedbackReceived, motcua.FeedbackAssigned, motcua.FeedbackAnswered}
		cal := s.Calendar()
		f.DueBefore = cal.AddWorking(s.now(), time.Duration(s.cfg.FeedbackDeadlines.WarnBefore)*cal.WorkingDayLength()).Add(time.Millisecond)
	}
	var fs []*motcua.Feedback
	names := map[int64]string{}
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		if fs, err = tx.FindFeedback(ctx, f); err != nil {
			return err
		}
		return s.userNames(ctx, tx, fs, names)
	})
	if err != nil {
		return nil, err
	}
	out := &FeedbackList{Items: []*FeedbackView{}}
	for _, x := range fs {
		v := s.feedbackView(u, x, byID, names)
		switch v.Warning {
		case "overdue":
			out.Overdue++
		case "due_soon":
			out.DueSoon++
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}

func (s *Service) userNames(ctx context.Context, tx motcua.Tx, fs []*motcua.Feedback, names map[int64]string) error {
	for _, f := range fs {
		for _, id := range []int64{f.AssigneeID, f.ReceivedBy, f.AnsweredBy} {
			if id == 0 || names[id] != "" {
				continue
			}
			u, err := tx.User(ctx, id)
			if err != nil {
				if motcua.ErrorCode(err) == motcua.ENOTFOUND {
					continue
				}
				return err
			}
			names[id] = u.FullName
		}
	}
	return nil
}

// FeedbackDetail shows one complaint with the sender's name and contact to
// those who handle or supervise it, and writes the view to the access log.
// ip is the viewer's address. Errors: EUNAUTHORIZED, ENOTFOUND (also when
// the viewer may not see it).
func (s *Service) FeedbackDetail(ctx context.Context, code, ip string) (*FeedbackView, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	code = normCode(code)
	var f *motcua.Feedback
	names := map[int64]string{}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		if f, err = tx.FeedbackByCode(ctx, code); err != nil {
			return err
		}
		if !s.maySeeFeedback(u, f, byID) {
			return feedbackRefused(code)
		}
		if err := s.userNames(ctx, tx, []*motcua.Feedback{f}, names); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditViewPersonalData, DossierID: f.DossierID,
			Detail: "feedback " + f.Code, IP: ip})
	})
	if err != nil {
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			s.auditRefused(ctx, u, 0, "feedback "+code, ip)
		}
		return nil, err
	}
	return s.feedbackView(u, f, byID, names), nil
}

// AssignInput classifies a complaint and assigns it: to an agency (a
// coordinator's choice; a lead keeps his own or sends it to another) and,
// within it, to an officer (0: the agency's leads answer). Reject with a
// reason instead when Reject is set.
type AssignInput struct {
	Kind       motcua.FeedbackKind `json:"kind"`
	Topic      string              `json:"topic"`
	AgencyID   int64               `json:"agency_id"`
	AssigneeID int64               `json:"assignee_id"`
	RepeatOf   string              `json:"repeat_of"` // code of an earlier complaint of the same content
	Reject     bool                `json:"reject"`
	Reason     string              `json:"reason"`
}

// changeFeedback runs change on the complaint code in one transaction
// after checking the caller may see it, and returns the new view.
func (s *Service) changeFeedback(ctx context.Context, code string, change func(tx motcua.Tx, u *motcua.User, f *motcua.Feedback, v *FeedbackView) error) (*FeedbackView, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	code = normCode(code)
	var f *motcua.Feedback
	names := map[int64]string{}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		if f, err = tx.FeedbackByCode(ctx, code); err != nil {
			return err
		}
		if !s.maySeeFeedback(u, f, byID) {
			return feedbackRefused(code)
		}
		if err := change(tx, u, f, s.feedbackView(u, f, byID, nil)); err != nil {
			return err
		}
		if err := tx.UpdateFeedback(ctx, f); err != nil {
			return err
		}
		return s.userNames(ctx, tx, []*motcua.Feedback{f}, names)
	})
	if err != nil {
		return nil, err
	}
	return s.feedbackView(u, f, byID, names), nil
}

// AssignFeedback classifies and assigns a complaint, or rejects it.
// Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN (not a coordinator nor a
// lead of its agency), ECONFLICT (already answered), EINVALID.
func (s *Service) AssignFeedback(ctx context.Context, code string, in AssignInput) (*FeedbackView, error) {
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	return s.changeFeedback(ctx, code, func(tx motcua.Tx, u *motcua.User, f *motcua.Feedback, v *FeedbackView) error {
		if !agencyLead(u, f.AgencyID) && !v.coordinator {
			return motcua.Errorf(motcua.EFORBIDDEN, "may_not_assign", "Chỉ lãnh đạo cơ quan được giao hoặc Trung tâm Phục vụ hành chính công mới phân loại, phân công được.")
		}
		if !f.Open() {
			return motcua.Errorf(motcua.ECONFLICT, "feedback_closed", "Phản ánh, kiến nghị đã được trả lời hoặc đã từ chối.")
		}
		now := s.now()
		if in.Reject {
			reason, ok := motcua.CleanText(motcua.StripControls(in.Reason), motcua.MaxFeedbackAnswer)
			if !ok || len([]rune(reason)) < 5 {
				return motcua.FieldError("reason", "reason_required", "Vui lòng nêu lý do không tiếp nhận xử lý.")
			}
			f.State, f.Answer, f.AnsweredAt, f.AnsweredBy = motcua.FeedbackRejected, reason, now, u.ID
			if f.ClassifiedAt.IsZero() {
				f.ClassifiedAt, f.ClassifiedBy = now, u.ID
			}
			return nil
		}
		if !in.Kind.Valid() {
			return motcua.FieldError("kind", "kind_invalid", "Vui lòng chọn loại phản ánh, kiến nghị.")
		}
		topic, ok := motcua.CleanLine(motcua.StripControls(in.Topic), motcua.MaxFeedbackTopic)
		if !ok {
			return motcua.FieldError("topic", "topic_invalid", "Lĩnh vực, chủ đề dài quá 200 ký tự.")
		}
		agency := in.AgencyID
		if agency == 0 {
			agency = f.AgencyID
		}
		if _, ok := byID[agency]; !ok {
			return motcua.FieldError("agency_id", "agency_required", "Vui lòng chọn cơ quan giải quyết phản ánh, kiến nghị.")
		}
		if in.AssigneeID != 0 {
			a, err := tx.User(ctx, in.AssigneeID)
			if err != nil || a.Disabled || !slices.ContainsFunc(motcua.HandlingRoles, func(r motcua.Role) bool { return a.Has(r, agency) }) {
				return motcua.FieldError("assignee_id", "assignee_invalid", "Người được giao phải là cán bộ, công chức của cơ quan giải quyết.")
			}
		}
		f.RepeatOf = 0
		if rc := normCode(in.RepeatOf); rc != "" {
			earlier, err := tx.FeedbackByCode(ctx, rc)
			if err != nil || earlier.ID >= f.ID {
				return motcua.FieldError("repeat_of", "repeat_of_invalid", "Mã phản ánh trước đó không đúng.")
			}
			f.RepeatOf = earlier.ID
		}
		f.Kind, f.Topic, f.AgencyID, f.AssigneeID, f.State = in.Kind, topic, agency, in.AssigneeID, motcua.FeedbackAssigned
		if f.ClassifiedAt.IsZero() {
			f.ClassifiedAt, f.ClassifiedBy = now, u.ID
		}
		return nil
	})
}

// AnswerFeedback records the answer (by the assigned officer or a lead of
// the agency); the publication's due time starts when the sender agreed to
// publication. Errors: as AssignFeedback.
func (s *Service) AnswerFeedback(ctx context.Context, code, answer string) (*FeedbackView, error) {
	return s.changeFeedback(ctx, code, func(tx motcua.Tx, u *motcua.User, f *motcua.Feedback, v *FeedbackView) error {
		if !agencyLead(u, f.AgencyID) && (f.AssigneeID == 0 || f.AssigneeID != u.ID) {
			return motcua.Errorf(motcua.EFORBIDDEN, "may_not_answer", "Chỉ người được phân công hoặc lãnh đạo cơ quan mới trả lời được.")
		}
		if f.State != motcua.FeedbackAssigned {
			return motcua.Errorf(motcua.ECONFLICT, "feedback_not_assigned", "Phản ánh, kiến nghị phải được phân loại, phân công và chưa trả lời thì mới trả lời được.")
		}
		a, ok := motcua.CleanText(motcua.StripControls(answer), motcua.MaxFeedbackAnswer)
		if !ok || len([]rune(a)) < 10 {
			return motcua.FieldError("answer", "answer_invalid", "Vui lòng nhập nội dung trả lời (từ 10 đến 8.000 ký tự).")
		}
		now := s.now()
		f.State, f.Answer, f.AnsweredAt, f.AnsweredBy = motcua.FeedbackAnswered, a, now, u.ID
		if f.Consent {
			f.PublishDueAt = workingDays(s.Calendar(), now, s.cfg.FeedbackDeadlines.Publish)
		}
		return nil
	})
}

// PublishInput is the text to publish: the question and the answer as
// the officer cleared them of personal data ("" takes the original).
type PublishInput struct {
	Content string `json:"content"`
	Answer  string `json:"answer"`
}

// PublishFeedback publishes an answered complaint whose sender agreed, on
// the public list, without the sender's name and contact; what looks like
// a telephone, ID number or e-mail address is masked as well. Errors: as
// AssignFeedback; ECONFLICT no_consent.
func (s *Service) PublishFeedback(ctx context.Context, code string, in PublishInput) (*FeedbackView, error) {
	return s.changeFeedback(ctx, code, func(tx motcua.Tx, u *motcua.User, f *motcua.Feedback, v *FeedbackView) error {
		if !agencyLead(u, f.AgencyID) && !v.coordinator {
			return motcua.Errorf(motcua.EFORBIDDEN, "may_not_publish", "Chỉ lãnh đạo cơ quan hoặc Trung tâm Phục vụ hành chính công mới công khai được.")
		}
		if f.State != motcua.FeedbackAnswered || !f.PublishedAt.IsZero() {
			return motcua.Errorf(motcua.ECONFLICT, "feedback_not_publishable", "Chỉ công khai được phản ánh, kiến nghị đã trả lời và chưa công khai.")
		}
		if !f.Consent {
			return motcua.Errorf(motcua.ECONFLICT, "no_consent", "Người gửi không đồng ý công khai nội dung phản ánh, kiến nghị này.")
		}
		pick := func(given, orig string, field string) (string, error) {
			if strings.TrimSpace(given) == "" {
				given = orig
			}
			t, ok := motcua.CleanText(motcua.StripControls(given), motcua.MaxFeedbackAnswer)
			if !ok || t == "" {
				return "", motcua.FieldError(field, field+"_invalid", "Nội dung công khai không hợp lệ (tối đa 8.000 ký tự).")
			}
			t = motcua.RedactPersonal(t)
			// The sender's own name and contact never reach the public
			// list, whatever the text says.
			for _, p := range []string{f.Name, f.Contact} {
				if len([]rune(p)) >= 3 {
					t = strings.ReplaceAll(t, p, "[đã ẩn]")
				}
			}
			return t, nil
		}
		var err error
		if f.PublicContent, err = pick(in.Content, f.Content, "content"); err != nil {
			return err
		}
		if f.PublicAnswer, err = pick(in.Answer, f.Answer, "answer"); err != nil {
			return err
		}
		f.PublishedAt, f.PublishedBy = s.now(), u.ID
		return nil
	})
}

// FeedbackAssignees lists who may be assigned the complaints of agency
// (its handling staff), for the assign form. Errors: EUNAUTHORIZED.
func (s *Service) FeedbackAssignees(ctx context.Context, agencyID int64) ([]*motcua.User, error) {
	if _, err := actor(motcua.UserFromContext(ctx)); err != nil {
		return nil, err
	}
	var out []*motcua.User
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		for _, r := range motcua.HandlingRoles {
			us, err := tx.Users(ctx, motcua.UserFilter{AgencyID: agencyID, Role: r})
			if err != nil {
				return err
			}
			for _, x := range us {
				if !x.Disabled && !slices.ContainsFunc(out, func(y *motcua.User) bool { return y.ID == x.ID }) {
					out = append(out, x)
				}
			}
		}
		return nil
	})
	return out, err
}

// FeedbackDeadlines returns the working days in force.
func (s *Service) FeedbackDeadlines() motcua.FeedbackDeadlines { return s.cfg.FeedbackDeadlines }

// String for logs.
func (v *FeedbackView) String() string { return fmt.Sprintf("feedback %s (%s)", v.Code, v.State) }
