package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// uploadSlack is what a multipart body may carry beyond the file itself
// (boundaries, part headers, the component field).
const uploadSlack = 64 << 10

// transferTime is how long an upload or a download of a file may take: a
// 20 MB scan over a commune's weak line needs minutes, more than the
// server's deadlines for ordinary requests.
const transferTime = 10 * time.Minute

// ReceiveFile reads a multipart/form-data upload — the fields component_id
// and file, the body bounded with http.MaxBytesReader — and attaches the
// file to the dossier named by the path value code (service.AttachFile).
// The API and the pages both take uploads this way. Errors are domain
// errors, EINVALID on fields component_id and file for bad input.
func (s *Server) ReceiveFile(w http.ResponseWriter, r *http.Request) (*motcua.DossierFile, error) {
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(transferTime))
	max := s.Service.MaxFileSize()
	r.Body = http.MaxBytesReader(w, r.Body, max+uploadSlack)
	// Parts beyond 1 MB wait in temporary files, which the server removes
	// when the request ends.
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, service.FileTooLarge(max)
		}
		return nil, motcua.Errorf(motcua.EINVALID, "body_malformed",
			"Dữ liệu gửi lên phải là multipart/form-data với các trường component_id và file.")
	}
	component, err := strconv.ParseInt(r.FormValue("component_id"), 10, 64)
	if err != nil || component < 0 {
		return nil, motcua.FieldError("component_id", "component_malformed", "Chưa chọn thành phần hồ sơ của tệp.")
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return nil, motcua.FieldError("file", "file_missing", "Chưa chọn tệp để tải lên.")
	}
	defer file.Close()
	return s.Service.AttachFile(r.Context(), r.PathValue("code"), component, header.Filename, file)
}

// SendFile answers with the bytes of the file named by the path values
// code and id (service.OpenFile, which audits the view) as an attachment:
// never shown inline, with the type sniffed at upload, which nosniff keeps
// browsers to. Errors go to the error writer of the path (JSON for the
// API, a page otherwise).
func (s *Server) SendFile(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.writeError(w, r, motcua.Errorf(motcua.ENOTFOUND, "file_not_found", "Không tìm thấy tài liệu điện tử."))
		return
	}
	f, rc, err := s.Service.OpenFile(r.Context(), r.PathValue("code"), id, s.ClientIP(r))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	defer rc.Close()
	WriteAttachment(w, f, rc)
}

// WriteAttachment answers with the bytes of file f read from rc, as an
// attachment (never inline; nosniff; not cached).
func WriteAttachment(w http.ResponseWriter, f *motcua.DossierFile, rc io.Reader) {
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(transferTime))
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": f.Name})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	// Too late for an error page once the bytes flow; a broken copy shows
	// as a short download.
	io.Copy(w, rc)
}

// ReceiveVerification answers a public verification request: a
// multipart/form-data body with a PDF in the field file
// (service.VerifyDocument), or a result's document code in the form or
// query value ma (service.VerifyResultCode). The body is bounded with
// http.MaxBytesReader. Errors are domain errors.
func (s *Server) ReceiveVerification(w http.ResponseWriter, r *http.Request) (*service.DocumentVerification, error) {
	if code := strings.TrimSpace(r.URL.Query().Get("ma")); code != "" && r.Method == http.MethodGet {
		return s.Service.VerifyResultCode(r.Context(), code)
	}
	http.NewResponseController(w).SetReadDeadline(time.Now().Add(transferTime))
	r.Body = http.MaxBytesReader(w, r.Body, service.MaxVerifySize+uploadSlack)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, motcua.FieldError("file", "file_too_large", "Tệp quá lớn: chỉ kiểm tra tệp đến "+service.FormatSize(service.MaxVerifySize)+".")
		}
		return nil, motcua.Errorf(motcua.EINVALID, "body_malformed",
			"Dữ liệu gửi lên phải là multipart/form-data với trường file (tệp PDF) hoặc ma (mã kết quả).")
	}
	if code := strings.TrimSpace(r.FormValue("ma")); code != "" {
		return s.Service.VerifyResultCode(r.Context(), code)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return nil, motcua.FieldError("file", "file_missing", "Chưa chọn tệp PDF hoặc nhập mã kết quả để kiểm tra.")
	}
	defer file.Close()
	return s.Service.VerifyDocument(r.Context(), file)
}
