// Package sim is a simulator of the national payment platform: it speaks
// the protocol of package payment over real HTTP, keeps its own
// transactions (in memory, optionally in a JSON file), shows the payer a
// page to pay or cancel, pushes the signed confirmation to motcua, and can
// be told to go down, answer slowly, drop confirmations or sign its answers
// wrongly. motcua's adapter tests and demo run against it.
package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/payment"
)

// Config configures a simulator.
type Config struct {
	// Partner and Secret are the partner code and key motcua uses.
	Partner string
	Secret  string
	// CallbackURL is where confirmations are POSTed (motcua's callback
	// endpoint); empty sends none.
	CallbackURL string
	// ReturnURL is where the payer's browser goes after paying or
	// cancelling; the reference is added as ?ref=….
	ReturnURL string
	// BaseURL is the simulator's own public URL, for payment page links;
	// empty takes it from each request's Host.
	BaseURL string
	// StateFile, if set, keeps the transactions across restarts.
	StateFile string
	// Retries is how many times a confirmation is tried (default 3).
	Retries int
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// HTTP sends the confirmations; nil means a client with a 5 s timeout.
	HTTP *http.Client
}

// Faults are the failures the simulator can be told to show.
type Faults struct {
	// Down answers every protocol message and payment page with 503.
	Down bool `json:"down"`
	// SlowMS delays every protocol answer by this many milliseconds.
	SlowMS int `json:"slow_ms"`
	// DropCallback takes payments without sending the confirmation, so
	// that only a QUERY finds out.
	DropCallback bool `json:"drop_callback"`
	// ForgeAnswers signs protocol answers with a wrong key.
	ForgeAnswers bool `json:"forge_answers"`
}

// Txn is one transaction the simulator holds.
type Txn struct {
	Reference     string            `json:"reference"`
	TransactionID string            `json:"transaction_id"`
	Amount        int64             `json:"amount"`
	Description   string            `json:"description"`
	DossierCode   string            `json:"dossier_code"`
	ProcedureCode string            `json:"procedure_code"`
	AgencyCode    string            `json:"agency_code"`
	Fees          []payment.FeeLine `json:"fees"`
	State         string            `json:"state"` // a motcua.PaymentState
	CreatedAt     time.Time         `json:"created_at"`
	PaidAt        time.Time         `json:"paid_at,omitzero"`
	BillNumber    string            `json:"bill_number,omitempty"`
	// Callbacks counts the confirmation attempts; CallbackOK says whether
	// one was answered with MaLoi "00".
	Callbacks  int  `json:"callbacks"`
	CallbackOK bool `json:"callback_ok"`
}

// State is what GET /state returns.
type State struct {
	Transactions []*Txn `json:"transactions"`
	Faults       Faults `json:"faults"`
}

// Sim is the simulator; it is an http.Handler.
type Sim struct {
	cfg    Config
	mux    *http.ServeMux
	mu     sync.Mutex
	txns   map[string]*Txn
	faults Faults
	seq    int
}

// New returns a simulator, loading cfg.StateFile when it exists.
func New(cfg Config) (*Sim, error) {
	if cfg.Partner == "" || cfg.Secret == "" {
		return nil, errors.New("payment sim: partner and secret are required")
	}
	if cfg.Retries <= 0 {
		cfg.Retries = 3
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 5 * time.Second}
	}
	s := &Sim{cfg: cfg, mux: http.NewServeMux(), txns: map[string]*Txn{}}
	if cfg.StateFile != "" {
		b, err := os.ReadFile(cfg.StateFile)
		if err == nil {
			var st State
			if err := json.Unmarshal(b, &st); err != nil {
				return nil, fmt.Errorf("payment sim: state file: %w", err)
			}
			for _, t := range st.Transactions {
				s.txns[t.Reference] = t
			}
			// Each transaction drew at most two numbers (its id and its
			// bill): start past them so that none is given twice.
			s.seq = 2 * len(st.Transactions)
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	s.mux.HandleFunc("POST /{$}", s.message)
	s.mux.HandleFunc("GET /{$}", s.home)
	s.mux.HandleFunc("GET /pay/{ref}", s.payPage)
	s.mux.HandleFunc("POST /pay/{ref}", s.pay)
	s.mux.HandleFunc("GET /bill/{ref}", s.bill)
	s.mux.HandleFunc("GET /state", s.state)
	s.mux.HandleFunc("POST /faults", s.setFaults)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// SetFaults replaces the faults shown.
func (s *Sim) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	s.mu.Unlock()
}

// Transaction returns a copy of the transaction with reference ref.
func (s *Sim) Transaction(ref string) (Txn, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.txns[ref]
	if !ok {
		return Txn{}, false
	}
	return *t, true
}

func (s *Sim) currentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// save writes the state file (under s.mu), atomically.
func (s *Sim) save() error {
	if s.cfg.StateFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(s.snapshot(), "", " ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(s.cfg.StateFile), "."+filepath.Base(s.cfg.StateFile)+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.cfg.StateFile)
}

// snapshot lists the transactions by creation (under s.mu).
func (s *Sim) snapshot() State {
	st := State{Faults: s.faults, Transactions: []*Txn{}}
	for _, t := range s.txns {
		c := *t
		st.Transactions = append(st.Transactions, &c)
	}
	sort.Slice(st.Transactions, func(i, j int) bool {
		a, b := st.Transactions[i], st.Transactions[j]
		return a.CreatedAt.Before(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.Reference < b.Reference)
	})
	return st
}

func (s *Sim) state(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st := s.snapshot()
	s.mu.Unlock()
	writeJSON(w, st)
}

func (s *Sim) setFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&f); err != nil {
		http.Error(w, "bad faults", http.StatusBadRequest)
		return
	}
	s.SetFaults(f)
	writeJSON(w, f)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (s *Sim) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return strings.TrimRight(s.cfg.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// sign signs an answer, wrongly when told to forge.
func (s *Sim) sign(m payment.Message) {
	key := s.cfg.Secret
	if s.currentFaults().ForgeAnswers {
		key = "not-the-key"
	}
	payment.Sign(m, key)
}

// callback pushes the confirmation of t, retrying; it records the attempts.
func (s *Sim) callback(t Txn) {
	if s.cfg.CallbackURL == "" || s.currentFaults().DropCallback {
		return
	}
	m := payment.Callback{MaDoiTac: s.cfg.Partner, MaThamChieu: t.Reference, MaGiaoDich: t.TransactionID,
		SoTien: payment.Amount(t.Amount), MaLoi: "01", TrangThaiGD: payment.StateCode(motcua.PaymentState(t.State))}
	if t.State == string(motcua.PaymentPaid) {
		m.MaLoi, m.ThoiGianThanhToan = payment.CodeOK, payment.FormatTime(t.PaidAt)
	}
	payment.Sign(&m, s.cfg.Secret)
	body, _ := json.Marshal(m)
	ok := false
	n := 0
	for n < s.cfg.Retries && !ok {
		if n > 0 {
			time.Sleep(time.Duration(100<<n) * time.Millisecond)
		}
		n++
		resp, err := s.cfg.HTTP.Post(s.cfg.CallbackURL, "application/json", bytes.NewReader(body))
		if err != nil {
			continue
		}
		var a payment.CallbackAnswer
		json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&a)
		resp.Body.Close()
		ok = resp.StatusCode == http.StatusOK && a.MaLoi == payment.CodeOK
	}
	s.mu.Lock()
	if cur, found := s.txns[t.Reference]; found {
		cur.Callbacks += n
		cur.CallbackOK = cur.CallbackOK || ok
		s.save()
	}
	s.mu.Unlock()
}
