package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua/web"
)

// notificationJSON is a staff notification with its times in Vietnam
// time, as the API writes every time.
type notificationJSON struct {
	ID        int64      `json:"id"`
	UserID    int64      `json:"user_id"`
	DossierID int64      `json:"dossier_id"`
	Code      string     `json:"code"`
	Level     string     `json:"level"`
	Text      string     `json:"text"`
	At        time.Time  `json:"at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// notifications lists the signed-in staff member's deadline warnings,
// newest first, and marks them read (the same list as the bell's page).
func (a *API) notifications(w http.ResponseWriter, r *http.Request) {
	list, err := a.srv.Service.MyNotifications(r.Context())
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]notificationJSON, 0, len(list))
	for _, n := range list {
		it := notificationJSON{ID: n.ID, UserID: n.UserID, DossierID: n.DossierID, Code: n.Code, Level: n.Level, Text: n.Text, At: vn(n.At)}
		if !n.ReadAt.IsZero() {
			t := vn(n.ReadAt)
			it.ReadAt = &t
		}
		items = append(items, it)
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}
