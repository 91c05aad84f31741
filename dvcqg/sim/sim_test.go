package sim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqg/sim"
)

func start(t *testing.T, cfg sim.Config) (*sim.Sim, *httptest.Server) {
	t.Helper()
	cfg.Username, cfg.Password, cfg.DstCode = "u", "p", "d"
	s, err := sim.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func client(srv *httptest.Server) *dvcqg.Client {
	return dvcqg.NewClient(dvcqg.Config{BaseURL: srv.URL, Username: "u", Password: "p", DstCode: "d", AgencyCode: "000.00.00.H99", Timeout: 2 * time.Second})
}

func dossier(code string, s motcua.State) *motcua.PortalDossier {
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, motcua.VietnamTime)
	return &motcua.PortalDossier{Code: code, ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh",
		Applicant: motcua.Applicant{FullName: "Phạm Thu Trang", IDKind: motcua.IDPersonal, IDNumber: "001203004567"},
		Channel:   motcua.ChannelCounter, State: s, SubmittedAt: at, ReceivedAt: at, DueAt: at.Add(72 * time.Hour)}
}

// call posts a raw integration request with a fresh session.
func call(t *testing.T, srv *httptest.Server, service, isUpdating string, data any) dvcqg.Answer {
	t.Helper()
	var auth dvcqg.AuthAnswer
	doJSON(t, srv.URL+"/auth", dvcqg.AuthRequest{Username: "u", Password: "p"}, &auth)
	raw, _ := json.Marshal(data)
	var a dvcqg.Answer
	doJSON(t, srv.URL+"/integration", dvcqg.Request{Session: auth.Session, MaDonVi: "x", Service: service, IsUpdating: isUpdating, Data: raw}, &a)
	return a
}

func doJSON(t *testing.T, url string, body, out any) int {
	t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	req.Header.Set(dvcqg.HeaderDstCode, "d")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil && resp.StatusCode == 200 {
			t.Fatal(err)
		}
	}
	return resp.StatusCode
}

func TestRecordsAreChecked(t *testing.T) {
	_, srv := start(t, sim.Config{})
	good := dvcqg.RecordOf(dossier("D1", motcua.StateReceived))
	if a := call(t, srv, dvcqg.ServiceSyncDossier, "False", []dvcqg.HoSo{good}); a.ErrorCode != dvcqg.CodeOK {
		t.Fatalf("good record: %+v", a)
	}
	bad := func(change func(*dvcqg.HoSo)) dvcqg.HoSo {
		h := dvcqg.RecordOf(dossier("D2", motcua.StateReceived))
		change(&h)
		return h
	}
	cases := map[string]struct {
		isUpdating string
		recs       []dvcqg.HoSo
		code       int
	}{
		"status 11":        {"False", []dvcqg.HoSo{bad(func(h *dvcqg.HoSo) { h.TrangThaiHoSo = 11 })}, dvcqg.CodeInvalidRecord},
		"status 0":         {"False", []dvcqg.HoSo{bad(func(h *dvcqg.HoSo) { h.TrangThaiHoSo = 0 })}, dvcqg.CodeInvalidRecord},
		"date format":      {"False", []dvcqg.HoSo{bad(func(h *dvcqg.HoSo) { h.NgayHenTra = "2026-12-04" })}, dvcqg.CodeInvalidRecord},
		"no applicant":     {"False", []dvcqg.HoSo{bad(func(h *dvcqg.HoSo) { h.ChuHoSo = "" })}, dvcqg.CodeInvalidRecord},
		"returned no date": {"False", []dvcqg.HoSo{bad(func(h *dvcqg.HoSo) { h.TrangThaiHoSo = 10 })}, dvcqg.CodeInvalidRecord},
		"isUpdating":       {"yes", []dvcqg.HoSo{bad(func(*dvcqg.HoSo) {})}, dvcqg.CodeInvalidRecord},
		"create existing":  {"False", []dvcqg.HoSo{good}, dvcqg.CodeRecordExists},
		"update unknown":   {"True", []dvcqg.HoSo{bad(func(*dvcqg.HoSo) {})}, dvcqg.CodeRecordUnknown},
		// all or nothing: a good record with a bad one keeps neither
		"mixed": {"False", []dvcqg.HoSo{bad(func(*dvcqg.HoSo) {}), bad(func(h *dvcqg.HoSo) { h.MaHoSo = "D3"; h.KenhThucHien = 9 })}, dvcqg.CodeInvalidRecord},
	}
	for name, c := range cases {
		if a := call(t, srv, dvcqg.ServiceSyncDossier, c.isUpdating, c.recs); a.ErrorCode != c.code || a.Message == "" {
			t.Errorf("%s: %+v, want error_code %d", name, a, c.code)
		}
	}
	if a := call(t, srv, "XoaHoSo", "", nil); a.ErrorCode != dvcqg.CodeUnknownService {
		t.Errorf("unknown service: %+v", a)
	}
	var st sim.State
	resp, _ := http.Get(srv.URL + "/state")
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if len(st.Dossiers) != 1 || st.Counts.Refused != len(cases)+1 {
		t.Errorf("state after refusals: %d dossiers, counts %+v", len(st.Dossiers), st.Counts)
	}
	// TraCuuHoSo answers the record and its rows.
	a := call(t, srv, dvcqg.ServiceLookupDossier, "", dvcqg.TraCuu{MaHoSo: "D1"})
	if a.ErrorCode != 0 || !strings.Contains(string(a.Data), `"MaHoSo":"D1"`) {
		t.Errorf("lookup: %+v", a)
	}
}

