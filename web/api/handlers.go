package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	// OTP is the second factor of an account that has one: a code of its
	// authenticator or a recovery code.
	OTP string `json:"otp"`
}

type loginResponse struct {
	Token     string   `json:"token"`
	ExpiresAt string   `json:"expires_at"`
	User      userJSON `json:"user"`
}

func (a *API) login(w http.ResponseWriter, r *http.Request) {
	var in loginRequest
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	res, err := a.srv.Service.Login(r.Context(), in.Username, in.Password, a.srv.ClientIP(r), r.UserAgent())
	if err == nil && res.Challenge != "" {
		res, err = a.secondFactor(r, res, in.OTP)
	}
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	a.srv.SetSessionCookie(w, res.Token, res.Session.Lifetime())
	web.WriteJSON(w, http.StatusCreated, loginResponse{Token: res.Token,
		ExpiresAt: vn(res.Session.ExpiresAt).Format("2006-01-02T15:04:05Z07:00"), User: userOf(res.User)})
}

// secondFactor completes, in the same request, a sign-in that asks for a
// second factor. An API client cannot enrol: that is done once in the web
// application, where the QR code can be shown.
func (a *API) secondFactor(r *http.Request, half *service.SignIn, otp string) (*service.SignIn, error) {
	if half.Enrol {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "otp_enrolment_required",
			"Tài khoản phải đăng ký xác thực hai lớp: đăng nhập bằng trình duyệt để đăng ký trước.")
	}
	if strings.TrimSpace(otp) == "" {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "otp_required", "Vui lòng nhập mã xác thực (trường otp).")
	}
	return a.srv.Service.SecondFactor(r.Context(), half.Challenge, otp, a.srv.ClientIP(r), r.UserAgent())
}

func (a *API) logout(w http.ResponseWriter, r *http.Request) {
	if err := a.srv.Service.Logout(r.Context(), web.SessionToken(r)); err != nil {
		web.WriteError(w, r, err)
		return
	}
	a.srv.ClearSessionCookie(w)
	w.WriteHeader(http.StatusNoContent)
}

func (a *API) me(w http.ResponseWriter, r *http.Request) {
	u := motcua.UserFromContext(r.Context())
	if u == nil {
		web.WriteError(w, r, motcua.Errorf(motcua.EUNAUTHORIZED, "not_signed_in", "Vui lòng đăng nhập để tiếp tục."))
		return
	}
	web.WriteJSON(w, http.StatusOK, userOf(u))
}

