package api

import (
	"net/http"

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
