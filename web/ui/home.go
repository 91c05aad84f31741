package ui

import "net/http"

// home is the landing page: the dossier lookup and the catalogue search
// for citizens, the way to one's desk for staff.
func (u *UI) home(w http.ResponseWriter, r *http.Request) {
	u.render(w, r, http.StatusOK, "home", &page{Title: "Trang chủ"})
}
