package popdb_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/popdb"
	"github.com/motcua/motcua/popdb/sim"
)

var secret = []byte("bí-mật-chung-của-tỉnh-và-bộ-công-an")

func start(t *testing.T, cfg sim.Config) (*sim.Sim, *popdb.Client) {
	t.Helper()
	if cfg.Secret == nil {
		cfg.Secret = secret
	}
	cfg.Integration = "MOTCUA-H99"
	s := sim.New(cfg)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, popdb.NewClient(popdb.Config{BaseURL: srv.URL, Integration: "MOTCUA-H99", Secret: secret})
}

var seq int

func query(id string) motcua.PopulationQuery {
	seq++
	return motcua.PopulationQuery{RequestID: "REQ-" + strings.Repeat("0", 3) + string(rune('a'+seq%26)) + id, IDNumber: id,
		OfficerCode: "motcua.anphu", AgencyCode: "H99.101", Purpose: "Tiếp nhận hồ sơ đăng ký khai sinh"}
}

// TestLookUp reads a generated citizen over HTTP with every field the
// simulator holds, sends who asks and why, and reads the household with
// its head.
func TestLookUp(t *testing.T) {
	s, c := start(t, sim.Config{Seed: 7, Households: 200})
	ids := s.Find(1, func(c popdb.CongDan) bool { return c.VoChong != nil && c.Cha == nil })
	if len(ids) == 0 {
		t.Fatal("no married citizen generated")
	}
	want, _ := s.Citizen(ids[0])
	got, err := c.LookUpCitizen(context.Background(), query(ids[0]))
	if err != nil {
		t.Fatal(err)
	}
	if got.IDNumber != ids[0] || got.FullName != popdb.FullName(want.HoVaTen) || got.DateOfBirth != want.NgayThangNamSinh ||
		got.MaritalStatus != "Đã kết hôn" || got.Spouse == nil || got.Spouse.IDNumber != want.VoChong.SoDinhDanh ||
		got.Permanent.Text != want.ThuongTru.DiaChiDayDu || got.Permanent.CommuneCode == "" || got.HouseholdHead == nil ||
		(got.Gender != "Nam" && got.Gender != "Nữ") {
		t.Errorf("citizen %+v\nregister %+v", got, want)
	}
	calls := s.Calls()
	last := calls[len(calls)-1]
	if last.Service != popdb.ServiceLookUp || last.Request.MaCanBo != "motcua.anphu" || last.Request.MaDonVi != "H99.101" ||
		last.Request.MucDich == "" || last.Request.MaTichHop != "MOTCUA-H99" {
		t.Errorf("request as the register saw it: %+v", last)
	}
	h, err := c.Household(context.Background(), query(ids[0]))
	if err != nil {
		t.Fatal(err)
	}
	heads, member := 0, false
	for _, m := range h.Members {
		if m.Relation == "Chủ hộ" {
			heads++
		}
		member = member || m.IDNumber == ids[0]
	}
	if heads != 1 || !member || h.Book != want.SoSoHoKhau || h.Address.Text == "" {
		t.Errorf("household %+v", h)
	}
}

