package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
)

// budget is the most a staff page may weigh with its stylesheet and
// script: communes have weak lines and old computers.
const budget = 100 * 1024

// pageCheck is one page fetched as one user.
type pageCheck struct {
	user  string // "" for the public
	path  string
	staff bool
}

// TestPagesWorkWithoutScriptHaveLabelsAndStayLight fetches every page as
// the user who would open it and checks, on the parsed HTML, that:
//   - it is a Vietnamese page (lang="vi", a title, a heading, NFC text);
//   - every form control has a label (label for=id, a wrapping label, or
//     aria-label), and ids are unique;
//   - it works without script: no inline script or event handler, no
//     "javascript:" link, and every form has a method and an action that
//     a handler answers (not 404 or 405);
//   - a staff page with its stylesheet and script weighs at most 100 KB.
func TestPagesWorkWithoutScriptHaveLabelsAndStayLight(t *testing.T) {
	e := newEnv(t)
	khaiSinh := e.procedureID("1.001193")
	guardianship := e.procedureID("1.004837")
	anPhu := e.dossierCodes("H99.101", motcua.StateProcessing, motcua.StateAwaitingSupplement, motcua.StateReceived)
	if len(anPhu) == 0 {
		t.Fatal("no demo dossier at An Phú")
	}
	agency, _, _ := e.svc.Agency(ctx, "H99.101")
	pages := []pageCheck{
		{"", "/", false}, {"", "/thu-tuc", false}, {"", "/thu-tuc?q=dang+ky+khai+sinh", false},
		{"", fmt.Sprintf("/thu-tuc/%d", guardianship), false}, {"", "/tra-cuu", false}, {"", "/bang-tien-do", false},
		{"", "/dang-nhap", false},
		{"motcua.anphu", "/", true}, {"motcua.anphu", "/tiep-nhan", true}, {"motcua.anphu", "/tiep-nhan?q=khai+sinh", true},
		{"motcua.anphu", fmt.Sprintf("/tiep-nhan?thu-tuc=%d", khaiSinh), true},
		{"motcua.anphu", fmt.Sprintf("/tiep-nhan?thu-tuc=%d", guardianship), true},
		{"motcua.anphu", "/hop-thu", true}, {"motcua.anphu", "/ho-so/" + anPhu[0], true}, {"motcua.anphu", "/so-theo-doi", true},
		{"cv.anphu", "/hop-thu", true}, {"cv.anphu", "/ho-so/" + anPhu[0], true},
		{"ct.anphu", "/hop-thu?cua-toi=1", true},
		{"tp.noivu", "/hop-thu", true},
		{"admin", "/quan-tri", true}, {"admin", "/quan-tri/co-quan", true}, {"admin", fmt.Sprintf("/quan-tri/co-quan/%d", agency.ID), true},
		{"admin", "/quan-tri/tai-khoan", true}, {"admin", "/quan-tri/tai-khoan/1", true}, {"admin", "/quan-tri/thu-tuc", true},
		{"admin", fmt.Sprintf("/quan-tri/thu-tuc/%d", guardianship), true}, {"admin", "/quan-tri/thu-tuc/moi", true},
		{"admin", "/quan-tri/lich?nam=2025", true},
		{"", "/thong-ke", false}, {"", "/thong-ke?ky=thang&nam=2025&thang=2", false},
		{"admin", "/bao-cao", true}, {"admin", "/bao-cao/06a", true}, {"admin", "/bao-cao/06a?nguon=live", true},
		{"admin", "/bao-cao/chi-so-766", true}, {"admin", fmt.Sprintf("/bao-cao/chi-so-766?don-vi=%d", agency.ID), true},
		{"admin", "/bao-cao/ho-so?cot=3&don-vi=0&tu=2025-01-01&den=2025-03-10", true},
		{"motcua.anphu", fmt.Sprintf("/bao-cao/ho-so?chi-tieu=766.2.1&don-vi=%d&tu=2025-01-01&den=2025-03-10", agency.ID), true},
	}
	browsers := map[string]*browser{"": e.browser()}
	for _, pc := range pages {
		b, ok := browsers[pc.user]
		if !ok {
			b = e.login(pc.user)
			browsers[pc.user] = b
		}
		t.Run(strings.TrimPrefix(pc.user+pc.path, "/"), func(t *testing.T) {
			r := b.get(pc.path)
			if r.status != http.StatusOK {
				t.Fatalf("status %d:\n%s", r.status, r.body)
			}
			doc, err := html.Parse(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			checkPage(t, doc, r.body)
			// Form targets are tried by a visitor without a session, so
			// that the header's sign-out form does not end the user's.
			for _, f := range forms(doc) {
				checkFormTarget(t, browsers[""], f)
			}
			if pc.staff {
				size := len(r.body)
				for _, src := range assetsOf(doc) {
					a := b.get(src)
					if a.status != http.StatusOK || !strings.Contains(a.header.Get("Cache-Control"), "immutable") {
						t.Errorf("asset %s: %d %q", src, a.status, a.header.Get("Cache-Control"))
					}
					size += len(a.body)
				}
				if size > budget {
					t.Errorf("page with assets weighs %d bytes, over the %d budget", size, budget)
				}
				t.Logf("%s: %d bytes with assets", pc.path, size)
			}
		})
	}
}

// checkPage checks language, title, heading, labels, ids and scripts.
func checkPage(t *testing.T, doc *html.Node, raw string) {
	t.Helper()
	if !norm.NFC.IsNormalString(raw) {
		t.Error("page text is not NFC")
	}
	ids := map[string]int{}
	labelFor := map[string]bool{}
	var controls []*html.Node
	var title, h1 bool
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if id := attr(n, "id"); id != "" {
			ids[id]++
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s %s>: inline event handler", n.Data, a.Key)
			}
			if (a.Key == "href" || a.Key == "action") && strings.HasPrefix(strings.ToLower(a.Val), "javascript:") {
				t.Errorf("<%s %s=%q>: a script link", n.Data, a.Key, a.Val)
			}
		}
		switch n.Data {
		case "html":
			if attr(n, "lang") != "vi" {
				t.Error(`<html> without lang="vi"`)
			}
		case "title":
			title = n.FirstChild != nil && strings.TrimSpace(n.FirstChild.Data) != ""
		case "h1":
			h1 = true
		case "script":
			if attr(n, "src") == "" || n.FirstChild != nil {
				t.Error("inline script")
			}
		case "label":
			if f := attr(n, "for"); f != "" {
				labelFor[f] = true
			}
		case "input", "select", "textarea":
			switch attr(n, "type") {
			case "hidden", "submit", "button", "reset", "image":
				return
			}
			controls = append(controls, n)
		}
	})
	if !title || !h1 {
		t.Errorf("title %v, h1 %v", title, h1)
	}
	for id, n := range ids {
		if n > 1 {
			t.Errorf("id %q used %d times", id, n)
		}
	}
	for _, c := range controls {
		if attr(c, "aria-label") != "" || labelFor[attr(c, "id")] && attr(c, "id") != "" || inside(c, "label") {
			continue
		}
		t.Errorf("<%s name=%q id=%q> has no label", c.Data, attr(c, "name"), attr(c, "id"))
	}
}

