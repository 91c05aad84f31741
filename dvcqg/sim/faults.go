package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"time"
)

// SetDown makes every protocol call answer 503 (true) or serves again.
func (s *Sim) SetDown(down bool) { s.setFaults(func(f *Faults) { f.Down = down }) }

// SetDelay makes every protocol call wait d before answering.
func (s *Sim) SetDelay(d time.Duration) { s.setFaults(func(f *Faults) { f.Delay = max(d, 0) }) }

// SetErrorRate makes a share p (0–1) of protocol calls answer error_code 99.
func (s *Sim) SetErrorRate(p float64) {
	s.setFaults(func(f *Faults) { f.ErrorRate = min(max(p, 0), 1) })
}

// FailNext makes the next n protocol calls answer error_code 99.
func (s *Sim) FailNext(n int) { s.setFaults(func(f *Faults) { f.FailNext = max(n, 0) }) }

// Faults returns the fault switches.
func (s *Sim) Faults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

func (s *Sim) setFaults(change func(*Faults)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	change(&s.faults)
	_ = s.saveLocked()
}

// controlRequest is the body of POST /control; absent fields are left as
// they are.
type controlRequest struct {
	Down      *bool    `json:"down"`
	DelayMS   *int64   `json:"delay_ms"`
	ErrorRate *float64 `json:"error_rate"`
	FailNext  *int     `json:"fail_next"`
	Expire    bool     `json:"expire_sessions"`
}

// handleControl sets the fault switches from JSON (for tests and scripts)
// and answers the switches.
func (s *Sim) handleControl(w http.ResponseWriter, r *http.Request) {
	var c controlRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 4096))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "malformed", "message": "Yêu cầu điều khiển không hợp lệ: " + err.Error()})
		return
	}
	s.setFaults(func(f *Faults) {
		if c.Down != nil {
			f.Down = *c.Down
		}
		if c.DelayMS != nil {
			f.Delay = time.Duration(max(*c.DelayMS, 0)) * time.Millisecond
		}
		if c.ErrorRate != nil {
			f.ErrorRate = min(max(*c.ErrorRate, 0), 1)
		}
		if c.FailNext != nil {
			f.FailNext = max(*c.FailNext, 0)
		}
	})
	if c.Expire {
		s.ExpireSessions()
	}
	writeJSON(w, http.StatusOK, s.Faults())
}

// handleFaultsForm sets the switches from the page's form.
func (s *Sim) handleFaultsForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "Biểu mẫu không hợp lệ.", http.StatusBadRequest)
		return
	}
	delay, _ := strconv.ParseInt(r.PostFormValue("delay_ms"), 10, 64)
	rate, _ := strconv.ParseFloat(r.PostFormValue("error_rate"), 64)
	next, _ := strconv.Atoi(r.PostFormValue("fail_next"))
	s.setFaults(func(f *Faults) {
		f.Down = r.PostFormValue("down") == "on"
		f.Delay = time.Duration(max(delay, 0)) * time.Millisecond
		f.ErrorRate = min(max(rate/100, 0), 1)
		f.FailNext = max(next, 0)
	})
	if r.PostFormValue("expire_sessions") == "on" {
		s.ExpireSessions()
	}
	http.Redirect(w, r, "/?msg="+urlQuery("Đã cập nhật các công tắc lỗi."), http.StatusSeeOther)
}

// handleState answers the state as JSON (file contents left out).
func (s *Sim) handleState(w http.ResponseWriter, r *http.Request) {
	st := s.Snapshot()
	for _, f := range st.Files {
		f.Data = nil
	}
	writeJSON(w, http.StatusOK, st)
}
