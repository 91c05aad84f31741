package ui_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/popdb"
	"github.com/motcua/motcua/popdb/sim"
	"github.com/motcua/motcua/service"
)

// popEnv is the whole of motcua over HTTP with the population database's
// simulator over HTTP behind the real adapter.
func popEnv(t *testing.T) (*env, *sim.Sim) {
	t.Helper()
	secret := []byte("secret-shared-with-the-register")
	s := sim.New(sim.Config{Secret: secret, Integration: "MOTCUA-H99", Seed: 11, Households: 150})
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	e := newEnvWith(t, func(c *service.Config) {
		// The register's signatures carry the real time; the service's
		// clock is the test's.
		c.Population = popdb.NewClient(popdb.Config{BaseURL: srv.URL, Integration: "MOTCUA-H99", Secret: secret})
		c.PopulationTimeout = time.Second
	})
	return e, s
}

// khaiSinh is the reception form of Đăng ký khai sinh at An Phú with the
// applicant's typed fields.
func khaiSinh(t *testing.T, e *env, applicant map[string]string) url.Values {
	t.Helper()
	p, err := e.svc.ProcedureByCode(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	a, points, err := e.svc.Agency(ctx, "H99.101")
	if err != nil {
		t.Fatal(err)
	}
	v := url.Values{"thu-tuc": {strconv.FormatInt(p.ID, 10)}, "idem": {"k-" + strconv.FormatInt(time.Now().UnixNano(), 36)},
		"reception_point_id": {strconv.FormatInt(points[0].ID, 10)}, "competent_agency_id": {strconv.FormatInt(a.ID, 10)},
		"channel": {"1"}, "return_method": {"counter"}, "applicant.id_kind": {"personal_id"}, "applicant.source": {"typed"}}
	for _, c := range p.Components {
		if c.Mandatory && !c.FromNationalDB {
			v.Add("nop", strconv.FormatInt(c.ID, 10))
		}
	}
	for k, x := range applicant {
		v.Set("applicant."+k, x)
	}
	return v
}

var (
	tokenRe = regexp.MustCompile(`name="lookup_token" value="([^"]*)"`)
	inputRe = regexp.MustCompile(`<input id="[^"]*" name="(applicant\.[a-z_]+)" type="[a-z]+" value="([^"]*)"`)
)

// formOf reads back the applicant's inputs and the token of a counter page.
func formOf(body string) (map[string]string, string) {
	out := map[string]string{}
	for _, m := range inputRe.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[2]
	}
	tok := ""
	if m := tokenRe.FindStringSubmatch(body); m != nil {
		tok = m[1]
	}
	return out, tok
}

func adult(s *sim.Sim) popdb.CongDan {
	ids := s.Find(1, func(c popdb.CongDan) bool {
		return c.TrangThai == "1" && c.ThuongTru.MaPhuongXa == "99101" && c.NgayThangNamSinh < "2000" && c.MucDoDinhDanh == 2
	})
	c, _ := s.Citizen(ids[0])
	return c
}

