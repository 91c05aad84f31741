package service_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestSearchScans: the text of scans is searched without accents, by
// whole words, among the dossiers the officer may list only; hits are
// paged and bounded; each dossier shown is in the access log.
func TestSearchScans(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		texts := []string{"GIẤY KHAI SINH\nHọ và tên: Lê Thị Kim Oanh\nSố: 12/2025/KS-UBND", "TỜ KHAI ĐĂNG KÝ KẾT HÔN\nQuyết định số 7/QĐ-UBND"}
		for i := range 23 {
			texts = append(texts, fmt.Sprintf("BẢN SAO giấy tờ thứ %d của hồ sơ, giấy khai sinh bản sao", i))
		}
		reader := newCountingText(texts...)
		f, _ := newSigningFixture(t, e, func(c *service.Config) { c.Text = reader })
		code, files := attachScans(t, f, len(texts))
		for {
			n, err := f.svc.ReadScans(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		page, err := f.svc.SearchScans(f.as("cv.anphu"), "giay khai sinh le thi kim oanh", 1, "192.0.2.7")
		if err != nil || len(page.Hits) != 1 || page.More {
			t.Fatalf("one scan: %+v %v", page, err)
		}
		h := page.Hits[0]
		if h.DossierCode != code || h.FileID != files[0].ID || !strings.Contains(h.Snippet, "Lê Thị Kim Oanh") {
			t.Errorf("hit %+v", h)
		}
		// A symbol's parts are words: "ubnd" finds "12/2025/KS-UBND" and
		// "7/QĐ-UBND"; "kha" is no word of any text.
		if page, err := f.svc.SearchScans(f.as("cv.anphu"), "UBND", 1, ""); err != nil || len(page.Hits) != 2 {
			t.Errorf("ubnd: %+v %v", page, err)
		}
		if page, err := f.svc.SearchScans(f.as("cv.anphu"), "kha", 1, ""); err != nil || len(page.Hits) != 0 {
			t.Errorf("part of a word: %+v %v", page, err)
		}
		// 24 scans hold "giấy khai sinh": a page of 20, then 4.
		p1, err := f.svc.SearchScans(f.as("giamsat.tinh"), "Giấy khai sinh", 1, "")
		if err != nil || len(p1.Hits) != service.ScanSearchPageSize || !p1.More {
			t.Fatalf("page 1: %d hits, more %v, %v", len(p1.Hits), p1.More, err)
		}
		p2, err := f.svc.SearchScans(f.as("giamsat.tinh"), "giay KHAI sinh", 2, "")
		if err != nil || len(p2.Hits) != 4 || p2.More {
			t.Fatalf("page 2: %+v %v", p2, err)
		}
		seen := map[int64]bool{}
		for _, h := range append(p1.Hits, p2.Hits...) {
			if seen[h.FileID] {
				t.Errorf("file %d on two pages", h.FileID)
			}
			seen[h.FileID] = true
		}
		// Another commune's officer: nothing; an administrator: refused.
		if page, err := f.svc.SearchScans(f.as("motcua.hoabinh"), "giay khai sinh", 1, ""); err != nil || len(page.Hits) != 0 {
			t.Errorf("another commune: %+v %v", page, err)
		}
		if _, err := f.svc.SearchScans(f.as("admin"), "giay khai sinh", 1, ""); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("admin: %v", err)
		}
		for _, q := range []string{"", "  ,.; ", strings.Repeat("a ", 9), strings.Repeat("x", 201)} {
			if _, err := f.svc.SearchScans(f.as("cv.anphu"), q, 1, ""); motcua.ErrorCode(err) != motcua.EINVALID {
				t.Errorf("query %q: %v", q, err)
			}
		}
		if _, err := f.svc.SearchScans(f.as("cv.anphu"), "giay", 51, ""); motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("page 51: %v", err)
		}
		var logged []*motcua.AuditEntry
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			logged, err = tx.AuditEntries(ctx, motcua.AuditFilter{Action: motcua.AuditViewPersonalData, Limit: 100})
			return err
		})
		n := 0
		for _, a := range logged {
			if a.IP == "192.0.2.7" && strings.Contains(a.Detail, "scan text search") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d access-log entries of the first search, want 1", n)
		}
	})
}

// TestSnippet: the snippet is taken where the query's words are together.
func TestSnippet(t *testing.T) {
	text := "Khai báo ở đầu. " + strings.Repeat("chữ ", 40) + "giấy khai sinh của Lê Văn A " + strings.Repeat("đuôi ", 40)
	s := service.Snippet(text, motcua.SearchWords("giay khai sinh"))
	if !strings.Contains(s, "giấy khai sinh của Lê Văn A") || !strings.HasPrefix(s, "… ") || !strings.HasSuffix(s, " …") {
		t.Errorf("snippet %q", s)
	}
	if s := service.Snippet(strings.Repeat("x", 1000), []string{"y"}); len([]rune(s)) > 310 {
		t.Errorf("snippet of %d characters", len([]rune(s)))
	}
}
