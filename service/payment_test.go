package service_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
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
	paySecret  = "khóa-thử-nghiệm"
)

// payFixture is the demo province with the payment simulator connected
// over HTTP, and motcua's callback endpoint served by the service.
type payFixture struct {
	*fixture
	sim    *sim.Sim
	client *payment.Client
	mu     sync.Mutex
	bodies [][]byte // confirmations received
}

func newPayFixture(t *testing.T, e sqltest.Engine) *payFixture {
	t.Helper()
	pf := &payFixture{}
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, payment.MaxCallbackSize+1))
		pf.mu.Lock()
		pf.bodies = append(pf.bodies, body)
		pf.mu.Unlock()
		_, err := pf.svc.HandlePaymentCallback(r.Context(), body, "203.0.113.9")
		ct, ans := pf.client.AnswerCallback(err)
		w.Header().Set("Content-Type", ct)
		w.Write(ans)
	}))
	t.Cleanup(cb.Close)
	// The platform's clock is the service's, so that payments fall in
	// the test's period.
	s, err := sim.New(sim.Config{Partner: payPartner, Secret: paySecret, CallbackURL: cb.URL, Retries: 1,
		Now: func() time.Time { return *pf.clock.Load() }})
	if err != nil {
		t.Fatal(err)
	}
	ss := httptest.NewServer(s)
	t.Cleanup(ss.Close)
	if pf.client, err = payment.New(payment.Config{URL: ss.URL + "/", Partner: payPartner, Secret: paySecret, Timeout: 2 * time.Second}); err != nil {
		t.Fatal(err)
	}
	pf.sim = s
	pf.fixture = newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Payments = pf.client })
	return pf
}

// feeDossier receives at An Phú a request for a copy of a birth extract,
// which bears a fee of 8 000 đồng.
func (f *fixture) feeDossier(phone string) *motcua.Dossier {
	f.t.Helper()
	n := f.newDossier(phone)
	p, err := f.svc.ProcedureByCode(ctx, "2.000635")
	if err != nil {
		f.t.Fatal(err)
	}
	n.ProcedureID, n.Components = p.ID, nil
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n)
	if err != nil {
		f.t.Fatal(err)
	}
	if motcua.FeesDue(in.Dossier.Fees) != 8000 {
		f.t.Fatalf("fees %+v", in.Dossier.Fees)
	}
	return in.Dossier
}

