package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// The rating and complaint (PAKN) endpoints, added to Routes here so that
// the table in api.go stays as it is.
func init() {
	Routes = append(Routes,
		Route{"POST", "/dossiers/{code}/rating", (*API).rateDossier},
		Route{"GET", "/dossiers/{code}/rating", (*API).dossierRating},
		Route{"GET", "/counter/rating", (*API).counterRating},
		Route{"POST", "/counter/rating", (*API).rateAtCounter},
		Route{"POST", "/public-feedback", (*API).submitFeedback},
		Route{"GET", "/public-feedback", (*API).publishedFeedback},
		Route{"GET", "/public-feedback/status", (*API).feedbackStatus},
		Route{"POST", "/public-feedback/status/rating", (*API).rateFeedbackAnswer},
		Route{"GET", "/feedback", (*API).listFeedback},
		Route{"POST", "/feedback", (*API).enterFeedback},
		Route{"GET", "/feedback/{code}", (*API).feedbackDetail},
		Route{"POST", "/feedback/{code}/assign", (*API).assignFeedback},
		Route{"POST", "/feedback/{code}/answer", (*API).answerFeedback},
		Route{"POST", "/feedback/{code}/publish", (*API).publishFeedback},
	)
}

// ratingIn is a rating posted from the lookup: the lookup's verifier (or
// the receipt's QR secret) and the answers.
type ratingIn struct {
	Verifier string `json:"verifier"`
	service.RatingInput
}

func ratingOut(r *motcua.Rating) *motcua.Rating {
	c := *r
	c.At = vn(c.At)
	c.CounterUserID = 0 // which session rated is the staff's business
	return &c
}

func (a *API) rateDossier(w http.ResponseWriter, r *http.Request) {
	var in ratingIn
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	rt, err := a.srv.Service.RateByLookup(r.Context(), r.PathValue("code"), in.Verifier, a.srv.ClientIP(r), in.RatingInput)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, ratingOut(rt))
}

func (a *API) dossierRating(w http.ResponseWriter, r *http.Request) {
	rt, err := a.srv.Service.LookupRating(r.Context(), r.PathValue("code"), r.URL.Query().Get("verifier"), a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, ratingOut(rt))
}

func (a *API) counterRating(w http.ResponseWriter, r *http.Request) {
	t, err := a.srv.Service.CounterRatingTarget(r.Context())
	if motcua.ErrorCode(err) == motcua.ENOTFOUND {
		// Nothing returned yet at this counter: the tablet waits.
		web.WriteJSON(w, http.StatusOK, struct{}{})
		return
	}
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if t.Rating != nil {
		t.Rating = ratingOut(t.Rating)
	}
	web.WriteJSON(w, http.StatusOK, t)
}

// counterRatingIn is a rating given on the counter's tablet.
type counterRatingIn struct {
	Code string `json:"code"`
	service.RatingInput
}

func (a *API) rateAtCounter(w http.ResponseWriter, r *http.Request) {
	var in counterRatingIn
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	rt, err := a.srv.Service.RateAtCounter(r.Context(), in.Code, in.RatingInput)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, ratingOut(rt))
}

func receiptOut(rc *service.FeedbackReceipt) *service.FeedbackReceipt {
	rc.ReceivedAt, rc.AnswerDueAt = vn(rc.ReceivedAt), vn(rc.AnswerDueAt)
	return rc
}

func (a *API) submitFeedback(w http.ResponseWriter, r *http.Request) {
	var in service.FeedbackInput
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	rc, err := a.srv.Service.SubmitFeedback(r.Context(), in, a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, receiptOut(rc))
}

func (a *API) enterFeedback(w http.ResponseWriter, r *http.Request) {
	var in service.FeedbackInput
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	rc, err := a.srv.Service.EnterFeedback(r.Context(), in)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, receiptOut(rc))
}

func publicOut(p *service.PublicFeedback) *service.PublicFeedback {
	p.ReceivedAt, p.AnswerDueAt, p.AnsweredAt = vn(p.ReceivedAt), vn(p.AnswerDueAt), vn(p.AnsweredAt)
	return p
}

