package api

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// HeaderLookupToken carries, on POST /dossiers, the token of the caller's
// own population-database lookup of the applicant; without a valid one the
// applicant's source and VNeID flags are downgraded to typed data.
const HeaderLookupToken = "Population-Lookup-Token"

// lookupRequest is the body of POST /population/lookups.
type lookupRequest struct {
	IDNumber    string `json:"id_number"`
	Purpose     string `json:"purpose"`
	DossierCode string `json:"dossier_code,omitempty"`
	Household   bool   `json:"household,omitempty"`
}

// lookUpCitizen asks the population database about a citizen for a
// one-stop officer; the lookup is logged with the purpose and the dossier.
func (a *API) lookUpCitizen(w http.ResponseWriter, r *http.Request) {
	var in lookupRequest
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	look := a.srv.Service.LookUpCitizen
	if in.Household {
		look = a.srv.Service.LookUpHousehold
	}
	res, err := look(r.Context(), in.IDNumber, in.Purpose, in.DossierCode)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, res)
}

// earlierResults lists the applicant's earlier results that components of
// a procedure may reuse (?procedure_id=&id_number=).
func (a *API) earlierResults(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	// A malformed id is 0, which the service refuses once it has checked
	// who is asking.
	id, _ := strconv.ParseInt(q.Get("procedure_id"), 10, 64)
	res, err := a.srv.Service.EarlierResults(r.Context(), id, q.Get("id_number"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if res == nil {
		res = []motcua.EarlierResult{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": res})
}

// lookupLog lists the population-database lookups for those who
// supervise (?id_number=&limit=).
func (a *API) lookupLog(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, _ := strconv.Atoi(q.Get("limit"))
	res, err := a.srv.Service.PopulationLookupLog(r.Context(), q.Get("id_number"), limit)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if res == nil {
		res = []*motcua.PopulationLookup{}
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"items": res})
}
