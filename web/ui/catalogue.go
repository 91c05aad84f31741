package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// catalogue lists the procedures matching a search (public), best first.
func (u *UI) catalogue(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.URL.Query())
	level := motcua.AgencyLevel(f.Get("cap"))
	if level != "" && !level.Valid() {
		level = ""
	}
	hits, err := u.srv.Service.SearchProcedures(r.Context(), service.SearchQuery{Text: f.Trim("q"), Level: level, Limit: 100})
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "catalogue", &page{Title: "Thủ tục hành chính", Section: "catalogue", Form: f, Data: hits})
}

// procedureData is a procedure's public page.
type procedureData struct {
	P        *motcua.Procedure
	Agencies map[int64]*motcua.Agency
	Now      any
}

// procedure shows one procedure (public): components, fees, time limit,
// legal basis with validity, service level, process.
func (u *UI) procedure(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "procedure_not_found", "Không tìm thấy thủ tục hành chính."))
		return
	}
	p, err := u.srv.Service.Procedure(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	agencies, err := u.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "procedure", &page{Title: p.Name, Section: "catalogue", Data: procedureData{P: p, Agencies: agencies}})
}