func (a *API) publishedFeedback(w http.ResponseWriter, r *http.Request) {
	before, err := queryInt(r, "before")
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	list, err := a.srv.Service.PublishedFeedback(r.Context(), before)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	for _, p := range list {
		publicOut(p)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (a *API) feedbackStatus(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := a.srv.Service.FeedbackStatus(r.Context(), nfc(q.Get("code")), q.Get("secret"), a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, publicOut(p))
}

// feedbackRatingIn rates the answer to a complaint.
type feedbackRatingIn struct {
	Code   string `json:"code"`
	Secret string `json:"secret"`
	Level  int    `json:"level"`
}

func (a *API) rateFeedbackAnswer(w http.ResponseWriter, r *http.Request) {
	var in feedbackRatingIn
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	p, err := a.srv.Service.RateFeedbackAnswer(r.Context(), in.Code, in.Secret, a.srv.ClientIP(r), in.Level)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, publicOut(p))
}

// feedbackOut is a complaint as staff see it through the API.
type feedbackOut struct {
	*motcua.Feedback
	StateLabel string    `json:"state_label"`
	Agency     string    `json:"agency,omitempty"`
	Assignee   string    `json:"assignee,omitempty"`
	Warning    string    `json:"warning,omitempty"`
	NextDueAt  time.Time `json:"next_due_at,omitzero"`
	CanAssign  bool      `json:"can_assign"`
	CanAnswer  bool      `json:"can_answer"`
	CanPublish bool      `json:"can_publish"`
}

// feedbackOf converts a view; personal says whether the sender's name and
// contact go with it (the detail, whose view is logged; never the list).
func feedbackOf(v *service.FeedbackView, personal bool) feedbackOut {
	f := *v.Feedback
	if !personal {
		f.Name, f.Contact = "", ""
	}
	for _, t := range []*time.Time{&f.ReceivedAt, &f.ClassifiedAt, &f.AnsweredAt, &f.PublishedAt, &f.RatedAt, &f.ClassifyDueAt,
		&f.AnswerDueAt, &f.PublishDueAt} {
		*t = vn(*t)
	}
	return feedbackOut{Feedback: &f, StateLabel: f.State.Label(), Agency: v.Agency, Assignee: v.Assignee, Warning: v.Warning,
		NextDueAt: vn(v.NextDueAt), CanAssign: v.CanAssign, CanAnswer: v.CanAnswer, CanPublish: v.CanPublish}
}

func (a *API) listFeedback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	before, err := queryInt(r, "before")
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	l, err := a.srv.Service.ListFeedback(r.Context(), service.FeedbackQuery{State: motcua.FeedbackState(q.Get("state")),
		Kind: motcua.FeedbackKind(q.Get("kind")), Mine: q.Get("mine") == "true", Due: q.Get("due") == "true", Before: before})
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out := struct {
		Items   []feedbackOut `json:"items"`
		Overdue int           `json:"overdue"`
		DueSoon int           `json:"due_soon"`
	}{Items: []feedbackOut{}, Overdue: l.Overdue, DueSoon: l.DueSoon}
	for _, v := range l.Items {
		out.Items = append(out.Items, feedbackOf(v, false))
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (a *API) feedbackDetail(w http.ResponseWriter, r *http.Request) {
	v, err := a.srv.Service.FeedbackDetail(r.Context(), r.PathValue("code"), a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, feedbackOf(v, true))
}

// changed writes the complaint after a change, without the sender's
// personal data (the detail shows them).
func (a *API) changed(w http.ResponseWriter, r *http.Request, v *service.FeedbackView, err error) {
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, feedbackOf(v, false))
}

func (a *API) assignFeedback(w http.ResponseWriter, r *http.Request) {
	var in service.AssignInput
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	v, err := a.srv.Service.AssignFeedback(r.Context(), r.PathValue("code"), in)
	a.changed(w, r, v, err)
}

// answerIn is the answer to a complaint.
type answerIn struct {
	Answer string `json:"answer"`
}

func (a *API) answerFeedback(w http.ResponseWriter, r *http.Request) {
	var in answerIn
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	v, err := a.srv.Service.AnswerFeedback(r.Context(), r.PathValue("code"), in.Answer)
	a.changed(w, r, v, err)
}

func (a *API) publishFeedback(w http.ResponseWriter, r *http.Request) {
	var in service.PublishInput
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	v, err := a.srv.Service.PublishFeedback(r.Context(), r.PathValue("code"), in)
	a.changed(w, r, v, err)
}
