package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
)

// kiosk binds a browser as a kiosk of An Phú's first reception point, by an
// administrator's session on it, and returns it (with the device cookie
// only: the administrator signs out).
func (e *env) kiosk(point int64, kind string) *browser {
	e.t.Helper()
	b := e.login("admin")
	r := b.post("/quan-tri/xep-hang/thiet-bi", url.Values{"diem": {fmt.Sprint(point)}, "name": {"Máy " + kind}, "kind": {kind}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("binding a device: %d\n%s", r.status, r.body)
	}
	if r = b.post("/dang-xuat", nil); r.status != http.StatusSeeOther {
		e.t.Fatalf("sign-out: %d", r.status)
	}
	return b
}

var ticketNo = regexp.MustCompile(`<p class="no">([A-Z]+\d{3})</p>`)

// TestQueueAtTheCounter is the queue's path over HTTP: an administrator sets
// up two service areas and a kiosk; citizens take tickets; the officer
// calls them in order, links one to the dossier received, skips a no-show;
// the display, the live page and the report show the numbers and times a
// recount of the stored tickets gives, against the 30-minute target.
func TestQueueAtTheCounter(t *testing.T) {
	e := newEnv(t)
	anPhu, points, _ := e.svc.Agency(ctx, "H99.101")
	pt := fmt.Sprint(points[0].ID)
	admin := e.login("admin")
	for _, a := range [][2]string{{"A", "Hộ tịch, chứng thực"}, {"B", "Đất đai"}} {
		if r := admin.post("/quan-tri/xep-hang/quay", url.Values{"diem": {pt}, "prefix": {a[0]}, "name": {a[1]}}); r.status != http.StatusSeeOther {
			t.Fatalf("adding area %s: %d\n%s", a[0], r.status, r.body)
		}
	}
	if r := admin.post("/quan-tri/xep-hang/quay", url.Values{"diem": {pt}, "prefix": {"A"}, "name": {"Trùng"}}); r.status != http.StatusConflict ||
		!strings.Contains(r.body, "Ký hiệu quầy này đã được dùng") {
		t.Errorf("a taken prefix: %d", r.status)
	}
	// An officer may not configure the queue.
	if r := e.login("motcua.anphu").post("/quan-tri/xep-hang/quay", url.Values{"diem": {pt}, "prefix": {"C"}, "name": {"X"}}); r.status != http.StatusForbidden {
		t.Errorf("an officer adding an area: %d", r.status)
	}
	areas, err := e.svc.ServiceAreas(e.as("admin"), points[0].ID)
	if err != nil || len(areas) != 2 {
		t.Fatalf("areas: %v %v", areas, err)
	}
	areaA, areaB := fmt.Sprint(areas[0].ID), fmt.Sprint(areas[1].ID)

	// Without the device's token nobody gets a ticket.
	if r := e.browser().post("/lay-so", url.Values{"area_id": {areaA}}); r.status != http.StatusUnauthorized {
		t.Errorf("a ticket from an unbound browser: %d", r.status)
	}
	k := e.kiosk(points[0].ID, "kiosk")
	page := k.get("/lay-so")
	if page.status != http.StatusOK || !strings.Contains(page.body, "A – Hộ tịch, chứng thực") || strings.Contains(page.body, "Đăng xuất") {
		t.Fatalf("the kiosk page: %d\n%s", page.status, page.body)
	}
	issued := map[string]time.Time{}
	take := func(area string, at time.Time) string {
		t.Helper()
		e.set(at)
		r := k.post("/lay-so", url.Values{"area_id": {area}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("taking a ticket: %d\n%s", r.status, r.body)
		}
		r = k.get(r.header.Get("Location"))
		m := ticketNo.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no number on the ticket:\n%s", r.body)
		}
		issued[m[1]] = at
		return r.body
	}
	t0 := vn(2025, 3, 10, 8, 0)
	take(areaA, t0)
	take(areaB, t0.Add(2*time.Minute))
	take(areaA, t0.Add(5*time.Minute))
	third := take(areaA, t0.Add(10*time.Minute))
	if !strings.Contains(third, "A003") || !strings.Contains(third, "Số người chờ trước quý khách: 2") || !strings.Contains(third, "10/03/2025 08:10") {
		t.Errorf("the third ticket of A:\n%s", third)
	}
	if len(issued) != 4 || issued["B001"].IsZero() {
		t.Fatalf("numbers issued: %v", issued)
	}
	// A kiosk of another point cannot print this point's tickets.
	other := e.kiosk(points[1].ID, "kiosk")
	var a1 *motcua.Ticket
	e.db.Read(ctx, func(tx motcua.Tx) error {
		ts, err := tx.Tickets(ctx, motcua.TicketFilter{ReceptionPointID: points[0].ID})
		a1 = ts[0]
		return err
	})
	if r := other.get(fmt.Sprintf("/lay-so/ve?so=%d", a1.ID)); r.status != http.StatusNotFound {
		t.Errorf("another point's kiosk printing a ticket: %d", r.status)
	}

	// The officer calls area A from counter 2: the oldest first.
	off := e.login("motcua.anphu")
	call := func(at time.Time) resp {
		t.Helper()
		e.set(at)
		return off.post("/quay/xep-hang/goi", url.Values{"diem": {pt}, "quay": {"2"}, "linh-vuc": {areaA}})
	}
	if r := call(t0.Add(20 * time.Minute)); r.status != http.StatusSeeOther {
		t.Fatalf("calling: %d\n%s", r.status, r.body)
	}
	display := e.kiosk(points[0].ID, "display")
	if r := display.get("/goi-so"); !regexp.MustCompile(`class="latest"><td class="num">A001</td><td>Quầy 2</td>`).MatchString(r.body) ||
		!strings.Contains(r.body, `http-equiv="refresh"`) {
		t.Errorf("the display does not show A001 at counter 2:\n%s", r.body)
	}
	// The counter's form carries the ticket; the dossier received ends it.
	proc, _ := e.svc.ProcedureByCode(ctx, "1.004837")
	form := off.get(fmt.Sprintf("/tiep-nhan?thu-tuc=%d", proc.ID))
	if !strings.Contains(form.body, `name="ticket_id" value="`+fmt.Sprint(a1.ID)+`"`) || !strings.Contains(form.body, "A001") {
		t.Fatalf("the reception form does not carry ticket A001:\n%s", form.body)
	}
	v := url.Values{"thu-tuc": {fmt.Sprint(proc.ID)}, "decision": {"receive"}, "channel": {"1"}, "ticket_id": {fmt.Sprint(a1.ID)},
		"reception_point_id": {pt}, "competent_agency_id": {fmt.Sprint(anPhu.ID)}, "return_method": {"counter"},
		"applicant.full_name": {"Lê Thị Kim Oanh"}, "applicant.id_number": {"001193012345"}, "applicant.phone": {"0912000999"}, "idem": {"q-1"}}
	for _, c := range proc.Components {
		if !c.FromNationalDB {
			v.Add("nop", fmt.Sprint(c.ID))
		}
	}
	e.set(t0.Add(32 * time.Minute))
	r := off.post("/tiep-nhan", v)
	if r.status != http.StatusSeeOther {
		t.Fatalf("receiving: %d\n%s", r.status, r.body)
	}
	code, _ := url.PathUnescape(strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/ho-so/"))
	d, err := e.svc.Dossier(e.as("motcua.anphu"), code, "")
	if err != nil {
		t.Fatal(err)
	}
	got := e.ticket(a1.ID)
	if got.State != motcua.TicketDone || got.DossierID != d.Dossier.ID || !got.DoneAt.Equal(t0.Add(32*time.Minute)) {
		t.Errorf("A001 after the reception: %+v (dossier %d)", got, d.Dossier.ID)
	}
	// The next calls: A002 (a no-show), then A003; B001 waits for
	// another counter.
	call(t0.Add(35 * time.Minute))
	a2 := e.ticketByLabel(points[0].ID, areas[0].ID, 2)
	if a2.State != motcua.TicketCalled || a2.Counter != "2" {
		t.Fatalf("A002 after the second call: %+v", a2)
	}
	e.set(t0.Add(36 * time.Minute))
	off.post("/quay/xep-hang/so", url.Values{"ticket_id": {fmt.Sprint(a2.ID)}, "thao-tac": {"recall"}, "diem": {pt}})
	e.set(t0.Add(38 * time.Minute))
	off.post("/quay/xep-hang/so", url.Values{"ticket_id": {fmt.Sprint(a2.ID)}, "thao-tac": {"skip"}, "diem": {pt}})
	if a2 = e.ticket(a2.ID); a2.State != motcua.TicketSkipped || a2.Recalls != 1 {
		t.Errorf("A002 skipped: %+v", a2)
	}
	call(t0.Add(50 * time.Minute))
	e.set(t0.Add(58 * time.Minute))
	a3 := e.ticketByLabel(points[0].ID, areas[0].ID, 3)
	off.post("/quay/xep-hang/so", url.Values{"ticket_id": {fmt.Sprint(a3.ID)}, "thao-tac": {"finish"}, "diem": {pt}})
	if r := call(t0.Add(59 * time.Minute)); r.status != http.StatusNotFound || !strings.Contains(r.body, "Không còn ai chờ") {
		t.Errorf("calling an empty line: %d", r.status)
	}
	// Another officer may not act on this officer's ticket.
	if r := e.login("motcua.hoabinh").post("/quay/xep-hang/so", url.Values{"ticket_id": {fmt.Sprint(a3.ID)}, "thao-tac": {"recall"}}); r.status != http.StatusForbidden {
		t.Errorf("a stranger recalling: %d", r.status)
	}

	// The report equals a recount of the stored tickets.
	var all []*motcua.Ticket
	e.db.Read(ctx, func(tx motcua.Tx) (err error) {
		all, err = tx.Tickets(ctx, motcua.TicketFilter{ReceptionPointID: points[0].ID})
		return err
	})
	var waits, serves []time.Duration
	within := 0
	for _, tk := range all {
		if !tk.FirstCalledAt.IsZero() {
			w := tk.FirstCalledAt.Sub(tk.IssuedAt)
			waits = append(waits, w)
			if w <= 30*time.Minute {
				within++
			}
		}
		if tk.State == motcua.TicketDone {
			serves = append(serves, tk.DoneAt.Sub(tk.FirstCalledAt))
		}
	}
	mean := func(ds []time.Duration) time.Duration {
		var s time.Duration
		for _, d := range ds {
			s += d
		}
		return s / time.Duration(len(ds))
	}
	if len(waits) != 3 || len(serves) != 2 {
		t.Fatalf("recount: %d waits, %d services", len(waits), len(serves))
	}
	st, err := e.svc.QueueReport(e.as("ct.anphu"), points[0].ID, motcua.DayOf(t0), motcua.DayOf(t0))
	if err != nil {
		t.Fatal(err)
	}
	if st.All.Issued != 4 || st.All.Called != 3 || st.All.Skipped != 1 || st.All.Dossiers != 1 || st.All.AvgWait != mean(waits).Round(time.Second) ||
		st.All.AvgService != mean(serves).Round(time.Second) || st.All.WithinShare != float64(within)/3 || !st.All.OverTarget == (mean(waits) > 30*time.Minute) {
		t.Errorf("report %+v; recount: waits %v services %v within %d", st.All, waits, serves, within)
	}
	e.set(t0.Add(time.Hour))
	rep := e.login("ct.anphu").get("/bao-cao/xep-hang?diem=" + pt + "&tu=10/03/2025&den=10/03/2025")
	for _, want := range []string{"Đã cấp <strong>4</strong> số", "Quyết định 468/QĐ-TTg", "<svg", "Quầy 2", vnDur(mean(waits).Round(time.Second))} {
		if !strings.Contains(rep.body, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if r := e.login("ct.hoabinh").get("/bao-cao/xep-hang?diem=" + pt); r.status != http.StatusForbidden {
		t.Errorf("another commune's leader reading An Phú's queue: %d", r.status)
	}
	live := off.get("/quay/xep-hang?diem=" + pt)
	if !strings.Contains(live.body, "B – Đất đai</td><td>1</td><td>B001</td>") {
		t.Errorf("the live page does not show B001 waiting:\n%s", live.body)
	}
}

// vnDur is the pages' way of writing a duration (funcs.go's vnDuration).
func vnDur(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	if h == 0 {
		return fmt.Sprintf("%d phút", m)
	}
	return fmt.Sprintf("%d giờ %d phút", h, m)
}

func (e *env) ticket(id int64) *motcua.Ticket {
	e.t.Helper()
	var k *motcua.Ticket
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { k, err = tx.Ticket(ctx, id); return err }); err != nil {
		e.t.Fatal(err)
	}
	return k
}

func (e *env) ticketByLabel(point, area int64, n int) *motcua.Ticket {
	e.t.Helper()
	var out *motcua.Ticket
	e.db.Read(ctx, func(tx motcua.Tx) error {
		ts, err := tx.Tickets(ctx, motcua.TicketFilter{ReceptionPointID: point, AreaIDs: []int64{area}})
		for _, k := range ts {
			if k.Number == n {
				out = k
			}
		}
		return err
	})
	if out == nil {
		e.t.Fatalf("no ticket %d of area %d", n, area)
	}
	return out
}

// calledTicket sets up a service area and a kiosk at point, issues a ticket
// and has motcua.anphu call it; it returns the ticket's ID.
func calledTicket(e *env, point int64) int64 {
	e.t.Helper()
	a := &motcua.ServiceArea{ReceptionPointID: point, Prefix: "A", Name: "Hộ tịch", Active: true}
	if err := e.svc.SaveServiceArea(e.as("admin"), a); err != nil {
		e.t.Fatal(err)
	}
	tok, err := e.svc.BindQueueDevice(e.as("admin"), point, "Máy lấy số")
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.IssueTicket(ctx, tok, a.ID); err != nil {
		e.t.Fatal(err)
	}
	c, err := e.svc.CallNext(e.as("motcua.anphu"), point, []int64{a.ID}, "1")
	if err != nil {
		e.t.Fatal(err)
	}
	return c.Ticket.ID
}

// TestQueueCallsNeverCollide has two officers of one point call the same
// line at once, over HTTP: every ticket is called exactly once. Numbers
// start again from 1 on the next Vietnam-time day.
func TestQueueCallsNeverCollide(t *testing.T) {
	e := newEnv(t)
	anPhu, points, _ := e.svc.Agency(ctx, "H99.101")
	if _, err := e.svc.CreateUser(e.as("admin"), service.NewUser{Username: "motcua2.anphu", FullName: "Phan Văn Hai", Title: "Công chức",
		Password: demo.Password, Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleReception}}}); err != nil {
		t.Fatal(err)
	}
	area := &motcua.ServiceArea{ReceptionPointID: points[0].ID, Prefix: "A", Name: "Hộ tịch", Active: true}
	if err := e.svc.SaveServiceArea(e.as("admin"), area); err != nil {
		t.Fatal(err)
	}
	tok, err := e.svc.BindQueueDevice(e.as("admin"), points[0].ID, "Máy lấy số")
	if err != nil {
		t.Fatal(err)
	}
	const n = 12
	for i := range n {
		e.set(vn(2025, 3, 10, 7, 30+i))
		if k, err := e.svc.IssueTicket(ctx, tok, area.ID); err != nil || k.Label != fmt.Sprintf("A%03d", i+1) {
			t.Fatalf("ticket %d: %+v %v", i+1, k, err)
		}
	}
	e.set(vn(2025, 3, 10, 8, 0))
	officers := []*browser{e.login("motcua.anphu"), e.login("motcua2.anphu")}
	done := make(chan int, 2)
	for i, b := range officers {
		go func() {
			calls := 0
			for {
				r := b.post("/quay/xep-hang/goi", url.Values{"diem": {fmt.Sprint(points[0].ID)}, "quay": {fmt.Sprint(i + 1)}, "linh-vuc": {fmt.Sprint(area.ID)}})
				if r.status != http.StatusSeeOther {
					break
				}
				calls++
			}
			done <- calls
		}()
	}
	total := <-done + <-done
	var ts []*motcua.Ticket
	e.db.Read(ctx, func(tx motcua.Tx) (err error) {
		ts, err = tx.Tickets(ctx, motcua.TicketFilter{AreaIDs: []int64{area.ID}})
		return err
	})
	if total != n {
		t.Errorf("%d calls answered for %d tickets", total, n)
	}
	for _, k := range ts {
		if k.FirstCalledAt.IsZero() || k.State == motcua.TicketWaiting {
			t.Errorf("ticket %d never called: %+v", k.Number, k)
		}
	}
	// The next morning starts again from A001.
	e.set(vn(2025, 3, 11, 7, 30))
	if k, err := e.svc.IssueTicket(ctx, tok, area.ID); err != nil || k.Label != "A001" || k.Ahead != 0 {
		t.Errorf("the next day's first ticket: %+v %v", k, err)
	}
}
