package ui

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// feedbackListData is the staff's list with its filters.
type feedbackListData struct {
	L      *service.FeedbackList
	States []option
	Kinds  []option
	Next   string
}

func feedbackStates() []option {
	out := []option{{"", "Tất cả"}}
	for _, s := range []motcua.FeedbackState{motcua.FeedbackReceived, motcua.FeedbackAssigned, motcua.FeedbackAnswered, motcua.FeedbackRejected} {
		out = append(out, option{string(s), s.Label()})
	}
	return out
}

func feedbackKinds(blank string) []option {
	out := []option{{"", blank}}
	for _, k := range []motcua.FeedbackKind{motcua.KindRegulation, motcua.KindConduct, motcua.KindOther} {
		out = append(out, option{string(k), k.Label()})
	}
	return out
}

// feedbackList lists the complaints the user may see, with filters.
func (u *UI) feedbackList(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f := newForm(r.URL.Query())
	before, _ := strconv.ParseInt(f.Trim("truoc"), 10, 64)
	q := service.FeedbackQuery{State: motcua.FeedbackState(f.Trim("trang-thai")), Kind: motcua.FeedbackKind(f.Trim("loai")),
		Mine: f.Get("cua-toi") == "1", Due: f.Get("den-han") == "1", Before: before}
	l, err := u.srv.Service.ListFeedback(r.Context(), q)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &feedbackListData{L: l, States: feedbackStates(), Kinds: feedbackKinds("Tất cả")}
	if n := len(l.Items); n == 100 {
		v := url.Values{}
		for k, x := range r.URL.Query() {
			v[k] = x
		}
		v.Set("truoc", strconv.FormatInt(l.Items[n-1].ID, 10))
		d.Next = "/quan-ly/phan-anh?" + v.Encode()
	}
	u.render(w, r, http.StatusOK, "feedback_list", &page{Title: "Phản ánh, kiến nghị", Section: "feedback_staff", Form: f, Data: d})
}

// feedbackEnterPage is the staff's form for a complaint taken at the
// counter, by telephone or by letter.
func (u *UI) feedbackEnterPage(w http.ResponseWriter, r *http.Request) {
	usr := u.staff(w, r)
	if usr == nil {
		return
	}
	if !slices.ContainsFunc(motcua.HandlingRoles, usr.HasRole) {
		u.fail(w, r, motcua.Errorf(motcua.EFORBIDDEN, "not_handling_staff", "Chỉ cán bộ, công chức xử lý hồ sơ mới nhập được phản ánh, kiến nghị."))
		return
	}
	u.render(w, r, http.StatusOK, "feedback_send", &page{Title: "Nhập phản ánh, kiến nghị", Section: "feedback_staff", Data: u.sendData(true)})
}

func (u *UI) feedbackEnter(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := u.sendData(true)
	rc, err := u.srv.Service.EnterFeedback(r.Context(), feedbackInput(f))
	if err != nil {
		if c := motcua.ErrorCode(err); c == motcua.EFORBIDDEN || c == motcua.EUNAUTHORIZED {
			u.fail(w, r, err)
			return
		}
		failFeedback(f, err)
		u.render(w, r, web.Status(err), "feedback_send", &page{Title: "Nhập phản ánh, kiến nghị", Section: "feedback_staff", Form: f, Data: d})
		return
	}
	d.Receipt = rc
	u.render(w, r, http.StatusOK, "feedback_send", &page{Title: "Đã nhập phản ánh, kiến nghị", Section: "feedback_staff", Data: d})
}

// feedbackDetailData is a complaint with the forms the viewer may use.
type feedbackDetailData struct {
	V         *service.FeedbackView
	Kinds     []option
	Agencies  []option
	Assignees []option
	Saved     string
}

// feedbackDetail shows one complaint, with the sender's name and contact
// (written to the access log by the service).
func (u *UI) feedbackDetail(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.showFeedback(w, r, http.StatusOK, nil, map[string]string{"1": "Đã lưu."}[r.URL.Query().Get("luu")])
}

