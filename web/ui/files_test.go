package ui_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// receiveGuardianship takes a guardianship dossier at An Phú's counter
// and returns its code and its components.
func (e *env) receiveGuardianship() (string, []motcua.DossierComponent) {
	e.t.Helper()
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
		Applicant: motcua.Applicant{FullName: "Lê Thị Kim Oanh", IDNumber: "001193012345", Phone: "0912000888"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	res, err := e.svc.ReceiveDossier(motcua.NewContextWithUser(ctx, u), "", n)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Dossier.FillComponents(p)
	return res.Dossier.Code, res.Dossier.Components
}

// postFile sends the upload form as a browser without script does: a
// plain multipart POST from the site (site names the Sec-Fetch-Site the
// browser sends).
func (b *browser) postFile(path, site, component, name string, body []byte) resp {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("component_id", component)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(body)
	mw.Close()
	req, _ := http.NewRequest("POST", b.e.ts.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", site)
	if site == "same-origin" {
		req.Header.Set("Origin", b.e.ts.URL)
	} else {
		req.Header.Set("Origin", "https://evil.example")
	}
	return b.do(req)
}

// TestUploadFileWithoutScript uploads a scan from the dossier page's form
// with a plain POST, sees it listed, downloads it, and gets the
// Vietnamese message next to the file field for a wrong type, a missing
// file and a file too big. A cross-site post of the same form is refused,
// and a person who may not act on the dossier sees no form.
func TestUploadFileWithoutScript(t *testing.T) {
	e := newEnv(t)
	code, comps := e.receiveGuardianship()
	counter := e.login("motcua.anphu")
	page := counter.get("/ho-so/" + code)
	doc, err := html.Parse(strings.NewReader(page.body))
	if err != nil {
		t.Fatal(err)
	}
	var form *html.Node
	for _, f := range forms(doc) {
		if attr(f, "action") == "/ho-so/"+code+"/tai-lieu#tai-lieu" {
			form = f
		}
	}
	if form == nil || attr(form, "enctype") != "multipart/form-data" || !strings.Contains(page.body, "Tài liệu điện tử") ||
		!strings.Contains(page.body, comps[0].Name) {
		t.Fatalf("no upload form on the dossier page:\n%s", page.body)
	}
	if strings.Contains(e.login("cv.anphu").get("/ho-so/"+code).body, `action="/ho-so/`+code+`/tai-lieu#tai-lieu"`) {
		t.Error("a specialist who may not act yet is offered the upload form")
	}

	scan := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{7}, 5000)...)
	path := "/ho-so/" + code + "/tai-lieu"
	comp := fmt.Sprint(comps[0].ComponentID)
	if r := counter.postFile(path, "cross-site", comp, "scan.png", scan); r.status != http.StatusForbidden {
		t.Errorf("cross-site upload: %d", r.status)
	}
	r := counter.postFile(path, "same-origin", comp, "Giấy tờ tùy thân.png", scan)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/ho-so/"+code+"?tai-len=1#tai-lieu" {
		t.Fatalf("upload: %d %v\n%s", r.status, r.header, r.body)
	}
	page = counter.get("/ho-so/" + code + "?tai-len=1")
	for _, want := range []string{"Đã tải lên tài liệu điện tử.", "Giấy tờ tùy thân.png", "4,9 KB", "Huỳnh Thị Ngọc", "09:00 ngày 10/03/2025"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the dossier page does not show %q", want)
		}
	}
	link := ""
	doc, _ = html.Parse(strings.NewReader(page.body))
	walk(doc, func(n *html.Node) {
		if n.Data == "a" && strings.HasPrefix(attr(n, "href"), path+"/") {
			link = attr(n, "href")
		}
	})
	d := counter.get(link)
	if d.status != http.StatusOK || d.body != string(scan) || d.header.Get("Content-Type") != "image/png" ||
		!strings.HasPrefix(d.header.Get("Content-Disposition"), "attachment") || d.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("download %q: %d %v", link, d.status, d.header)
	}
	if r := e.login("motcua.hoabinh").get(link); r.status != http.StatusNotFound {
		t.Errorf("another commune downloads the file: %d", r.status)
	}

	big := append([]byte("%PDF-1.7\n"), make([]byte, 21<<20)...)
	for _, c := range []struct {
		name, says string
		body       []byte
		status     int
	}{
		{"virus.pdf", "Chỉ nhận tệp PDF, JPEG hoặc PNG", []byte("MZ\x90\x00"), http.StatusUnprocessableEntity},
		{"", "Chưa chọn tệp", nil, http.StatusUnprocessableEntity},
		{"big.pdf", "Tệp quá lớn: dung lượng tối đa là 20 MB", big, http.StatusRequestEntityTooLarge},
	} {
		r := counter.postFile(path, "same-origin", comp, c.name, c.body)
		if r.status != c.status {
			t.Errorf("%s: %d", c.name, r.status)
			continue
		}
		doc, _ := html.Parse(strings.NewReader(r.body))
		byID := map[string]*html.Node{}
		walk(doc, func(n *html.Node) {
			if id := attr(n, "id"); id != "" {
				byID[id] = n
			}
		})
		checkFieldError(t, byID, fieldError{id: "attach-file", says: c.says})
		if sel := byID["attach-component"]; sel == nil {
			t.Errorf("%s: the form is not shown again", c.name)
		}
	}
	if fs := e.filesOf(code); len(fs) != 1 {
		t.Errorf("%d files recorded, want 1", len(fs))
	}
}

func (e *env) filesOf(code string) []*motcua.DossierFile {
	e.t.Helper()
	var out []*motcua.DossierFile
	e.db.Read(ctx, func(tx motcua.Tx) error {
		d, err := tx.DossierByCode(ctx, code)
		if err != nil {
			return err
		}
		out, err = tx.DossierFiles(ctx, d.ID)
		return err
	})
	return out
}
