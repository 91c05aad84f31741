package ui_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/sign"
)

// parseHTML parses a page.
func parseHTML(t *testing.T, body string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// findAll returns the elements under n for which match is true.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	walk(n, func(x *html.Node) {
		if x.Type == html.ElementNode && match(x) {
			out = append(out, x)
		}
	})
	return out
}

// tagged matches elements by tag and, when class is set, by class.
func tagged(tag, class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		if n.Data != tag {
			return false
		}
		return class == "" || hasClass(n, class)
	}
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// textOf returns the text under n with spaces collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode {
			b.WriteString(x.Data)
			b.WriteByte(' ')
		}
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// child returns the direct element children of n with tag.
func children(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.Data == tag {
			out = append(out, c)
		}
	}
	return out
}

// vnInt reads a count written the Vietnamese way ("1.234").
func vnInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.TrimSpace(s), ".", ""), 10, 64)
	if err != nil {
		t.Fatalf("not a count: %q", s)
	}
	return n
}

// link returns the href of the first link under n ("" if none).
func link(n *html.Node) string {
	if as := findAll(n, tagged("a", "")); len(as) > 0 {
		return attr(as[0], "href")
	}
	return ""
}

var svgRE = regexp.MustCompile(`(?s)<svg\b.*?</svg>`)

// svgsOf parses every inline SVG of a page as XML (a chart that is not
// well-formed fails the test) and returns the text of each.
func svgsOf(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, s := range svgRE.FindAllString(body, -1) {
		d := xml.NewDecoder(bytes.NewReader([]byte(s)))
		var text strings.Builder
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("inline SVG is not well-formed XML: %v\n%s", err, s)
			}
			if c, ok := tok.(xml.CharData); ok {
				text.Write(c)
				text.WriteByte('|')
			}
		}
		out = append(out, text.String())
	}
	return out
}

// allDossiers reads every dossier of the store (the demo province holds a
// few dozen).
func (e *env) allDossiers() []*motcua.Dossier {
	e.t.Helper()
	var ds []*motcua.Dossier
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) {
		ds, err = tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 500})
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	if len(ds) == 500 {
		e.t.Fatal("more dossiers than one read returns: the recount would be partial")
	}
	return ds
}

// agencyByName returns the agencies by name.
func (e *env) agencyByName() map[string]*motcua.Agency {
	e.t.Helper()
	byID, err := e.svc.AgencyIndex(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]*motcua.Agency{}
	for _, a := range byID {
		out[a.Name] = a
	}
	return out
}

// generate adds n generated dossiers over the current year up to the
// test's clock, for lists longer than a page; components are digitized
// through signed scans (demo certificates for every officer).
func (e *env) generate(n int) {
	e.t.Helper()
	cal := e.svc.Calendar()
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	keys, docs := e.t.TempDir(), e.t.TempDir()
	if err := sign.EnsureDemo(keys, vn(2025, 1, 1, 0, 0), "Tỉnh Mẫu", nil); err != nil {
		e.t.Fatal(err)
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		e.t.Fatal(err)
	}
	blobs, err := blob.OpenDir(docs)
	if err != nil {
		e.t.Fatal(err)
	}
	scans := &demo.Scanner{Signer: ring, Blobs: blobs, Page: func(title, subject string, seed uint64) ([]byte, error) {
		var b bytes.Buffer
		err := pdf.WriteScan(&b, pdf.Scan{Title: title, Subject: subject, Seed: seed})
		return b.Bytes(), err
	}, Certify: func(officers []demo.Officer) error {
		var holders []sign.DemoHolder
		for _, o := range officers {
			holders = append(holders, sign.DemoHolder{Username: o.User.Username, Name: o.User.FullName, Organization: o.Agency})
		}
		return sign.EnsureDemo(keys, vn(2025, 1, 1, 0, 0), "Tỉnh Mẫu", holders)
	}}
	if _, err := demo.Generate(ctx, demo.GenerateOptions{Store: e.db, Cal: cal, Rules: motcua.DefaultRules(), Pattern: pattern,
		Dossiers: n, Year: 2025, Now: testNow, Seed: 11, Scans: scans}); err != nil {
		e.t.Fatal(err)
	}
}

// ytd is the current year up to the test's clock, the statistics pages'
// default period.
func ytd() motcua.Period {
	return motcua.Period{From: motcua.DayOf(vn(2025, 1, 1, 12, 0)), To: motcua.DayOf(testNow)}
}

// expectStatus fails unless r has status want.
func expectStatus(t *testing.T, r resp, want int, what string) {
	t.Helper()
	if r.status != want {
		t.Fatalf("%s: status %d, want %d\n%s", what, r.status, want, r.body)
	}
}

// tableRows reads the first table of the section labelled by id: the text
// of each row's header cell → the texts of its other cells.
func tableRows(t *testing.T, doc *html.Node, id string) map[string][]string {
	t.Helper()
	secs := findAll(doc, func(n *html.Node) bool { return n.Data == "section" && attr(n, "aria-labelledby") == id })
	if len(secs) != 1 {
		t.Fatalf("%d sections labelled %q", len(secs), id)
	}
	tables := findAll(secs[0], tagged("table", ""))
	if len(tables) == 0 {
		t.Fatalf("section %q has no table", id)
	}
	out := map[string][]string{}
	for _, tr := range findAll(tables[0], tagged("tr", "")) {
		ths := children(tr, "th")
		if len(ths) != 1 || attr(ths[0], "scope") != "row" {
			continue
		}
		var cells []string
		for _, td := range children(tr, "td") {
			cells = append(cells, textOf(td))
		}
		out[textOf(ths[0])] = cells
	}
	return out
}
