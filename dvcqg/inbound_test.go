package dvcqg_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqg/sim"
)

var secret = []byte("bí-mật-chung-của-tỉnh-và-cổng")

// link is a simulator forwarding to a motcua endpoint that reads with an
// Inbound and records what it read.
type link struct {
	sim     *sim.Sim
	simURL  string
	in      *dvcqg.Inbound
	motcua  *httptest.Server
	mu      sync.Mutex
	got     []any
	errs    []error
	simHits atomic.Int32
}

func newLink(t *testing.T, configure func(*dvcqg.Inbound)) *link {
	t.Helper()
	l := &link{}
	l.motcua = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := l.in.Read(r)
		l.mu.Lock()
		l.got, l.errs = append(l.got, v), append(l.errs, err)
		l.mu.Unlock()
		w.WriteHeader(dvcqg.HTTPStatus(err))
		if err != nil {
			json.NewEncoder(w).Encode(map[string]string{"reason": motcua.ErrorReason(err), "message": motcua.ErrorMessage(err)})
		}
	}))
	t.Cleanup(l.motcua.Close)
	var s *sim.Sim
	simSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/files/") {
			l.simHits.Add(1)
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(simSrv.Close)
	var err error
	s, err = sim.New(sim.Config{Username: "u", Password: "p", DstCode: "d", Secret: secret, InboundURL: l.motcua.URL + "/dvcqg/inbound", BaseURL: simSrv.URL})
	if err != nil {
		t.Fatal(err)
	}
	l.sim, l.simURL = s, simSrv.URL
	l.in = &dvcqg.Inbound{Secret: secret, FileBase: simSrv.URL + "/files/", Clock: time.Now}
	if configure != nil {
		configure(l.in)
	}
	return l
}

func (l *link) last() (any, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.got[len(l.got)-1], l.errs[len(l.errs)-1]
}

func citizen() sim.SubmitRequest {
	return sim.SubmitRequest{ProcedureCode: "1.001193", AgencyCode: "H99.101", IDNumber: "001203004567",
		FullName: "Nguyễn Thị Hoa", Phone: "+84 912 345 678", Email: "hoa@example.vn", Address: "Ấp Trung, xã An Phú",
		BirthDate: "19950214", Summary: "Đăng ký khai sinh cho con", ReturnMethod: "online", VNeIDVerified: true, AccountLevel: 2,
		Files: []sim.SubmitFile{
			{ComponentCode: "1", Component: "Tờ khai đăng ký khai sinh", Name: "to-khai.pdf", Data: []byte("%PDF-1.7 tờ khai")},
			{ComponentCode: "2", Component: "Giấy chứng sinh", Name: "chung-sinh.jpg", Data: []byte("JPEG giấy chứng sinh"), Digitized: true},
			{ComponentCode: "2", Component: "Giấy chứng sinh", Name: "chung-sinh-2.jpg", Data: []byte("trang 2")},
			{ComponentCode: "3", Component: "Giấy xác nhận cư trú", Name: "cu-tru", Reused: true, ReplacedBy: "KQ.000123"},
		},
		Fees: []sim.SubmitFee{{Name: "Lệ phí đăng ký khai sinh", Amount: 8000, Paid: true, Reference: "PAY-0001"}, {Name: "Phí bản sao", Amount: 3000}},
	}
}

