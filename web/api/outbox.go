package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua/web"
)

type outboxJSON struct {
	ID        int64  `json:"id"`
	Topic     string `json:"topic"`
	Payload   string `json:"payload"`
	CreatedAt string `json:"created_at"`
	Attempts  int    `json:"attempts"`
	FailedAt  string `json:"failed_at"`
	LastError string `json:"last_error"`
}

// failedDeliveries lists the outbox notices given up after every attempt,
// for administrators to act on.
func (a *API) failedDeliveries(w http.ResponseWriter, r *http.Request) {
	limit, err := queryInt(r, "limit")
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	list, err := a.srv.Service.FailedDeliveries(r.Context(), int(limit))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]outboxJSON, 0, len(list))
	for _, m := range list {
		items = append(items, outboxJSON{ID: m.ID, Topic: m.Topic, Payload: string(m.Payload), CreatedAt: vn(m.CreatedAt).Format(time.RFC3339),
			Attempts: m.Attempts, FailedAt: vn(m.FailedAt).Format(time.RFC3339), LastError: m.LastError})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": items})
}
