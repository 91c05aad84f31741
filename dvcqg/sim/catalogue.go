package sim

import (
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/motcua/motcua/dvcqg"
)

// catalogueJSON is the simulator's national catalogue: the 53 records of
// docs/data/procedures.json, values verbatim (nulls and "N Khác" kept),
// under national-style names; its "about" says what the simulator added.
//
//go:embed catalogue.json
var catalogueJSON []byte

// catalogue serves the procedures as raw JSON, so that what LayThuTuc
// answers is the dataset's record byte for byte in meaning (no value
// rewritten by a Go type on the way).
type catalogue struct {
	mu       sync.Mutex
	agencies []dvcqg.CoQuan
	fields   []dvcqg.LinhVuc
	procs    []json.RawMessage
	index    map[string]int // MaTTHC → position; records without a code are listed only
}

type catalogueFile struct {
	LinhVuc []dvcqg.LinhVuc   `json:"LinhVuc"`
	CoQuan  []dvcqg.CoQuan    `json:"CoQuan"`
	ThuTuc  []json.RawMessage `json:"ThuTuc"`
}

func loadCatalogue(raw []byte) (*catalogue, error) {
	var f catalogueFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("sim: catalogue: %w", err)
	}
	c := &catalogue{agencies: f.CoQuan, fields: f.LinhVuc, index: map[string]int{}}
	for _, p := range f.ThuTuc {
		if err := c.set(p); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// set adds or replaces (by MaTTHC) one procedure.
func (c *catalogue) set(raw json.RawMessage) error {
	var t dvcqg.ThuTuc
	if err := json.Unmarshal(raw, &t); err != nil {
		return fmt.Errorf("sim: catalogue procedure: %w", err)
	}
	if t.TenTTHC == "" {
		return errors.New("sim: catalogue procedure without TenTTHC")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.MaTTHC != nil {
		if i, ok := c.index[*t.MaTTHC]; ok {
			c.procs[i] = raw
			return nil
		}
		c.index[*t.MaTTHC] = len(c.procs)
	}
	c.procs = append(c.procs, raw)
	return nil
}

func (c *catalogue) list() []dvcqg.ThuTucTomTat {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]dvcqg.ThuTucTomTat, 0, len(c.procs))
	for _, raw := range c.procs {
		var t dvcqg.ThuTucTomTat
		_ = json.Unmarshal(raw, &t) // checked by set
		out = append(out, t)
	}
	return out
}

func (c *catalogue) get(code string) (json.RawMessage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	i, ok := c.index[code]
	if !ok {
		return nil, false
	}
	return c.procs[i], true
}

// Procedures returns the catalogue's procedures, decoded.
func (s *Sim) Procedures() []dvcqg.ThuTuc {
	s.cat.mu.Lock()
	defer s.cat.mu.Unlock()
	out := make([]dvcqg.ThuTuc, 0, len(s.cat.procs))
	for _, raw := range s.cat.procs {
		var t dvcqg.ThuTuc
		_ = json.Unmarshal(raw, &t)
		out = append(out, t)
	}
	return out
}

// SetProcedure adds a procedure to the catalogue or replaces the one with
// the same MaTTHC, so that tests and the demo can show a new, changed or
// withdrawn (BaiBo) procedure. The change is kept with the state.
func (s *Sim) SetProcedure(t dvcqg.ThuTuc) error {
	if t.MaTTHC == nil || *t.MaTTHC == "" {
		return errors.New("sim: SetProcedure needs a MaTTHC")
	}
	raw, err := json.Marshal(t)
	if err != nil {
		return err
	}
	if err := s.cat.set(raw); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Changed[*t.MaTTHC] = raw
	return s.saveLocked()
}