func pay(t *testing.T, redirect, action string) {
	t.Helper()
	resp, err := http.PostForm(redirect, url.Values{"action": {action}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// signed returns a confirmation signed with key.
func signed(key string, m payment.Callback) []byte {
	payment.Sign(&m, key)
	b, _ := json.Marshal(m)
	return b
}

// TestOnlinePayment: a citizen pays from the lookup (code and verifier);
// the verified confirmation marks the fees paid, with the receipt; a
// replay changes nothing and is accepted; a forged confirmation and one
// for another amount are refused and logged; the fees cannot be paid
// twice.
func TestOnlinePayment(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newPayFixture(t, e)
		d := f.feeDossier("0912000444")
		pub, err := f.svc.PublicPayments(ctx, d.Code, "0444", "198.51.100.20")
		if err != nil || !pub.CanPayOnline || pub.Paid || pub.Due != 8000 {
			t.Fatalf("before paying: %+v %v", pub, err)
		}
		if _, _, err := f.svc.StartOnlinePayment(ctx, d.Code, "9999", "198.51.100.1"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("wrong verifier: %v", err)
		}
		p, redirect, err := f.svc.StartOnlinePayment(ctx, d.Code, "0444", "198.51.100.1")
		if err != nil {
			t.Fatal(err)
		}
		if p.State != motcua.PaymentPending || p.Amount != 8000 || redirect == "" {
			t.Fatalf("started %+v %s", p, redirect)
		}
		if pub, _ := f.svc.PublicPayments(ctx, d.Code, "0444", "198.51.100.20"); !pub.Pending || pub.Paid {
			t.Errorf("while pending: %+v", pub)
		}
		pay(t, redirect, "pay")
		v, err := f.svc.DossierPayments(f.as("motcua.anphu"), d.Code)
		if err != nil {
			t.Fatal(err)
		}
		if v.Paid == nil || v.Paid.Reference != p.Reference || v.Paid.Method != motcua.PayOnline || v.Paid.PaidAt.IsZero() ||
			v.Paid.ReceiptNumber == "" || v.Paid.TransactionID == "" || !v.Fees[0].Paid || !v.Fees[0].PaidOnline || v.CanRecordCash {
			t.Fatalf("after paying: %+v", v)
		}
		view, err := f.svc.Dossier(f.as("motcua.anphu"), d.Code, "")
		if err != nil || !view.Dossier.Fees[0].Paid || !view.Dossier.Fees[0].PaidOnline {
			t.Errorf("the dossier's fee lines: %+v %v", view.Dossier.Fees, err)
		}
		if len(f.auditsOf(motcua.AuditPaymentSettled)) != 1 || len(f.auditsOf(motcua.AuditPaymentStarted)) != 1 {
			t.Error("start and settlement not audited")
		}

		// The same confirmation again: nothing changes, and it is accepted.
		f.mu.Lock()
		first := f.bodies[0]
		f.mu.Unlock()
		again, err := f.svc.HandlePaymentCallback(ctx, first, "203.0.113.9")
		if err != nil || again.State != motcua.PaymentPaid || !again.UpdatedAt.Equal(v.Paid.UpdatedAt) {
			t.Errorf("replay: %+v %v", again, err)
		}
		if len(f.auditsOf(motcua.AuditPaymentCallbackReplayed)) != 1 {
			t.Error("replay not logged")
		}

		// A forged confirmation (wrong key) that says cancelled; one with
		// the right key but another amount; one for no payment.
		cbm := payment.Callback{MaDoiTac: payPartner, MaThamChieu: p.Reference, MaGiaoDich: "GD-X", SoTien: "8000", MaLoi: "24",
			TrangThaiGD: payment.StateCancelled}
		if _, err := f.svc.HandlePaymentCallback(ctx, signed("đoán mò", cbm), "192.0.2.66"); motcua.ErrorReason(err) != "payment_callback_forged" {
			t.Errorf("forged: %v", err)
		}
		other := f.feeDossier("0912000555")
		p2, _, err := f.svc.StartOnlinePayment(f.as("motcua.anphu"), other.Code, "", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if p2.RecordedBy == 0 {
			t.Error("a payment started by an officer does not say who")
		}
		cbm = payment.Callback{MaDoiTac: payPartner, MaThamChieu: p2.Reference, MaGiaoDich: "GD-Y", SoTien: "1000", MaLoi: payment.CodeOK,
			TrangThaiGD: payment.StatePaid, ThoiGianThanhToan: "20250310091500"}
		if _, err := f.svc.HandlePaymentCallback(ctx, signed(paySecret, cbm), "192.0.2.66"); motcua.ErrorReason(err) != "payment_amount_mismatch" {
			t.Errorf("another amount: %v", err)
		}
		cbm.MaThamChieu, cbm.SoTien = "TT0-khong", "8000"
		if _, err := f.svc.HandlePaymentCallback(ctx, signed(paySecret, cbm), "192.0.2.66"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("unknown payment: %v", err)
		}
		refused := f.auditsOf(motcua.AuditPaymentCallbackRefused)
		if len(refused) != 3 || refused[0].IP != "192.0.2.66" {
			t.Errorf("refusals logged: %+v", refused)
		}
		for _, c := range []string{d.Code, other.Code} {
			v, _ := f.svc.DossierPayments(f.as("motcua.anphu"), c)
			for _, p := range v.Payments {
				if (c == d.Code && p.State != motcua.PaymentPaid) || (c == other.Code && p.State != motcua.PaymentPending) {
					t.Errorf("a refused confirmation changed %s: %+v", c, p)
				}
			}
		}
		if _, _, err := f.svc.StartOnlinePayment(ctx, d.Code, "0444", ""); motcua.ErrorReason(err) != "fees_already_paid" {
			t.Errorf("paying twice: %v", err)
		}
	})
}

// TestReconcilePayments: a confirmation the platform never sent is caught
// by the reconciliation's query once the payment is old enough; a payment
// left pending past the expiry fails, and a late confirmation cannot move
// it back.
func TestReconcilePayments(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newPayFixture(t, e)
		d := f.feeDossier("0912000666")
		f.sim.SetFaults(sim.Faults{DropCallback: true})
		p, redirect, err := f.svc.StartOnlinePayment(ctx, d.Code, "0666", "")
		if err != nil {
			t.Fatal(err)
		}
		pay(t, redirect, "pay")
		if n, err := f.svc.ReconcilePayments(ctx); n != 0 || err != nil {
			t.Errorf("reconciled a fresh payment: %d %v", n, err)
		}
		f.set(vn(2025, 3, 10, 9, 16))
		if n, err := f.svc.ReconcilePayments(ctx); n != 1 || err != nil {
			t.Fatalf("reconciled %d: %v", n, err)
		}
		v, _ := f.svc.DossierPayments(f.as("motcua.anphu"), d.Code)
		if v.Paid == nil || v.Paid.Reference != p.Reference || v.Paid.ReceiptNumber == "" {
			t.Fatalf("after reconciliation: %+v", v.Paid)
		}
		if len(f.auditsOf(motcua.AuditPaymentReconciled)) != 1 {
			t.Error("reconciliation not audited")
		}

		// Left pending: the platform is down first (nothing changes), then
		// the payment expires and fails.
		other := f.feeDossier("0912000777")
		p2, redirect2, err := f.svc.StartOnlinePayment(ctx, other.Code, "0777", "")
		if err != nil {
			t.Fatal(err)
		}
		f.sim.SetFaults(sim.Faults{Down: true})
		f.set(vn(2025, 3, 11, 10, 0))
		if n, err := f.svc.ReconcilePayments(ctx); n != 0 || motcua.ErrorReason(err) != "payment_platform_unavailable" {
			t.Errorf("platform down: %d %v", n, err)
		}
		f.sim.SetFaults(sim.Faults{})
		if n, err := f.svc.ReconcilePayments(ctx); n != 1 || err != nil {
			t.Fatalf("expiry: %d %v", n, err)
		}
		v, _ = f.svc.DossierPayments(f.as("motcua.anphu"), other.Code)
		if v.Paid != nil || len(v.Payments) != 1 || v.Payments[0].State != motcua.PaymentFailed {
			t.Fatalf("expired: %+v", v.Payments)
		}
		// The payer pays the stale page after all: the confirmation cannot
		// move a failed payment back; it is refused and logged.
		before := len(f.auditsOf(motcua.AuditPaymentCallbackRefused))
		pay(t, redirect2, "pay")
		v, _ = f.svc.DossierPayments(f.as("motcua.anphu"), other.Code)
		if v.Payments[0].State != motcua.PaymentFailed || v.Paid != nil {
			t.Errorf("moved back: %+v", v.Payments[0])
		}
		if len(f.auditsOf(motcua.AuditPaymentCallbackRefused)) != before+1 {
			t.Error("the late confirmation was not logged")
		}
		_ = p2
	})
}

