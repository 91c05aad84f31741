package api_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/popdb"
	"github.com/motcua/motcua/popdb/sim"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
	"github.com/motcua/motcua/web/api"
)

// TestPopulationLookupAPI: an officer looks a citizen up through the API
// (the simulator over HTTP behind the real adapter) and sends the token
// with the dossier: the applicant is the register's; the same body without
// the token, or with another officer's, is received as typed data.
func TestPopulationLookupAPI(t *testing.T) {
	secret := []byte("secret-shared-with-the-register")
	s := sim.New(sim.Config{Secret: secret, Seed: 5, Households: 60})
	srv := httptest.NewServer(s)
	defer srv.Close()
	e := newEnvWith(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0), func(c *service.Config) {
		c.Population = popdb.NewClient(popdb.Config{BaseURL: srv.URL, Integration: "X", Secret: secret})
		c.PopulationTimeout = time.Second
	})
	id := s.Find(1, func(c popdb.CongDan) bool { return c.TrangThai == "1" && c.MucDoDinhDanh > 0 })[0]
	c, _ := s.Citizen(id)
	counter := e.login("motcua.anphu")
	var res service.CitizenLookup
	r := e.call("POST", "/population/lookups", counter, map[string]any{"id_number": id, "purpose": "Tiếp nhận hồ sơ"}, nil)
	r.decode(t, &res)
	if r.status != 200 || res.Outcome != motcua.LookupFound || res.Citizen.FullName != popdb.FullName(c.HoVaTen) || res.Token == "" {
		t.Fatalf("lookup %d %+v", r.status, res)
	}
	expectError(t, e.call("POST", "/population/lookups", counter, map[string]any{"id_number": "12", "purpose": "x"}, nil), 422, "id_number_malformed")
	expectError(t, e.call("POST", "/population/lookups", e.login("cv.anphu"), map[string]any{"id_number": id, "purpose": "x"}, nil), 403, "not_reception_officer")
	other := e.login("motcua.tinh")
	var theirs service.CitizenLookup
	e.call("POST", "/population/lookups", other, map[string]any{"id_number": id, "purpose": "Tiếp nhận hồ sơ"}, nil).decode(t, &theirs)

	p, err := e.svc.ProcedureByCode(context.Background(), "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	var ag struct {
		Agency          motcua.Agency
		ReceptionPoints []motcua.ReceptionPoint `json:"reception_points"`
	}
	e.call("GET", "/agencies/H99.101", "", nil, nil).decode(t, &ag)
	body := func() map[string]any {
		var comps []map[string]any
		for _, pc := range p.Components {
			if !pc.FromNationalDB {
				comps = append(comps, map[string]any{"component_id": pc.ID, "provided": true})
			}
		}
		return map[string]any{"procedure_id": p.ID, "reception_point_id": ag.ReceptionPoints[0].ID, "competent_agency_id": ag.Agency.ID,
			"channel": 1, "components": comps, "applicant": map[string]any{"id_number": id, "full_name": popdb.FullName(c.HoVaTen),
				"source": "population_db", "vneid_verified": true}}
	}
	var log struct{ Items []motcua.PopulationLookup }
	r = e.call("GET", "/population/lookups?id_number="+id, e.login("giamsat.tinh"), nil, nil)
	r.decode(t, &log)
	if r.status != 200 || len(log.Items) != 2 || log.Items[0].Citizen != nil || log.Items[1].Purpose != "Tiếp nhận hồ sơ" {
		t.Errorf("log %d %+v", r.status, log)
	}
	expectError(t, e.call("GET", "/population/lookups", counter, nil, nil), 403, "not_supervisor")
	expectError(t, e.call("GET", "/population/lookups", e.login("admin"), nil, nil), 403, "not_supervisor")
	for name, tc := range map[string]struct {
		token  string
		source motcua.DataSource
	}{"own token": {res.Token, motcua.SourcePopulationDB}, "no token": {"", motcua.SourceTyped}, "another officer's": {theirs.Token, motcua.SourceTyped}} {
		var d motcua.Dossier
		r := e.call("POST", "/dossiers", counter, body(), map[string]string{api.HeaderLookupToken: tc.token})
		r.decode(t, &d)
		if r.status != 201 || d.Applicant.Source != tc.source || d.Applicant.VNeIDVerified != (tc.source == motcua.SourcePopulationDB) ||
			(d.Applicant.Register != nil) != (tc.source == motcua.SourcePopulationDB) {
			t.Errorf("%s: %d %+v", name, r.status, d.Applicant)
		}
	}
}
