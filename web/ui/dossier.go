package ui

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// dossierData is a dossier page: the view the service allows this user,
// the forms they may print, the choices of the action forms.
type dossierData struct {
	V         *service.DossierView
	D         *motcua.Dossier
	Step      *motcua.Step
	Forms     []pdf.Form
	Assignees []option
	Now       time.Time
	// Print is the form to print right after the action that produced it.
	Print pdf.Form
	// Missing are the components that may be asked for in a supplement.
	Missing []motcua.Component
	// MaxFile is the largest file the upload form takes, in bytes.
	MaxFile int64
	// ScanText: scans are read by OCR (each links to its text).
	ScanText bool
}

// ResultCode is the document code the signed result will carry.
func (d *dossierData) ResultCode() string { return motcua.ResultCode(d.D.Code) }

// Requested reports whether the open supplement request asks for
// component id (the "received" boxes start ticked for those).
func (d *dossierData) Requested(id int64) bool {
	sup, ok := d.D.Status.OpenSupplement()
	return ok && slices.Contains(sup.Missing, id)
}

// Appraising reports whether the dossier is at an appraisal step: the
// form that finishes it takes the specialist's appraisal opinion.
func (d *dossierData) Appraising() bool {
	return d.Step != nil && d.Step.Kind == motcua.StepAppraise
}

// Allowed reports whether the user may take action a.
func (d *dossierData) Allowed(a string) bool {
	return slices.Contains(d.V.Allowed, motcua.Action(a))
}

// printAfter is the form that follows an action, to print at once.
var printAfter = map[string]pdf.Form{
	service.DecisionReceive: pdf.FormReceipt, service.DecisionSupplement: pdf.FormSupplement, service.DecisionRefuse: pdf.FormRefusal,
	string(motcua.ActRequestSupplement): pdf.FormSupplement, // "refuse" is both a decision and an action
	string(motcua.ActExtend):            pdf.FormExtension, string(motcua.ActStop): pdf.FormStop, string(motcua.ActWithdraw): pdf.FormStop,
	string(motcua.ActClose): pdf.FormStop, string(motcua.ActTransfer): pdf.FormTransfer, string(motcua.ActSupplementReceived): pdf.FormReceipt,
}

// dossier shows a dossier to a person involved with it (the service
// checks, and writes the view of personal data to the audit log).
func (u *UI) dossier(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	q := r.URL.Query()
	p := &page{Section: "inbox"}
	if a := q.Get("moi"); a != "" {
		p.Flash = "Đã ghi nhận hồ sơ. Hãy in phiếu cho người nộp."
		q.Set("xong", a)
	} else if a := q.Get("xong"); a != "" {
		p.Flash = "Đã thực hiện: " + motcua.Action(a).Label() + "."
	} else if q.Get("tai-len") != "" {
		p.Flash = "Đã tải lên tài liệu điện tử."
	} else if q.Get("thu-phi") != "" {
		p.Flash = "Đã ghi nhận nộp phí, lệ phí bằng tiền mặt."
	}
	u.showDossier(w, r, http.StatusOK, r.PathValue("code"), newForm(nil), p, q.Get("xong"))
}

