package ui_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/kho"
	khosim "github.com/motcua/motcua/kho/sim"
	"github.com/motcua/motcua/popdb"
	"github.com/motcua/motcua/popdb/sim"
	"github.com/motcua/motcua/service"
)

// TestBrowserCounterRegister runs the counter in headless Chromium with the
// population database's and the national store's simulators behind the
// real adapters: the officer types the ID number, looks the citizen up,
// picks the marital-status confirmation the national store offers, types
// the phone and receives. The dossier keeps the register's data and what
// it reused; the officer's typing and clicks are reported.
func TestBrowserCounterRegister(t *testing.T) {
	const install = "apt-get install chromium nodejs npm; cd web/ui/e2e && npm ci"
	need(t, "MOTCUA_REQUIRE_CHROMIUM", "chromium", install)
	node := need(t, "MOTCUA_REQUIRE_CHROMIUM", "node", install)
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", "playwright-core")); err != nil {
		if os.Getenv("MOTCUA_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("playwright-core is not installed in web/ui/e2e: %s", install)
		}
		t.Skipf("playwright-core is not installed in web/ui/e2e (%s); skipping", install)
	}
	secret := []byte("secret-shared-with-the-register")
	reg := sim.New(sim.Config{Secret: secret, Integration: "MOTCUA-H99", Seed: 11, Households: 150})
	regSrv := httptest.NewServer(reg)
	t.Cleanup(regSrv.Close)
	store := khosim.New(khosim.Config{Secret: secret, Integration: "MOTCUA-H99"})
	storeSrv := httptest.NewServer(store)
	t.Cleanup(storeSrv.Close)
	c := adult(reg)
	store.Add(c.SoDinhDanh, "KQ.HT.XNHN", "Giấy xác nhận tình trạng hôn nhân", "31/2025/XNHN", "Ủy ban nhân dân phường Ba Đình")
	e := newEnvWith(t, func(cfg *service.Config) {
		cfg.Population = popdb.NewClient(popdb.Config{BaseURL: regSrv.URL, Integration: "MOTCUA-H99", Secret: secret})
		cfg.PopulationTimeout = time.Second
		cfg.ResultStore = kho.NewClient(kho.Config{BaseURL: storeSrv.URL, Integration: "MOTCUA-H99", Secret: secret})
	})
	cctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(cctx, node, "flow.mjs", "register", e.ts.URL, artifacts(t), c.SoDinhDanh)
	cmd.Dir = "e2e"
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node flow.mjs register: %v\n%s\n%s", err, out, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var res struct {
		Code          string
		Typed, Clicks int
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
		t.Fatalf("flow printed %q", out)
	}
	d := dossierByCode(t, e, res.Code)
	if d.Applicant.Source != motcua.SourcePopulationDB || d.Applicant.Register == nil || d.Applicant.FullName != popdb.FullName(c.HoVaTen) {
		t.Errorf("applicant %+v", d.Applicant)
	}
	reused := false
	for _, comp := range d.Components {
		reused = reused || (comp.TakenFromStore && comp.ReusedResult == "31/2025/XNHN" && comp.ReusedFrom == motcua.ReuseSourceStore+"KQ.HT.XNHN")
	}
	if !reused {
		t.Errorf("the dossier does not record the reuse: %+v", d.Components)
	}
	t.Logf("counter with the register and the national store: %d fields typed, %d clicks (procedure chosen, lookup, reuse, receive)", res.Typed, res.Clicks)
}