func (a *API) agencies(w http.ResponseWriter, r *http.Request) {
	list, err := a.srv.Service.Agencies(r.Context())
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if list == nil {
		list = []*motcua.Agency{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": list})
}

func (a *API) agency(w http.ResponseWriter, r *http.Request) {
	ag, points, err := a.srv.Service.Agency(r.Context(), r.PathValue("code"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if points == nil {
		points = []*motcua.ReceptionPoint{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"agency": ag, "reception_points": points})
}

func (a *API) procedures(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err1 := queryInt(r, "limit")
	offset, err2 := queryInt(r, "offset")
	if err := firstErr(err1, err2); err != nil {
		web.WriteError(w, r, err)
		return
	}
	level := motcua.AgencyLevel(q.Get("level"))
	if level != "" && !level.Valid() {
		web.WriteError(w, r, motcua.FieldError("level", "level_unknown", "Cấp thực hiện không hợp lệ."))
		return
	}
	list, err := a.srv.Service.FindProcedures(r.Context(), motcua.ProcedureFilter{Query: nfc(q.Get("q")), Level: level,
		FieldCode: q.Get("field"), Limit: int(limit), Offset: int(offset)})
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]procedureSummary, 0, len(list))
	for _, p := range list {
		it := summaryOf(p)
		b, err := a.srv.Service.ReceiveBlock(r.Context(), p)
		if err != nil {
			web.WriteError(w, r, err)
			return
		}
		if it.Receivable = b == nil; b != nil {
			it.NotReceivable = &notReceivableJSON{Reason: b.Reason, Message: b.Message, Responsible: b.Responsible}
		}
		items = append(items, it)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (a *API) procedure(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		web.WriteError(w, r, motcua.Errorf(motcua.ENOTFOUND, "procedure_not_found", "Không tìm thấy thủ tục hành chính."))
		return
	}
	p, err := a.srv.Service.Procedure(r.Context(), id)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func (a *API) users(w http.ResponseWriter, r *http.Request) {
	agency, err := queryInt(r, "agency_id")
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	role := motcua.Role(r.URL.Query().Get("role"))
	if role != "" && !role.Valid() {
		web.WriteError(w, r, motcua.FieldError("role", "role_unknown", "Vai trò không hợp lệ."))
		return
	}
	list, err := a.srv.Service.Users(r.Context(), motcua.UserFilter{AgencyID: agency, Role: role})
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]userJSON, 0, len(list))
	for _, u := range list {
		items = append(items, userOf(u))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}

func (a *API) createDossier(w http.ResponseWriter, r *http.Request) {
	var in service.NewDossier
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	// A component is digitized when a signed scan of it is stored
	// (POST /dossiers/{code}/files), never on a client's word: the
	// service ignores service.ComponentInput.IgnoredDigitized.
	// The applicant's source and VNeID flags are believed only with the
	// token of the caller's own lookup (service.ReceiveAtCounter).
	res, err := a.srv.Service.ReceiveAtCounter(r.Context(), r.Header.Get("Idempotency-Key"), in, r.Header.Get(HeaderLookupToken))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	agencies, err := a.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	status := http.StatusCreated
	if res.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
		status = http.StatusOK
	}
	w.Header().Set("Location", Prefix+"/dossiers/"+res.Dossier.Code)
	web.WriteJSON(w, status, dossierOf(res.Dossier, nil, agencies, ""))
}

func (a *API) dossier(w http.ResponseWriter, r *http.Request) {
	v, err := a.srv.Service.Dossier(r.Context(), r.PathValue("code"), a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, viewOf(v))
}

// actRequest is the body of an action; which fields matter depends on the
// action (see the OpenAPI document).
type actRequest struct {
	Reason       string `json:"reason,omitempty"`
	AssigneeID   int64  `json:"assignee_id,omitempty"`
	NewDueAt     string `json:"new_due_at,omitempty"`
	ResultNumber string `json:"result_number,omitempty"`
	// ResultFileRef is the id of the dossier's signed result file.
	ResultFileRef string  `json:"result_file_ref,omitempty"`
	Missing       []int64 `json:"missing,omitempty"`
}

func (a *API) act(w http.ResponseWriter, r *http.Request) {
	var in actRequest
	if r.ContentLength != 0 {
		if err := decode(w, r, &in); err != nil {
			web.WriteError(w, r, err)
			return
		}
	}
	cmd := service.ActInput{Action: motcua.Action(r.PathValue("action")), Reason: in.Reason, AssigneeID: in.AssigneeID,
		ResultNumber: in.ResultNumber, ResultFileRef: in.ResultFileRef, Missing: in.Missing}
	if in.NewDueAt != "" {
		t, err := parseTime(in.NewDueAt)
		if err != nil {
			web.WriteError(w, r, err)
			return
		}
		cmd.NewDueAt = t
	}
	d, err := a.srv.Service.Act(r.Context(), r.PathValue("code"), cmd)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	agencies, err := a.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, dossierOf(d, nil, agencies, ""))
}

type inboxItemJSON struct {
	Code          string            `json:"code"`
	ProcedureName string            `json:"procedure_name"`
	ApplicantName string            `json:"applicant_name"`
	Channel       motcua.Channel    `json:"channel"`
	State         motcua.State      `json:"state"`
	StateLabel    string            `json:"state_label"`
	HolderID      int64             `json:"holder_id"`
	AssigneeID    int64             `json:"assignee_id,omitempty"`
	DueAt         string            `json:"due_at,omitempty"`
	Timeliness    motcua.Timeliness `json:"timeliness,omitempty"`
	DueToday      bool              `json:"due_today"`
	DueSoon       bool              `json:"due_soon"`
}

func (a *API) inbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	proc, err1 := queryInt(r, "procedure_id")
	agency, err2 := queryInt(r, "agency_id")
	channel, err3 := queryInt(r, "channel")
	limit, err4 := queryInt(r, "limit")
	if err := firstErr(err1, err2, err3, err4); err != nil {
		web.WriteError(w, r, err)
		return
	}
	var states []motcua.State
	for _, s := range q["state"] {
		for _, x := range strings.Split(s, ",") {
			if x = strings.TrimSpace(x); x != "" {
				states = append(states, motcua.State(x))
			}
		}
	}
	page, err := a.srv.Service.Inbox(r.Context(), service.InboxQuery{Mine: q.Get("mine") == "true", States: states,
		ProcedureID: proc, AgencyID: agency, Channel: motcua.Channel(channel), Cursor: q.Get("cursor"), Limit: int(limit)})
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]inboxItemJSON, 0, len(page.Items))
	for _, it := range page.Items {
		d := it.Dossier
		j := inboxItemJSON{Code: d.Code, ProcedureName: d.ProcedureName, ApplicantName: d.Applicant.FullName,
			Channel: d.Channel, State: d.Status.State, StateLabel: d.Status.State.Label(), HolderID: d.Status.AgencyID,
			AssigneeID: d.Status.AssigneeID, Timeliness: it.Timeliness, DueToday: it.DueToday, DueSoon: it.DueSoon}
		if !it.DueAt.IsZero() {
			j.DueAt = vn(it.DueAt).Format("2006-01-02T15:04:05Z07:00")
		}
		items = append(items, j)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items, "next_cursor": page.Next})
}

func (a *API) lookup(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, err := a.srv.Service.Lookup(r.Context(), q.Get("code"), q.Get("verifier"), a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	p.ReceivedAt, p.DueAt, p.FinishedAt, p.ReturnedAt = vn(p.ReceivedAt), vn(p.DueAt), vn(p.FinishedAt), vn(p.ReturnedAt)
	p.SupplementDeadline = vn(p.SupplementDeadline)
	for i := range p.Timeline {
		p.Timeline[i].At = vn(p.Timeline[i].At)
	}
	web.WriteJSON(w, http.StatusOK, p)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
