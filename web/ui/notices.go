package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua"
)

// notifications lists the signed-in staff member's warnings (the bell's
// page) and marks them read.
func (u *UI) notifications(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	ns, err := u.srv.Service.MyNotifications(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "notifications", &page{Title: "Thông báo của tôi", Section: "notifications", Data: ns})
}

// noticeTemplatesData is the templates page's content: the templates in
// force and, when a save was refused, the form that was refused.
type noticeTemplatesData struct {
	Templates []motcua.NoticeTemplate
	// Failed is the event|channel of the refused form.
	Failed string
	Fields []string
}

// noticeFields are what a template may use, for the page's help.
var noticeFields = []string{"{{.Code}}", "{{.ProcedureName}}", "{{.ApplicantName}}", "{{.ReceivedDate}}", "{{.DueDate}}",
	"{{.OldDueDate}}", "{{.Reason}}", "{{.Agency}}", "{{.LookupURL}}", "{{if .Refused}}…{{end}}"}

// adminNoticeTemplates shows every notice template, each in a form an
// administrator may change.
func (u *UI) adminNoticeTemplates(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	p := &page{Title: "Mẫu thông báo cho người dân", Section: "admin"}
	if r.URL.Query().Get("xong") == "luu" {
		p.Flash = "Đã lưu mẫu thông báo; các thông báo gửi từ nay dùng mẫu mới."
	}
	u.showNoticeTemplates(w, r, http.StatusOK, p, "")
}

func (u *UI) showNoticeTemplates(w http.ResponseWriter, r *http.Request, status int, p *page, failed string) {
	ts, err := u.srv.Service.NoticeTemplates(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if failed != "" && p.Form != nil {
		// The refused text is shown again, not the stored one.
		for i := range ts {
			if string(ts[i].Event)+"|"+ts[i].Channel == failed {
				ts[i].Subject, ts[i].Body = p.Form.Get("subject"), p.Form.Get("body")
			}
		}
	}
	p.Data = &noticeTemplatesData{Templates: ts, Failed: failed, Fields: noticeFields}
	u.render(w, r, status, "admin_notices", p)
}

// adminSaveNoticeTemplate saves one template; one that does not parse or
// does not render on a sample dossier is refused with the reason, the
// text kept in the form.
func (u *UI) adminSaveNoticeTemplate(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	t := motcua.NoticeTemplate{Event: motcua.NoticeEvent(f.Get("event")), Channel: f.Get("channel"), Subject: f.Get("subject"), Body: f.Get("body")}
	if err := u.srv.Service.SaveNoticeTemplate(r.Context(), t); err != nil {
		if motcua.ErrorCode(err) != motcua.EINVALID {
			u.fail(w, r, err)
			return
		}
		f.fail(err)
		u.showNoticeTemplates(w, r, http.StatusUnprocessableEntity, &page{Title: "Mẫu thông báo cho người dân", Section: "admin", Form: f},
			string(t.Event)+"|"+t.Channel)
		return
	}
	seeOther(w, r, "/quan-tri/mau-thong-bao?xong=luu#"+url.QueryEscape(string(t.Event)+"-"+t.Channel))
}

// adminFailedNotices lists the notices and warnings given up, each with a
// button to send it again.
func (u *UI) adminFailedNotices(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	list, err := u.srv.Service.FailedNotices(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := &page{Title: "Thông báo gửi không thành công", Section: "admin", Data: list}
	if r.URL.Query().Get("xong") == "gui-lai" {
		p.Flash = "Đã đặt lại thông báo để gửi ngay."
	}
	u.render(w, r, http.StatusOK, "admin_failed_notices", p)
}

// adminReplayNotice sends a given-up notice again.
func (u *UI) adminReplayNotice(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "message_not_found", "Không tìm thấy thông báo."))
		return
	}
	if err := u.srv.Service.ReplayNotice(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/thong-bao-loi?xong=gui-lai")
}
