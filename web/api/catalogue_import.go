package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// The review of imports from the national database of procedures, for
// the province's administrators (service/catalogue_import.go).

type importProgressJSON struct {
	Running   bool    `json:"running"`
	Done      int     `json:"done"`
	Total     int     `json:"total"`
	StartedAt *string `json:"started_at"`
	LastRunID int64   `json:"last_run_id"`
	LastError string  `json:"last_error"`
}

func progressOf(p service.ImportProgress) importProgressJSON {
	out := importProgressJSON{Running: p.Running, Done: p.Done, Total: p.Total, LastRunID: p.LastRunID, LastError: p.LastError}
	if !p.StartedAt.IsZero() {
		s := vn(p.StartedAt).Format(time.RFC3339)
		out.StartedAt = &s
	}
	return out
}

type importRunJSON struct {
	ID         int64             `json:"id"`
	StartedAt  string            `json:"started_at"`
	FinishedAt string            `json:"finished_at"`
	StartedBy  int64             `json:"started_by"`
	New        int               `json:"new"`
	Changed    int               `json:"changed"`
	Unchanged  int               `json:"unchanged"`
	Withdrawn  int               `json:"withdrawn"`
	ToConfirm  int               `json:"to_confirm"`
	Agencies   []motcua.ListDiff `json:"agencies"`
	Fields     []motcua.ListDiff `json:"fields"`
}

func runOf(r *motcua.ImportRun) importRunJSON {
	out := importRunJSON{ID: r.ID, StartedAt: vn(r.StartedAt).Format(time.RFC3339), FinishedAt: vn(r.FinishedAt).Format(time.RFC3339),
		StartedBy: r.StartedBy, New: r.New, Changed: r.Changed, Unchanged: r.Unchanged, Withdrawn: r.Withdrawn, ToConfirm: r.ToConfirm,
		Agencies: r.Agencies, Fields: r.Fields}
	if out.Agencies == nil {
		out.Agencies = []motcua.ListDiff{}
	}
	if out.Fields == nil {
		out.Fields = []motcua.ListDiff{}
	}
	return out
}

type importItemJSON struct {
	ID                    int64              `json:"id"`
	RunID                 int64              `json:"run_id"`
	Seq                   int                `json:"seq"`
	Kind                  motcua.ImportKind  `json:"kind"`
	Code                  string             `json:"code"`
	Name                  string             `json:"name"`
	ProcedureID           int64              `json:"procedure_id"`
	BaseVersion           int                `json:"base_version"`
	Diffs                 []motcua.FieldDiff `json:"diffs"`
	TimeLimitToConfirm    bool               `json:"time_limit_to_confirm"`
	NationalTimeLimitText string             `json:"national_time_limit_text"`
	Problem               string             `json:"problem"`
	Status                string             `json:"status"`
	Outcome               string             `json:"outcome"`
	ResultProcedureID     int64              `json:"result_procedure_id"`
	ResultVersion         int                `json:"result_version"`
}

func itemOf(it *motcua.ImportItem) importItemJSON {
	out := importItemJSON{ID: it.ID, RunID: it.RunID, Seq: it.Seq, Kind: it.Kind, Code: it.Code, Name: it.Name,
		ProcedureID: it.ProcedureID, BaseVersion: it.BaseVersion, Diffs: it.Diffs, TimeLimitToConfirm: it.TimeLimitToConfirm,
		Problem: it.Problem, Status: string(it.Status), Outcome: it.Outcome, ResultProcedureID: it.ResultProcedureID, ResultVersion: it.ResultVersion}
	if out.Diffs == nil {
		out.Diffs = []motcua.FieldDiff{}
	}
	if it.National != nil {
		out.NationalTimeLimitText = it.National.TimeLimitText
	}
	return out
}

// importRuns lists the runs with the import running here.
func (a *API) importRuns(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	prog, err := a.srv.Service.CatalogueImportProgress(ctx)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	runs, err := a.srv.Service.ImportRuns(ctx)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out := make([]importRunJSON, 0, len(runs))
	for _, run := range runs {
		out = append(out, runOf(run))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"source_configured": a.srv.Service.CatalogueSourceOn(),
		"progress": progressOf(prog), "runs": out})
}

// startImport starts an import in the background.
func (a *API) startImport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := a.srv.Service.StartCatalogueImport(ctx); err != nil {
		web.WriteError(w, r, err)
		return
	}
	prog, err := a.srv.Service.CatalogueImportProgress(ctx)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusAccepted, map[string]any{"progress": progressOf(prog)})
}

// cancelImport stops the import running here.
func (a *API) cancelImport(w http.ResponseWriter, r *http.Request) {
	if err := a.srv.Service.CancelCatalogueImport(r.Context()); err != nil {
		web.WriteError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func pathID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n
}

// importRun returns one run with its items (of ?kind=).
func (a *API) importRun(w http.ResponseWriter, r *http.Request) {
	run, items, err := a.srv.Service.ImportRun(r.Context(), pathID(r, "id"), motcua.ImportKind(r.URL.Query().Get("kind")))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out := make([]importItemJSON, 0, len(items))
	for _, it := range items {
		out = append(out, itemOf(it))
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"run": runOf(run), "items": out})
}

// reviewImportItem accepts an item or marks it not to apply.
func (a *API) reviewImportItem(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Accept *bool `json:"accept"`
	}
	if err := decode(w, r, &body); err != nil {
		web.WriteError(w, r, err)
		return
	}
	if body.Accept == nil {
		web.WriteError(w, r, motcua.FieldError("accept", "accept_missing", "Chưa chọn chấp nhận hay không áp dụng."))
		return
	}
	it, err := a.srv.Service.ReviewImportItem(r.Context(), pathID(r, "id"), pathID(r, "item"), *body.Accept)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, itemOf(it))
}

// publishImportItem applies one item to the catalogue.
func (a *API) publishImportItem(w http.ResponseWriter, r *http.Request) {
	it, err := a.srv.Service.PublishImportItem(r.Context(), pathID(r, "id"), pathID(r, "item"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, itemOf(it))
}

type publishFailureJSON struct {
	ItemID  int64  `json:"item_id"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// publishAccepted applies every accepted item of a run.
func (a *API) publishAccepted(w http.ResponseWriter, r *http.Request) {
	res, err := a.srv.Service.PublishAccepted(r.Context(), pathID(r, "id"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	failed := make([]publishFailureJSON, 0, len(res.Failed))
	for _, f := range res.Failed {
		failed = append(failed, publishFailureJSON{ItemID: f.ItemID, Code: f.Code, Message: f.Message})
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"published": res.Published, "failed": failed})
}