func TestInboundSubmissionWithFiles(t *testing.T) {
	l := newLink(t, nil)
	code, err := l.sim.Submit(context.Background(), citizen())
	if err != nil {
		t.Fatal(err)
	}
	v, rerr := l.last()
	if rerr != nil {
		t.Fatal(rerr)
	}
	s, ok := v.(*motcua.PortalSubmission)
	if !ok {
		t.Fatalf("got %T", v)
	}
	if s.NationalCode != code || !strings.HasPrefix(code, "G22.") || s.MessageID == "" || s.ProcedureCode != "1.001193" || s.AgencyCode != "H99.101" {
		t.Errorf("codes: %+v", s)
	}
	a := s.Applicant
	if a.FullName != "Nguyễn Thị Hoa" || a.IDNumber != "001203004567" || a.IDKind != motcua.IDPersonal || a.Phone != "0912345678" ||
		a.DateOfBirth != "1995-02-14" || !a.VNeIDVerified || s.AccountLevel != 2 || s.ReturnMethod != "online" {
		t.Errorf("applicant: %+v level %d", a, s.AccountLevel)
	}
	if len(s.Components) != 3 {
		t.Fatalf("components: %+v", s.Components)
	}
	c := s.Components
	if c[0].Name != "Tờ khai đăng ký khai sinh" || len(c[0].Files) != 1 || string(c[0].Files[0].Data) != "%PDF-1.7 tờ khai" || c[0].Files[0].Name != "to-khai.pdf" {
		t.Errorf("component 1: %+v", c[0])
	}
	if len(c[1].Files) != 2 || string(c[1].Files[1].Data) != "trang 2" || !c[1].Digitized || c[1].Seq != 2 {
		t.Errorf("component 2: %+v", c[1])
	}
	if len(c[2].Files) != 0 || !c[2].Reused || c[2].ReplacedBy != "KQ.000123" {
		t.Errorf("component 3: %+v", c[2])
	}
	if len(s.Payments) != 1 || s.Payments[0].Amount != 8000 || s.Payments[0].Reference != "PAY-0001" || s.Payments[0].PaidAt.IsZero() {
		t.Errorf("payments: %+v", s.Payments)
	}
	st := l.sim.Snapshot()
	if len(st.Forwarded) != 1 || st.Forwarded[0].HTTPStatus != 200 || st.Forwarded[0].MessageID != s.MessageID {
		t.Errorf("the simulator's record: %+v", st.Forwarded)
	}
}

func TestInboundSupplementAndWithdrawal(t *testing.T) {
	l := newLink(t, nil)
	ctx := context.Background()
	code, err := l.sim.Submit(ctx, citizen())
	if err != nil {
		t.Fatal(err)
	}
	if err := l.sim.Supplement(ctx, code, "Bổ sung giấy xác nhận", []sim.SubmitFile{{ComponentCode: "3", Component: "Giấy xác nhận cư trú", Name: "cu-tru.pdf", Data: []byte("xác nhận")}}); err != nil {
		t.Fatal(err)
	}
	v, _ := l.last()
	sup, ok := v.(*motcua.PortalSupplement)
	if !ok || sup.NationalCode != code || len(sup.Components) != 1 || string(sup.Components[0].Files[0].Data) != "xác nhận" || sup.Note != "Bổ sung giấy xác nhận" || sup.At.IsZero() {
		t.Fatalf("supplement: %#v", v)
	}
	if err := l.sim.Withdraw(ctx, code, "Không còn nhu cầu"); err != nil {
		t.Fatal(err)
	}
	v, _ = l.last()
	w, ok := v.(*motcua.PortalWithdrawal)
	if !ok || w.NationalCode != code || w.Reason != "Không còn nhu cầu" || w.MessageID == sup.MessageID {
		t.Fatalf("withdrawal: %#v", v)
	}
}

// wantRefusal checks that the last message was refused with reason and
// status, and that the simulator recorded that answer.
func wantRefusal(t *testing.T, l *link, err error, reason string, status int) {
	t.Helper()
	var fe *sim.ForwardError
	if !errors.As(err, &fe) || fe.Status != status {
		t.Fatalf("forward error %v, want HTTP %d", err, status)
	}
	v, rerr := l.last()
	if v != nil || motcua.ErrorReason(rerr) != reason || motcua.ErrorMessage(rerr) == "" {
		t.Fatalf("read %v, %v; want reason %s", v, rerr, reason)
	}
}

