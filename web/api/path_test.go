package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestWholePathOverHTTP drives a provincial dossier received at a commune
// counter through transfer, assignment, appraisal, one supplement (a
// second one refused), the restarted clock, approval, the result and its
// return — all over HTTP, every response checked against the OpenAPI
// document — then checks the timeline's verdicts, worked out by hand on the
// default working periods (07:30–11:30, 13:00–17:00; no holiday in March
// 2025), and the public lookup.
func TestWholePathOverHTTP(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		e := newEnv(t, eng, vn(2025, 3, 10, 8, 0))
		counter := e.login("motcua.anphu")

		// The catalogue: diacritics and case do not matter.
		var procs struct {
			Items []struct {
				ID   int64
				Code string
			}
		}
		e.call("GET", "/procedures?q="+url.QueryEscape("TRO CAP THO CUNG liet si"), "", nil, nil).decode(t, &procs)
		if len(procs.Items) != 1 || procs.Items[0].Code != "1.010803" {
			t.Fatalf("catalogue search: %+v", procs.Items)
		}
		var proc motcua.Procedure
		e.call("GET", fmt.Sprintf("/procedures/%d", procs.Items[0].ID), "", nil, nil).decode(t, &proc)
		var ag struct {
			Agency          motcua.Agency
			ReceptionPoints []motcua.ReceptionPoint `json:"reception_points"`
		}
		e.call("GET", "/agencies/H99.101", "", nil, nil).decode(t, &ag)

		var comps []map[string]any
		for _, c := range proc.Components {
			if !c.FromNationalDB {
				comps = append(comps, map[string]any{"component_id": c.ID, "provided": true, "digitized": true})
			}
		}
		applicant := map[string]any{"full_name": "Đoàn Văn Kiệt", "id_number": "089058007777", "phone": "0944555666",
			"address": "Ấp Đông, xã An Phú, tỉnh Mẫu"}
		newDossier := map[string]any{"procedure_id": proc.ID, "reception_point_id": ag.ReceptionPoints[0].ID, "channel": 1,
			"applicant": applicant, "components": comps}

		// Reception, Mon 10 Mar 09:00. 10 working days = 80 working hours:
		// Mon 6.5 h, Tue–Fri 32 h, Mon–Fri 17–21 Mar 40 h, Mon 24 Mar 1.5 h → Mon 24 Mar 09:00.
		e.setClock(vn(2025, 3, 10, 9, 0))
		r := e.call("POST", "/dossiers", counter, newDossier, map[string]string{"Idempotency-Key": "counter-1-0001"})
		if r.status != http.StatusCreated {
			t.Fatalf("reception: %d %s", r.status, r.body)
		}
		var d dossierOut
		r.decode(t, &d)
		// The competent agency's e-ID, the reception date, the day's first number.
		if d.Code != "000.00.12.H99-250310-0001" {
			t.Errorf("code %q", d.Code)
		}
		if d.Status.State != motcua.StateReceived || !d.Status.DueAt.Equal(vn(2025, 3, 24, 9, 0)) {
			t.Fatalf("received: %+v", d.Status)
		}
		// A retry with the same key (a weak line) gives the same dossier back.
		r = e.call("POST", "/dossiers", counter, newDossier, map[string]string{"Idempotency-Key": "counter-1-0001"})
		var again dossierOut
		r.decode(t, &again)
		if r.status != http.StatusOK || again.Code != d.Code || r.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("retry: %d %s", r.status, again.Code)
		}
		other := map[string]any{}
		for k, v := range newDossier {
			other[k] = v
		}
		other["content"] = "khác"
		expectError(t, e.call("POST", "/dossiers", counter, other, map[string]string{"Idempotency-Key": "counter-1-0001"}),
			http.StatusConflict, "idempotency_key_reused")

		act := func(token, action string, at time.Time, body map[string]any) response {
			t.Helper()
			e.setClock(at)
			return e.call("POST", "/dossiers/"+d.Code+"/actions/"+action, token, body, nil)
		}
		ok := func(r response) dossierOut {
			t.Helper()
			if r.status != http.StatusOK {
				t.Fatalf("action: %d %s", r.status, r.body)
			}
			var out dossierOut
			r.decode(t, &out)
			return out
		}

		// A specialist of the competent agency cannot transfer from the
		// counter; someone with no business with the dossier does not even
		// learn that it exists; the counter transfers it.
		cv := e.login("cv.noivu")
		expectError(t, act(cv, "transfer", vn(2025, 3, 10, 10, 0), nil), http.StatusForbidden, "not_permitted")
		expectError(t, act(e.login("cv.tuphap"), "transfer", vn(2025, 3, 10, 10, 0), nil), http.StatusNotFound, "dossier_not_found")
		moved := ok(act(counter, "transfer", vn(2025, 3, 10, 10, 0), nil))
		// The answer to an action carries no personal data (an unlogged
		// view otherwise); the dossier's own address shows it, logged.
		if a := moved.Applicant; a.FullName != "Đoàn Văn Kiệt" || a.IDNumber != "" || a.Phone != "" || a.Address != "" {
			t.Errorf("applicant in the answer to an action: %+v", a)
		}
		var full dossierOut
		e.call("GET", "/dossiers/"+d.Code, counter, nil, nil).decode(t, &full)
		if a := full.Applicant; a.IDNumber != "089058007777" || a.Address != "Ấp Đông, xã An Phú, tỉnh Mẫu" {
			t.Errorf("applicant of the dossier: %+v", a)
		}

		// The head of department assigns the specialist.
		head := e.login("tp.noivu")
		var users struct {
			Items []struct {
				ID       int64
				Username string
			}
		}
		e.call("GET", fmt.Sprintf("/users?agency_id=%d&role=specialist", ag.Agency.ID), head, nil, nil) // not his agency
		sv, _, _ := e.svc.Agency(context.Background(), "000.00.12.H99")
		e.call("GET", fmt.Sprintf("/users?agency_id=%d&role=specialist", sv.ID), head, nil, nil).decode(t, &users)
		var cvID int64
		for _, u := range users.Items {
			if u.Username == "cv.noivu" {
				cvID = u.ID
			}
		}
		if cvID == 0 {
			t.Fatalf("specialists of Sở Nội vụ: %+v", users.Items)
		}
		ok(act(head, "assign", vn(2025, 3, 10, 14, 0), map[string]any{"assignee_id": cvID}))

		// Appraisal finds a paper missing: one supplement request, with the
		// guidance in full. The dossier goes back to the counter.
		d = ok(act(cv, "request_supplement", vn(2025, 3, 11, 9, 0), map[string]any{
			"reason": "Bổ sung giấy xác nhận của UBND xã về người thờ cúng liệt sĩ theo mẫu.", "missing": []int64{proc.Components[0].ID}}))
		if d.Status.State != motcua.StateAwaitingSupplement || d.Status.Holder.Code != "H99.101" {
			t.Fatalf("after request: %+v", d.Status)
		}
		// The applicant brings it Thu 13 Mar 10:00: the clock restarts from
		// zero. 80 h from Thu 10:00: Thu 5.5, Fri 8, 17–21 Mar 40, 24–26 Mar 24,
		// Thu 27 Mar 2.5 → Thu 27 Mar 10:00.
		d = ok(act(counter, "supplement_received", vn(2025, 3, 13, 10, 0), nil))
		if !d.Status.ClockStartAt.Equal(vn(2025, 3, 13, 10, 0)) || !d.Status.DueAt.Equal(vn(2025, 3, 27, 10, 0)) {
			t.Fatalf("clock not restarted: start %v due %v", d.Status.ClockStartAt, d.Status.DueAt)
		}
		// A second request in the same stage is refused, with the reason.
		b := expectError(t, act(cv, "request_supplement", vn(2025, 3, 13, 11, 0), map[string]any{"reason": "Bổ sung thêm ảnh."}),
			http.StatusConflict, "supplement_already_requested")
		if !strings.Contains(b.Message, "một lần") {
			t.Errorf("message does not explain the one-request rule: %q", b.Message)
		}
		// A transition from a wrong state, and by a wrong role.
		expectError(t, act(counter, "return", vn(2025, 3, 13, 11, 0), nil), http.StatusConflict, "action_not_allowed_in_state")
		expectError(t, act(head, "approve", vn(2025, 3, 13, 11, 0), nil), http.StatusConflict, "action_not_allowed_at_step")

		ok(act(cv, "forward", vn(2025, 3, 14, 10, 0), nil))
		ok(act(head, "forward", vn(2025, 3, 17, 10, 0), nil))
		leader := e.login("ld.noivu")
		expectError(t, act(head, "approve", vn(2025, 3, 20, 8, 0), nil), http.StatusForbidden, "not_permitted")
		ok(act(leader, "approve", vn(2025, 3, 20, 8, 0), nil))
		d = ok(act(cv, "issue_result", vn(2025, 3, 21, 9, 0), map[string]any{"result_number": "125/QĐ-SNV"}))
		if d.Status.State != motcua.StateResultReady || d.Status.Holder.Code != "H99.101" {
			t.Fatalf("result: %+v", d.Status)
		}
		ok(act(counter, "return", vn(2025, 3, 24, 8, 0), nil))

		// The timeline: each hand-over with its time and verdict.
		e.setClock(vn(2025, 3, 24, 8, 30))
		e.call("GET", "/dossiers/"+d.Code, counter, nil, nil).decode(t, &d)
		want := []struct {
			action  motcua.Action
			at      time.Time
			from    string
			to      string
			verdict motcua.Timeliness
		}{
			{motcua.ActReceive, vn(2025, 3, 10, 9, 0), "", "H99.101", ""},
			// Transfer due the same day (received before 15:00).
			{motcua.ActTransfer, vn(2025, 3, 10, 10, 0), "H99.101", "000.00.12.H99", motcua.OnTime},
			// Assignment: 10 % of 80 h = 8 h from Mon 10:00 → Tue 10:00.
			{motcua.ActAssign, vn(2025, 3, 10, 14, 0), "000.00.12.H99", "000.00.12.H99", motcua.Early},
			// Appraisal: 40 h from Mon 14:00 → Mon 17 Mar 14:00.
			{motcua.ActRequestSupplement, vn(2025, 3, 11, 9, 0), "000.00.12.H99", "H99.101", motcua.Early},
			// Supplement due 11 Mar + 15 days → Wed 26 Mar 17:00.
			{motcua.ActSupplementReceived, vn(2025, 3, 13, 10, 0), "H99.101", "000.00.12.H99", motcua.Early},
			// Appraisal again: 40 h from Thu 13 10:00 → Thu 20 Mar 10:00.
			{motcua.ActForward, vn(2025, 3, 14, 10, 0), "000.00.12.H99", "000.00.12.H99", motcua.Early},
			// Review: 8 h from Fri 10:00 → Mon 17 Mar 10:00, done at that minute.
			{motcua.ActForward, vn(2025, 3, 17, 10, 0), "000.00.12.H99", "000.00.12.H99", motcua.OnTime},
			// Approval: 16 h from Mon 10:00 → Wed 19 Mar 10:00; done Thu: late.
			{motcua.ActApprove, vn(2025, 3, 20, 8, 0), "000.00.12.H99", "000.00.12.H99", motcua.Late},
			// The result, against the appointment Thu 27 Mar: early.
			{motcua.ActIssueResult, vn(2025, 3, 21, 9, 0), "000.00.12.H99", "H99.101", motcua.Early},
			{motcua.ActReturn, vn(2025, 3, 24, 8, 0), "H99.101", "H99.101", ""},
		}
		if len(d.Timeline) != len(want) {
			t.Fatalf("timeline has %d entries, want %d", len(d.Timeline), len(want))
		}
		for i, w := range want {
			g := d.Timeline[i]
			if g.Action != w.action || !g.At.Equal(w.at) || g.From.Code != w.from || g.To.Code != w.to || g.Timeliness != w.verdict {
				t.Errorf("timeline %d: got %s at %s %s→%s %q, want %s at %s %s→%s %q", i+1,
					g.Action, motcua.FormatDateTime(g.At), g.From.Code, g.To.Code, g.Timeliness,
					w.action, motcua.FormatDateTime(w.at), w.from, w.to, w.verdict)
			}
			if w.verdict != "" && g.TimelinessLabel != w.verdict.Label() {
				t.Errorf("timeline %d: label %q", i+1, g.TimelinessLabel)
			}
			if g.Actor == "" {
				t.Errorf("timeline %d: no actor", i+1)
			}
		}
		if d.Status.State != motcua.StateReturned || d.Status.Timeliness != motcua.Early {
			t.Errorf("final: %s %s", d.Status.State, d.Status.Timeliness)
		}

		// Viewing the dossier showed personal data: it is in the audit log.
		var audited int
		e.db.Read(context.Background(), func(tx motcua.Tx) error {
			es, err := tx.AuditEntries(context.Background(), motcua.AuditFilter{Action: motcua.AuditViewPersonalData})
			audited = len(es)
			return err
		})
		if audited == 0 {
			t.Error("the view of personal data was not logged")
		}

		// The citizen looks it up with the code and the last 4 digits of the
		// phone: status and timeline, no personal data.
		r = e.call("GET", "/lookup?code="+url.QueryEscape(d.Code)+"&verifier=5666", "", nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("lookup: %d %s", r.status, r.body)
		}
		for _, secret := range []string{"Đoàn Văn Kiệt", "089058007777", "0944555666", "Ấp Đông", "Phạm Thị Mai"} {
			if strings.Contains(string(r.body), secret) {
				t.Errorf("public lookup reveals %q", secret)
			}
		}
		var pub struct {
			State    motcua.State
			Timeline []struct{ Label string }
		}
		r.decode(t, &pub)
		if pub.State != motcua.StateReturned || len(pub.Timeline) != len(want) {
			t.Errorf("public view: %+v", pub)
		}
		expectError(t, e.call("GET", "/lookup?code="+url.QueryEscape(d.Code)+"&verifier=0000", "", nil, nil), http.StatusNotFound, "dossier_not_found")
	})
}
