package api_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestProcedureSearchSaysWhyNotReceivable: the catalogue search gives each
// procedure whether it can receive now and, when not, a machine reason and
// who must act; the response matches openapi.json.
func TestProcedureSearchSaysWhyNotReceivable(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0))
	var p *motcua.Procedure
	var ps []*motcua.Procedure
	e.db.Read(ctx, func(tx motcua.Tx) (err error) {
		ps, err = tx.FindProcedures(ctx, motcua.ProcedureFilter{PublishedOnly: true, Level: motcua.LevelCommune, Limit: 500})
		return err
	})
	for _, q := range ps {
		if q.TimeLimit == nil && !q.NoTimeLimit && q.Code != "" {
			p = q
			break
		}
	}
	if p == nil {
		t.Fatal("no procedure without a time limit in the demo")
	}
	p.TimeLimitText = "1 Khác"
	if err := e.db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, p) }); err != nil {
		t.Fatal(err)
	}
	type search struct {
		Items []struct {
			Code          string
			Receivable    bool
			TimeLimitText string                                         `json:"time_limit_text"`
			NotReceivable *struct{ Reason, Message, Responsible string } `json:"not_receivable"`
		}
	}
	for _, code := range []string{p.Code, "1.001193"} {
		var body search
		r := e.call("GET", "/procedures?q="+code, "", nil, nil)
		if r.status != http.StatusOK {
			t.Fatalf("search: %d %s", r.status, r.body)
		}
		r.decode(t, &body)
		if len(body.Items) == 0 || body.Items[0].Code != code {
			t.Fatalf("search %s: %+v", code, body.Items)
		}
		it := body.Items[0]
		if code == "1.001193" {
			if !it.Receivable || it.NotReceivable != nil {
				t.Errorf("birth registration: %+v", it)
			}
			continue
		}
		if it.Receivable || it.NotReceivable == nil || it.NotReceivable.Reason != "procedure_time_limit_to_confirm" ||
			it.NotReceivable.Responsible == "" || it.TimeLimitText != "Cần xác nhận — dữ liệu quốc gia ghi: \"1 Khác\"" {
			t.Errorf("procedure to confirm: %+v %+v", it, it.NotReceivable)
		}
	}
}
