// Package sim is a simulator of an SMS gateway: it speaks package sms's
// JSON API over real HTTP, checks the API key, the number (a Vietnamese
// mobile number) and the text, keeps every message it accepted (in memory,
// optionally in a JSON file), de-duplicates on the client's id, lists the
// messages on a Vietnamese page as a phone would show them, and can be told
// to go down, answer slowly, throttle or refuse every number. motcua's
// tests and demo send their notices to it.
package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sms"
)

// Config configures a simulator.
type Config struct {
	APIKey string
	// StateFile, if set, keeps the messages across restarts.
	StateFile string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Faults are the failures the simulator can be told to show.
type Faults struct {
	Down      bool `json:"down"`       // 503 to every message
	Throttle  bool `json:"throttle"`   // 429 to every message
	SlowMS    int  `json:"slow_ms"`    // delay before each answer
	RejectAll bool `json:"reject_all"` // 400 invalid_number to every message
}

// Message is one message the gateway accepted.
type Message struct {
	ID         string    `json:"id"`
	To         string    `json:"to"`
	Text       string    `json:"text"`
	Sender     string    `json:"sender,omitempty"`
	AcceptedAt time.Time `json:"accepted_at"`
	// Segments is how many SMS the text takes (UCS-2 when it is not
	// plain ASCII: 70 characters, 67 when concatenated).
	Segments int `json:"segments"`
}

// State is what GET /state returns.
type State struct {
	Messages []*Message `json:"messages"`
	Faults   Faults     `json:"faults"`
	// Refused counts the requests answered with an error, by code.
	Refused map[string]int `json:"refused"`
}

// Sim is the simulator; it is an http.Handler.
type Sim struct {
	cfg     Config
	mux     *http.ServeMux
	mu      sync.Mutex
	msgs    []*Message
	byID    map[string]*Message
	faults  Faults
	refused map[string]int
}

// New returns a simulator, loading cfg.StateFile when it exists.
func New(cfg Config) (*Sim, error) {
	if cfg.APIKey == "" {
		return nil, errors.New("sms sim: an API key is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Sim{cfg: cfg, mux: http.NewServeMux(), byID: map[string]*Message{}, refused: map[string]int{}}
	if cfg.StateFile != "" {
		b, err := os.ReadFile(cfg.StateFile)
		if err == nil {
			var st State
			if err := json.Unmarshal(b, &st); err != nil {
				return nil, fmt.Errorf("sms sim: state file: %w", err)
			}
			for _, m := range st.Messages {
				s.msgs = append(s.msgs, m)
				s.byID[m.ID] = m
			}
			for k, v := range st.Refused {
				s.refused[k] = v
			}
			s.faults = st.Faults
		} else if !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	s.mux.HandleFunc("POST /v1/messages", s.send)
	s.mux.HandleFunc("GET /{$}", s.page)
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

// Messages returns copies of the accepted messages, oldest first.
func (s *Sim) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.msgs))
	for i, m := range s.msgs {
		out[i] = *m
	}
	return out
}

func answer(w http.ResponseWriter, status int, a sms.SendResponse) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(a)
}

// validNumber accepts a Vietnamese mobile number: 0 or +84/84 then nine
// digits, the first of them 3, 5, 7, 8 or 9.
func validNumber(n string) bool {
	switch {
	case strings.HasPrefix(n, "+84"):
		n = n[3:]
	case strings.HasPrefix(n, "84") && len(n) == 11:
		n = n[2:]
	case strings.HasPrefix(n, "0"):
		n = n[1:]
	default:
		return false
	}
	if len(n) != 9 || !strings.ContainsRune("35789", rune(n[0])) {
		return false
	}
	for _, r := range n {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// segments counts the SMS a text takes.
func segments(text string) int {
	n, per, single := utf8.RuneCountInString(text), 153, 160
	for _, r := range text {
		if r > 127 {
			per, single = 67, 70
			break
		}
	}
	if n <= single {
		return 1
	}
	return (n + per - 1) / per
}

func (s *Sim) refuse(w http.ResponseWriter, status int, code, msg string) {
	s.mu.Lock()
	s.refused[code]++
	s.mu.Unlock()
	answer(w, status, sms.SendResponse{Error: code, Message: msg})
}

func (s *Sim) send(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	if f.SlowMS > 0 {
		select {
		case <-time.After(time.Duration(f.SlowMS) * time.Millisecond):
		case <-r.Context().Done():
			return
		}
	}
	switch {
	case f.Down:
		s.refuse(w, http.StatusServiceUnavailable, sms.ErrUnavailable, "Cổng SMS tạm ngừng.")
		return
	case r.Header.Get(sms.APIKeyHeader) != s.cfg.APIKey:
		s.refuse(w, http.StatusUnauthorized, sms.ErrUnauthorized, "Khóa API không đúng.")
		return
	case f.Throttle:
		s.refuse(w, http.StatusTooManyRequests, sms.ErrThrottled, "Gửi quá nhanh.")
		return
	}
	var req sms.SendRequest
	if err := json.NewDecoder(io.LimitReader(r.Body, 16<<10)).Decode(&req); err != nil || req.ID == "" || len(req.ID) > 100 {
		s.refuse(w, http.StatusBadRequest, sms.ErrInvalidText, "Yêu cầu không hợp lệ.")
		return
	}
	if f.RejectAll || !validNumber(req.To) {
		s.refuse(w, http.StatusBadRequest, sms.ErrInvalidNumber, "Số điện thoại không phải số di động Việt Nam.")
		return
	}
	if n := utf8.RuneCountInString(req.Text); n == 0 || n > sms.MaxText || !utf8.ValidString(req.Text) {
		s.refuse(w, http.StatusBadRequest, sms.ErrInvalidText, "Nội dung trống hoặc quá dài.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byID[req.ID]; ok {
		answer(w, http.StatusAccepted, sms.SendResponse{ID: req.ID, Status: "duplicate"})
		return
	}
	m := &Message{ID: req.ID, To: req.To, Text: req.Text, Sender: req.Sender, AcceptedAt: s.cfg.Now().UTC(), Segments: segments(req.Text)}
	s.msgs = append(s.msgs, m)
	s.byID[m.ID] = m
	if err := s.save(); err != nil {
		s.msgs = s.msgs[:len(s.msgs)-1]
		delete(s.byID, m.ID)
		answer(w, http.StatusServiceUnavailable, sms.SendResponse{Error: sms.ErrUnavailable, Message: "Không lưu được tin nhắn."})
		return
	}
	answer(w, http.StatusAccepted, sms.SendResponse{ID: m.ID, Status: "accepted"})
}

// save writes the state file (under s.mu), atomically.
func (s *Sim) save() error {
	if s.cfg.StateFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(State{Messages: s.msgs, Faults: s.faults, Refused: s.refused}, "", " ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(s.cfg.StateFile), "."+filepath.Base(s.cfg.StateFile)+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, s.cfg.StateFile)
}

func (s *Sim) state(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	st := State{Messages: append([]*Message{}, s.msgs...), Faults: s.faults, Refused: map[string]int{}}
	for k, v := range s.refused {
		st.Refused[k] = v
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(st)
}

func (s *Sim) setFaults(w http.ResponseWriter, r *http.Request) {
	var f Faults
	if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&f); err != nil {
		http.Error(w, "faults: "+err.Error(), http.StatusBadRequest)
		return
	}
	s.SetFaults(f)
	w.WriteHeader(http.StatusNoContent)
}

var pageTpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"when": motcua.FormatDateTime,
}).Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Cổng SMS mô phỏng</title>
<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto;padding:0 1rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:.3rem;text-align:left;vertical-align:top}
.f{background:#fee;padding:.5rem}</style></head><body>
<h1>Cổng SMS mô phỏng</h1>
<p>Các tin nhắn motcua đã gửi qua cổng này (mới nhất trước). Đây là bản mô phỏng: không tin nào đến điện thoại thật.</p>
{{if or .Faults.Down .Faults.Throttle .Faults.RejectAll .Faults.SlowMS}}<p class="f">Đang giả lập lỗi:
{{if .Faults.Down}} cổng ngừng hoạt động;{{end}}{{if .Faults.Throttle}} từ chối vì gửi quá nhanh;{{end}}{{if .Faults.RejectAll}} từ chối mọi số;{{end}}{{if .Faults.SlowMS}} trả lời chậm {{.Faults.SlowMS}} ms;{{end}}</p>{{end}}
<p>Đã nhận {{len .Messages}} tin{{range $k, $v := .Refused}}; từ chối {{$v}} yêu cầu ({{$k}}){{end}}.</p>
<table><thead><tr><th>Thời điểm</th><th>Số nhận</th><th>Nội dung</th><th>Số tin</th></tr></thead><tbody>
{{range .Rev}}<tr><td>{{when .AcceptedAt}}</td><td>{{.To}}</td><td>{{.Text}}</td><td>{{.Segments}}</td></tr>
{{else}}<tr><td colspan="4">Chưa có tin nhắn nào.</td></tr>{{end}}
</tbody></table></body></html>`))

func (s *Sim) page(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	data := struct {
		State
		Rev []*Message
	}{State: State{Faults: s.faults, Messages: s.msgs, Refused: map[string]int{}}}
	for k, v := range s.refused {
		data.Refused[k] = v
	}
	for i := len(s.msgs) - 1; i >= 0; i-- {
		data.Rev = append(data.Rev, s.msgs[i])
	}
	s.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	pageTpl.Execute(w, data)
}
