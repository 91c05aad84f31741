package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

type apiText string

func (a apiText) ReadText(context.Context, []byte, string) (string, error) { return string(a), nil }

// TestScanMetadataAndSearchAPI: an officer who handles the dossier
// confirms a file's metadata (bad fields answered by name, a supervisor
// refused), the file list then carries it, and the scan's text is found
// without accents by those who may see the dossier only.
func TestScanMetadataAndSearchAPI(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnvWith(t, eng, vn(2025, 3, 10, 9, 0), func(c *service.Config) {
			c.Text = apiText("GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nSố: CS 01234\nCấp cho ông Trần Văn Bình")
		})
		counter, specialist, sup, other := e.login("motcua.anphu"), e.login("cv.anphu"), e.login("giamsat.tinh"), e.login("motcua.hoabinh")
		code, comp := e.receive()
		r := e.upload(code, counter, fmt.Sprint(comp), "gcn.pdf", []byte("%PDF-1.7\n%%EOF\n"))
		if r.status != http.StatusCreated {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		var f struct{ ID int64 }
		r.decode(t, &f)
		if _, err := e.svc.ReadScans(context.Background()); err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/dossiers/%s/files/%d/metadata", code, f.ID)
		in := map[string]string{"doc_type": "Giấy chứng nhận quyền sử dụng đất", "number_symbol": "CS 01234", "issued_on": "15/01/2020",
			"issuer": "Sở Tài nguyên và Môi trường", "signer": "", "valid_until": "", "summary": ""}
		bad := map[string]string{}
		for k, v := range in {
			bad[k] = v
		}
		bad["issued_on"] = "2020-01-15"
		r = e.call("PUT", path, specialist, bad, nil)
		expectError(t, r, http.StatusUnprocessableEntity, "bad_metadata")
		var body struct{ Fields map[string]string }
		r.decode(t, &body)
		if body.Fields["issued_on"] == "" {
			t.Errorf("fields: %v", body.Fields)
		}
		expectError(t, e.call("PUT", path, sup, in, nil), http.StatusForbidden, "not_handling")
		expectError(t, e.call("PUT", path, other, in, nil), http.StatusNotFound, "dossier_not_found")
		r = e.call("PUT", path, specialist, in, nil)
		if r.status != http.StatusOK {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}
		var list []struct {
			ID       int64
			Metadata *struct {
				DocType  string `json:"doc_type"`
				IssuedOn string `json:"issued_on"`
			}
		}
		e.call("GET", "/dossiers/"+code+"/files", sup, nil, nil).decode(t, &list)
		if len(list) != 1 || list[0].Metadata == nil || list[0].Metadata.IssuedOn != "2020-01-15" || list[0].Metadata.DocType != in["doc_type"] {
			t.Errorf("files: %+v", list)
		}
		var page struct {
			Hits []struct {
				DossierCode string `json:"dossier_code"`
				Snippet     string
			}
			More bool
		}
		e.call("GET", "/scans/search?q=tran+van+binh", specialist, nil, nil).decode(t, &page)
		if len(page.Hits) != 1 || page.Hits[0].DossierCode != code {
			t.Errorf("search: %+v", page)
		}
		e.call("GET", "/scans/search?q=tran+van+binh", other, nil, nil).decode(t, &page)
		if len(page.Hits) != 0 {
			t.Errorf("another commune finds: %+v", page)
		}
		expectError(t, e.call("GET", "/scans/search?q=", specialist, nil, nil), http.StatusUnprocessableEntity, "empty_query")
		expectError(t, e.call("GET", "/scans/search?q=dat&page=x", specialist, nil, nil), http.StatusUnprocessableEntity, "parameter_malformed")
	})
}