// checkFormTarget checks that a form says how it is sent and that its
// action is answered by a handler of that method.
func checkFormTarget(t *testing.T, b *browser, f *html.Node) {
	t.Helper()
	method := strings.ToUpper(attr(f, "method"))
	action := attr(f, "action")
	if method != "GET" && method != "POST" {
		t.Errorf("form %q: method %q", action, method)
		return
	}
	if !strings.HasPrefix(action, "/") {
		t.Errorf("form action %q is not a path of this site", action)
		return
	}
	var r resp
	if method == "GET" {
		r = b.get(action)
	} else {
		r = b.post(action, url.Values{})
	}
	if r.status == http.StatusNotFound || r.status == http.StatusMethodNotAllowed || r.status >= 500 {
		t.Errorf("%s %s: %d, no handler answers the form", method, action, r.status)
	}
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func inside(n *html.Node, tag string) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == tag {
			return true
		}
	}
	return false
}

func forms(doc *html.Node) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			out = append(out, n)
		}
	})
	return out
}

// assetsOf returns the stylesheet and script addresses of a page.
func assetsOf(doc *html.Node) []string {
	var out []string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if n.Data == "link" && attr(n, "rel") == "stylesheet" {
			out = append(out, attr(n, "href"))
		}
		if n.Data == "script" && attr(n, "src") != "" {
			out = append(out, attr(n, "src"))
		}
	})
	return out
}