// TestCashPayment: only a reception officer of the receiving agency
// records cash, with a receipt number and the exact amount; once.
func TestCashPayment(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		d := f.feeDossier("0912000888")
		if _, _, err := f.svc.StartOnlinePayment(ctx, d.Code, "0888", ""); motcua.ErrorReason(err) != "payments_disabled" {
			t.Errorf("online without a platform: %v", err)
		}
		cases := []struct {
			user   string
			in     service.CashInput
			reason string
		}{
			{"motcua.trungtam", service.CashInput{ReceiptNumber: "0001", Amount: 8000}, "dossier_not_found"},
			{"cv.anphu", service.CashInput{ReceiptNumber: "0001", Amount: 8000}, "cash_not_allowed"},
			{"ct.anphu", service.CashInput{ReceiptNumber: "0001", Amount: 8000}, "cash_not_allowed"},
			{"motcua.anphu", service.CashInput{ReceiptNumber: "  ", Amount: 8000}, "receipt_required"},
			{"motcua.anphu", service.CashInput{ReceiptNumber: "0001", Amount: 5000}, "amount_mismatch"},
		}
		for _, c := range cases {
			if _, err := f.svc.RecordCashPayment(f.as(c.user), d.Code, c.in, ""); motcua.ErrorReason(err) != c.reason {
				t.Errorf("%s %+v: %v, want %s", c.user, c.in, err, c.reason)
			}
		}
		p, err := f.svc.RecordCashPayment(f.as("motcua.anphu"), d.Code, service.CashInput{ReceiptNumber: " 0001 ", Amount: 8000}, "10.0.0.2")
		if err != nil {
			t.Fatal(err)
		}
		v, _ := f.svc.DossierPayments(f.as("motcua.anphu"), d.Code)
		if v.Paid == nil || v.Paid.ID != p.ID || v.Paid.Method != motcua.PayCash || v.Paid.ReceiptNumber != "0001" ||
			!v.Fees[0].Paid || v.Fees[0].PaidOnline || v.Recorders[p.RecordedBy] != "Huỳnh Thị Ngọc" {
			t.Errorf("cash: %+v", v)
		}
		if _, err := f.svc.RecordCashPayment(f.as("motcua.anphu"), d.Code, service.CashInput{ReceiptNumber: "0002", Amount: 8000}, ""); motcua.ErrorReason(err) != "fees_already_paid" {
			t.Errorf("twice: %v", err)
		}
		other := f.feeDossier("0912000999")
		if _, err := f.svc.RecordCashPayment(f.as("motcua.anphu"), other.Code, service.CashInput{ReceiptNumber: "0001", Amount: 8000}, ""); motcua.ErrorReason(err) != "payment_reference_exists" {
			t.Errorf("a receipt number used twice: %v", err)
		}
		// An action's answer carries the paid flags too.
		acted, err := f.svc.Act(f.as("motcua.anphu"), d.Code, service.ActInput{Action: motcua.ActTransfer})
		if err != nil {
			t.Fatal(err)
		}
		if !acted.Fees[0].Paid || acted.Fees[0].PaidOnline {
			t.Errorf("fees after an action: %+v", acted.Fees)
		}
		if len(f.auditsOf(motcua.AuditPaymentCash)) != 1 {
			t.Error("cash not audited")
		}
	})
}

