package ui_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/payment/sim"
	"github.com/motcua/motcua/service"
)

// receiveFee receives at An Phú a dossier with an 8 000 đồng fee.
func (e *env) receiveFee(phone string) string {
	e.t.Helper()
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

// TestCashAtCounterWithoutScript: with no payment platform the lookup says
// so; the dossier page shows the fee unpaid and a form to record cash; a
// wrong amount comes back with the message next to the field; the right
// one marks the fee paid in cash with the receipt number.
func TestCashAtCounterWithoutScript(t *testing.T) {
	e := newEnv(t)
	code := e.receiveFee("0912000321")
	pub := e.browser().get("/tra-cuu?ma=" + code + "&so=0321")
	if pub.status != 200 || !strings.Contains(pub.body, "Chưa kết nối nền tảng thanh toán") || strings.Contains(pub.body, "Thanh toán trực tuyến</button>") {
		t.Errorf("lookup without a platform: %d", pub.status)
	}
	counter := e.login("motcua.anphu")
	page := counter.get("/ho-so/" + code)
	if !strings.Contains(page.body, `id="phi-le-phi"`) || !strings.Contains(page.body, "Chưa nộp") || !strings.Contains(page.body, `action="/ho-so/`+code+`/thu-phi#phi-le-phi"`) {
		t.Fatalf("dossier page: %s", page.body)
	}
	r := counter.post("/ho-so/"+code+"/thu-phi", url.Values{"receipt_number": {"0009"}, "amount": {"5000"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, "phải đúng bằng phí, lệ phí của hồ sơ: 8000 đồng") {
		t.Errorf("wrong amount: %d", r.status)
	}
	r = counter.post("/ho-so/"+code+"/thu-phi", url.Values{"receipt_number": {"0009"}, "amount": {"8.000"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("cash: %d %s", r.status, r.body)
	}
	page = counter.get(r.header.Get("Location"))
	if !strings.Contains(page.body, "Đã nộp tiền mặt") || !strings.Contains(page.body, "biên lai số 0009") ||
		strings.Contains(page.body, `/thu-phi"`) {
		t.Errorf("after cash: %s", page.body)
	}
	// Another commune's counter may not.
	other := e.login("motcua.trungtam")
	if r := other.post("/ho-so/"+code+"/thu-phi", url.Values{"receipt_number": {"0010"}, "amount": {"8000"}}); r.status != http.StatusNotFound {
		t.Errorf("another commune: %d", r.status)
	}
}

// TestPayOnlineFromLookup: the lookup offers "Thanh toán trực tuyến"; the
// button leads to a page linking to the platform; paying there brings the
// browser back to the return page, which shows the payment done.
func TestPayOnlineFromLookup(t *testing.T) {
	var handler http.Handler = http.NotFoundHandler()
	simSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler.ServeHTTP(w, r) }))
	defer simSrv.Close()
	client, err := payment.New(payment.Config{URL: simSrv.URL + "/", Partner: "P", Secret: "S", Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, func(c *service.Config) { c.Payments = client })
	s, err := sim.New(sim.Config{Partner: "P", Secret: "S", CallbackURL: e.ts.URL + "/api/v1/payments/callback",
		ReturnURL: e.ts.URL + "/thanh-toan/ket-qua"})
	if err != nil {
		t.Fatal(err)
	}
	handler = s
	code := e.receiveFee("0912000654")
	b := e.browser()
	pub := b.get("/tra-cuu?ma=" + code + "&so=0654")
	if !strings.Contains(pub.body, "Thanh toán trực tuyến</button>") || !strings.Contains(pub.body, "Chưa nộp: 8.000") {
		t.Fatalf("lookup: %s", pub.body)
	}
	r := b.post("/tra-cuu/thanh-toan", url.Values{"ma": {code}, "so": {"0654"}})
	link := regexp.MustCompile(`href="(` + regexp.QuoteMeta(simSrv.URL) + `/pay/[^"]+)"`).FindStringSubmatch(r.body)
	if r.status != 200 || link == nil {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest("POST", link[1], strings.NewReader("action=pay"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	back := b.do(req)
	if back.status != http.StatusSeeOther || !strings.HasPrefix(back.header.Get("Location"), e.ts.URL+"/thanh-toan/ket-qua?ref=") {
		t.Fatalf("back: %d %v", back.status, back.header)
	}
	ret := b.get(strings.TrimPrefix(back.header.Get("Location"), e.ts.URL))
	if ret.status != 200 || !strings.Contains(ret.body, "Đã thanh toán") || !strings.Contains(ret.body, "Số biên lai") {
		t.Errorf("return page: %d %s", ret.status, ret.body)
	}
	pub = b.get("/tra-cuu?ma=" + code + "&so=0654")
	if !strings.Contains(pub.body, "Đã nộp 8.000") || !strings.Contains(pub.body, "trực tuyến") || strings.Contains(pub.body, "Thanh toán trực tuyến</button>") {
		t.Errorf("lookup after paying: %s", pub.body)
	}
	// An officer starts one for a citizen from the dossier page, without
	// the verifier.
	other := e.receiveFee("0912000987")
	counter := e.login("motcua.anphu")
	if page := counter.get("/ho-so/" + other); !strings.Contains(page.body, "Thanh toán trực tuyến cho người nộp") {
		t.Errorf("no online payment on the dossier page")
	}
	if r := counter.post("/tra-cuu/thanh-toan", url.Values{"ma": {other}}); r.status != 200 || !strings.Contains(r.body, simSrv.URL+"/pay/") {
		t.Errorf("officer for a citizen: %d %s", r.status, r.body)
	}
	// A wrong verifier gets the lookup's message, not a payment.
	if r := b.post("/tra-cuu/thanh-toan", url.Values{"ma": {code}, "so": {"1111"}}); r.status != http.StatusNotFound ||
		!strings.Contains(r.body, "Không tìm thấy hồ sơ với mã và số kiểm tra đã nhập") {
		t.Errorf("wrong verifier: %d", r.status)
	}
	// Paying again: the message is shown by the fees.
	if r := b.post("/tra-cuu/thanh-toan", url.Values{"ma": {code}, "so": {"0654"}}); r.status != http.StatusConflict ||
		!strings.Contains(r.body, `role="alert"><p>Phí, lệ phí của hồ sơ`) {
		t.Errorf("paying twice: %d %s", r.status, r.body)
	}
}
