// Package sim is a simulator of the national public service portal
// (DVCQG) as motcua's adapter speaks to it: it takes sessions, dossier
// records and progress rows, serves the national catalogue, answers
// lookups, and forwards online dossiers, supplements and withdrawals to
// motcua, signed. It keeps its own state (optionally in a JSON file) and
// can be told to go down, answer slowly or answer errors. It is a
// counterpart for tests and the demo, not the portal: what it does beyond
// integrations.md is motcua's own reading, marked in package dvcqg.
package sim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/dvcqg"
)

// Config configures a simulator.
type Config struct {
	Username string
	Password string
	DstCode  string // the dstcode header every call must carry
	// Secret signs the messages forwarded to InboundURL (motcua's endpoint
	// for them); empty InboundURL: nothing can be forwarded.
	Secret     []byte
	InboundURL string
	// BaseURL is the simulator's own address as motcua reaches it: the
	// DuongDanTaiTepTin of forwarded files is BaseURL + "/files/{id}".
	BaseURL string
	// Catalogue replaces the embedded dataset (a JSON document of the same
	// shape as catalogue.json); nil: the embedded one.
	Catalogue []byte
	// StatePath, when set, is a JSON file the state is kept in across
	// restarts (written atomically after every change).
	StatePath  string
	Clock      func() time.Time
	HTTP       *http.Client  // for forwarding; nil: 30 s timeout
	SessionTTL time.Duration // 0: 30 min
}

// Sim is a running simulator; it implements http.Handler. Its methods are
// safe for concurrent use.
type Sim struct {
	cfg      Config
	cat      *catalogue
	mu       sync.Mutex
	st       *State
	sessions map[string]time.Time
	faults   Faults
	mux      *http.ServeMux
}

// State is what the simulator holds, as /state returns it and StatePath
// keeps it.
type State struct {
	Dossiers  map[string]*Dossier `json:"dossiers"`  // received from motcua, by MaHoSo
	Order     []string            `json:"order"`     // MaHoSo in order of creation
	Forwarded []*Forwarded        `json:"forwarded"` // messages sent to motcua, in order
	Files     map[string]*File    `json:"files"`
	Counts    Counts              `json:"counts"`
	Seq       int                 `json:"seq"` // last national code number issued
	// Changed holds procedures set with SetProcedure, by code.
	Changed map[string]json.RawMessage `json:"changed"`
	Faults  Faults                     `json:"faults"`
}

// Dossier is a dossier record motcua reported, with its progress rows in
// arrival order.
type Dossier struct {
	Record    dvcqg.HoSo `json:"record"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	Updates   int        `json:"updates"`
	Rows      []Row      `json:"rows"`
	// Statuses is every TrangThaiHoSo the record has carried, in order
	// (a repeated status is listed once per change).
	Statuses []int `json:"statuses"`
}

// Row is a progress row as received.
type Row struct {
	dvcqg.TienDo
	ReceivedAt time.Time `json:"received_at"`
	OutOfOrder bool      `json:"out_of_order"` // earlier than a row received before it
	Repeats    int       `json:"repeats"`      // times the same row came again
}

// Forwarded is a message the simulator sent to motcua and motcua's answer.
type Forwarded struct {
	MessageID    string    `json:"message_id"`
	Service      string    `json:"service"`
	NationalCode string    `json:"national_code"`
	At           time.Time `json:"at"`
	Body         string    `json:"body"`
	HTTPStatus   int       `json:"http_status"` // 0: no answer
	Answer       string    `json:"answer"`
	Error        string    `json:"error,omitempty"`
}

// File is a file the simulator serves at /files/{id}.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// Counts are the totals the page and /state show.
type Counts struct {
	Records    int `json:"records"`      // dossier records held
	Creates    int `json:"creates"`      // accepted creates
	Updates    int `json:"updates"`      // accepted updates
	Rows       int `json:"rows"`         // distinct progress rows held
	Repeats    int `json:"repeats"`      // rows received again (accepted once)
	OutOfOrder int `json:"out_of_order"` // rows earlier than one received before
	Refused    int `json:"refused"`      // calls answered with an error_code
	Failed     int `json:"failed"`       // calls failed by a fault switch
}

// Faults are the simulator's fault switches.
type Faults struct {
	Down      bool          `json:"down"`       // answer 503 to every protocol call
	Delay     time.Duration `json:"delay"`      // wait before answering
	ErrorRate float64       `json:"error_rate"` // share of calls answered with error_code 99
	FailNext  int           `json:"fail_next"`  // answer the next N calls with error_code 99
}

// New returns a simulator, loading its state from cfg.StatePath when the
// file exists.
func New(cfg Config) (*Sim, error) {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 30 * time.Minute
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	raw := cfg.Catalogue
	if raw == nil {
		raw = catalogueJSON
	}
	cat, err := loadCatalogue(raw)
	if err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, cat: cat, sessions: map[string]time.Time{}, st: newState()}
	if cfg.StatePath != "" {
		data, err := os.ReadFile(cfg.StatePath)
		switch {
		case errors.Is(err, os.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("sim: read state: %w", err)
		default:
			st := newState()
			if err := json.Unmarshal(data, st); err != nil {
				return nil, fmt.Errorf("sim: state file %s: %w", cfg.StatePath, err)
			}
			if st.Dossiers == nil {
				st.Dossiers = map[string]*Dossier{}
			}
			if st.Files == nil {
				st.Files = map[string]*File{}
			}
			if st.Changed == nil {
				st.Changed = map[string]json.RawMessage{}
			}
			s.st, s.faults = st, st.Faults
			for _, raw := range st.Changed {
				if err := cat.set(raw); err != nil {
					return nil, fmt.Errorf("sim: state file %s: %w", cfg.StatePath, err)
				}
			}
		}
	}
	s.routes()
	return s, nil
}

func newState() *State {
	return &State{Dossiers: map[string]*Dossier{}, Files: map[string]*File{}, Changed: map[string]json.RawMessage{}}
}

// saveLocked writes the state to StatePath atomically (temporary file,
// sync, rename). Callers hold s.mu.
func (s *Sim) saveLocked() error {
	if s.cfg.StatePath == "" {
		return nil
	}
	s.st.Faults = s.faults
	data, err := json.Marshal(s.st)
	if err != nil {
		return err
	}
	dir := filepath.Dir(s.cfg.StatePath)
	f, err := os.CreateTemp(dir, ".sim-state-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), s.cfg.StatePath)
}

// Snapshot returns a deep copy of the state.
func (s *Sim) Snapshot() *State {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Faults = s.faults
	data, _ := json.Marshal(s.st)
	var out State
	_ = json.Unmarshal(data, &out)
	return &out
}

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *Sim) routes() {
	m := http.NewServeMux()
	m.HandleFunc("POST /auth", s.faulty(s.handleAuth))
	m.HandleFunc("POST /integration", s.faulty(s.handleIntegration))
	m.HandleFunc("GET /files/{id}", s.faulty(s.handleFile))
	m.HandleFunc("GET /state", s.handleState)
	m.HandleFunc("POST /control", s.handleControl)
	m.HandleFunc("POST /faults", s.handleFaultsForm)
	m.HandleFunc("POST /submit", s.handleSubmitForm)
	m.HandleFunc("GET /{$}", s.handlePage)
	s.mux = m
}

func randomID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
