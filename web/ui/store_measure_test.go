package ui_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/kho"
	khosim "github.com/motcua/motcua/kho/sim"
	"github.com/motcua/motcua/popdb"
	"github.com/motcua/motcua/popdb/sim"
	"github.com/motcua/motcua/service"
)

// TestMeasureCounterWithRegisterAndStore measures, when MOTCUA_MEASURE is
// set, the counter's lookup page over HTTP with the register answering in
// 300 ms and the national store connected too (its earlier results are
// asked for on the same page), for procedure 1.004873 whose component can
// be a reused result.
func TestMeasureCounterWithRegisterAndStore(t *testing.T) {
	if os.Getenv("MOTCUA_MEASURE") == "" {
		t.Skip("set MOTCUA_MEASURE=1 to measure")
	}
	secret := []byte("secret-shared-with-the-register")
	reg := sim.New(sim.Config{Secret: secret, Integration: "MOTCUA-H99", Seed: 11, Households: 150})
	regSrv := httptest.NewServer(reg)
	t.Cleanup(regSrv.Close)
	ids := reg.Find(40, func(c popdb.CongDan) bool { return c.TrangThai == "1" && c.NgayThangNamSinh < "2000" })
	store := khosim.New(khosim.Config{Secret: secret, Integration: "MOTCUA-H99", Owners: ids})
	storeSrv := httptest.NewServer(store)
	t.Cleanup(storeSrv.Close)
	e := newEnvWith(t, func(c *service.Config) {
		c.Population = popdb.NewClient(popdb.Config{BaseURL: regSrv.URL, Integration: "MOTCUA-H99", Secret: secret})
		c.PopulationTimeout = time.Second
		c.ResultStore = kho.NewClient(kho.Config{BaseURL: storeSrv.URL, Integration: "MOTCUA-H99", Secret: secret})
	})
	p, err := e.svc.ProcedureByCode(ctx, "1.004873")
	if err != nil {
		t.Fatal(err)
	}
	b := e.login("motcua.anphu")
	reg.SetFaults(sim.Faults{Delay: 300 * time.Millisecond})
	var took []time.Duration
	for _, id := range ids[:20] {
		f := khaiSinh(t, e, map[string]string{"id_number": id, "phone": "0912345678"})
		f.Set("thu-tuc", fmt.Sprint(p.ID))
		start := time.Now()
		r := b.post("/tiep-nhan/tra-cuu-dan-cu", f)
		took = append(took, time.Since(start))
		if _, tok := formOf(r.body); r.status != http.StatusOK || tok == "" {
			t.Fatalf("lookup %s: %d", id, r.status)
		}
	}
	fmt.Printf("counter lookup page, register in 300 ms and national store connected: %s\n", stats(took))
	if q := quantile(took, 0.5); q > 800*time.Millisecond {
		t.Errorf("median %v", q)
	}
}
