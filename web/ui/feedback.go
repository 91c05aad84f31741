package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// feedbackRoutes are the complaint (phản ánh, kiến nghị) and rating pages.
func (u *UI) feedbackRoutes() []route {
	return []route{
		{"POST /tra-cuu/danh-gia", u.lookupRate},
		{"GET /quay/danh-gia", u.counterRatingPage},
		{"POST /quay/danh-gia", u.counterRate},
		{"GET /phan-anh", u.feedbackSendPage},
		{"POST /phan-anh", u.feedbackSend},
		{"GET /phan-anh/tra-cuu", u.feedbackStatus},
		{"POST /phan-anh/tra-cuu/danh-gia", u.feedbackRate},
		{"GET /phan-anh/da-tra-loi", u.feedbackPublished},
		{"GET /quan-ly/phan-anh", u.feedbackList},
		{"GET /quan-ly/phan-anh/moi", u.feedbackEnterPage},
		{"POST /quan-ly/phan-anh/moi", u.feedbackEnter},
		{"GET /quan-ly/phan-anh/{code}", u.feedbackDetail},
		{"POST /quan-ly/phan-anh/{code}/phan-cong", u.feedbackAssign},
		{"POST /quan-ly/phan-anh/{code}/tra-loi", u.feedbackAnswer},
		{"POST /quan-ly/phan-anh/{code}/cong-khai", u.feedbackPublish},
	}
}

// feedbackFieldNames maps the service's fields to the forms'.
var feedbackFieldNames = map[string]string{"name": "ho-ten", "contact": "lien-he", "content": "noi-dung", "dossier_code": "ma-ho-so",
	"channel": "hinh-thuc", "kind": "loai", "topic": "linh-vuc", "agency_id": "co-quan", "assignee_id": "nguoi-xu-ly",
	"repeat_of": "trung-voi", "reason": "ly-do", "answer": "tra-loi", "level": "muc"}

func failFeedback(f *form, err error) {
	f.fail(err)
	for k, v := range feedbackFieldNames {
		if m, ok := f.Errors[k]; ok {
			delete(f.Errors, k)
			f.Errors[v] = m
		}
	}
}

func feedbackInput(f *form) service.FeedbackInput {
	return service.FeedbackInput{Name: f.Get("ho-ten"), Contact: f.Get("lien-he"), Content: f.Get("noi-dung"),
		DossierCode: f.Get("ma-ho-so"), Consent: f.Get("dong-y") == "1", Channel: motcua.FeedbackChannel(f.Get("hinh-thuc"))}
}

// feedbackSendData is the send page: the form, or the receipt once sent.
type feedbackSendData struct {
	Staff    bool
	Receipt  *service.FeedbackReceipt
	Channels []option
	Days     motcua.FeedbackDeadlines
}

func (u *UI) sendData(staff bool) *feedbackSendData {
	return &feedbackSendData{Staff: staff, Days: u.srv.Service.FeedbackDeadlines(), Channels: []option{
		{string(motcua.FeedbackCounter), motcua.FeedbackCounter.Label()}, {string(motcua.FeedbackPhone), motcua.FeedbackPhone.Label()},
		{string(motcua.FeedbackLetter), motcua.FeedbackLetter.Label()}}}
}

// feedbackSendPage is the public form (no sign-in, no captcha: sending is
// limited per address by the service).
func (u *UI) feedbackSendPage(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{"ma-ho-so": {norm.NFC.String(r.URL.Query().Get("ma"))}})
	u.render(w, r, http.StatusOK, "feedback_send", &page{Title: "Gửi phản ánh, kiến nghị", Section: "feedback", Form: f, Data: u.sendData(false)})
}

func (u *UI) feedbackSend(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := u.sendData(false)
	rc, err := u.srv.Service.SubmitFeedback(r.Context(), feedbackInput(f), u.srv.ClientIP(r))
	if err != nil {
		web.LogError(r, err)
		web.SetRetryAfter(w, err)
		failFeedback(f, err)
		u.render(w, r, web.Status(err), "feedback_send", &page{Title: "Gửi phản ánh, kiến nghị", Section: "feedback", Form: f, Data: d})
		return
	}
	d.Receipt = rc
	u.render(w, r, http.StatusOK, "feedback_send", &page{Title: "Đã gửi phản ánh, kiến nghị", Section: "feedback", Data: d})
}

// feedbackStatusData is the sender's view: the complaint, and the form to
// rate the answer.
type feedbackStatusData struct {
	F      *service.PublicFeedback
	Secret string
	Levels []option
	Done   bool
}

// feedbackStatus shows a complaint to whoever has its code and secret.
func (u *UI) feedbackStatus(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.URL.Query())
	code, secret := norm.NFC.String(f.Trim("ma")), f.Trim("k")
	f.Values.Del("k")
	p := &page{Title: "Tra cứu phản ánh, kiến nghị", Section: "feedback", Form: f}
	if code == "" && secret == "" {
		u.render(w, r, http.StatusOK, "feedback_status", p)
		return
	}
	fb, err := u.srv.Service.FeedbackStatus(r.Context(), code, secret, u.srv.ClientIP(r))
	if err != nil {
		web.LogError(r, err)
		web.SetRetryAfter(w, err)
		f.fail(err)
		f.Errors["ma"] = f.Message
		u.render(w, r, web.Status(err), "feedback_status", p)
		return
	}
	p.Data = &feedbackStatusData{F: fb, Secret: secret, Levels: levelOptions()}
	u.render(w, r, http.StatusOK, "feedback_status", p)
}

// feedbackRate records the sender's rating of the answer.
func (u *UI) feedbackRate(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	code, secret := f.Trim("ma"), f.Trim("k")
	level, _ := strconv.Atoi(f.Trim("muc"))
	p := &page{Title: "Tra cứu phản ánh, kiến nghị", Section: "feedback", Form: newForm(url.Values{"ma": {code}})}
	fb, err := u.srv.Service.RateFeedbackAnswer(r.Context(), code, secret, u.srv.ClientIP(r), level)
	status := http.StatusOK
	if err != nil {
		web.LogError(r, err)
		status = web.Status(err)
		failFeedback(p.Form, err)
		if fb, err = u.srv.Service.FeedbackStatus(r.Context(), code, secret, u.srv.ClientIP(r)); err != nil {
			p.Form.Errors["ma"] = p.Form.Message
			u.render(w, r, status, "feedback_status", p)
			return
		}
		p.Data = &feedbackStatusData{F: fb, Secret: secret, Levels: levelOptions()}
		u.render(w, r, status, "feedback_status", p)
		return
	}
	p.Data = &feedbackStatusData{F: fb, Secret: secret, Levels: levelOptions(), Done: true}
	u.render(w, r, status, "feedback_status", p)
}

// feedbackPublished is the public list of answered complaints.
func (u *UI) feedbackPublished(w http.ResponseWriter, r *http.Request) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("truoc"), 10, 64)
	list, err := u.srv.Service.PublishedFeedback(r.Context(), before)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "feedback_published", &page{Title: "Phản ánh, kiến nghị đã trả lời", Section: "feedback", Data: list})
}