func TestInboundRefusals(t *testing.T) {
	ctx := context.Background()
	t.Run("bad signature", func(t *testing.T) {
		l := newLink(t, func(in *dvcqg.Inbound) { in.Secret = []byte("another secret") })
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "bad_signature", 401)
		if l.simHits.Load() != 0 {
			t.Error("files fetched for an unsigned message")
		}
	})
	t.Run("stale", func(t *testing.T) {
		l := newLink(t, func(in *dvcqg.Inbound) { in.Clock = func() time.Time { return time.Now().Add(6 * time.Minute) } })
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "stale_message", 401)
	})
	t.Run("from the future", func(t *testing.T) {
		l := newLink(t, func(in *dvcqg.Inbound) { in.Clock = func() time.Time { return time.Now().Add(-6 * time.Minute) } })
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "stale_message", 401)
	})
	t.Run("oversize body", func(t *testing.T) {
		l := newLink(t, func(in *dvcqg.Inbound) { in.MaxBody = 600 })
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "body_too_large", 413)
	})
	t.Run("too many files", func(t *testing.T) {
		l := newLink(t, func(in *dvcqg.Inbound) { in.MaxFiles = 3 })
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "too_many_files", 413)
		if l.simHits.Load() != 0 {
			t.Error("files fetched although there were too many")
		}
	})
	t.Run("file too large", func(t *testing.T) {
		l := newLink(t, func(in *dvcqg.Inbound) { in.MaxFile = 10 })
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "file_too_large", 413)
	})
	t.Run("files too large together", func(t *testing.T) {
		l := newLink(t, func(in *dvcqg.Inbound) { in.MaxTotal = 30 })
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "file_too_large", 413)
	})
	t.Run("portal cannot serve a file", func(t *testing.T) {
		l := newLink(t, nil)
		l.sim.FailNext(1)
		_, err := l.sim.Submit(ctx, citizen())
		wantRefusal(t, l, err, "file_fetch_failed", 502)
	})
	t.Run("invalid ID number", func(t *testing.T) {
		l := newLink(t, nil)
		c := citizen()
		c.IDNumber = "999203004567"
		_, err := l.sim.Submit(ctx, c)
		wantRefusal(t, l, err, "message_invalid", 422)
		_, rerr := l.last()
		var me *motcua.Error
		if !errors.As(rerr, &me) || me.Fields["SoGiayToChuHoSo"] == "" {
			t.Errorf("fields: %v", rerr)
		}
	})
	t.Run("bad agency code and level", func(t *testing.T) {
		l := newLink(t, nil)
		c := citizen()
		c.AgencyCode, c.AccountLevel = "H99 101!", 0
		_, err := l.sim.Submit(ctx, c)
		wantRefusal(t, l, err, "message_invalid", 422)
		_, rerr := l.last()
		var me *motcua.Error
		if !errors.As(rerr, &me) || me.Fields["MaDonVi"] == "" || me.Fields["MucDoTaiKhoan"] == "" {
			t.Errorf("fields: %v", rerr)
		}
	})
	t.Run("procedure outside the catalogue", func(t *testing.T) {
		l := newLink(t, nil)
		c := citizen()
		c.ProcedureCode = "1.999999"
		if _, err := l.sim.Submit(ctx, c); err == nil || len(l.sim.Snapshot().Forwarded) != 0 {
			t.Errorf("the portal forwarded a procedure it does not publish: %v", err)
		}
	})
}

// post sends a hand-made message signed with the right secret.
func post(t *testing.T, l *link, msgID string, body []byte) (any, error) {
	t.Helper()
	req, err := dvcqg.NewSignedRequest(context.Background(), l.motcua.URL, secret, msgID, time.Now(), body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	v, rerr := l.last()
	if got, want := resp.StatusCode, dvcqg.HTTPStatus(rerr); got != want {
		t.Errorf("HTTP %d, want %d", got, want)
	}
	return v, rerr
}

func TestInboundFileOutsideBase(t *testing.T) {
	l := newLink(t, nil)
	var evilHits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { evilHits.Add(1); w.Write([]byte("secret")) }))
	defer evil.Close()
	n := 0
	for _, u := range []string{evil.URL + "/files/x", l.simURL + "/state", l.simURL + "/files/../state", l.simURL + "/files/%2e%2e/state",
		"file:///etc/passwd", "http://user@" + strings.TrimPrefix(l.simURL, "http://") + "/files/x", "//" + strings.TrimPrefix(l.simURL, "http://") + "/files/x"} {
		n++
		body := mustJSON(t, dvcqg.Envelope{Service: dvcqg.InboundSubmit, Data: mustJSON(t, validData(u))})
		v, err := post(t, l, fmt.Sprintf("m-%d", n), body)
		if v != nil || motcua.ErrorReason(err) != "file_outside_base" {
			t.Errorf("%s: %v %v", u, v, err)
		}
	}
	if evilHits.Load() != 0 {
		t.Error("a file was fetched from outside FileBase")
	}
}

