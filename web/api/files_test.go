package api_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// receive takes a guardianship dossier at An Phú's counter, through the
// service, and returns its code and first component.
func (e *env) receive() (string, int64) {
	e.t.Helper()
	ctx := context.Background()
	var u *motcua.User
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "motcua.anphu"); return err }); err != nil {
		e.t.Fatal(err)
	}
	p, err := e.svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		e.t.Fatal(err)
	}
	_, points, _ := e.svc.Agency(ctx, "H99.101")
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Lê Thị Kim Oanh", IDNumber: "001193012345", Phone: "0912000777"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	res, err := e.svc.ReceiveDossier(motcua.NewContextWithUser(ctx, u), "", n)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.Dossier.Code, res.Dossier.Components[0].ComponentID
}

// upload posts a multipart body with component_id and file, validated
// against the OpenAPI document like every other call.
func (e *env) upload(code, token, component, name string, body []byte) response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if component != "" {
		mw.WriteField("component_id", component)
	}
	if body != nil {
		fw, _ := mw.CreateFormFile("file", name)
		fw.Write(body)
	}
	mw.Close()
	raw := buf.Bytes()
	req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/dossiers/"+code+"/files", bytes.NewReader(raw))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	e.validate(req, raw, resp, out)
	return response{status: resp.StatusCode, body: out, header: resp.Header}
}

// TestFileUploadAndDownload uploads a scan as multipart/form-data and
// downloads it back, byte for byte, with the headers that keep browsers
// from running it; listing, refusals and the audit of the download.
func TestFileUploadAndDownload(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		counter, specialist, other := e.login("motcua.anphu"), e.login("cv.anphu"), e.login("motcua.hoabinh")
		code, comp := e.receive()
		scan := make([]byte, 300_000)
		rand.Read(scan)
		copy(scan, "%PDF-1.7\n")

		r := e.upload(code, counter, fmt.Sprint(comp), "Tờ khai giám hộ.pdf", scan)
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		var f struct {
			ID          int64
			Name        string
			ContentType string `json:"content_type"`
			Size        int64
		}
		r.decode(t, &f)
		if f.Name != "Tờ khai giám hộ.pdf" || f.ContentType != "application/pdf" || f.Size != int64(len(scan)) ||
			r.header.Get("Location") != fmt.Sprintf("/api/v1/dossiers/%s/files/%d", code, f.ID) {
			t.Errorf("uploaded %+v, location %q", f, r.header.Get("Location"))
		}

		var list []struct{ ID int64 }
		e.call("GET", "/dossiers/"+code+"/files", specialist, nil, nil).decode(t, &list)
		if len(list) != 1 || list[0].ID != f.ID {
			t.Errorf("list: %+v", list)
		}
		expectError(t, e.call("GET", "/dossiers/"+code+"/files", other, nil, nil), http.StatusNotFound, "dossier_not_found")

		d := e.call("GET", fmt.Sprintf("/dossiers/%s/files/%d", code, f.ID), specialist, nil, nil)
		if d.status != http.StatusOK || !bytes.Equal(d.body, scan) {
			t.Fatalf("download: %d, %d bytes, equal %v", d.status, len(d.body), bytes.Equal(d.body, scan))
		}
		if d.header.Get("Content-Type") != "application/pdf" || d.header.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment;") || !strings.Contains(d.header.Get("Content-Disposition"), "filename*=utf-8''T%E1%BB%9D") {
			t.Errorf("download headers: %v", d.header)
		}
		var audits []*motcua.AuditEntry
		e.db.Read(context.Background(), func(tx motcua.Tx) (err error) {
			audits, err = tx.AuditEntries(context.Background(), motcua.AuditFilter{Action: motcua.AuditViewPersonalData, Limit: 5})
			return err
		})
		if len(audits) == 0 || !strings.Contains(audits[0].Detail, fmt.Sprintf("file %d", f.ID)) {
			t.Errorf("the download was not audited: %+v", audits)
		}
		expectError(t, e.call("GET", fmt.Sprintf("/dossiers/%s/files/%d", code, f.ID), other, nil, nil), http.StatusNotFound, "dossier_not_found")
		expectError(t, e.call("GET", fmt.Sprintf("/dossiers/%s/files/%d", code, f.ID+7), specialist, nil, nil), http.StatusNotFound, "file_not_found")

		// Refusals: the type is the content's, not the name's; a specialist
		// not yet acting; no file; no component.
		expectError(t, e.upload(code, counter, fmt.Sprint(comp), "scan.pdf", []byte("MZ\x90\x00 not a pdf")), http.StatusUnprocessableEntity, "file_type_not_allowed")
		expectError(t, e.upload(code, specialist, fmt.Sprint(comp), "scan.pdf", scan), http.StatusForbidden, "not_permitted")
		expectError(t, e.upload(code, other, fmt.Sprint(comp), "scan.pdf", scan), http.StatusNotFound, "dossier_not_found")
		expectError(t, e.upload(code, counter, fmt.Sprint(comp), "", nil), http.StatusUnprocessableEntity, "file_missing")
		expectError(t, e.upload(code, counter, "", "scan.pdf", scan), http.StatusUnprocessableEntity, "component_malformed")
		big := make([]byte, 21<<20)
		copy(big, "%PDF-1.7\n")
		b := expectError(t, e.upload(code, counter, fmt.Sprint(comp), "big.pdf", big), http.StatusRequestEntityTooLarge, "file_too_large")
		if !strings.Contains(b.Fields["file"], "20 MB") {
			t.Errorf("too large: %+v", b)
		}
	})
}