// TestCounterRegisterFills: the officer types the ID number and presses
// "Tra cứu CSDL dân cư" (a plain form post): the form comes back with the
// name, birth date, gender and address filled and marked verified, the
// residence shown; receiving keeps them as the register's, with the
// residence in the dossier.
func TestCounterRegisterFills(t *testing.T) {
	e, s := popEnv(t)
	c := adult(s)
	b := e.login("motcua.anphu")
	form := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "phone": "0912345678"})
	r := b.post("/tiep-nhan/tra-cuu-dan-cu", form)
	if r.status != http.StatusOK || !strings.Contains(r.body, `id="pop" data-found="true"`) {
		t.Fatalf("lookup: %d\n%s", r.status, r.body)
	}
	got, tok := formOf(r.body)
	name := popdb.FullName(c.HoVaTen)
	dob := c.NgayThangNamSinh[8:] + "/" + c.NgayThangNamSinh[5:7] + "/" + c.NgayThangNamSinh[:4]
	if got["applicant.full_name"] != name || got["applicant.date_of_birth"] != dob || got["applicant.address"] != c.ThuongTru.DiaChiDayDu ||
		got["applicant.phone"] != "0912345678" || tok == "" {
		t.Fatalf("form after the lookup %v token %q", got, tok)
	}
	if n := strings.Count(r.body, "✓ Đã xác thực với CSDL dân cư."); n != 3 || !strings.Contains(r.body, "Nơi ở hiện tại (CSDL, lưu vào hồ sơ): "+c.NoiOHienTai.DiaChiDayDu) {
		t.Errorf("%d verified marks; residence shown: %v", n, strings.Contains(r.body, c.NoiOHienTai.DiaChiDayDu))
	}
	if calls := s.Calls(); calls[len(calls)-1].Request.MaCanBo != "motcua.anphu" || !strings.Contains(calls[len(calls)-1].Request.MucDich, "khai sinh") {
		t.Errorf("the register was not told who and why: %+v", calls[len(calls)-1].Request)
	}
	for k, v := range got {
		form.Set(k, v)
	}
	form.Set("applicant.gender", map[string]string{"1": "Nam", "2": "Nữ"}[c.GioiTinh])
	form.Set("applicant.source", "population_db")
	form.Set("lookup_token", tok)
	form.Set("decision", "receive")
	r = b.post("/tiep-nhan", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("receive: %d\n%s", r.status, r.body)
	}
	code := strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/ho-so/")
	d := dossierByCode(t, e, code)
	a := d.Applicant
	if a.Source != motcua.SourcePopulationDB || !a.VNeIDVerified || a.Register == nil || a.Register.Current.Text != c.NoiOHienTai.DiaChiDayDu ||
		len(a.Register.Verified) != 4 || len(a.Register.Conflicts) != 0 {
		t.Errorf("dossier applicant %+v register %+v", a, a.Register)
	}
}

// TestCounterRegisterContradicts: a typed name and birth date that differ
// stay as typed, with a visible warning that names both values; the
// dossier records the conflict.
func TestCounterRegisterContradicts(t *testing.T) {
	e, s := popEnv(t)
	c := adult(s)
	b := e.login("motcua.anphu")
	form := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "full_name": "Nguyễn Văn Gõ Nhầm", "date_of_birth": "01/01/1950"})
	r := b.post("/tiep-nhan/tra-cuu-dan-cu", form)
	got, tok := formOf(r.body)
	name := popdb.FullName(c.HoVaTen)
	if r.status != http.StatusOK || got["applicant.full_name"] != "Nguyễn Văn Gõ Nhầm" || got["applicant.date_of_birth"] != "01/01/1950" {
		t.Fatalf("typed values overwritten: %d %v", r.status, got)
	}
	for _, want := range []string{"Thông tin đã nhập khác với CSDL dân cư", "Họ và tên: đã nhập «Nguyễn Văn Gõ Nhầm», CSDL dân cư ghi «" + name + "»",
		"⚠ Khác CSDL dân cư, nơi ghi: " + name} {
		if !strings.Contains(r.body, want) {
			t.Errorf("missing %q", want)
		}
	}
	for k, v := range got {
		form.Set(k, v)
	}
	form.Set("lookup_token", tok)
	form.Set("decision", "receive")
	r = b.post("/tiep-nhan", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("receive: %d\n%s", r.status, r.body)
	}
	d := dossierByCode(t, e, strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/ho-so/"))
	var fields []string
	for _, k := range d.Applicant.Register.Conflicts {
		fields = append(fields, k.Field)
	}
	sort.Strings(fields)
	if d.Applicant.FullName != "Nguyễn Văn Gõ Nhầm" || strings.Join(fields, ",") != "date_of_birth,full_name" {
		t.Errorf("dossier %+v conflicts %v", d.Applicant, fields)
	}
}

