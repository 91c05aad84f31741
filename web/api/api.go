// Package api is motcua's JSON API under /api/v1. Its contract is the
// OpenAPI document openapi.json, served at /api/v1/openapi.json; a test
// keeps the document and the routes below in step.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// Route is one endpoint of the API.
type Route struct {
	Method  string
	Path    string // OpenAPI form: /dossiers/{code}
	Handler func(*API, http.ResponseWriter, *http.Request)
}

// Routes lists every endpoint; Register mounts them and the OpenAPI test
// compares them with the document.
var Routes = []Route{
	{"POST", "/sessions", (*API).login},
	{"DELETE", "/sessions/current", (*API).logout},
	{"GET", "/me", (*API).me},
	{"GET", "/agencies", (*API).agencies},
	{"GET", "/agencies/{code}", (*API).agency},
	{"GET", "/procedures", (*API).procedures},
	{"GET", "/procedures/{id}", (*API).procedure},
	{"GET", "/users", (*API).users},
	{"POST", "/dossiers", (*API).createDossier},
	{"POST", "/population/lookups", (*API).lookUpCitizen},
	{"GET", "/population/lookups", (*API).lookupLog},
	{"GET", "/results/earlier", (*API).earlierResults},
	{"GET", "/dossiers/{code}", (*API).dossier},
	{"POST", "/dossiers/{code}/actions/{action}", (*API).act},
	{"POST", "/dossiers/{code}/files", (*API).attachFile},
	{"GET", "/dossiers/{code}/files", (*API).dossierFiles},
	{"GET", "/dossiers/{code}/files/{id}", (*API).dossierFile},
	{"PUT", "/dossiers/{code}/files/{id}/metadata", (*API).confirmMetadata},
	{"GET", "/scans/search", (*API).searchScans},
	{"POST", "/dossiers/{code}/result/sign", (*API).signResult},
	{"POST", "/results/sign", (*API).signResults},
	{"POST", "/verify", (*API).verifyUpload},
	{"GET", "/verify/{doc_code}", (*API).verifyCode},
	{"GET", "/dossiers/{code}/payments", (*API).dossierPayments},
	{"POST", "/dossiers/{code}/payments/cash", (*API).recordCash},
	{"POST", "/dossiers/{code}/payments/online", (*API).startOnline},
	{"POST", "/payments/callback", (*API).paymentCallback},
	{"GET", "/inbox", (*API).inbox},
	{"GET", "/lookup", (*API).lookup},
	{"GET", "/reports/06a", (*API).report06a},
	{"GET", "/reports/index766", (*API).index766},
	{"GET", "/reports/dossiers", (*API).reportDossiers},
	{"GET", "/outbox/failed", (*API).failedDeliveries},
	{"GET", "/notifications", (*API).notifications},
	{"POST", "/dvcqg/messages", (*API).portalMessage},
	{"GET", "/dvcqg/sync", (*API).portalSync},
	{"POST", "/dvcqg/sync/{id}/replay", (*API).portalReplay},
	{"GET", "/catalogue/imports", (*API).importRuns},
	{"POST", "/catalogue/imports", (*API).startImport},
	{"DELETE", "/catalogue/imports/current", (*API).cancelImport},
	{"GET", "/catalogue/imports/{id}", (*API).importRun},
	{"POST", "/catalogue/imports/{id}/items/{item}/review", (*API).reviewImportItem},
	{"POST", "/catalogue/imports/{id}/items/{item}/publish", (*API).publishImportItem},
	{"POST", "/catalogue/imports/{id}/publish", (*API).publishAccepted},
	{"GET", "/openapi.json", (*API).openapi},
	{"GET", "/workload", (*API).workload},
	{"GET", "/workload/province", (*API).provinceWorkload},
	{"GET", "/queue/stats", (*API).queueStats},
}

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// API holds the handlers' dependencies.
type API struct {
	srv    *web.Server
	portal Portal
}

// Register mounts the API on srv.
func Register(srv *web.Server) *API {
	a := &API{srv: srv}
	for _, rt := range Routes {
		h := rt.Handler
		srv.Handle(rt.Method+" "+Prefix+rt.Path, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h(a, w, r) }))
	}
	srv.Handle(Prefix+"/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		web.WriteError(w, r, motcua.Errorf(motcua.ENOTFOUND, "no_such_endpoint", "Không có địa chỉ API này."))
	}))
	return a
}

// maxBody bounds request bodies; a dossier with its form is far smaller.
const maxBody = 1 << 20

// decode reads a JSON body into v, rejecting unknown fields, trailing data
// (EINVALID) and oversized bodies (ETOOLARGE, 413), and puts every decoded
// string in Unicode NFC. Its messages name the field at fault in words,
// never Go's types.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return motcua.Errorf(motcua.ETOOLARGE, "body_too_large", "Dữ liệu gửi lên quá lớn (tối đa 1 MB).")
		}
		return motcua.Errorf(motcua.EINVALID, "body_unreadable", "Không đọc được dữ liệu gửi lên; vui lòng gửi lại.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return motcua.Errorf(motcua.EINVALID, "body_malformed", "Dữ liệu gửi lên có phần thừa sau đối tượng JSON.")
	}
	if !nfcBody(body) {
		nfcStrings(reflect.ValueOf(v))
	}
	return nil
}

// queryInt parses an optional integer query parameter.
func queryInt(r *http.Request, name string) (int64, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, motcua.FieldError(name, "parameter_malformed", "Tham số "+name+" phải là số nguyên không âm.")
	}
	return n, nil
}

// nfc normalizes a query parameter.
func nfc(s string) string { return norm.NFC.String(s) }
