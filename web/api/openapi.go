package api

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the API's contract (OpenAPI 3.0).
//
//go:embed openapi.json
var OpenAPI []byte

func (a *API) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(OpenAPI)
}
