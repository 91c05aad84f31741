package ui

import (
	"net/http"

	"github.com/motcua/motcua"
)

// longRead marks the request's reads as long ones (reports that may be
// computed from the dossiers): the store runs them on connections of their
// own, so that leaders opening reports never make the counters' and
// inboxes' reads wait (sqlstore.Options.LongReadConns).
func longRead(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		h(w, r.WithContext(motcua.NewContextLongRead(r.Context())))
	}
}
