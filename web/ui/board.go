package ui

import "net/http"

// board shows the public progress board of every agency for the current
// month and year.
func (u *UI) board(w http.ResponseWriter, r *http.Request) {
	b, err := u.srv.Service.ProgressBoard(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "board", &page{Title: "Tiến độ giải quyết hồ sơ", Section: "board", Data: b})
}
