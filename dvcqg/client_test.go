package dvcqg_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
	"github.com/motcua/motcua/dvcqg/sim"
)

type portal struct {
	sim    *sim.Sim
	srv    *httptest.Server
	client *dvcqg.Client
	auths  atomic.Int32
}

// newPortal starts a simulator over real HTTP and a client for it.
func newPortal(t *testing.T, timeout time.Duration) *portal {
	t.Helper()
	p := &portal{}
	s, err := sim.New(sim.Config{Username: "motcua", Password: "mk-bí-mật", DstCode: "H99"})
	if err != nil {
		t.Fatal(err)
	}
	p.sim = s
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/auth" {
			p.auths.Add(1)
		}
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	p.client = dvcqg.NewClient(dvcqg.Config{BaseURL: p.srv.URL + "/", Username: "motcua", Password: "mk-bí-mật",
		DstCode: "H99", AgencyCode: "000.00.00.H99", Timeout: timeout})
	return p
}

var vn = motcua.VietnamTime

func sampleDossier() *motcua.PortalDossier {
	return &motcua.PortalDossier{
		Code: "H99.101-261201-0001", ProcedureCode: "1.001193", ProcedureName: "Thủ tục đăng ký khai sinh",
		FieldCode: "LV001", FieldName: "HỘ TỊCH", AgencyCode: "H99.101", AgencyName: "Ủy ban nhân dân xã An Phú",
		Applicant: motcua.Applicant{Kind: motcua.ApplicantCitizen, IDKind: motcua.IDPersonal, IDNumber: "001203004567",
			FullName: "Nguyễn Thị Hoa", Phone: "0912345678"},
		Summary: "Đăng ký khai sinh cho con", Channel: motcua.ChannelCounter, State: motcua.StateReceived,
		SubmittedAt: time.Date(2026, 12, 1, 8, 0, 0, 0, vn), ReceivedAt: time.Date(2026, 12, 1, 8, 5, 0, 0, vn),
		DueAt: time.Date(2026, 12, 4, 17, 0, 0, 0, vn),
		Fees:  []motcua.DossierFee{{Name: "Lệ phí", Amount: 8000}},
		Files: []motcua.PortalFile{{ID: "f1", Name: "to-khai.pdf", ComponentName: "Tờ khai", ComponentSeq: 1, Digitized: true}},
	}
}

