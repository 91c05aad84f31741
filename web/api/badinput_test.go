package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// counts returns the number of dossiers and events stored.
func (e *env) counts() (dossiers, events int) {
	e.t.Helper()
	ctx := context.Background()
	err := e.db.Read(ctx, func(tx motcua.Tx) error {
		ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 500})
		if err != nil {
			return err
		}
		dossiers = len(ds)
		for _, d := range ds {
			events += d.Status.Seq
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return dossiers, events
}

// TestBadInput sends wrong requests: each gets a clear error (an English
// machine code, a Vietnamese message, the field at fault) and nothing is
// written — not even a dossier number is used up.
func TestBadInput(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 9, 0))
		counter := e.login("motcua.anphu")
		var ag struct {
			Agency          motcua.Agency
			ReceptionPoints []motcua.ReceptionPoint `json:"reception_points"`
		}
		e.call("GET", "/agencies/H99.101", "", nil, nil).decode(t, &ag)
		p, err := e.svc.ProcedureByCode(context.Background(), "1.001612") // Đăng ký thành lập hộ kinh doanh, cấp xã
		if err != nil {
			t.Fatal(err)
		}
		var mandatory []int64
		var comps []map[string]any
		for _, c := range p.Components {
			if !c.FromNationalDB {
				comps = append(comps, map[string]any{"component_id": c.ID, "provided": true})
			}
			if c.Mandatory {
				mandatory = append(mandatory, c.ID)
			}
		}
		if len(mandatory) == 0 {
			t.Fatal("the procedure has no mandatory component to leave out")
		}
		good := func() map[string]any {
			return map[string]any{"procedure_id": p.ID, "reception_point_id": ag.ReceptionPoints[0].ID, "channel": 1,
				"applicant":  map[string]any{"full_name": "Lê Thị Kim Oanh", "id_number": "001193012345", "phone": "0903111222"},
				"components": comps}
		}
		d0, ev0 := e.counts()

		cases := []struct {
			name   string
			token  string
			change func(m map[string]any)
			status int
			reason string
			field  string
		}{
			{"unknown procedure", counter, func(m map[string]any) { m["procedure_id"] = 999999 }, 422, "procedure_not_found", "procedure_id"},
			{"malformed ID number", counter, func(m map[string]any) {
				m["applicant"] = map[string]any{"full_name": "Lê Thị Kim Oanh", "id_number": "00119301234"}
			}, 422, "dossier_invalid", "applicant.id_number"},
			{"ID number of no province", counter, func(m map[string]any) {
				m["applicant"] = map[string]any{"full_name": "Lê Thị Kim Oanh", "id_number": "099193012345"}
			}, 422, "dossier_invalid", "applicant.id_number"},
			{"no name", counter, func(m map[string]any) {
				m["applicant"] = map[string]any{"id_number": "001193012345"}
			}, 422, "dossier_invalid", "applicant.full_name"},
			{"malformed phone", counter, func(m map[string]any) {
				m["applicant"] = map[string]any{"full_name": "Lê Thị Kim Oanh", "id_number": "001193012345", "phone": "12ab"}
			}, 422, "dossier_invalid", "applicant.phone"},
			{"missing mandatory component", counter, func(m map[string]any) {
				var kept []map[string]any
				for _, c := range comps {
					if c["component_id"].(int64) != mandatory[0] {
						kept = append(kept, c)
					}
				}
				m["components"] = kept
			}, 422, "component_missing", "components"},
			{"component of another procedure", counter, func(m map[string]any) {
				m["components"] = []map[string]any{{"component_id": 9999, "provided": true}}
			}, 422, "component_unknown", "components"},
			{"unknown reception point", counter, func(m map[string]any) { m["reception_point_id"] = 424242 }, 422, "reception_point_not_found", "reception_point_id"},
			{"bad channel", counter, func(m map[string]any) { m["channel"] = 9 }, 422, "dossier_invalid", "channel"},
			{"wrong commune for a commune procedure", counter, func(m map[string]any) {
				m["competent_agency_id"] = e.agencyID("000.00.12.H99")
			}, 422, "competent_agency_invalid", "competent_agency_id"},
			// Free texts are bounded and printable: they reach receipts,
			// forms and the tracking book.
			{"address of 950 KB", counter, func(m map[string]any) {
				m["applicant"].(map[string]any)["address"] = strings.Repeat("Ấp Trung, xã An Phú ", 950<<10/24)
			}, 422, "dossier_invalid", "applicant.address"},
			{"e-mail of 10 KB", counter, func(m map[string]any) {
				m["applicant"].(map[string]any)["email"] = strings.Repeat("a", 10<<10) + "@example.vn"
			}, 422, "dossier_invalid", "applicant.email"},
			{"principal of 10 KB", counter, func(m map[string]any) {
				m["applicant"].(map[string]any)["on_behalf_of"] = strings.Repeat("Nguyễn Văn A ", 800)
			}, 422, "dossier_invalid", "applicant.on_behalf_of"},
			{"content of 100 KB", counter, func(m map[string]any) { m["content"] = strings.Repeat("Xin cấp giấy phép. ", 5000) }, 422, "dossier_invalid", "content"},
			{"NUL in the name", counter, func(m map[string]any) {
				m["applicant"].(map[string]any)["full_name"] = "Lê Thị\x00Kim Oanh"
			}, 422, "dossier_invalid", "applicant.full_name"},
			{"right-to-left override in the address", counter, func(m map[string]any) {
				m["applicant"].(map[string]any)["address"] = "Ấp Trung ‮xcsV"
			}, 422, "dossier_invalid", "applicant.address"},
			{"escape character in the content", counter, func(m map[string]any) { m["content"] = "Xin cấp \x1b[2J" }, 422, "dossier_invalid", "content"},
			{"born in 2999", counter, func(m map[string]any) {
				m["applicant"].(map[string]any)["date_of_birth"] = "2999-01-01"
			}, 422, "dossier_invalid", "applicant.date_of_birth"},
			{"born tomorrow", counter, func(m map[string]any) {
				m["applicant"].(map[string]any)["date_of_birth"] = "2025-03-11"
			}, 422, "dossier_invalid", "applicant.date_of_birth"},
			{"not signed in", "", func(map[string]any) {}, 401, "not_signed_in", ""},
			{"wrong role", e.login("cv.anphu"), func(map[string]any) {}, 403, "not_permitted", ""},
			{"counter of another commune", e.login("motcua.hoabinh"), func(map[string]any) {}, 403, "not_permitted", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				m := good()
				c.change(m)
				r := e.call("POST", "/dossiers", c.token, m, nil)
				b := expectError(t, r, c.status, c.reason)
				if c.field != "" && b.Fields[c.field] == "" {
					t.Errorf("no message for field %q: %s", c.field, r.body)
				}
			})
		}
		// Malformed bodies.
		for name, body := range map[string]string{"not JSON": "{procedure", "unknown field": `{"procedure_id":1,"colour":"red"}`, "two objects": `{}{}`} {
			req, _ := http.NewRequest("POST", e.ts.URL+"/api/v1/dossiers", bytes.NewBufferString(body))
			req.Header.Set("Authorization", "Bearer "+counter)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 422 {
				t.Errorf("%s: status %d", name, resp.StatusCode)
			}
		}
		if d, ev := e.counts(); d != d0 || ev != ev0 {
			t.Fatalf("bad requests wrote: %d→%d dossiers, %d→%d events", d0, d, ev0, ev)
		}
		// No number was used up: the first good dossier of the day is 0001.
		r := e.call("POST", "/dossiers", counter, good(), nil)
		var d dossierOut
		r.decode(t, &d)
		if r.status != 201 || d.Code != "H99.101-250310-0001" {
			t.Fatalf("first good dossier: %d %s", r.status, d.Code)
		}

		// A name spelled in decomposed letters with JSON escapes, as some
		// clients send it, is stored precomposed (NFC): the same person is
		// found whatever their keyboard.
		raw, _ := json.Marshal(good())
		raw = bytes.Replace(raw, []byte("Lê Thị Kim Oanh"), []byte(`L\u0065\u0302 Thi\u0323 Kim Oanh`), 1)
		r = e.call("POST", "/dossiers", counter, json.RawMessage(raw), nil)
		var nfd dossierOut
		r.decode(t, &nfd)
		if r.status != 201 {
			t.Fatalf("escaped decomposed name: %d %s", r.status, r.body)
		}
		if err := e.db.Read(context.Background(), func(tx motcua.Tx) error {
			got, err := tx.DossierByCode(context.Background(), nfd.Code)
			if err == nil && got.Applicant.FullName != "Lê Thị Kim Oanh" {
				t.Errorf("stored name %q (%+q), want it precomposed", got.Applicant.FullName, got.Applicant.FullName)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}

		// Refused transitions change nothing either.
		_, ev1 := e.counts()
		for _, try := range []struct {
			token, action string
			body          map[string]any
			status        int
			reason        string
		}{
			{counter, "approve", nil, 409, "action_not_allowed_in_state"},
			{counter, "fly", nil, 422, "unknown_action"},
			{e.login("ct.anphu"), "transfer", nil, 403, "not_permitted"},
			{counter, "refuse", map[string]any{"reason": "x"}, 409, "action_not_allowed_in_state"},
			{counter, "extend", map[string]any{"reason": "Xin lỗi.", "new_due_at": "ngày mai"}, 422, "time_malformed"},
		} {
			r := e.call("POST", "/dossiers/"+d.Code+"/actions/"+try.action, try.token, try.body, nil)
			expectError(t, r, try.status, try.reason)
		}
		if _, ev := e.counts(); ev != ev1 {
			t.Fatalf("refused actions wrote %d events", ev-ev1)
		}
		expectError(t, e.call("GET", "/dossiers/NOPE-1", counter, nil, nil), 404, "dossier_not_found")
		expectError(t, e.call("GET", "/inbox?cursor=not-a-cursor", counter, nil, nil), 422, "cursor_malformed")
		expectError(t, e.call("GET", "/inbox?state=flying", counter, nil, nil), 422, "state_unknown")
		expectError(t, e.call("GET", "/procedures?limit=-1", "", nil, nil), 422, "parameter_malformed")
	})
}

func (e *env) agencyID(code string) int64 {
	a, _, err := e.svc.Agency(context.Background(), code)
	if err != nil {
		e.t.Fatal(fmt.Errorf("agency %s: %w", code, err))
	}
	return a.ID
}