// TestCounterRegisterDown: the register is down (then answers for another
// person): the counter says so, hands out no token, keeps what was typed;
// a reception that claims the register's data anyway is recorded as typed.
func TestCounterRegisterDown(t *testing.T) {
	e, s := popEnv(t)
	c := adult(s)
	b := e.login("motcua.anphu")
	for _, f := range []sim.Faults{{Down: true}, {Impersonate: true}, {Unsigned: true}} {
		s.SetFaults(f)
		form := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "full_name": "Trần Thị Nhập Tay"})
		r := b.post("/tiep-nhan/tra-cuu-dan-cu", form)
		got, tok := formOf(r.body)
		if r.status != http.StatusOK || tok != "" || got["applicant.full_name"] != "Trần Thị Nhập Tay" ||
			!strings.Contains(r.body, "không trả lời được") || !strings.Contains(r.body, `role="alert" id="pop"`) {
			t.Fatalf("%+v: %d token %q %v", f, r.status, tok, got)
		}
		if strings.Contains(r.body, popdb.FullName(c.HoVaTen)) && f.Impersonate {
			t.Errorf("another person's data shown")
		}
	}
	s.SetFaults(sim.Faults{})
	form := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "full_name": "Trần Thị Nhập Tay"})
	form.Set("applicant.source", "population_db")
	form.Set("lookup_token", "1."+strings.Repeat("00", 16))
	form.Set("decision", "receive")
	r := b.post("/tiep-nhan", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("receive: %d\n%s", r.status, r.body)
	}
	d := dossierByCode(t, e, strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/ho-so/"))
	if d.Applicant.Source != motcua.SourceTyped || d.Applicant.Register != nil || d.Applicant.VNeIDVerified {
		t.Errorf("claimed register data believed: %+v", d.Applicant)
	}
	// A malformed ID number is refused before the register is asked.
	n := len(s.Calls())
	r = b.post("/tiep-nhan/tra-cuu-dan-cu", khaiSinh(t, e, map[string]string{"id_number": "12345"}))
	if r.status != http.StatusUnprocessableEntity || len(s.Calls()) != n || !strings.Contains(r.body, "12 chữ số") {
		t.Errorf("malformed number: %d, %d calls", r.status, len(s.Calls())-n)
	}
}

func dossierByCode(t *testing.T, e *env, code string) *motcua.Dossier {
	t.Helper()
	var d *motcua.Dossier
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err }); err != nil {
		t.Fatalf("dossier %q: %v", code, err)
	}
	return d
}

// TestDossierShowsRegisterRecord: the dossier page shows where the
// applicant's data came from, the residence kept at reception and the
// conflicts.
func TestDossierShowsRegisterRecord(t *testing.T) {
	e, s := popEnv(t)
	c := adult(s)
	b := e.login("motcua.anphu")
	form := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "full_name": "Tên Gõ Khác", "eid_helped": "1"})
	r := b.post("/tiep-nhan/tra-cuu-dan-cu", form)
	if !strings.Contains(r.body, `name="applicant.eid_helped" value="1" checked`) {
		t.Error("the note of help with the e-ID account is lost by the lookup")
	}
	got, tok := formOf(r.body)
	for k, v := range got {
		form.Set(k, v)
	}
	form.Set("lookup_token", tok)
	form.Set("decision", "receive")
	r = b.post("/tiep-nhan", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("receive: %d", r.status)
	}
	r = b.get(strings.Split(r.header.Get("Location"), "?")[0])
	for _, want := range []string{`<dd id="applicant-source">Cơ sở dữ liệu quốc gia về dân cư`, "Nơi ở hiện tại khi tiếp nhận</dt><dd>" + c.NoiOHienTai.DiaChiDayDu,
		"Họ và tên: đã nhập «Tên Gõ Khác», CSDL ghi «" + popdb.FullName(c.HoVaTen) + "»", "đã xác thực: Ngày sinh",
		"cán bộ đã hỗ trợ đăng ký tài khoản định danh điện tử mức 1"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("dossier page lacks %q", want)
		}
	}
}

