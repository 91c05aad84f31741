// Package sim is a simulator of the national store of results and personal
// e-data (Kho) as motcua's adapter (package kho) speaks to it: signed JSON
// over HTTP. It keeps its own documents: generated from a seed for some of
// the owners it is given (the demo gives it the population simulator's
// citizens: birth and marriage certificates, marital-status
// confirmations, issued by other provinces' agencies), and those motcua
// pushes. Faults: down, slow, unsigned, documents of another person, and
// refusing pushes. It is a counterpart for tests and the demo, not the
// national store.
package sim

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/motcua/motcua/kho"
)

// Config configures a simulator.
type Config struct {
	Secret      []byte
	Integration string // the accepted X-Kho-Client; empty: any
	// Seed and Owners make the documents: about one owner in three gets
	// one or two. The same seed and owners give the same documents.
	Seed   int64
	Owners []string
	// FileBase prefixes the documents' file addresses.
	FileBase string
	Clock    func() time.Time // nil: time.Now
}

// Faults are the simulator's switches.
type Faults struct {
	Down        bool          `json:"down"`
	Delay       time.Duration `json:"delay"`
	Unsigned    bool          `json:"unsigned"`
	Impersonate bool          `json:"impersonate"` // documents of another person
	RefusePush  bool          `json:"refuse_push"`
}

// docTypes are the documents the simulator issues: national document type
// codes (illustrative) and names as the catalogue's results name them.
var docTypes = []struct{ code, name, sign string }{
	{"KQ.HT.KS", "Giấy khai sinh", "TLKS"},
	{"KQ.HT.KH", "Giấy chứng nhận kết hôn", "TLKH"},
	{"KQ.HT.XNHN", "Giấy xác nhận tình trạng hôn nhân", "XNHN"},
}

var issuers = []string{"Ủy ban nhân dân phường Ba Đình, Thành phố Hà Nội", "Ủy ban nhân dân phường Sài Gòn, Thành phố Hồ Chí Minh",
	"Ủy ban nhân dân xã Mỹ Hòa, tỉnh Đồng Tháp", "Ủy ban nhân dân phường Ninh Kiều, thành phố Cần Thơ"}

// Sim is a running simulator; an http.Handler safe for concurrent use.
type Sim struct {
	cfg    Config
	mu     sync.Mutex
	docs   map[string][]kho.GiayToKetQua
	pushed []kho.KetQuaDongBo
	faults Faults
}

// New generates the documents and returns the simulator.
func New(cfg Config) *Sim {
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.FileBase == "" {
		cfg.FileBase = "https://kho.dichvucong.example/tep/"
	}
	s := &Sim{cfg: cfg, docs: map[string][]kho.GiayToKetQua{}}
	rng := rand.New(rand.NewPCG(uint64(cfg.Seed), 0x5eed))
	for i, owner := range cfg.Owners {
		if rng.IntN(3) != 0 {
			continue
		}
		for j := range 1 + rng.IntN(2) {
			t := docTypes[(i+j)%len(docTypes)]
			num := fmt.Sprintf("%d/%d/%s", 10+rng.IntN(900), 2015+rng.IntN(11), t.sign)
			s.docs[owner] = append(s.docs[owner], kho.GiayToKetQua{MaKetQua: t.code, TenGiayTo: t.name, SoKyHieu: num,
				CoQuanChuQuan: issuers[rng.IntN(len(issuers))], SoDinhDanhChuSoHuu: owner,
				DanhSachTepDinhKem: []kho.TepDinhKem{{TenTep: t.sign + ".pdf", DuongDan: cfg.FileBase + owner + "/" + strconv.Itoa(j) + ".pdf"}}})
		}
	}
	return s
}

// Add gives an owner one more document (for tests).
func (s *Sim) Add(owner, code, name, number, issuer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[owner] = append(s.docs[owner], kho.GiayToKetQua{MaKetQua: code, TenGiayTo: name, SoKyHieu: number, CoQuanChuQuan: issuer,
		SoDinhDanhChuSoHuu: owner})
}

// Owners lists up to n owners that hold documents, in the order given.
func (s *Sim) Owners(n int) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, o := range s.cfg.Owners {
		if len(s.docs[o]) > 0 && len(out) < n {
			out = append(out, o)
		}
	}
	return out
}

// Pushed returns the results motcua pushed, oldest first.
func (s *Sim) Pushed() []kho.KetQuaDongBo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]kho.KetQuaDongBo(nil), s.pushed...)
}