func (u *UI) showDossier(w http.ResponseWriter, r *http.Request, status int, code string, f *form, p *page, done string) {
	ctx := r.Context()
	v, err := u.srv.Service.Dossier(ctx, code, u.srv.ClientIP(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &dossierData{V: v, D: v.Dossier, Now: u.srv.Service.Now(), MaxFile: u.srv.Service.MaxFileSize(), ScanText: u.srv.Service.ReadsScans()}
	st := &v.Dossier.Status
	if st.Step >= 0 && st.Step < len(v.Procedure.Process.Steps) {
		d.Step = &v.Procedure.Process.Steps[st.Step]
	}
	pd := &pdf.Dossier{Dossier: v.Dossier, Procedure: v.Procedure, Events: v.Events}
	d.Forms = pd.Available()
	if fm, ok := printAfter[done]; ok && slices.Contains(d.Forms, fm) {
		d.Print = fm
	}
	for _, c := range v.Procedure.Components {
		if !c.FromNationalDB {
			d.Missing = append(d.Missing, c)
		}
	}
	if d.Allowed(string(motcua.ActAssign)) {
		d.Assignees = u.assignees(r, v)
	}
	p.Title = "Hồ sơ " + v.Dossier.Code
	p.Form, p.Data = f, d
	u.render(w, r, status, "dossier", p)
}

// assignees lists who may be assigned the appraisal: the specialists of
// the agency of the step that follows the assignment.
func (u *UI) assignees(r *http.Request, v *service.DossierView) []option {
	st := &v.Dossier.Status
	steps := v.Procedure.Process.Steps
	next := st.Step
	if next >= 0 && next < len(steps) && steps[next].Kind == motcua.StepAssign {
		next++
	}
	if next < 0 || next >= len(steps) {
		return nil
	}
	agency := steps[next].AgencyID
	if agency == 0 {
		agency = v.Dossier.CompetentAgencyID
	}
	users, err := u.srv.Service.Users(r.Context(), motcua.UserFilter{AgencyID: agency, Role: steps[next].Role})
	if err != nil {
		return nil
	}
	// Each candidate's open dossiers, when the assigner may see them, so
	// that work goes to who can take it (the workload's rule).
	loads, lerr := u.srv.Service.AssigneeLoads(r.Context(), agency)
	out := []option{{"", "— Chọn người —"}}
	for _, x := range users {
		if !x.Disabled {
			label := x.FullName + " – " + x.Title
			if lerr == nil {
				label += " (" + loadLabel(loads[x.ID], u.srv.Service.WorkloadLimit()) + ")"
			}
			out = append(out, option{strconv.FormatInt(x.ID, 10), label})
		}
	}
	return out
}

// act performs one action from the dossier page. On a mistake the page
// comes back with the message next to the field of that action's form and
// what was typed kept.
func (u *UI) act(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	code := r.PathValue("code")
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f.Action = f.Get("action")
	in := service.ActInput{Action: motcua.Action(f.Action), Reason: f.Trim("reason"), ResultNumber: f.Trim("result_number")}
	if a := f.Get("assignee_id"); a != "" {
		in.AssigneeID, _ = strconv.ParseInt(a, 10, 64)
	}
	for _, m := range f.Values["missing"] {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			in.Missing = append(in.Missing, id)
		}
	}
	for _, m := range f.Values["supplied"] {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			in.Supplied = append(in.Supplied, id)
		}
	}
	if in.Action == motcua.ActExtend {
		due, err := u.newDue(f.Trim("new_due_at"))
		if err != nil {
			f.fail(err)
			u.showDossier(w, r, web.Status(err), code, f, &page{Section: "inbox"}, "")
			return
		}
		in.NewDueAt = due
	}
	if _, err := u.srv.Service.Act(r.Context(), code, in); err != nil {
		f.fail(err)
		u.showDossier(w, r, web.Status(err), code, f, &page{Section: "inbox"}, "")
		return
	}
	seeOther(w, r, "/ho-so/"+url.PathEscape(code)+"?xong="+url.QueryEscape(f.Action))
}

// newDue reads the new appointment of an extension: a working day
// (dd/mm/yyyy), the result being due at the end of its working time.
func (u *UI) newDue(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, motcua.FieldError("new_due_at", "new_due_required", "Vui lòng nhập ngày hẹn trả kết quả mới.")
	}
	iso, ok := vnToISO(s)
	var d calendar.Date
	var err error
	if ok {
		d, err = calendar.ParseDate(iso)
	}
	if !ok || err != nil {
		return time.Time{}, motcua.FieldError("new_due_at", "date_malformed", "Ngày hẹn mới phải có dạng ngày/tháng/năm, ví dụ 20/03/2025.")
	}
	cal := u.srv.Service.Calendar()
	noon := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, motcua.VietnamTime)
	if !cal.IsWorkingDay(noon) {
		return time.Time{}, motcua.FieldError("new_due_at", "new_due_not_working_day", "Ngày "+s+" không phải ngày làm việc; vui lòng chọn ngày làm việc.")
	}
	return cal.EndOfWorkingDay(noon), nil
}

// print sends a dossier's form as a PDF to a person involved with it.
func (u *UI) print(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	ctx := r.Context()
	form := pdf.Form(r.PathValue("form"))
	v, err := u.srv.Service.Dossier(ctx, r.PathValue("code"), u.srv.ClientIP(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	points, err := u.srv.Service.ReceptionPoints(ctx, v.Dossier.ReceptionAgencyID)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	agencies, err := u.srv.Service.AgencyIndex(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	pd := &pdf.Dossier{Dossier: v.Dossier, Procedure: v.Procedure, Events: v.Events, Agencies: agencies,
		Users: map[int64]string{}, PrintedAt: u.srv.Service.Now()}
	for _, p := range points {
		if p.ID == v.Dossier.ReceptionPointID {
			pd.Point = p
		}
	}
	for _, e := range v.Events {
		pd.Users[e.ActorID] = e.ActorName
	}
	release, err := pdfSlot(ctx)
	if err != nil {
		return // the client left while the PDFs before it were rendered
	}
	var buf bytes.Buffer
	err = u.pdf.Render(&buf, form, pd)
	release()
	if err != nil {
		u.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `inline; filename="`+string(form)+"-"+v.Dossier.Code+`.pdf"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}
