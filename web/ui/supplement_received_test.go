package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// appraising receives a guardianship dossier at An Phú with every
// component handed in but the last, transfers it, and returns it at
// appraisal with its procedure and the specialist's context.
func appraising(t *testing.T, e *env) (*motcua.Dossier, *motcua.Procedure, context.Context) {
	t.Helper()
	as := func(name string) context.Context {
		var u *motcua.User
		if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, name); return err }); err != nil {
			t.Fatal(err)
		}
		return motcua.NewContextWithUser(ctx, u)
	}
	p, err := e.svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		t.Fatal(err)
	}
	anPhu, points, _ := e.svc.Agency(ctx, "H99.101")
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, CompetentAgencyID: anPhu.ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{IDNumber: "089186001234", FullName: "Lê Văn An", Phone: "0912345678"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	in, err := e.svc.ReceiveDossier(as("motcua.anphu"), "", n)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(as("motcua.anphu"), in.Dossier.Code, service.ActInput{Action: motcua.ActTransfer}); err != nil {
		t.Fatal(err)
	}
	var d *motcua.Dossier
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, in.Dossier.Code); return err })
	return d, p, as("cv.anphu")
}

// TestSupplementReceivedRecordsTheDocuments (issue 13, defect 3): the
// counter ticks the components that arrived with a supplement (those asked
// for are ticked already); they then show as handed in, and the history
// says which arrived.
func TestSupplementReceivedRecordsTheDocuments(t *testing.T) {
	e := newEnv(t)
	d, p, specialist := appraising(t, e)
	var asked int64
	for _, c := range d.Components {
		if !c.FromNationalDB {
			asked = c.ComponentID
			break
		}
	}
	// The applicant had not handed it in (e.g. a wrong copy).
	for i := range d.Components {
		if d.Components[i].ComponentID == asked {
			d.Components[i].Provided = false
		}
	}
	if err := e.db.Write(ctx, func(tx motcua.Tx) error { return tx.SetDossierComponents(ctx, d.ID, d.Components) }); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Act(specialist, d.Code, service.ActInput{Action: motcua.ActRequestSupplement,
		Reason: "Bản sao chưa chứng thực.", Missing: []int64{asked}}); err != nil {
		t.Fatal(err)
	}
	var name string
	for _, c := range p.Components {
		if c.ID == asked {
			name = c.Name
		}
	}
	b := e.login("motcua.anphu")
	page := b.get("/ho-so/" + d.Code)
	box := regexp.MustCompile(`<input type="checkbox" id="s-` + fmt.Sprint(asked) + `" name="supplied" value="` + fmt.Sprint(asked) + `" checked>`)
	if !box.MatchString(page.body) {
		t.Fatalf("the component asked for is not ticked in the supplement_received form:\n%s", page.body)
	}
	if !strings.Contains(page.body, name+": <strong>chưa nộp</strong>") {
		t.Fatalf("the component asked for is not shown missing before the supplement")
	}
	r := b.post("/ho-so/"+d.Code+"/thao-tac", url.Values{"action": {"supplement_received"}, "supplied": {fmt.Sprint(asked)}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("supplement_received: %d\n%s", r.status, r.body)
	}
	page = b.get("/ho-so/" + d.Code)
	if strings.Contains(page.body, name+": <strong>chưa nộp</strong>") || !strings.Contains(page.body, name+": đã nộp") {
		t.Errorf("the supplied component still shows as not handed in")
	}
	var evs []motcua.Event
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { evs, err = tx.Events(ctx, d.ID); return err })
	last := evs[len(evs)-1]
	if last.Action != motcua.ActSupplementReceived || len(last.Supplied) != 1 || last.Supplied[0] != asked {
		t.Errorf("history: last event %s supplied %v, want %d", last.Action, last.Supplied, asked)
	}
}