func validData(url string) dvcqg.HoSoTrucTuyen {
	return dvcqg.HoSoTrucTuyen{MaHoSo: "G22.261201.000001", MaTTHC: "1.001193", MaDonVi: "H99.101", ChuHoSo: "Lê Văn An",
		SoGiayToChuHoSo: "001203004567", NgayNopHoSo: dvcqg.FormatTime(time.Now()), HinhThucNhanKetQua: 1,
		TaiLieuNop: []dvcqg.TaiLieu{{TepDinhKemId: "1", TenTepDinhKem: "a.pdf", TenThanhPhanHoSo: "Tờ khai", DuongDanTaiTepTin: url}}}
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInboundMalformed(t *testing.T) {
	l := newLink(t, nil)
	good := mustJSON(t, dvcqg.Envelope{Service: dvcqg.InboundWithdraw, Data: mustJSON(t, dvcqg.RutHoSo{MaHoSo: "G22.1", NgayYeuCau: "20261201080000", LyDo: "x"})})
	cases := map[string]struct {
		body   []byte
		reason string
	}{
		"not JSON":        {[]byte("{service:"), "malformed"},
		"trailing":        {append(append([]byte{}, good...), []byte(`{}`)...), "malformed"},
		"unknown field":   {[]byte(`{"service":"RutHoSo","data":{"MaHoSo":"G22.1","Hack":1}}`), "malformed"},
		"no data":         {[]byte(`{"service":"RutHoSo"}`), "malformed"},
		"unknown service": {[]byte(`{"service":"XoaHoSo","data":{}}`), "unknown_service"},
		"wrong type":      {[]byte(`{"service":"RutHoSo","data":{"MaHoSo":12}}`), "malformed"},
		"bad date":        {[]byte(`{"service":"RutHoSo","data":{"MaHoSo":"G22.1","NgayYeuCau":"01/12/2026","LyDo":"x"}}`), "message_invalid"},
		"procedure code":  {mustJSON(t, dvcqg.Envelope{Service: dvcqg.InboundSubmit, Data: mustJSON(t, func() dvcqg.HoSoTrucTuyen { d := validData("http://x/files/a"); d.MaTTHC = "khai-sinh"; return d }())}), "message_invalid"},
		"ID mismatch": {mustJSON(t, dvcqg.Envelope{Service: dvcqg.InboundSubmit, Data: mustJSON(t, func() dvcqg.HoSoTrucTuyen {
			d := validData("http://x/files/a")
			d.DinhDanhCHS = []dvcqg.DinhDanh{{LoaiDinhDanh: 1, SoDinhDanh: "001203009999"}}
			return d
		}())}), "message_invalid"},
		"bad code": {[]byte(`{"service":"RutHoSo","data":{"MaHoSo":"../../x","NgayYeuCau":"20261201080000","LyDo":"x"}}`), "message_invalid"},
	}
	for name, c := range cases {
		v, err := post(t, l, "m1", c.body)
		if v != nil || motcua.ErrorReason(err) != c.reason {
			t.Errorf("%s: %v %v, want %s", name, v, err, c.reason)
		}
	}
	if v, err := post(t, l, "m2", good); err != nil || v.(*motcua.PortalWithdrawal).MessageID != "m2" {
		t.Errorf("the good one: %v %v", v, err)
	}
	// Unsigned: no headers at all.
	resp, err := http.Post(l.motcua.URL, "application/json", bytes.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if _, rerr := l.last(); resp.StatusCode != 401 || motcua.ErrorReason(rerr) != "unsigned" {
		t.Errorf("unsigned: %d %v", resp.StatusCode, rerr)
	}
}

// TestInboundReplayKeepsItsID: the same message again reads the same,
// with the same id, for the caller's store of seen ids to refuse; an old
// capture replayed later is stale.
func TestInboundReplay(t *testing.T) {
	l := newLink(t, nil)
	ctx := context.Background()
	if _, err := l.sim.Submit(ctx, citizen()); err != nil {
		t.Fatal(err)
	}
	first, _ := l.last()
	id := first.(*motcua.PortalSubmission).MessageID
	if status, err := l.sim.Resend(ctx, id, true); err != nil || status != 200 {
		t.Fatalf("resend: %d %v", status, err)
	}
	again, _ := l.last()
	if again.(*motcua.PortalSubmission).MessageID != id {
		t.Error("a replay must carry the same message id")
	}
	l.in.Clock = func() time.Time { return time.Now().Add(10 * time.Minute) }
	if status, _ := l.sim.Resend(ctx, id, false); status != 401 {
		t.Errorf("old capture: HTTP %d, want 401", status)
	}
}
