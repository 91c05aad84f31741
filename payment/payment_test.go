package payment_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/payment/sim"
)

const (
	partner = "MOTCUA-H99"
	secret  = "khóa-bí-mật-thử"
)

var ctx = context.Background()

// env is a simulator and a motcua stand-in receiving its confirmations,
// both over real HTTP.
type env struct {
	sim     *sim.Sim
	simURL  string
	state   string
	client  *payment.Client
	mu      sync.Mutex
	got     []*motcua.PaymentCallback
	refused []error
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{}
	var cb *httptest.Server
	cb = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/return" {
			io.WriteString(w, "trở về motcua: "+r.URL.Query().Get("ref"))
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, payment.MaxCallbackSize+1))
		c, err := e.client.ParseCallback(body)
		e.mu.Lock()
		if err != nil {
			e.refused = append(e.refused, err)
		} else {
			e.got = append(e.got, c)
		}
		e.mu.Unlock()
		ct, ans := e.client.AnswerCallback(err)
		w.Header().Set("Content-Type", ct)
		w.Write(ans)
	}))
	t.Cleanup(cb.Close)
	e.state = t.TempDir() + "/sim.json"
	s, err := sim.New(sim.Config{Partner: partner, Secret: secret, CallbackURL: cb.URL + "/callback", ReturnURL: cb.URL + "/return",
		StateFile: e.state})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	e.sim, e.simURL = s, srv.URL
	if e.client, err = payment.New(payment.Config{URL: srv.URL + "/", Partner: partner, Secret: secret, Timeout: 2 * time.Second,
		Payee: payment.Payee{Account: "3711", Bank: "970405", Treasury: "1001"}}); err != nil {
		t.Fatal(err)
	}
	return e
}

// callbacks returns the confirmations received so far.
func (e *env) callbacks() []*motcua.PaymentCallback {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]*motcua.PaymentCallback(nil), e.got...)
}

func request(ref string) motcua.PaymentRequest {
	return motcua.PaymentRequest{Reference: ref, Amount: 58000,
		Fees:        []motcua.PaymentFee{{Name: "Lệ phí", Amount: 8000}, {Name: "Phí", Amount: 50000}},
		DossierCode: "H99.101-260310-0001", ProcedureCode: "1.001193", AgencyCode: "H99.101", Description: "Lệ phí hồ sơ", IP: "10.0.0.7",
		At: time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)}
}

