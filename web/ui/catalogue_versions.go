package ui

import (
	"net/http"
	"strconv"
)

// adminProcedureVersions shows a procedure's versions, the differences
// between two of them (?a=&b=) and the dossiers received under one (?v=).
func (u *UI) adminProcedureVersions(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	q := r.URL.Query()
	a, _ := strconv.Atoi(q.Get("a"))
	b, _ := strconv.Atoi(q.Get("b"))
	of, _ := strconv.Atoi(q.Get("v"))
	v, err := u.srv.Service.ProcedureVersions(r.Context(), id, a, b, of)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "admin_procedure_versions", &page{Title: "Các phiên bản: " + v.Procedure.Name, Section: "admin", Data: v})
}