// TestPaymentIndex computes 3.5, 3.5b and 3.6 from the payment records:
// at An Phú three fee-bearing dossiers are received, one paid online, one
// in cash, one left pending; without a platform and without records the
// three indicators have no data, even if the configuration claims the
// input is held.
func TestPaymentIndex(t *testing.T) {
	march := motcua.Period{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)}
	values := func(f *fixture, agencyCode string) map[string]motcua.IndicatorValue {
		t.Helper()
		a, _, err := f.svc.Agency(ctx, agencyCode)
		if err != nil {
			t.Fatal(err)
		}
		idx, err := f.svc.Index766From(ctx, march, service.SourceBase)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]motcua.IndicatorValue{}
		for _, u := range idx.Units {
			if u.AgencyID == a.ID {
				for _, v := range u.Values {
					out[v.ID] = v
				}
			}
		}
		return out
	}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		// Nothing recorded, no platform, a configuration that claims the
		// input: no data.
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) {
			c.Index = motcua.DefaultIndexConfig()
			c.Index.Held[motcua.InputPayments] = true
		})
		f.feeDossier("0912000123")
		vals := values(f, "H99.101")
		for _, id := range []string{"3.5", "3.5b", "3.6"} {
			if v := vals[id]; v.Status != "no_data" || v.Reason == "" {
				t.Errorf("no records: %s = %+v", id, v)
			}
		}

		pf := newPayFixture(t, e)
		// The demo's own dossiers with fees, none paid: a platform is
		// connected, so the input is held.
		before := values(pf.fixture, "H99.101")["3.6"]
		if before.Status == "no_data" || before.Num != 0 {
			t.Fatalf("3.6 before: %+v", before)
		}
		online, cash, pending := pf.feeDossier("0912000201"), pf.feeDossier("0912000202"), pf.feeDossier("0912000203")
		pf.svc.ReceiveDossier(pf.as("motcua.anphu"), "", pf.newDossier("0912000204")) // no fee
		_, redirect, err := pf.svc.StartOnlinePayment(ctx, online.Code, "0201", "")
		if err != nil {
			t.Fatal(err)
		}
		pay(t, redirect, "pay")
		if _, err := pf.svc.RecordCashPayment(pf.as("motcua.anphu"), cash.Code, service.CashInput{ReceiptNumber: "BL-7", Amount: 8000}, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := pf.svc.StartOnlinePayment(ctx, pending.Code, "0203", ""); err != nil {
			t.Fatal(err)
		}
		// The procedures of a commune with a fixed fee, from the catalogue.
		var withFees int64
		pf.db.Read(ctx, func(tx motcua.Tx) error {
			ps, _ := tx.FindProcedures(ctx, motcua.ProcedureFilter{PublishedOnly: true, Level: motcua.LevelCommune, Limit: 1000})
			for _, p := range ps {
				if p.AgencyID == 0 && p.FeeTotal() > 0 {
					withFees++
				}
			}
			return nil
		})
		if withFees < 2 {
			t.Fatalf("%d commune procedures with fees in the demo catalogue", withFees)
		}
		vals = values(pf.fixture, "H99.101")
		want := map[string][2]int64{"3.5": {1, withFees}, "3.5b": {1, withFees}, "3.6": {1, before.Den + 3}}
		for id, nd := range want {
			v := vals[id]
			if v.Status != "ok" || v.Num != nd[0] || v.Den != nd[1] {
				t.Errorf("%s = %+v, want %d/%d", id, v, nd[0], nd[1])
			}
		}
		if v := vals["3.6"]; abs(v.Points-6.0/float64(before.Den+3)) > 1e-9 {
			t.Errorf("3.6 points %.4f", v.Points)
		}
		if v := vals["3.5"]; abs(v.Points-2*(1/float64(withFees))/0.8) > 1e-9 {
			t.Errorf("3.5 points %.4f", v.Points)
		}
		// Another commune with no payments: held, nothing paid online.
		if v := values(pf.fixture, "H99.103")["3.6"]; v.Status == "no_data" {
			t.Errorf("another commune: %+v", v)
		}
	})
}
