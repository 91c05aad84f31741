package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// fileJSON is a dossier's digitized file as the API gives it.
type fileJSON struct {
	ID          int64     `json:"id"`
	ComponentID int64     `json:"component_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	UploadedBy  int64     `json:"uploaded_by"`
	UploadedAt  time.Time `json:"uploaded_at"`
	// Signer and SignedAt: the file's valid signature when it was stored;
	// DocCode: a signed result's document code.
	Signer   string     `json:"signer,omitempty"`
	SignedAt *time.Time `json:"signed_at,omitempty"`
	DocCode  string     `json:"doc_code,omitempty"`
	// Metadata is the Art.19(2) metadata an officer confirmed; absent
	// until then.
	Metadata *metadataJSON `json:"metadata,omitempty"`
}

func fileOf(f *motcua.DossierFile) fileJSON {
	out := fileJSON{ID: f.ID, ComponentID: f.ComponentID, Name: f.Name, ContentType: f.ContentType, Size: f.Size,
		SHA256: f.SHA256, UploadedBy: f.UploadedBy, UploadedAt: vn(f.UploadedAt), Signer: f.Signer, DocCode: f.DocCode}
	if f.Signed() {
		t := vn(f.SignedAt)
		out.SignedAt = &t
	}
	return out
}

// attachFile takes a multipart/form-data body with the fields component_id
// and file.
func (a *API) attachFile(w http.ResponseWriter, r *http.Request) {
	f, err := a.srv.ReceiveFile(w, r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", Prefix+"/dossiers/"+r.PathValue("code")+"/files/"+strconv.FormatInt(f.ID, 10))
	web.WriteJSON(w, http.StatusCreated, fileOf(f))
}

func (a *API) dossierFiles(w http.ResponseWriter, r *http.Request) {
	files, err := a.srv.Service.DossierFiles(r.Context(), r.PathValue("code"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	meta, err := a.srv.Service.FilesMetadata(r.Context(), r.PathValue("code"), a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out := []fileJSON{}
	for _, f := range files {
		j := fileOf(f)
		j.Metadata = metadataOf(meta[f.ID])
		out = append(out, j)
	}
	web.WriteJSON(w, http.StatusOK, out)
}

func (a *API) dossierFile(w http.ResponseWriter, r *http.Request) { a.srv.SendFile(w, r) }
