package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/payment/sim"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

const (
	payPartner = "MOTCUA-H99"
	paySecret  = "khóa-api"
)

// newPayEnv is the API with the payment simulator connected both ways
// over HTTP: motcua calls the simulator, which calls motcua's callback.
func newPayEnv(t *testing.T, eng sqltest.Engine) (*env, *sim.Sim) {
	t.Helper()
	var handler http.Handler = http.NotFoundHandler()
	simSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	t.Cleanup(simSrv.Close)
	client, err := payment.New(payment.Config{URL: simSrv.URL + "/", Partner: payPartner, Secret: paySecret, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, eng, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Payments = client })
	s, err := sim.New(sim.Config{Partner: payPartner, Secret: paySecret, CallbackURL: e.ts.URL + "/api/v1/payments/callback", Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	handler = s
	return e, s
}

// receiveFee receives at An Phú a dossier of a procedure with an 8 000 đồng
// fee and returns its code.
func (e *env) receiveFee(phone string) string {
	e.t.Helper()
	ctx := context.Background()
	var u *motcua.User
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, "motcua.anphu"); return err }); err != nil {
		e.t.Fatal(err)
	}
	p, err := e.svc.ProcedureByCode(ctx, "2.000635")
	if err != nil {
		e.t.Fatal(err)
	}
	_, points, _ := e.svc.Agency(ctx, "H99.101")
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Trần Văn Phí", IDNumber: "001193012346", Phone: phone}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	res, err := e.svc.ReceiveDossier(motcua.NewContextWithUser(ctx, u), "", n)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.Dossier.Code
}

type paymentsBody struct {
	OnlineEnabled bool `json:"online_enabled"`
	Due           int64
	Paid          bool
	Fees          []motcua.DossierFee
	Payments      []struct {
		Reference, Method, State string
		ReceiptNumber            string `json:"receipt_number"`
	}
	CanRecordCash bool `json:"can_record_cash"`
}

// TestPaymentsAPI: a citizen starts an online payment with the verifier,
// pays on the simulator, whose confirmation reaches the callback endpoint
// (no session); staff see it paid; a forged confirmation is refused with
// 403; cash is recorded by the counter; a client cannot send paid flags.
// Every answer is checked against the OpenAPI document.
func TestPaymentsAPI(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e, _ := newPayEnv(t, eng)
		token := e.login("motcua.anphu")
		code := e.receiveFee("0912000444")

		r := e.call("POST", "/dossiers/"+code+"/payments/online", "", map[string]any{"verifier": "0000"}, nil)
		if r.status != http.StatusNotFound {
			t.Errorf("wrong verifier: %d %s", r.status, r.body)
		}
		r = e.call("POST", "/dossiers/"+code+"/payments/online", "", map[string]any{"verifier": "0444"}, nil)
		if r.status != http.StatusCreated {
			t.Fatalf("start: %d %s", r.status, r.body)
		}
		var started struct {
			Payment     struct{ Reference, State string }
			RedirectURL string `json:"redirect_url"`
		}
		r.decode(t, &started)
		if started.Payment.State != "pending" || started.RedirectURL == "" {
			t.Fatalf("started %+v", started)
		}
		resp, err := http.PostForm(started.RedirectURL, url.Values{"action": {"pay"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		r = e.call("GET", "/dossiers/"+code+"/payments", token, nil, nil)
		var pb paymentsBody
		r.decode(t, &pb)
		if r.status != 200 || !pb.Paid || !pb.OnlineEnabled || len(pb.Payments) != 1 || pb.Payments[0].State != "paid" ||
			pb.Payments[0].Method != "online" || pb.Payments[0].ReceiptNumber == "" || !pb.Fees[0].PaidOnline || pb.CanRecordCash {
			t.Fatalf("after paying: %d %s", r.status, r.body)
		}
		r = e.call("GET", "/dossiers/"+code, token, nil, nil)
		var d struct{ Fees []motcua.DossierFee }
		r.decode(t, &d)
		if len(d.Fees) != 1 || !d.Fees[0].Paid || !d.Fees[0].PaidOnline {
			t.Errorf("dossier fees: %s", r.body)
		}

		// A forged confirmation: refused, in the platform's format.
		m := payment.Callback{MaDoiTac: payPartner, MaThamChieu: started.Payment.Reference, MaGiaoDich: "GD", SoTien: "8000",
			MaLoi: "24", TrangThaiGD: payment.StateCancelled}
		payment.Sign(&m, "không phải khóa")
		body, _ := json.Marshal(m)
		r = e.call("POST", "/payments/callback", "", json.RawMessage(body), nil)
		var a payment.CallbackAnswer
		r.decode(t, &a)
		if r.status != http.StatusForbidden || a.MaLoi == payment.CodeOK || a.MoTaLoi != "payment_callback_forged" {
			t.Errorf("forged: %d %s", r.status, r.body)
		}

		// Cash at the counter.
		cash := e.receiveFee("0912000555")
		if r := e.call("POST", "/dossiers/"+cash+"/payments/cash", token, map[string]any{"receipt_number": "0007", "amount": 5000}, nil); r.status != 422 {
			t.Errorf("wrong amount: %d %s", r.status, r.body)
		}
		if r := e.call("POST", "/dossiers/"+cash+"/payments/cash", token, map[string]any{"receipt_number": "0007", "amount": 8000}, nil); r.status != 201 {
			t.Errorf("cash: %d %s", r.status, r.body)
		}
		if r := e.call("POST", "/dossiers/"+cash+"/payments/online", token, nil, nil); r.status != 409 {
			t.Errorf("online after cash: %d %s", r.status, r.body)
		}
		// Paid flags sent by a client at reception are refused.
		r = e.call("POST", "/dossiers", token, map[string]any{"procedure_id": 1, "channel": 1,
			"fees": []map[string]any{{"name": "Phí", "amount": 8000, "paid": true, "paid_online": true}}}, nil)
		if r.status != 422 || r.errorBody(t).Reason != "field_unknown" {
			t.Errorf("paid flags at reception: %d %s", r.status, r.body)
		}
		other := e.login("motcua.trungtam")
		if r := e.call("GET", "/dossiers/"+cash+"/payments", other, nil, nil); r.status != 404 {
			t.Errorf("another commune: %d", r.status)
		}
	})
}

// TestPaymentsOff: without a platform the callback endpoint and online
// payment answer payments_disabled.
func TestPaymentsOff(t *testing.T) {
	e := newEnv(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0))
	code := e.receiveFee("0912000666")
	if r := e.call("POST", "/payments/callback", "", json.RawMessage(`{"MaThamChieu":"x"}`), nil); r.status != 403 || r.errorBody(t).Reason != "payments_disabled" {
		t.Errorf("callback: %d %s", r.status, r.body)
	}
	if r := e.call("POST", "/dossiers/"+code+"/payments/online", "", map[string]any{"verifier": "0666"}, nil); r.status != 403 {
		t.Errorf("online: %d %s", r.status, r.body)
	}
}