// TestInitPayCallbackQueryBill runs a payment through the simulator: INIT
// gives a payment page; paying there sends a verified confirmation and
// returns the browser; QUERY and GET_BILL then agree.
func TestInitPayCallbackQueryBill(t *testing.T) {
	e := newEnv(t)
	started, err := e.client.Init(ctx, request("TT-1-a1"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(started.RedirectURL, e.simURL+"/pay/") || started.TransactionID == "" {
		t.Fatalf("started: %+v", started)
	}
	st, err := e.client.Query(ctx, "TT-1-a1")
	if err != nil || st.State != motcua.PaymentPending {
		t.Fatalf("query before paying: %+v %v", st, err)
	}
	if _, err := e.client.Bill(ctx, "TT-1-a1"); motcua.ErrorReason(err) != "payment_platform_refused" {
		t.Errorf("bill before paying: %v", err)
	}
	page, err := http.Get(started.RedirectURL)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(b), "58.000 đồng") || !strings.Contains(string(b), `value="pay"`) {
		t.Fatalf("payment page %d: %s", page.StatusCode, b)
	}
	resp, err := http.PostForm(started.RedirectURL, url.Values{"action": {"pay"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(b) != "trở về motcua: TT-1-a1" {
		t.Errorf("browser back: %d %s", resp.StatusCode, b)
	}
	e.mu.Lock()
	got := e.got
	e.mu.Unlock()
	if len(got) != 1 || got[0].Reference != "TT-1-a1" || got[0].State != motcua.PaymentPaid || got[0].Amount != 58000 ||
		got[0].PaidAt.IsZero() || got[0].TransactionID != started.TransactionID {
		t.Fatalf("callbacks: %+v refused %v", got, e.refused)
	}
	if tx, _ := e.sim.Transaction("TT-1-a1"); !tx.CallbackOK || tx.Callbacks != 1 {
		t.Errorf("the simulator saw its confirmation answered: %+v", tx)
	}
	st, err = e.client.Query(ctx, "TT-1-a1")
	if err != nil || st.State != motcua.PaymentPaid || st.Amount != 58000 || !st.PaidAt.Equal(got[0].PaidAt) {
		t.Errorf("query after paying: %+v %v", st, err)
	}
	bill, err := e.client.Bill(ctx, "TT-1-a1")
	if err != nil || bill.Number == "" || !strings.HasPrefix(bill.URL, e.simURL+"/bill/") {
		t.Fatalf("bill: %+v %v", bill, err)
	}
	// The same reference cannot start twice.
	if _, err := e.client.Init(ctx, request("TT-1-a1")); motcua.ErrorReason(err) != "payment_platform_refused" {
		t.Errorf("second INIT: %v", err)
	}
	// The state survives a restart of the simulator.
	resp, _ = http.Get(e.simURL + "/state")
	var state sim.State
	json.NewDecoder(resp.Body).Decode(&state)
	resp.Body.Close()
	if len(state.Transactions) != 1 || state.Transactions[0].State != "paid" {
		t.Errorf("state: %+v", state)
	}
	again, err := sim.New(sim.Config{Partner: partner, Secret: secret, StateFile: e.state})
	if err != nil {
		t.Fatal(err)
	}
	if tx, ok := again.Transaction("TT-1-a1"); !ok || tx.State != "paid" || tx.BillNumber != bill.Number {
		t.Errorf("after a restart: %+v %v", tx, ok)
	}
}

// TestAnswersChecked: an answer signed with the wrong key is refused; a
// request signed with the wrong key is refused by the platform; a platform
// down or slow is an error, not a result.
func TestAnswersChecked(t *testing.T) {
	e := newEnv(t)
	if _, err := e.client.Init(ctx, request("TT-2")); err != nil {
		t.Fatal(err)
	}
	e.sim.SetFaults(sim.Faults{ForgeAnswers: true})
	if st, err := e.client.Query(ctx, "TT-2"); motcua.ErrorReason(err) != "payment_answer_unverified" || st != nil {
		t.Errorf("forged answer to QUERY: %+v %v", st, err)
	}
	if _, err := e.client.Init(ctx, request("TT-3")); motcua.ErrorReason(err) != "payment_answer_unverified" {
		t.Errorf("forged answer to INIT: %v", err)
	}
	e.sim.SetFaults(sim.Faults{Down: true})
	if _, err := e.client.Query(ctx, "TT-2"); motcua.ErrorReason(err) != "payment_platform_unavailable" {
		t.Errorf("platform down: %v", err)
	}
	e.sim.SetFaults(sim.Faults{SlowMS: 3000})
	if _, err := e.client.Query(ctx, "TT-2"); motcua.ErrorReason(err) != "payment_platform_unavailable" {
		t.Errorf("platform slower than the timeout: %v", err)
	}
	e.sim.SetFaults(sim.Faults{})
	wrong, _ := payment.New(payment.Config{URL: e.simURL + "/", Partner: partner, Secret: "sai"})
	if _, err := wrong.Query(ctx, "TT-2"); err == nil {
		t.Error("a request with the wrong key was answered")
	}
	if _, err := e.client.Init(ctx, motcua.PaymentRequest{Reference: "có dấu", Amount: 1}); motcua.ErrorCode(err) != motcua.EINVALID {
		t.Errorf("bad reference: %v", err)
	}
}

// TestDroppedCallback: with confirmations dropped, paying sends none and
// only QUERY tells.
func TestDroppedCallback(t *testing.T) {
	e := newEnv(t)
	started, err := e.client.Init(ctx, request("TT-4"))
	if err != nil {
		t.Fatal(err)
	}
	e.sim.SetFaults(sim.Faults{DropCallback: true})
	resp, err := http.PostForm(started.RedirectURL, url.Values{"action": {"pay"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := e.callbacks(); len(got) != 0 {
		t.Fatalf("a dropped confirmation arrived: %+v", got)
	}
	if st, err := e.client.Query(ctx, "TT-4"); err != nil || st.State != motcua.PaymentPaid {
		t.Errorf("query: %+v %v", st, err)
	}
	// Without a browser: a cancellation, confirmed.
	e.sim.SetFaults(sim.Faults{})
	if _, err := e.client.Init(ctx, request("TT-5")); err != nil {
		t.Fatal(err)
	}
	tx, err := e.sim.Complete("TT-5", false)
	if got := e.callbacks(); err != nil || tx.State != "cancelled" || !tx.CallbackOK || len(got) != 1 || got[0].State != motcua.PaymentCancelled {
		t.Errorf("complete: %+v %v %+v", tx, err, got)
	}
	if _, err := e.sim.Complete("TT-5", true); err == nil {
		t.Error("a cancelled transaction was paid")
	}
}

func callback(key string, edit func(*payment.Callback)) []byte {
	m := payment.Callback{MaDoiTac: partner, MaThamChieu: "TT-9", MaGiaoDich: "GD1", SoTien: "8000", MaLoi: payment.CodeOK,
		TrangThaiGD: payment.StatePaid, ThoiGianThanhToan: "20260310091500"}
	payment.Sign(&m, key)
	if edit != nil {
		edit(&m)
	}
	b, _ := json.Marshal(m)
	return b
}

// TestParseCallback: a confirmation is believed only with the right
// integrity code over what it says, and only when whole and small.
func TestParseCallback(t *testing.T) {
	c, err := payment.ParseCallback(callback(secret, nil), secret)
	if err != nil || c.Reference != "TT-9" || c.Amount != 8000 || c.State != motcua.PaymentPaid ||
		!c.PaidAt.Equal(time.Date(2026, 3, 10, 2, 15, 0, 0, time.UTC)) {
		t.Fatalf("good callback: %+v %v", c, err)
	}
	cases := map[string]struct {
		body   []byte
		reason string
	}{
		"wrong key":      {callback("khóa khác", nil), "payment_callback_forged"},
		"amount changed": {callback(secret, func(m *payment.Callback) { m.SoTien = "1" }), "payment_callback_forged"},
		"state changed":  {callback(secret, func(m *payment.Callback) { m.TrangThaiGD = payment.StateCancelled }), "payment_callback_forged"},
		"no code":        {callback(secret, func(m *payment.Callback) { m.MaXacThuc = "" }), "payment_callback_forged"},
		"no amount":      {callback(secret, func(m *payment.Callback) { m.SoTien = "" }), "payment_callback_malformed"},
		"no reference":   {callback(secret, func(m *payment.Callback) { m.MaThamChieu = "" }), "payment_callback_malformed"},
		"not json":       {[]byte("MaThamChieu=TT-9"), "payment_callback_malformed"},
		"oversized":      {[]byte(`{"MaThamChieu":"` + strings.Repeat("x", payment.MaxCallbackSize) + `"}`), "payment_callback_too_large"},
	}
	for name, tc := range cases {
		if _, err := payment.ParseCallback(tc.body, secret); motcua.ErrorReason(err) != tc.reason {
			t.Errorf("%s: %v, want %s", name, err, tc.reason)
		}
	}
	// Another partner's confirmation, signed with our key, is refused by
	// the client.
	cl, _ := payment.New(payment.Config{URL: "http://127.0.0.1:1/", Partner: partner, Secret: secret})
	if _, err := cl.ParseCallback(callback(secret, nil)); err != nil {
		t.Errorf("client: %v", err)
	}
	other := payment.Callback{MaDoiTac: "KHAC", MaThamChieu: "TT-9", MaGiaoDich: "GD1", SoTien: "8000", MaLoi: payment.CodeOK,
		TrangThaiGD: payment.StatePaid, ThoiGianThanhToan: "20260310091500"}
	payment.Sign(&other, secret)
	b, _ := json.Marshal(other)
	if _, err := cl.ParseCallback(b); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
		t.Errorf("another partner: %v", err)
	}
}
