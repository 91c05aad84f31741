package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// scanTextData is the text read from a scan and the metadata it suggests.
type scanTextData struct {
	Code string
	ID   int64
	T    *service.ScanText
}

// scanText shows, to those who see the dossier, the text OCR read from one
// of its scans and the Art.19(2) metadata proposed from it (a proposal:
// nothing is recorded from it).
func (u *UI) scanText(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	code := r.PathValue("code")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "file_not_found", "Không tìm thấy tài liệu điện tử."))
		return
	}
	t, err := u.srv.Service.FileText(r.Context(), code, id, u.srv.ClientIP(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "scantext", &page{Title: "Văn bản nhận dạng từ bản quét", Section: "inbox",
		Data: scanTextData{Code: code, ID: id, T: t}})
}
