package ui

import (
	"context"
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// portalData is the synchronisation page's content.
type portalData struct {
	O      *service.PortalOverview
	SimURL string
}

// adminPortal shows the link with the national portal: whether it is
// connected, the backlog of status messages and its lag, the messages
// waiting or given up with a button to send each again, and the messages
// received from the portal.
func (u *UI) adminPortal(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	o, err := u.srv.Service.PortalOverview(r.Context(), u.opts.PortalConnected)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := &page{Title: "Đồng bộ với Cổng Dịch vụ công quốc gia", Section: "admin", Data: &portalData{O: o, SimURL: u.opts.PortalSimURL}}
	switch r.URL.Query().Get("xong") {
	case "gui-lai":
		p.Flash = "Đã đặt lại thông điệp để gửi ngay; các thông điệp sau của cùng hồ sơ sẽ được gửi tiếp theo thứ tự."
	case "dua-vao":
		p.Flash = "Đã đưa " + r.URL.Query().Get("n") + " hồ sơ chưa đồng bộ vào hàng đợi gửi lên Cổng."
	}
	u.render(w, r, http.StatusOK, "admin_portal", p)
}

// adminPortalReplay sends a given-up status message again.
func (u *UI) adminPortalReplay(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "message_not_found", "Không tìm thấy thông điệp."))
		return
	}
	if err := u.srv.Service.ReplayPortalMessage(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/dong-bo?xong=gui-lai")
}

// adminPortalQueueAll queues the dossiers the portal was never told of
// (the first synchronisation of a province).
func (u *UI) adminPortalQueueAll(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	// Who may: the province's administrator, before anything else.
	if _, err := u.srv.Service.PortalOverview(r.Context(), u.opts.PortalConnected); err != nil {
		u.fail(w, r, err)
		return
	}
	if !u.opts.PortalConnected {
		u.fail(w, r, motcua.Errorf(motcua.ECONFLICT, "portal_not_connected", "Chưa kết nối Cổng Dịch vụ công quốc gia: chưa thể đồng bộ."))
		return
	}
	n, err := u.srv.Service.QueueAllForPortal(context.WithoutCancel(r.Context()), nil)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quan-tri/dong-bo?xong=dua-vao&n="+strconv.Itoa(n))
}