func (u *UI) showFeedback(w http.ResponseWriter, r *http.Request, status int, f *form, saved string) {
	v, err := u.srv.Service.FeedbackDetail(r.Context(), r.PathValue("code"), u.srv.ClientIP(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &feedbackDetailData{V: v, Kinds: feedbackKinds("— Chọn loại —"), Saved: saved}
	if v.CanAssign {
		all, err := u.srv.Service.Agencies(r.Context())
		if err != nil {
			u.fail(w, r, err)
			return
		}
		for _, a := range all {
			d.Agencies = append(d.Agencies, option{strconv.FormatInt(a.ID, 10), a.Name})
		}
		sort.Slice(d.Agencies, func(i, j int) bool { return d.Agencies[i].Label < d.Agencies[j].Label })
		d.Agencies = append([]option{{"", "— Chọn cơ quan —"}}, d.Agencies...)
		d.Assignees = []option{{"0", "Lãnh đạo cơ quan trả lời"}}
		if v.AgencyID != 0 {
			us, err := u.srv.Service.FeedbackAssignees(r.Context(), v.AgencyID)
			if err != nil {
				u.fail(w, r, err)
				return
			}
			for _, x := range us {
				d.Assignees = append(d.Assignees, option{strconv.FormatInt(x.ID, 10), x.FullName + " – " + x.Title})
			}
		}
	}
	if f == nil {
		f = newForm(url.Values{"loai": {string(v.Kind)}, "linh-vuc": {v.Topic}, "co-quan": {strconv.FormatInt(v.AgencyID, 10)},
			"nguoi-xu-ly": {strconv.FormatInt(v.AssigneeID, 10)}})
	}
	u.render(w, r, status, "feedback_detail", &page{Title: "Phản ánh, kiến nghị " + v.Code, Section: "feedback_staff", Form: f, Data: d})
}

// changeFeedbackPage runs one of the detail page's forms.
func (u *UI) changeFeedbackPage(w http.ResponseWriter, r *http.Request, action string, run func(f *form) error) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f.Action = action
	if err := run(f); err != nil {
		if c := motcua.ErrorCode(err); c == motcua.ENOTFOUND || c == motcua.EUNAUTHORIZED {
			u.fail(w, r, err)
			return
		}
		web.LogError(r, err)
		failFeedback(f, err)
		u.showFeedback(w, r, web.Status(err), f, "")
		return
	}
	seeOther(w, r, "/quan-ly/phan-anh/"+url.PathEscape(r.PathValue("code"))+"?luu=1")
}

func (u *UI) feedbackAssign(w http.ResponseWriter, r *http.Request) {
	u.changeFeedbackPage(w, r, "assign", func(f *form) error {
		agency, _ := strconv.ParseInt(f.Trim("co-quan"), 10, 64)
		assignee, _ := strconv.ParseInt(f.Trim("nguoi-xu-ly"), 10, 64)
		_, err := u.srv.Service.AssignFeedback(r.Context(), r.PathValue("code"), service.AssignInput{
			Kind: motcua.FeedbackKind(f.Trim("loai")), Topic: f.Get("linh-vuc"), AgencyID: agency, AssigneeID: assignee,
			RepeatOf: f.Get("trung-voi"), Reject: f.Get("thao-tac") == "tu-choi", Reason: f.Get("ly-do")})
		return err
	})
}

func (u *UI) feedbackAnswer(w http.ResponseWriter, r *http.Request) {
	u.changeFeedbackPage(w, r, "answer", func(f *form) error {
		_, err := u.srv.Service.AnswerFeedback(r.Context(), r.PathValue("code"), f.Get("tra-loi"))
		return err
	})
}

func (u *UI) feedbackPublish(w http.ResponseWriter, r *http.Request) {
	u.changeFeedbackPage(w, r, "publish", func(f *form) error {
		_, err := u.srv.Service.PublishFeedback(r.Context(), r.PathValue("code"),
			service.PublishInput{Content: f.Get("noi-dung-cong-khai"), Answer: f.Get("tra-loi-cong-khai")})
		return err
	})
}
