// Package sim is a simulator of the national population database as
// motcua's adapter (package popdb) speaks to it: the JSON rendering of the
// register's services, signed both ways with a shared secret. It keeps its
// own register, generated from a seed (a few thousand citizens in
// households, with parents, spouses, marital status, addresses with codes,
// some deceased, VNeID levels), and can be told to go down, answer slowly,
// answer unsigned, or answer for another person than the one asked (to
// test the adapter's checks). It is a counterpart for tests and the demo,
// not the register.
package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/popdb"
)

// Config configures a simulator.
type Config struct {
	// Secret authenticates requests and signs answers.
	Secret []byte
	// Integration is the MaTichHop the simulator accepts; empty: any.
	Integration string
	// Seed and Households make the register (0 households: 1000, about
	// 3000 citizens). The same seed gives the same citizens.
	Seed       int64
	Households int
	// Today is the date ages are counted from (zero: 1 January 2026), so
	// that the data does not depend on when it is generated.
	Today time.Time
	Clock func() time.Time // nil: time.Now; for signatures
}

// Faults are the simulator's fault switches.
type Faults struct {
	Down  bool          `json:"down"`  // every call answers 503
	Delay time.Duration `json:"delay"` // every call waits this long first
	// Impersonate answers every lookup with another citizen's record.
	Impersonate bool `json:"impersonate"`
	// Unsigned answers without a signature.
	Unsigned bool `json:"unsigned"`
}

// Call is one request the simulator answered, for tests to read what the
// adapter sent.
type Call struct {
	Service string       `json:"service"`
	Request popdb.YeuCau `json:"request"`
	Code    string       `json:"code"`
}

// Sim is a running simulator; it implements http.Handler. Its methods are
// safe for concurrent use.
type Sim struct {
	cfg    Config
	mu     sync.Mutex
	d      *data
	faults Faults
	calls  []Call
	mux    *http.ServeMux
}

// New generates the register and returns the simulator.
func New(cfg Config) *Sim {
	if cfg.Households <= 0 {
		cfg.Households = 1000
	}
	if cfg.Today.IsZero() {
		cfg.Today = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	s := &Sim{cfg: cfg, d: generate(cfg.Seed, cfg.Households, cfg.Today), mux: http.NewServeMux()}
	for _, svc := range popdb.Services {
		s.mux.HandleFunc("POST /"+svc, func(w http.ResponseWriter, r *http.Request) { s.serve(w, r, svc) })
	}
	s.mux.HandleFunc("POST /control", s.handleControl)
	s.mux.HandleFunc("GET /citizens", s.handleCitizens)
	return s
}

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Len returns how many citizens the register holds.
func (s *Sim) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.d.order)
}

// Citizen returns a copy of a citizen's record and whether it exists.
func (s *Sim) Citizen(id string) (popdb.CongDan, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.d.people[id]
	if !ok {
		return popdb.CongDan{}, false
	}
	return *c, true
}

// Find returns the ID numbers of the citizens for which keep is true, in
// creation order, at most n.
func (s *Sim) Find(n int, keep func(popdb.CongDan) bool) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, id := range s.d.order {
		if len(out) >= n {
			break
		}
		if keep(*s.d.people[id]) {
			out = append(out, id)
		}
	}
	return out
}

// Put adds or replaces a citizen (alone in a household of their own when
// their book is new), for tests and the demo's known people.
func (s *Sim) Put(c popdb.CongDan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := c
	if _, ok := s.d.people[c.SoDinhDanh]; !ok {
		s.d.order = append(s.d.order, c.SoDinhDanh)
	}
	s.d.people[c.SoDinhDanh] = &cp
	if c.SoSoHoKhau != "" {
		h := s.d.households[c.SoSoHoKhau]
		if h == nil {
			h = &popdb.HoGiaDinh{SoSoHoKhau: c.SoSoHoKhau, DiaChi: c.ThuongTru}
			s.d.households[c.SoSoHoKhau] = h
		}
		rel := "Chủ hộ"
		if c.ChuHo != nil && c.ChuHo.QuanHe != "" {
			rel = c.ChuHo.QuanHe
		}
		h.ThanhVien = slices.DeleteFunc(h.ThanhVien, func(m popdb.NguoiThan) bool { return m.SoDinhDanh == c.SoDinhDanh })
		h.ThanhVien = append(h.ThanhVien, popdb.NguoiThan{SoDinhDanh: c.SoDinhDanh, HoVaTen: popdb.FullName(c.HoVaTen), QuocTich: c.QuocTich, QuanHe: rel})
	}
}

// Calls returns the requests answered so far, oldest first.
func (s *Sim) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls)
}

// SetFaults replaces the fault switches.
func (s *Sim) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Faults returns the fault switches.
func (s *Sim) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// maxRequest caps a request body.
const maxRequest = 16 << 10