// SetFaults sets the fault switches.
func (s *Sim) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	if r.URL.Path == "/control" && r.Method == http.MethodPost {
		s.control(w, r)
		return
	}
	if f.Delay > 0 {
		time.Sleep(f.Delay)
	}
	if f.Down {
		http.Error(w, "service unavailable", http.StatusServiceUnavailable)
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	if (s.cfg.Integration != "" && r.Header.Get(kho.HeaderClient) != s.cfg.Integration) ||
		!kho.Verify(s.cfg.Secret, r.Header.Get(kho.HeaderTimestamp), body, r.Header.Get(kho.HeaderSignature), s.cfg.Clock()) {
		s.answer(w, f, kho.TraLoi{MaLoi: "04", MoTaLoi: "Chưa xác thực"})
		return
	}
	switch r.URL.Path {
	case "/" + kho.ServiceQuery:
		s.query(w, f, body)
	case "/" + kho.ServicePush:
		s.push(w, f, body)
	default:
		http.NotFound(w, r)
	}
}

func (s *Sim) query(w http.ResponseWriter, f Faults, body []byte) {
	var q kho.TruyVan
	if err := json.Unmarshal(body, &q); err != nil || len(q.SoDinhDanhChuSoHuu) != 12 {
		s.answer(w, f, kho.TraLoi{MaYeuCau: q.MaYeuCau, MaLoi: "01", MoTaLoi: "Yêu cầu không hợp lệ"})
		return
	}
	want := map[string]bool{}
	for _, d := range q.DanhSachDanhMucKetQua {
		want[d.MaKetQua] = true
	}
	s.mu.Lock()
	var out []kho.GiayToKetQua
	for _, d := range s.docs[q.SoDinhDanhChuSoHuu] {
		if len(want) == 0 || want[d.MaKetQua] {
			out = append(out, d)
		}
	}
	if f.Impersonate {
		for o, ds := range s.docs {
			if o != q.SoDinhDanhChuSoHuu && len(ds) > 0 {
				out = append(out, ds[0])
				break
			}
		}
	}
	s.mu.Unlock()
	s.answer(w, f, kho.TraLoi{MaYeuCau: q.MaYeuCau, MaLoi: "00", DanhSachGiayToKetQua: out})
}

func (s *Sim) push(w http.ResponseWriter, f Faults, body []byte) {
	var k kho.KetQuaDongBo
	if err := json.Unmarshal(body, &k); err != nil || len(k.SoDinhDanhChuSoHuu) != 12 || k.MaHoSo == "" || k.SoKyHieu == "" || f.RefusePush {
		s.answer(w, f, kho.TraLoi{MaYeuCau: k.MaYeuCau, MaLoi: "01", MoTaLoi: "Kết quả không hợp lệ"})
		return
	}
	s.mu.Lock()
	dup := false
	for i, p := range s.pushed {
		if p.MaHoSo == k.MaHoSo { // de-duplicated on the dossier's code
			s.pushed[i], dup = k, true
		}
	}
	if !dup {
		s.pushed = append(s.pushed, k)
	}
	code := k.MaKetQua
	if code == "" {
		code = "KQ." + k.MaThuTuc
	}
	docs := s.docs[k.SoDinhDanhChuSoHuu][:0:0]
	for _, d := range s.docs[k.SoDinhDanhChuSoHuu] {
		if d.SoKyHieu != k.SoKyHieu {
			docs = append(docs, d)
		}
	}
	s.docs[k.SoDinhDanhChuSoHuu] = append(docs, kho.GiayToKetQua{MaKetQua: code, TenGiayTo: k.TenGiayTo, SoKyHieu: k.SoKyHieu,
		CoQuanChuQuan: k.CoQuanChuQuan, SoDinhDanhChuSoHuu: k.SoDinhDanhChuSoHuu})
	s.mu.Unlock()
	s.answer(w, f, kho.TraLoi{MaYeuCau: k.MaYeuCau, MaLoi: "00"})
}

func (s *Sim) answer(w http.ResponseWriter, f Faults, a kho.TraLoi) {
	if a.DanhSachGiayToKetQua == nil {
		a.DanhSachGiayToKetQua = []kho.GiayToKetQua{}
	}
	body, _ := json.Marshal(a)
	if !f.Unsigned {
		ts := strconv.FormatInt(s.cfg.Clock().Unix(), 10)
		w.Header().Set(kho.HeaderTimestamp, ts)
		w.Header().Set(kho.HeaderSignature, kho.Sign(s.cfg.Secret, ts, body))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(body)
}

func (s *Sim) control(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Faults
		DelayMS int `json:"delay_ms"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	if in.DelayMS > 0 {
		in.Delay = time.Duration(in.DelayMS) * time.Millisecond
	}
	s.SetFaults(in.Faults)
	w.WriteHeader(http.StatusNoContent)
}
