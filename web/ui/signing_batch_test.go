package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
)

// TestLeaderSignsBatch: the leader's page lists the approved results of
// their agency not signed yet, signs the ticked ones at once, says which
// were signed (with their codes), and lists them no more; the issuer then
// issues each as a signed electronic result. An officer who leads nothing
// is told so and signs nothing.
func TestLeaderSignsBatch(t *testing.T) {
	keys := t.TempDir()
	if err := sign.EnsureDemo(keys, testNow, "Tỉnh Mẫu", []sign.DemoHolder{
		{Username: "ct.anphu", Name: "Nguyễn Văn Lãnh", Organization: "UBND xã An Phú"},
		{Username: "cv.anphu", Name: "Võ Văn Tài", Organization: "UBND xã An Phú"},
	}); err != nil {
		t.Fatal(err)
	}
	ring, err := sign.OpenKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, func(c *service.Config) { c.Signer, c.RenderResult = ring, pdf.Result })
	users := map[string]*motcua.User{}
	for _, n := range []string{"motcua.anphu", "cv.anphu", "ct.anphu"} {
		e.db.Read(ctx, func(tx motcua.Tx) (err error) { users[n], err = tx.UserByUsername(ctx, n); return err })
	}
	var codes []string
	for range 2 {
		code, _ := e.receiveGuardianship()
		for _, s := range []struct {
			user string
			a    motcua.Action
		}{{"motcua.anphu", motcua.ActTransfer}, {"cv.anphu", motcua.ActForward}, {"ct.anphu", motcua.ActApprove}} {
			if _, err := e.svc.Act(motcua.NewContextWithUser(ctx, users[s.user]), code, service.ActInput{Action: s.a}); err != nil {
				t.Fatal(err)
			}
		}
		codes = append(codes, code)
	}
	if r := e.login("cv.anphu").get("/ky-so-ket-qua"); r.status != http.StatusForbidden || !strings.Contains(r.body, "Chỉ lãnh đạo") {
		t.Fatalf("an officer's batch page: %d\n%s", r.status, r.body)
	}
	b := e.login("ct.anphu")
	r := b.get("/ky-so-ket-qua")
	for _, c := range codes {
		if r.status != 200 || !strings.Contains(r.body, `name="ma" value="`+c+`"`) {
			t.Fatalf("the leader's batch page lacks %s: %d\n%s", c, r.status, r.body)
		}
	}
	r = b.post("/ky-so-ket-qua", url.Values{"ma": codes})
	if r.status != 200 || strings.Count(r.body, "Đã ký số") != 2 {
		t.Fatalf("after signing the batch: %d\n%s", r.status, r.body)
	}
	for _, c := range codes {
		if strings.Contains(r.body, `name="ma" value="`+c+`"`) {
			t.Errorf("%s still waits for its signature", c)
		}
		if !strings.Contains(r.body, "/xac-thuc?ma="+motcua.ResultCode(c)) {
			t.Errorf("no code of the signed result of %s", c)
		}
		d, err := e.svc.Act(motcua.NewContextWithUser(ctx, users["cv.anphu"]), c, service.ActInput{Action: motcua.ActIssueResult})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status.ResultNumber != motcua.ResultCode(c) || !d.Status.ResultSigned || !d.Status.Report.Flags.Has(motcua.FlagResultFile) {
			t.Errorf("%s issued: number %q signed %v", c, d.Status.ResultNumber, d.Status.ResultSigned)
		}
	}
	// Signing again: nothing left, and a code not waiting is refused by name.
	r = b.post("/ky-so-ket-qua", url.Values{"ma": {codes[0]}})
	if r.status != 200 || !strings.Contains(r.body, "Chưa ký") {
		t.Fatalf("signing an issued result again: %d\n%s", r.status, r.body)
	}
}