// serve answers one call of service: authenticate, read, look up, answer
// signed.
func (s *Sim) serve(w http.ResponseWriter, r *http.Request, service string) {
	f := s.Faults()
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return
		}
	}
	if f.Down {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequest+1))
	if err != nil || len(body) > maxRequest {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	var req popdb.YeuCau
	if !popdb.Verify(s.cfg.Secret, r.Header.Get(popdb.HeaderTimestamp), body, r.Header.Get(popdb.HeaderSignature), s.cfg.Clock()) ||
		(s.cfg.Integration != "" && r.Header.Get(popdb.HeaderClient) != s.cfg.Integration) {
		_ = json.Unmarshal(body, &req)
		s.answer(w, service, req, popdb.TraLoi{MaYeuCau: req.MaYeuCau, MaLoi: popdb.CodeUnauthentic, MoTaLoi: "Yêu cầu không được xác thực."}, f)
		return
	}
	if err := json.Unmarshal(body, &req); err != nil || len(req.SoDinhDanh) != 12 || strings.Trim(req.SoDinhDanh, "0123456789") != "" ||
		req.MaYeuCau == "" || len(req.MaYeuCau) > 40 {
		s.answer(w, service, req, popdb.TraLoi{MaYeuCau: req.MaYeuCau, MaLoi: popdb.CodeBadRequest, MoTaLoi: "Yêu cầu không hợp lệ."}, f)
		return
	}
	s.answer(w, service, req, s.lookUp(service, req, f), f)
}

// lookUp makes the answer to a valid request.
func (s *Sim) lookUp(service string, req popdb.YeuCau, f Faults) popdb.TraLoi {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := popdb.TraLoi{MaYeuCau: req.MaYeuCau, MaLoi: popdb.CodeOK}
	c, ok := s.d.people[req.SoDinhDanh]
	if !ok {
		a.MaLoi, a.MoTaLoi = popdb.CodeNotFound, "Không tìm thấy công dân."
		return a
	}
	if (req.HoVaTen != "" && !strings.EqualFold(strings.Join(strings.Fields(req.HoVaTen), " "), popdb.FullName(c.HoVaTen))) ||
		(req.NgayThangNamSinh != "" && !strings.HasPrefix(c.NgayThangNamSinh, req.NgayThangNamSinh)) {
		a.MaLoi, a.MoTaLoi = popdb.CodeMismatch, "Thông tin không khớp."
		return a
	}
	if f.Impersonate {
		for _, id := range s.d.order {
			if o := s.d.people[id]; o.SoSoHoKhau != c.SoSoHoKhau {
				c = s.d.people[id]
				break
			}
		}
	}
	if service == popdb.ServiceHousehold {
		h := s.d.households[c.SoSoHoKhau]
		if h == nil {
			a.MaLoi, a.MoTaLoi = popdb.CodeNotFound, "Công dân không thuộc hộ gia đình nào."
			return a
		}
		cp := *h
		a.HoGiaDinh = &cp
		return a
	}
	cp := *c
	a.CongDan = &cp
	return a
}

// answer writes a signed answer (unless the Unsigned fault is on) and
// records the call.
func (s *Sim) answer(w http.ResponseWriter, service string, req popdb.YeuCau, a popdb.TraLoi, f Faults) {
	b, _ := json.Marshal(a)
	s.mu.Lock()
	s.calls = append(s.calls, Call{Service: service, Request: req, Code: a.MaLoi})
	if len(s.calls) > 10000 {
		s.calls = s.calls[len(s.calls)-5000:]
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !f.Unsigned {
		ts := strconv.FormatInt(s.cfg.Clock().Unix(), 10)
		w.Header().Set(popdb.HeaderTimestamp, ts)
		w.Header().Set(popdb.HeaderSignature, popdb.Sign(s.cfg.Secret, ts, b))
	}
	w.Write(b)
}

// controlRequest is the body of POST /control; absent fields are left as
// they are.
type controlRequest struct {
	Down        *bool  `json:"down"`
	DelayMS     *int64 `json:"delay_ms"`
	Impersonate *bool  `json:"impersonate"`
	Unsigned    *bool  `json:"unsigned"`
}

// handleControl sets the fault switches from JSON (for scripts and the
// demo) and answers them. It is not part of the register's protocol.
func (s *Sim) handleControl(w http.ResponseWriter, r *http.Request) {
	var c controlRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		http.Error(w, "malformed control request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	if c.Down != nil {
		s.faults.Down = *c.Down
	}
	if c.DelayMS != nil {
		s.faults.Delay = time.Duration(max(*c.DelayMS, 0)) * time.Millisecond
	}
	if c.Impersonate != nil {
		s.faults.Impersonate = *c.Impersonate
	}
	if c.Unsigned != nil {
		s.faults.Unsigned = *c.Unsigned
	}
	f := s.faults
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(f)
}

// handleCitizens lists some citizens (ID number, name, birth date,
// residence) so that a demo user has numbers to type; ?n= bounds the list
// (default 20, at most 200).
func (s *Sim) handleCitizens(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(r.URL.Query().Get("n"))
	if n <= 0 {
		n = 20
	}
	n = min(n, 200)
	type row struct {
		ID, Name, Born, Residence string
	}
	var out []row
	for _, id := range s.Find(n, func(c popdb.CongDan) bool { return c.TrangThai != "2" }) {
		c, _ := s.Citizen(id)
		out = append(out, row{id, popdb.FullName(c.HoVaTen), c.NgayThangNamSinh, c.ThuongTru.DiaChiDayDu})
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}