// TestCounterReusesEarlierResult: after the lookup, the counter offers
// the birth certificate motcua issued to the applicant for the component
// "Bản sao giấy khai sinh" of a later procedure; one click (a radio)
// reuses it, and the dossier records its number and origin.
func TestCounterReusesEarlierResult(t *testing.T) {
	e, s := popEnv(t)
	c := adult(s)
	as := func(name string) context.Context {
		var u *motcua.User
		if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, name); return err }); err != nil {
			t.Fatal(err)
		}
		return motcua.NewContextWithUser(ctx, u)
	}
	first := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "full_name": popdb.FullName(c.HoVaTen)})
	b := e.login("motcua.anphu")
	first.Set("decision", "receive")
	r := b.post("/tiep-nhan", first)
	if r.status != http.StatusSeeOther {
		t.Fatalf("first reception: %d\n%s", r.status, r.body)
	}
	code := strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/ho-so/")
	for _, st := range []struct {
		user string
		in   service.ActInput
	}{{"motcua.anphu", service.ActInput{Action: motcua.ActTransfer}}, {"cv.anphu", service.ActInput{Action: motcua.ActForward}},
		{"ct.anphu", service.ActInput{Action: motcua.ActApprove}}, {"cv.anphu", service.ActInput{Action: motcua.ActIssueResult, ResultNumber: "77/2025/KS"}}} {
		if _, err := e.svc.Act(as(st.user), code, st.in); err != nil {
			t.Fatalf("%s: %v", st.in.Action, err)
		}
	}
	later := khaiSinh(t, e, map[string]string{"id_number": c.SoDinhDanh, "phone": "0912000111"})
	p, _ := e.svc.ProcedureByCode(ctx, "2.000286")
	later.Set("thu-tuc", strconv.FormatInt(p.ID, 10))
	later.Del("nop")
	var comp string
	for _, pc := range p.Components {
		if pc.Mandatory && !pc.FromNationalDB {
			later.Add("nop", strconv.FormatInt(pc.ID, 10))
		}
		if strings.HasPrefix(pc.Name, "Bản sao giấy khai sinh") {
			comp = strconv.FormatInt(pc.ID, 10)
		}
	}
	r = b.post("/tiep-nhan/tra-cuu-dan-cu", later)
	offer := `name="dung-lai-tu-` + comp + `" value="` + code + `"`
	if r.status != http.StatusOK || !strings.Contains(r.body, offer) || !strings.Contains(r.body, "Giấy khai sinh số 77/2025/KS") {
		t.Fatalf("no offer of the earlier result: %d %v", r.status, strings.Contains(r.body, "dung-lai-tu"))
	}
	got, tok := formOf(r.body)
	for k, v := range got {
		later.Set(k, v)
	}
	later.Set("lookup_token", tok)
	later.Set("dung-lai-tu-"+comp, code)
	later.Set("decision", "receive")
	r = b.post("/tiep-nhan", later)
	if r.status != http.StatusSeeOther {
		t.Fatalf("reception with reuse: %d\n%s", r.status, r.body)
	}
	d := dossierByCode(t, e, strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/ho-so/"))
	found := false
	for _, dc := range d.Components {
		if strconv.FormatInt(dc.ComponentID, 10) == comp {
			found = dc.Reused && dc.ReusedResult == "77/2025/KS" && dc.ReusedFrom == motcua.ReuseSourceMotcua+code
		}
	}
	if !found {
		t.Errorf("components %+v", d.Components)
	}
	if page := b.get("/ho-so/" + d.Code); !strings.Contains(page.body, "dùng lại kết quả điện tử số 77/2025/KS (hồ sơ "+code+")") {
		t.Error("the dossier page does not say which result was reused")
	}
}