func TestFaultSwitches(t *testing.T) {
	s, srv := start(t, sim.Config{})
	c := client(srv)
	ctx := context.Background()
	// JSON control endpoint.
	var f sim.Faults
	if code := doJSON(t, srv.URL+"/control", map[string]any{"down": true}, &f); code != 200 || !f.Down {
		t.Fatalf("control: %d %+v", code, f)
	}
	if code := doJSON(t, srv.URL+"/auth", dvcqg.AuthRequest{Username: "u", Password: "p"}, nil); code != 503 {
		t.Errorf("down: auth answered %d", code)
	}
	doJSON(t, srv.URL+"/control", map[string]any{"down": false, "fail_next": 2}, &f)
	if f.Down || f.FailNext != 2 {
		t.Fatalf("control: %+v", f)
	}
	if err := c.SyncDossier(ctx, dossier("D1", motcua.StateReceived), false); err == nil {
		t.Error("fail_next: the login should fail")
	}
	if err := c.SyncDossier(ctx, dossier("D1", motcua.StateReceived), false); err == nil {
		t.Error("fail_next: the second call should fail")
	}
	if err := c.SyncDossier(ctx, dossier("D1", motcua.StateReceived), false); err != nil {
		t.Errorf("after fail_next: %v", err)
	}
	if code := doJSON(t, srv.URL+"/control", map[string]any{"bogus": 1}, nil); code != 400 {
		t.Errorf("unknown control field: %d", code)
	}
	// Error rate 1: every call fails; 0: none.
	s.SetErrorRate(1)
	if err := c.SyncDossier(ctx, dossier("D1", motcua.StateProcessing), true); err == nil {
		t.Error("error rate 1: call succeeded")
	}
	s.SetErrorRate(0)
	// Delay, set from the page's form.
	resp, err := http.PostForm(srv.URL+"/faults", url.Values{"delay_ms": {"300"}, "error_rate": {"0"}, "fail_next": {"0"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := s.Faults(); got.Delay != 300*time.Millisecond || got.Down {
		t.Fatalf("form: %+v", got)
	}
	begin := time.Now()
	if err := c.SyncDossier(ctx, dossier("D1", motcua.StateProcessing), true); err != nil || time.Since(begin) < 300*time.Millisecond {
		t.Errorf("delay: %v after %v", err, time.Since(begin))
	}
	if st := s.Snapshot(); st.Counts.Failed != 3 || st.Dossiers["D1"].Record.TrangThaiHoSo != 4 {
		t.Errorf("counts %+v", st.Counts)
	}
}

func TestPageRenders(t *testing.T) {
	s, srv := start(t, sim.Config{})
	c := client(srv)
	ctx := context.Background()
	d := dossier("H99.101-261201-0001", motcua.StateReceived)
	if err := c.SyncDossier(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncProgress(ctx, &motcua.PortalProgress{Code: d.Code, Officer: "Trần Bình", At: d.ReceivedAt, Content: "Tiếp nhận <hồ sơ>", State: motcua.StateReceived}); err != nil {
		t.Fatal(err)
	}
	s.SetDown(true)
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !norm.NFC.IsNormal(body) {
		t.Error("page text is not NFC")
	}
	doc, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var forms, options int
	var downChecked bool
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				forms++
			case "option":
				options++
			case "input":
				var name string
				var checked bool
				for _, a := range n.Attr {
					name = map[bool]string{true: a.Val, false: name}[a.Key == "name"]
					checked = checked || a.Key == "checked"
				}
				downChecked = downChecked || (name == "down" && checked)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	page := text.String()
	for _, want := range []string{d.Code, "2 – Được tiếp nhận", "Tiếp nhận <hồ sơ>", "Trần Bình", "Nộp hồ sơ trực tuyến"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if forms != 2 || options < 51 || !downChecked {
		t.Errorf("forms %d, options %d, down checked %v", forms, options, downChecked)
	}
}

func TestSubmitFromThePage(t *testing.T) {
	var got []byte
	motcuaSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		w.WriteHeader(202)
		w.Write([]byte(`{"code":"H99.101-261201-0009"}`))
	}))
	defer motcuaSrv.Close()
	s, srv := start(t, sim.Config{Secret: []byte("k"), InboundURL: motcuaSrv.URL})
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"procedure": "1.001193", "agency": "H99.101", "name": "Võ Thị Lan", "id_number": "001203004567", "phone": "0912345678"} {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", "to-khai.pdf")
	fw.Write([]byte("%PDF tờ khai"))
	mw.Close()
	nc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := nc.Post(srv.URL+"/submit", mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "msg=") {
		t.Fatalf("submit: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	var env dvcqg.Envelope
	var h dvcqg.HoSoTrucTuyen
	if json.Unmarshal(got, &env) != nil || json.Unmarshal(env.Data, &h) != nil || env.Service != dvcqg.InboundSubmit {
		t.Fatalf("forwarded %s", got)
	}
	if h.ChuHoSo != "Võ Thị Lan" || h.TaiKhoanDuocXacThucVoiVNeID != 1 || h.MucDoTaiKhoan != 2 || len(h.TaiLieuNop) != 1 {
		t.Fatalf("forwarded %+v", h)
	}
	// The file is served where the message says.
	fr, err := http.Get(h.TaiLieuNop[0].DuongDanTaiTepTin)
	if err == nil {
		b, _ := io.ReadAll(fr.Body)
		fr.Body.Close()
		if string(b) != "%PDF tờ khai" {
			t.Errorf("file served %q", b)
		}
	}
	st := s.Snapshot()
	if len(st.Forwarded) != 1 || st.Forwarded[0].HTTPStatus != 202 || st.Forwarded[0].NationalCode != h.MaHoSo || !strings.HasPrefix(h.MaHoSo, "G22.") {
		t.Errorf("forwarded record %+v", st.Forwarded)
	}
}

func TestStateKeptAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dvcqg-sim.json")
	s, srv := start(t, sim.Config{StatePath: path})
	c := client(srv)
	ctx := context.Background()
	d := dossier("D1", motcua.StateReceived)
	if err := c.SyncDossier(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	if err := c.SyncProgress(ctx, &motcua.PortalProgress{Code: "D1", Officer: "A", At: d.ReceivedAt, Content: "Tiếp nhận", State: motcua.StateReceived}); err != nil {
		t.Fatal(err)
	}
	code, name := "1.999002", "Thủ tục thêm để thử"
	if err := s.SetProcedure(dvcqg.ThuTuc{MaTTHC: &code, TenTTHC: name}); err != nil {
		t.Fatal(err)
	}
	s.SetDelay(5 * time.Millisecond)
	srv.Close()

	again, srv2 := start(t, sim.Config{StatePath: path})
	st := again.Snapshot()
	if st.Dossiers["D1"] == nil || len(st.Dossiers["D1"].Rows) != 1 || st.Counts.Rows != 1 || st.Faults.Delay != 5*time.Millisecond {
		t.Fatalf("after restart: %+v", st)
	}
	np, err := client(srv2).NationalProcedure(ctx, code)
	if err != nil || np.Procedure.Name != name {
		t.Errorf("changed procedure after restart: %v %v", np, err)
	}
	// The record is still there: a create is now an existing record.
	if a := call(t, srv2, dvcqg.ServiceSyncDossier, "False", []dvcqg.HoSo{dvcqg.RecordOf(d)}); a.ErrorCode != dvcqg.CodeRecordExists {
		t.Errorf("create after restart: %+v", a)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("state directory holds %d files (temporary files left?)", len(entries))
	}
	if err := os.WriteFile(path, []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.New(sim.Config{StatePath: path}); err == nil {
		t.Error("a corrupt state file must be an error, not an empty portal")
	}
}
