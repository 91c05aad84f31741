package ui_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// refusingPortal refuses every record for good, as the portal does with
// a record it finds invalid.
type refusingPortal struct{}

type refusal struct{}

func (refusal) Error() string          { return "DongBoHoSoMC: error_code=3: thiếu MaTTHC" }
func (refusal) PermanentFailure() bool { return true }

func (refusingPortal) SyncDossier(context.Context, *motcua.PortalDossier, bool) error {
	return refusal{}
}
func (refusingPortal) SyncProgress(context.Context, *motcua.PortalProgress) error { return refusal{} }

// TestPortalSyncPages: a status message the portal refused for good shows
// on the administration home and the synchronisation page, where the
// province's administrator sends it again; the dossier page says what the
// portal holds of the dossier; a counter officer may not open the page.
func TestPortalSyncPages(t *testing.T) {
	e := newEnvWith(t, func(c *service.Config) { c.PortalSync = true })
	officer := e.login("motcua.anphu")
	octx := motcua.NewContextWithUser(ctx, e.user("motcua.anphu"))
	p, err := e.svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		t.Fatal(err)
	}
	_, points, _ := e.svc.Agency(ctx, "H99.101")
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Lê Thị Kim Oanh", IDNumber: "001193012345", Phone: "0912345678"}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	in, err := e.svc.ReceiveDossier(octx, "", n)
	if err != nil {
		t.Fatal(err)
	}
	code := in.Dossier.Code
	if _, err := e.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: map[string]motcua.Deliverer{
		motcua.TopicPortalSync: e.svc.PortalDeliverer(refusingPortal{})}}); err != nil {
		t.Fatal(err)
	}
	admin := e.login("admin")
	home := admin.get("/quan-tri")
	expectStatus(t, home, http.StatusOK, "administration home")
	if !strings.Contains(home.body, "Đồng bộ với Cổng Dịch vụ công quốc gia cần xử lý") || !strings.Contains(home.body, "1 đã dừng gửi") {
		t.Errorf("the administration home does not tell of the refused message:\n%s", home.body)
	}
	page := admin.get("/quan-tri/dong-bo")
	expectStatus(t, page, http.StatusOK, "synchronisation page")
	for _, want := range []string{"Chưa kết nối Cổng Dịch vụ công quốc gia", code, "thiếu MaTTHC", "Gửi lại"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the synchronisation page lacks %q", want)
		}
	}
	expectStatus(t, officer.get("/quan-tri/dong-bo"), http.StatusForbidden, "a counter officer on the synchronisation page")
	d := officer.get("/ho-so/" + code)
	if !strings.Contains(d.body, "Đồng bộ Cổng Dịch vụ công quốc gia") || !strings.Contains(d.body, "không thành công") {
		t.Errorf("the dossier page does not say what the portal holds:\n%s", d.body)
	}
	o, err := e.svc.PortalOverview(motcua.NewContextWithUser(ctx, e.user("admin")), false)
	if err != nil || len(o.Pending) == 0 {
		t.Fatalf("overview: %+v %v", o, err)
	}
	r := admin.post("/quan-tri/dong-bo/"+itoa(o.Pending[0].Message.ID), url.Values{})
	if r.status != http.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "xong=gui-lai") {
		t.Fatalf("replay: %d %s", r.status, r.header.Get("Location"))
	}
	if o, _ := e.svc.PortalOverview(motcua.NewContextWithUser(ctx, e.user("admin")), false); o.State.Failed != 0 {
		t.Errorf("after the replay %d messages are still given up", o.State.Failed)
	}
}

// user returns a demo account.
func (e *env) user(username string) *motcua.User {
	e.t.Helper()
	var u *motcua.User
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, username); return err }); err != nil {
		e.t.Fatal(err)
	}
	return u
}