// TestLookUpFailures: no record is ENOTFOUND, a name that does not match
// is EINVALID; an answer for another person, an unsigned answer, a wrong
// secret, a register down or slower than the caller's deadline are
// *popdb.Error, never a citizen.
func TestLookUpFailures(t *testing.T) {
	s, c := start(t, sim.Config{Seed: 7, Households: 50})
	id := s.Find(1, func(popdb.CongDan) bool { return true })[0]
	ctx := context.Background()
	if _, err := c.LookUpCitizen(ctx, query("001099999999")); motcua.ErrorCode(err) != motcua.ENOTFOUND {
		t.Errorf("unknown number: %v", err)
	}
	q := query(id)
	q.FullName = "Tên Khác Hẳn"
	if _, err := c.LookUpCitizen(ctx, q); motcua.ErrorCode(err) != motcua.EINVALID {
		t.Errorf("wrong name: %v", err)
	}
	unavailable := func(name string, err error) {
		t.Helper()
		var pe *popdb.Error
		if !errors.As(err, &pe) {
			t.Errorf("%s: %v, want *popdb.Error", name, err)
		}
	}
	s.SetFaults(sim.Faults{Impersonate: true})
	got, err := c.LookUpCitizen(ctx, query(id))
	unavailable("another person", err)
	if got != nil || regexp.MustCompile(`\d{12}`).MatchString(err.Error()) {
		t.Errorf("another person's answer leaked: %v %v", got, err)
	}
	_, err = c.Household(ctx, query(id))
	unavailable("another household", err)
	s.SetFaults(sim.Faults{Unsigned: true})
	_, err = c.LookUpCitizen(ctx, query(id))
	unavailable("unsigned", err)
	s.SetFaults(sim.Faults{Down: true})
	_, err = c.LookUpCitizen(ctx, query(id))
	unavailable("down", err)
	s.SetFaults(sim.Faults{Delay: 2 * time.Second})
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.LookUpCitizen(short, query(id))
	unavailable("slow", err)
	if time.Since(start) > time.Second {
		t.Errorf("the caller's deadline was not kept: %v", time.Since(start))
	}
	s.SetFaults(sim.Faults{})
	srv := httptest.NewServer(s)
	defer srv.Close()
	wrong := popdb.NewClient(popdb.Config{BaseURL: srv.URL, Integration: "MOTCUA-H99", Secret: []byte("another secret")})
	_, err = wrong.LookUpCitizen(ctx, query(id))
	unavailable("wrong secret", err)
	if _, err := c.LookUpCitizen(ctx, query(id)); err != nil {
		t.Errorf("after the faults: %v", err)
	}
}

// TestGenerated: the same seed gives the same register; the register is
// realistic (thousands of citizens, households with one head, deceased
// and married people, valid ID numbers, several communes).
func TestGenerated(t *testing.T) {
	a, b := sim.New(sim.Config{Seed: 42}), sim.New(sim.Config{Seed: 42})
	if a.Len() < 2500 || a.Len() != b.Len() {
		t.Fatalf("%d and %d citizens", a.Len(), b.Len())
	}
	all := func(popdb.CongDan) bool { return true }
	ia, ib := a.Find(a.Len(), all), b.Find(b.Len(), all)
	deceased, married, communes, lower := 0, 0, map[string]bool{}, 0
	for i, id := range ia {
		ca, _ := a.Citizen(id)
		cb, _ := b.Citizen(ib[i])
		if id != ib[i] || popdb.FullName(ca.HoVaTen) != popdb.FullName(cb.HoVaTen) || ca.NgayThangNamSinh != cb.NgayThangNamSinh {
			t.Fatalf("seed 42 differs at %d: %s %s", i, id, ib[i])
		}
		if err := motcua.ValidateIDNumber(motcua.IDPersonal, id); err != nil {
			t.Fatalf("generated %s: %v", id, err)
		}
		if ca.TrangThai == "2" {
			deceased++
		}
		if ca.TinhTrangHonNhan == "2" {
			married++
		}
		communes[ca.ThuongTru.MaPhuongXa] = true
		if ca.ChuHo == nil || ca.SoSoHoKhau == "" {
			lower++
		}
	}
	if deceased == 0 || married < a.Len()/5 || len(communes) < 4 || lower > 0 {
		t.Errorf("deceased %d, married %d, communes %d, without household %d", deceased, married, len(communes), lower)
	}
	if c := sim.New(sim.Config{Seed: 43}); c.Find(1, all)[0] == ia[0] && func() bool {
		x, _ := c.Citizen(ia[0])
		y, _ := a.Citizen(ia[0])
		return popdb.FullName(x.HoVaTen) == popdb.FullName(y.HoVaTen)
	}() {
		t.Error("another seed gives the same first citizen")
	}
}
