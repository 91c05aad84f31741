package service

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// SearchQuery is a catalogue search as the counter and the public pages ask
// it.
type SearchQuery struct {
	// Text is matched without regard to diacritics, case or the i/y
	// spelling variants (motcua.Fold), against the code, name and field.
	Text  string
	Level motcua.AgencyLevel
	// Receivable keeps only procedures that can receive a dossier now
	// (published, legal basis in force, time limit known).
	Receivable bool
	Limit      int
}

// SearchHit is a procedure found, with how well it matched (higher is
// better) and how many dossiers it received in the last twelve months.
type SearchHit struct {
	Procedure *motcua.Procedure
	Score     int
	Usage     int
	// Blocked is why the procedure cannot receive a dossier now and who
	// must act; nil when it can.
	Blocked *ReceiveBlock
}

// Match classes of SearchProcedures, best first.
const (
	scoreCode       = 1000 // the query is the procedure's code
	scoreCodePrefix = 900  // the query starts the code ("1.0011")
	scoreName       = 800  // the query is the name (without "Thủ tục")
	scoreNamePrefix = 700  // the name starts with the query
	scorePhrase     = 600  // the query occurs in the name at a word start
	scoreWordStarts = 500  // every query word starts a word of the name
	scoreAnywhere   = 300  // every query word occurs in code, name or field
	scoreTypo       = 200  // every query word is a word (start) of the name but for one letter
)

// SearchProcedures searches the catalogue (public information) and ranks
// the results for a counter: an exact code first, then names equal to,
// starting with, or containing the query at a word start, then names whose
// words start with every query word, then any match of every word. Within a
// class the procedures that received more dossiers in the last twelve
// months come first (what an officer receives most is what they look for
// most), then shorter names, then by name. Unpublished procedures are found
// only by administrators. The catalogue is ranked in memory: it holds a few
// thousand procedures at most, and the folded index is kept for a minute
// (changes made through this instance refresh it at once).
func (s *Service) SearchProcedures(ctx context.Context, q SearchQuery) ([]SearchHit, error) {
	idx, err := s.catalogueIndex(ctx)
	if err != nil {
		return nil, err
	}
	u := motcua.UserFromContext(ctx)
	admin := u != nil && u.HasRole(motcua.RoleAdmin)
	now := s.now()
	text := motcua.Fold(q.Text)
	words := strings.Fields(text)
	var hits []SearchHit
	for i := range idx.entries {
		e := &idx.entries[i]
		p := e.p
		if (!p.Published && !admin) || (q.Level != "" && p.Level != q.Level) {
			continue
		}
		if q.Receivable && p.CanReceive(now) != nil {
			continue
		}
		score := e.score(text, words)
		if score == 0 {
			continue
		}
		hits = append(hits, SearchHit{Procedure: p, Score: score, Usage: idx.usage[p.ID]})
	}
	slices.SortFunc(hits, func(a, b SearchHit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Usage, a.Usage); c != 0 {
			return c
		}
		ea, eb := idx.byID[a.Procedure.ID], idx.byID[b.Procedure.ID]
		if c := cmp.Compare(len(ea.name), len(eb.name)); c != 0 {
			return c
		}
		if c := cmp.Compare(ea.name, eb.name); c != 0 {
			return c
		}
		return cmp.Compare(a.Procedure.ID, b.Procedure.ID)
	})
	if q.Limit > 0 && len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	for i := range hits {
		hits[i].Blocked = receiveBlock(hits[i].Procedure, now, byID)
	}
	return hits, nil
}

// searchEntry is a procedure with its folded texts.
type searchEntry struct {
	p    *motcua.Procedure
	code string // folded code
	name string // folded name without the leading "thủ tục"
	// words are the words of name; all is the folded code, name and field.
	words []string
	all   string
}

// score is the match class of the folded query (0: no match). An empty
// query matches everything at the lowest class.
func (e *searchEntry) score(q string, words []string) int {
	if q == "" {
		return 1
	}
	if e.code != "" {
		if q == e.code {
			return scoreCode
		}
		if len(q) >= 3 && strings.HasPrefix(e.code, q) && strings.ContainsAny(q, "0123456789") {
			return scoreCodePrefix
		}
	}
	switch {
	case e.name == q:
		return scoreName
	case strings.HasPrefix(e.name, q):
		return scoreNamePrefix
	case strings.Contains(e.name, " "+q):
		return scorePhrase
	}
	misses, missed := 0, ""
	for _, w := range words {
		if !slices.ContainsFunc(e.words, func(nw string) bool { return strings.HasPrefix(nw, w) }) {
			misses, missed = misses+1, w
			if misses > 1 {
				break
			}
		}
	}
	if misses == 0 {
		return scoreWordStarts
	}
	for _, w := range words {
		if !strings.Contains(e.all, w) {
			if misses == 1 {
				return e.typoScore(missed)
			}
			return 0
		}
	}
	return scoreAnywhere
}

// searchIndex is the folded catalogue with each procedure's recent usage.
type searchIndex struct {
	loaded  time.Time
	entries []searchEntry
	byID    map[int64]*searchEntry
	usage   map[int64]int
}

type searchCache struct {
	mu  sync.Mutex
	idx *searchIndex
}

const searchIndexTTL = time.Minute

// catalogueIndex returns the folded catalogue, rebuilding it when older
// than searchIndexTTL or invalidated.
func (s *Service) catalogueIndex(ctx context.Context) (*searchIndex, error) {
	c := &s.search
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.now()
	if c.idx != nil && now.Sub(c.idx.loaded) < searchIndexTTL && now.Sub(c.idx.loaded) >= 0 {
		return c.idx, nil
	}
	idx := &searchIndex{loaded: now, byID: map[int64]*searchEntry{}, usage: map[int64]int{}}
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		for offset := 0; ; offset += 500 {
			page, err := tx.FindProcedures(ctx, motcua.ProcedureFilter{Limit: 500, Offset: offset})
			if err != nil {
				return err
			}
			for _, p := range page {
				name := motcua.Fold(p.Name)
				name = strings.TrimPrefix(name, "thu tuc ")
				idx.entries = append(idx.entries, searchEntry{p: p, code: motcua.Fold(p.Code), name: name,
					words: strings.Fields(name), all: motcua.Fold(p.Code + " " + p.Name + " " + p.FieldName)})
			}
			if len(page) < 500 {
				break
			}
		}
		timings, err := tx.DossierTimings(ctx, now.AddDate(-1, 0, 0), now.Add(time.Millisecond))
		if err != nil {
			return err
		}
		for _, t := range timings {
			if !t.ReceivedAt.Before(now.AddDate(-1, 0, 0)) {
				idx.usage[t.ProcedureID]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range idx.entries {
		idx.byID[idx.entries[i].p.ID] = &idx.entries[i]
	}
	c.idx = idx
	return idx, nil
}

// invalidateSearch drops the folded catalogue after a change.
func (s *Service) invalidateSearch() {
	s.search.mu.Lock()
	s.search.idx = nil
	s.search.mu.Unlock()
	s.published.invalidate(0, s.now())
}