func TestSyncCreateThenUpdate(t *testing.T) {
	p := newPortal(t, 5*time.Second)
	ctx := context.Background()
	d := sampleDossier()
	if err := p.client.SyncDossier(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	d.State, d.FinishedAt = motcua.StateProcessing, time.Time{}
	if err := p.client.SyncDossier(ctx, d, true); err != nil {
		t.Fatal(err)
	}
	st := p.sim.Snapshot()
	got := st.Dossiers[d.Code]
	if got == nil {
		t.Fatalf("simulator holds %v, not %s", st.Order, d.Code)
	}
	r := got.Record
	if r.TrangThaiHoSo != 4 || got.Updates != 1 || len(got.Statuses) != 2 || got.Statuses[0] != 2 {
		t.Errorf("status %d, updates %d, statuses %v; want 4, 1, [2 4]", r.TrangThaiHoSo, got.Updates, got.Statuses)
	}
	if r.NgayTiepNhan != "20261201080500" || r.NgayHenTra != "20261204170000" || r.NgayNopHoSo != "20261201080000" || r.NgayTra != "" {
		t.Errorf("dates %q %q %q %q", r.NgayTiepNhan, r.NgayHenTra, r.NgayNopHoSo, r.NgayTra)
	}
	if r.KenhThucHien != 1 || r.SoGiayToChuHoSo != "001203004567" || len(r.DinhDanhCHS) != 1 || r.DinhDanhCHS[0].LoaiDinhDanh != 1 {
		t.Errorf("channel/ID: %+v", r)
	}
	if r.HoSoCoThanhPhanSoHoa != 1 || len(r.TaiLieuNop) != 1 || r.TaiLieuNop[0].DuocSoHoa != 1 || r.TaiLieuNop[0].MaThanhPhanHoSo != "1" {
		t.Errorf("files: %+v", r.TaiLieuNop)
	}
	if len(r.DanhSachLePhi) != 1 || r.DanhSachLePhi[0].MucPhi != 8000 {
		t.Errorf("fees: %+v", r.DanhSachLePhi)
	}
	if st.Counts.Creates != 1 || st.Counts.Updates != 1 || p.auths.Load() != 1 {
		t.Errorf("counts %+v, logins %d", st.Counts, p.auths.Load())
	}
}

func TestSyncIsIdempotent(t *testing.T) {
	p := newPortal(t, 5*time.Second)
	ctx := context.Background()
	d := sampleDossier()
	d.NationalCode = "G22.261201.000007" // forwarded by the portal: reported under its code
	// The create was lost: an update must still leave the record.
	if err := p.client.SyncDossier(ctx, d, true); err != nil {
		t.Fatal(err)
	}
	// A create delivered twice after a crash.
	if err := p.client.SyncDossier(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	st := p.sim.Snapshot()
	if len(st.Order) != 1 || st.Order[0] != d.NationalCode || st.Counts.Creates != 1 || st.Counts.Updates != 1 {
		t.Fatalf("order %v counts %+v", st.Order, st.Counts)
	}
}

func TestProgressRowsInOrder(t *testing.T) {
	p := newPortal(t, 5*time.Second)
	ctx := context.Background()
	d := sampleDossier()
	row := func(seq int, at time.Time, s motcua.State, content string) *motcua.PortalProgress {
		return &motcua.PortalProgress{Code: d.Code, Seq: seq, Officer: "Trần Văn Bình", Title: "Công chức tiếp nhận",
			Department: "Ủy ban nhân dân xã An Phú", At: at, Content: content, State: s, StartedAt: at, DueAt: d.DueAt}
	}
	rows := []*motcua.PortalProgress{
		row(1, time.Date(2026, 12, 1, 8, 5, 0, 0, vn), motcua.StateReceived, "Tiếp nhận hồ sơ"),
		row(2, time.Date(2026, 12, 1, 9, 0, 0, 0, vn), motcua.StateProcessing, "Chuyển công chức tư pháp"),
		row(3, time.Date(2026, 12, 2, 10, 0, 0, 0, vn), motcua.StateAwaitingSupplement, "Yêu cầu bổ sung"),
	}
	// A row before the dossier's record is refused (the outbox retries).
	if err := p.client.SyncProgress(ctx, rows[0]); err == nil || dvcqg.IsPermanent(err) {
		t.Fatalf("row of an unknown dossier: %v", err)
	}
	if err := p.client.SyncDossier(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := p.client.SyncProgress(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.client.SyncProgress(ctx, rows[1]); err != nil { // redelivered
		t.Fatal(err)
	}
	if err := p.client.SyncProgress(ctx, row(4, time.Date(2026, 12, 1, 12, 0, 0, 0, vn), motcua.StateProcessing, "Ghi chú muộn")); err != nil {
		t.Fatal(err)
	}
	got := p.sim.Snapshot().Dossiers[d.Code]
	var trail []int
	for _, r := range got.Rows {
		trail = append(trail, r.TrangThai)
	}
	if len(got.Rows) != 4 || got.Rows[0].NoiDungXuLy != "Tiếp nhận hồ sơ" || got.Rows[2].TrangThai != 5 || got.Rows[1].Repeats != 1 {
		t.Fatalf("rows %v (%+v)", trail, got.Rows)
	}
	if !got.Rows[3].OutOfOrder || got.Rows[2].OutOfOrder {
		t.Errorf("out-of-order marks wrong: %+v", got.Rows)
	}
	on, err := p.client.LookupDossier(ctx, d.Code)
	if err != nil || on.HoSo.MaHoSo != d.Code || len(on.TienDo) != 4 || on.TienDo[2].TrangThai != 5 {
		t.Errorf("lookup: %+v %v", on, err)
	}
	if _, err := p.client.LookupDossier(ctx, "H99.101-261201-9999"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
		t.Errorf("lookup of an unknown dossier: %v", err)
	}
	c := p.sim.Snapshot().Counts
	if c.Rows != 4 || c.Repeats != 1 || c.OutOfOrder != 1 || c.Refused != 2 {
		t.Errorf("counts %+v", c)
	}
}

func TestSessionExpiryLogsInAgain(t *testing.T) {
	p := newPortal(t, 5*time.Second)
	ctx := context.Background()
	d := sampleDossier()
	if err := p.client.SyncDossier(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	p.sim.ExpireSessions()
	if err := p.client.SyncDossier(ctx, d, true); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if n := p.auths.Load(); n != 2 {
		t.Errorf("logins = %d, want 2", n)
	}
}

func TestWrongCredentialsArePermanent(t *testing.T) {
	p := newPortal(t, 5*time.Second)
	c := dvcqg.NewClient(dvcqg.Config{BaseURL: p.srv.URL, Username: "motcua", Password: "sai", DstCode: "H99", AgencyCode: "x"})
	err := c.SyncDossier(context.Background(), sampleDossier(), false)
	if err == nil || !dvcqg.IsPermanent(err) {
		t.Fatalf("wrong password: %v", err)
	}
}

func TestPortalDownSlowAndFailing(t *testing.T) {
	p := newPortal(t, 300*time.Millisecond)
	ctx := context.Background()
	d := sampleDossier()

	p.sim.SetDown(true)
	err := p.client.SyncDossier(ctx, d, false)
	if err == nil || dvcqg.IsPermanent(err) || !strings.Contains(err.Error(), "503") {
		t.Fatalf("portal down: %v", err)
	}
	p.sim.SetDown(false)

	p.sim.SetDelay(2 * time.Second)
	start := time.Now()
	err = p.client.SyncDossier(ctx, d, false)
	if err == nil || dvcqg.IsPermanent(err) || time.Since(start) > 1500*time.Millisecond {
		t.Fatalf("slow portal: %v after %v", err, time.Since(start))
	}
	p.sim.SetDelay(0)

	p.sim.FailNext(1)
	var pe *dvcqg.PortalError
	err = p.client.SyncDossier(ctx, d, false)
	if !errors.As(err, &pe) || pe.Code != dvcqg.CodeInternal || pe.Permanent {
		t.Fatalf("error answer: %v", err)
	}
	if err := p.client.SyncDossier(ctx, d, false); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
	if got := p.sim.Snapshot().Counts; got.Records != 1 || got.Failed != 1 {
		t.Errorf("counts %+v", got)
	}

	// A record the portal refuses as invalid will not pass by retrying.
	bad := sampleDossier()
	bad.Code, bad.ProcedureCode = "H99.101-261201-0002", ""
	if err := p.client.SyncDossier(ctx, bad, false); !dvcqg.IsPermanent(err) {
		t.Errorf("invalid record: %v, want a permanent error", err)
	}
	bad.ProcedureCode, bad.State = "1.001193", "bogus"
	if err := p.client.SyncDossier(ctx, bad, false); !dvcqg.IsPermanent(err) {
		t.Errorf("unknown state: %v, want a permanent error", err)
	}
}

// TestBrokenAnswers covers what a proxy or a broken portal may answer.
func TestBrokenAnswers(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"500": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
		"html": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<html>Bad gateway</html>"))
		},
		"no error_code": func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"session":"x"}`)) },
		"oversize": func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"error_code":0,"session":"`))
			w.Write([]byte(strings.Repeat("a", 9<<20)))
			w.Write([]byte(`"}`))
		},
		"login without session": func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{"error_code":0}`)) },
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			c := dvcqg.NewClient(dvcqg.Config{BaseURL: srv.URL, Username: "u", Password: "p", DstCode: "d", AgencyCode: "a"})
			err := c.SyncDossier(context.Background(), sampleDossier(), false)
			if err == nil || dvcqg.IsPermanent(err) {
				t.Fatalf("got %v, want a transient error", err)
			}
		})
	}
}

func TestCatalogueImport(t *testing.T) {
	p := newPortal(t, 5*time.Second)
	ctx := context.Background()
	all := p.sim.Procedures()
	if len(all) != 53 {
		t.Fatalf("dataset has %d procedures, want the 53 of procedures.json", len(all))
	}
	refs, err := p.client.NationalProcedures(ctx)
	if err != nil {
		t.Fatal(err)
	}
	withCode := 0
	for _, x := range all {
		if x.MaTTHC != nil {
			withCode++
		}
	}
	if len(refs) != withCode || withCode != 51 {
		t.Fatalf("%d refs, %d with a code in the dataset", len(refs), withCode)
	}
	byCode := map[string]dvcqg.ThuTuc{}
	for _, x := range all {
		if x.MaTTHC != nil {
			byCode[*x.MaTTHC] = x
		}
	}
	var khac, parsed, words, none int
	for _, r := range refs {
		np, err := p.client.NationalProcedure(ctx, r.Code)
		if err != nil {
			t.Fatalf("%s: %v", r.Code, err)
		}
		src := byCode[r.Code]
		if np.Procedure.Name != src.TenTTHC || np.Procedure.Code != r.Code || r.Name != src.TenTTHC {
			t.Errorf("%s: name %q", r.Code, np.Procedure.Name)
		}
		if len(np.Procedure.Components) != len(src.ThanhPhanHoSo) {
			t.Errorf("%s: %d components, dataset %d", r.Code, len(np.Procedure.Components), len(src.ThanhPhanHoSo))
		}
		if len(src.ThoiHanGiaiQuyet) == 0 {
			none++
			if np.Procedure.TimeLimit != nil || np.TimeLimitText != "" {
				t.Errorf("%s: time limit invented", r.Code)
			}
			continue
		}
		// The text is kept verbatim, from one of the dataset's entries.
		found := false
		for _, th := range src.ThoiHanGiaiQuyet {
			found = found || th.ThoiGian == np.TimeLimitText
		}
		if !found {
			t.Errorf("%s: TimeLimitText %q is not a dataset value", r.Code, np.TimeLimitText)
		}
		switch {
		case strings.HasSuffix(np.TimeLimitText, " Khác"):
			khac++
			if np.Procedure.TimeLimit != nil {
				t.Errorf("%s: %q became %v", r.Code, np.TimeLimitText, *np.Procedure.TimeLimit)
			}
		case np.Procedure.TimeLimit != nil:
			parsed++
			if err := np.Procedure.TimeLimit.Validate(); err != nil {
				t.Errorf("%s: %v", r.Code, err)
			}
		default:
			words++
		}
	}
	t.Logf("limits: %d parsed, %d \"N Khác\" kept as text, %d in words, %d absent", parsed, khac, words, none)
	if khac == 0 || parsed == 0 || words == 0 {
		t.Errorf("the dataset should exercise every kind of limit: %d %d %d", parsed, khac, words)
	}
	kh, err := p.client.NationalProcedure(ctx, "1.000593")
	if err != nil || kh.Procedure.TimeLimit == nil || *kh.Procedure.TimeLimit != (motcua.TimeLimit{Value: 5, Unit: motcua.UnitWorkingDays}) ||
		kh.Procedure.Level != motcua.LevelCommune || kh.Procedure.FieldName != "HỘ TỊCH" {
		t.Errorf("1.000593: %+v, %v", kh, err)
	}
	if _, err := p.client.NationalProcedure(ctx, "9.999999"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
		t.Errorf("unknown code: %v", err)
	}
	ags, err := p.client.NationalAgencies(ctx)
	if err != nil || len(ags) == 0 || ags[1].ParentCode != ags[0].Code {
		t.Errorf("agencies %v %v", ags, err)
	}
	fields, err := p.client.NationalFields(ctx)
	if err != nil || len(fields) == 0 || fields[0].Name != "HỘ TỊCH" {
		t.Errorf("fields %v %v", fields, err)
	}
}

func TestCatalogueChange(t *testing.T) {
	p := newPortal(t, 5*time.Second)
	ctx := context.Background()
	var target dvcqg.ThuTuc
	for _, x := range p.sim.Procedures() {
		if x.MaTTHC != nil && *x.MaTTHC == "1.000593" {
			target = x
		}
	}
	target.BaiBo = true
	target.NgayCapNhat = "20261201090000"
	if err := p.sim.SetProcedure(target); err != nil {
		t.Fatal(err)
	}
	code, name := "1.999001", "Thủ tục mới (mô phỏng)"
	if err := p.sim.SetProcedure(dvcqg.ThuTuc{MaTTHC: &code, TenTTHC: name, ThoiHanGiaiQuyet: []dvcqg.ThoiHan{{KenhThucHien: "Trực tiếp", ThoiGian: "3 Ngày làm việc"}}}); err != nil {
		t.Fatal(err)
	}
	refs, err := p.client.NationalProcedures(ctx)
	if err != nil || len(refs) != 52 {
		t.Fatalf("%d refs, %v", len(refs), err)
	}
	np, err := p.client.NationalProcedure(ctx, "1.000593")
	if err != nil || !np.Withdrawn || !np.UpdatedAt.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, vn)) {
		t.Errorf("withdrawn: %+v %v", np, err)
	}
	np, err = p.client.NationalProcedure(ctx, code)
	if err != nil || np.Procedure.Name != name || np.Procedure.TimeLimit == nil || np.Procedure.TimeLimit.Value != 3 {
		t.Errorf("new: %+v %v", np, err)
	}
}
