package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// ComponentName names a file's component on the dossier page: one of the
// dossier's components, or its result (0).
func (d *dossierData) ComponentName(id int64) string {
	if id == motcua.ResultComponent {
		return "Kết quả giải quyết"
	}
	for _, c := range d.D.Components {
		if c.ComponentID == id {
			return c.Name
		}
	}
	return "Thành phần khác"
}

// AttachTo is the choice of components of the upload form: those the
// viewer may attach a file to now.
func (d *dossierData) AttachTo() []option {
	out := []option{{"", "— Chọn thành phần —"}}
	for _, id := range d.V.Attach {
		out = append(out, option{Value: strconv.FormatInt(id, 10), Label: d.ComponentName(id)})
	}
	return out
}

// attach takes a digitized file from the dossier page's upload form (a
// plain multipart POST, no script needed). A mistake brings the page back
// with the message next to the field.
func (u *UI) attach(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	code := r.PathValue("code")
	if _, err := u.srv.ReceiveFile(w, r); err != nil {
		f := newForm(url.Values{"component_id": {r.FormValue("component_id")}})
		f.Action = "attach"
		f.fail(err)
		u.showDossier(w, r, web.Status(err), code, f, &page{Section: "inbox"}, "")
		return
	}
	seeOther(w, r, "/ho-so/"+url.PathEscape(code)+"?tai-len=1#tai-lieu")
}

// download sends a dossier's file to a person who may see the dossier
// (the service writes the view to the audit log).
func (u *UI) download(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.srv.SendFile(w, r)
}
