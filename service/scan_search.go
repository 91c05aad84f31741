package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/motcua/motcua"
)

// Bounds of a search of scans' text.
const (
	// ScanSearchPageSize is the number of hits on a page.
	ScanSearchPageSize = 20
	// maxScanSearchPage bounds paging: a search that needs more pages
	// needs more words.
	maxScanSearchPage  = 50
	maxScanSearchQuery = 200
	maxScanSearchWords = 8
	// snippet words before and after the first match.
	snippetBefore, snippetAfter = 8, 16
	maxSnippet                  = 300
)

// ScanSearchHit is a scan whose text matched, with a snippet of the text
// around the first match.
type ScanSearchHit struct {
	DossierCode string `json:"dossier_code"`
	FileID      int64  `json:"file_id"`
	FileName    string `json:"file_name"`
	Snippet     string `json:"snippet"`
}

// ScanSearchPage is one page of a search of scans' text.
type ScanSearchPage struct {
	Query string          `json:"query"`
	Page  int             `json:"page"`
	Hits  []ScanSearchHit `json:"hits"`
	// More: a next page exists.
	More bool `json:"more"`
}

// SearchScans finds the scans whose text (read by OCR) holds every word of
// query, accent-insensitively (motcua.SearchWords: "giay khai sinh" finds
// "giấy khai sinh"), among the dossiers u may list: those received at,
// competent at or held by an agency where u works on dossiers, or one u
// supervises (a provincial supervisor: all). Pages of ScanSearchPageSize
// hits, newest scan first, page 1 to 50. The snippets hold personal data:
// each dossier shown is written to the access log. Errors: EUNAUTHORIZED,
// EFORBIDDEN (u works on no dossiers), EINVALID (no word, too long).
func (s *Service) SearchScans(ctx context.Context, query string, page int, ip string) (*ScanSearchPage, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	q, ok := motcua.CleanLine(query, maxScanSearchQuery)
	if !ok {
		return nil, motcua.FieldError("q", "bad_query", fmt.Sprintf("Từ cần tìm có ký tự không hợp lệ hoặc dài quá %d ký tự.", maxScanSearchQuery))
	}
	words := motcua.SearchWords(q)
	switch {
	case len(words) == 0:
		return nil, motcua.FieldError("q", "empty_query", "Vui lòng nhập từ cần tìm trong văn bản bản quét.")
	case len(words) > maxScanSearchWords:
		return nil, motcua.FieldError("q", "long_query", fmt.Sprintf("Vui lòng tìm với tối đa %d từ.", maxScanSearchWords))
	}
	if page < 1 || page > maxScanSearchPage {
		return nil, motcua.FieldError("trang", "bad_page", fmt.Sprintf("Trang phải từ 1 đến %d; hãy thêm từ cần tìm để thu hẹp kết quả.", maxScanSearchPage))
	}
	byID, all, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, a := range all {
		if s.mayReadAgency(u, a.ID, byID) {
			ids = append(ids, a.ID)
		}
	}
	if len(ids) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "no_dossiers", "Bạn không xử lý hay giám sát hồ sơ nào nên không tìm được trong bản quét.")
	}
	search := motcua.ScanSearch{Words: words, AgencyIDs: ids, AllAgencies: len(ids) == len(all),
		Limit: ScanSearchPageSize, Offset: (page - 1) * ScanSearchPageSize}
	var hits []*motcua.ScanHit
	out := &ScanSearchPage{Query: q, Page: page, Hits: []ScanSearchHit{}}
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		hits, out.More, err = tx.SearchScans(ctx, search)
		return err
	}); err != nil {
		return nil, err
	}
	now, seen := s.now(), map[int64]bool{}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		for _, h := range hits {
			if seen[h.DossierID] {
				continue
			}
			seen[h.DossierID] = true
			if err := tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditViewPersonalData, DossierID: h.DossierID,
				Detail: fmt.Sprintf("scan text search %q: snippets of dossier %s", q, h.DossierCode), IP: ip}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("audit scan search: %w", err)
	}
	for _, h := range hits {
		out.Hits = append(out.Hits, ScanSearchHit{DossierCode: h.DossierCode, FileID: h.FileID, FileName: h.FileName, Snippet: Snippet(h.Text, words)})
	}
	return out, nil
}

// Snippet is the part of text around where the words of the query are
// closest together: the first place where a run of a few of its words
// holds the most of them, with a few words before and after and "…"
// where text goes on; at most maxSnippet characters. It is the start of
// text when no word matches.
func Snippet(text string, words []string) string {
	fields := strings.FieldsFunc(text, unicode.IsSpace)
	// The query word each field holds (-1: none).
	hit := make([]int, len(fields))
	for i, f := range fields {
		hit[i] = -1
		for _, w := range motcua.SearchWords(f) {
			if j := slices.Index(words, w); j >= 0 {
				hit[i] = j
				break
			}
		}
	}
	span := 2 * len(words)
	at, best := 0, 0
	seen := make([]bool, len(words))
	for i := range fields {
		if hit[i] < 0 {
			continue
		}
		clear(seen)
		n := 0
		for _, h := range hit[i:min(i+span, len(hit))] {
			if h >= 0 && !seen[h] {
				seen[h] = true
				n++
			}
		}
		if n > best {
			at, best = i, n
		}
	}
	from, to := max(at-snippetBefore, 0), min(at+snippetAfter+1, len(fields))
	out := strings.Join(fields[from:to], " ")
	if r := []rune(out); len(r) > maxSnippet {
		out, to = string(r[:maxSnippet]), len(fields)+1
	}
	if from > 0 {
		out = "… " + out
	}
	if to != len(fields) {
		out += " …"
	}
	return out
}
