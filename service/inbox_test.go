package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// inbox pages through a user's whole inbox one dossier at a time (so that
// every page boundary is a keyset cursor) and returns its dossiers as
// "procedure|state", in the order listed. It fails the test if the order
// is not the order of the deadlines that matter now.
func (f *fixture) inbox(user string, q service.InboxQuery) []string {
	f.t.Helper()
	var out []string
	var last time.Time
	q.Limit = 1
	for range 100 {
		page, err := f.svc.Inbox(f.as(user), q)
		if err != nil {
			f.t.Fatalf("inbox of %s: %v", user, err)
		}
		for _, it := range page.Items {
			d := it.Dossier
			key := d.ProcedureCode
			if key == "" {
				key = d.ProcedureName
			}
			out = append(out, key+"|"+string(d.Status.State))
			if nd := d.Status.NextDueAt(); nd.Before(last) {
				f.t.Errorf("inbox of %s: %s (due %v) listed after a dossier due %v", user, d.Code, nd, last)
			} else {
				last = nd
			}
		}
		if page.Next == "" {
			return out
		}
		q.Cursor = page.Next
	}
	f.t.Fatalf("inbox of %s: more than 100 pages", user)
	return nil
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestInboxFollowsRoles checks every demo officer's inbox against the
// dossiers worked out by hand from demo/scenarios.go: an officer sees the
// dossiers at a state or step their role acts on at their agency (the
// counter's work for reception officers, the step's role inside
// processing) and those assigned to them, never the work of another role
// of the same agency; a user with several roles sees the union.
func TestInboxFollowsRoles(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		const (
			giaHan = "Gia hạn giấy phép xây dựng"
			gplx   = "Đổi Giấy phép lái xe"
		)
		// Names of the two procedures without a national code, as stored.
		full := map[string]string{}
		for _, n := range []string{giaHan, gplx} {
			ps, err := f.svc.FindProcedures(ctx, motcua.ProcedureFilter{Query: n})
			if err != nil || len(ps) == 0 {
				t.Fatalf("procedure %q: %v", n, err)
			}
			for _, p := range ps {
				if p.Code == "" && strings.HasPrefix(p.Name, n) {
					full[n] = p.Name
				}
			}
		}
		want := map[string][]string{
			// The counter: online dossiers to accept, supplements to
			// receive (the provincial one asked for after appraisal too).
			"motcua.anphu": {"1.004837|submitted", "1.001612|awaiting_supplement", "1.010803|awaiting_supplement"},
			// The commune's specialist: the result to issue (back to
			// the one who appraised it, in person) and the commune's
			// part of the inter-agency step.
			"cv.anphu":        {"2.001016|approved", "1.013949|processing"},
			"ct.anphu":        nil,
			"motcua.trungtam": {"1.001612|submitted", "1.001612|result_ready", "2.001016|received"},
			"cv.trungtam":     nil,
			"motcua.hoabinh":  {"1.004837|refused"},
			"cv.hoabinh":      {"1.001776|processing"},
			"ct.hoabinh":      {"1.001193|processing"},
			"motcua.tinh":     nil,
			// Sở Nội vụ's open appraisal is assigned to cv2.noivu: the
			// other specialist, the head and the leader have nothing.
			"cv2.noivu":  {"1.010803|processing"},
			"cv.noivu":   nil,
			"tp.noivu":   nil,
			"ld.noivu":   nil,
			"cv.xaydung": {full[giaHan] + "|processing"},
			"tp.xaydung": nil,
			"ld.xaydung": nil,
			// The driving licence waits for the head's review.
			"tp.congan": {full[gplx] + "|processing"},
			"cv.congan": nil,
			"ld.congan": nil,
			// The tax office gave its part of the inter-agency step.
			"cv.thue": nil,
		}
		for user, w := range want {
			if got := f.inbox(user, service.InboxQuery{}); !sameSet(got, w) {
				t.Errorf("inbox of %s:\n got %v\nwant %v", user, got, w)
			}
		}
		if got := f.inbox("cv2.noivu", service.InboxQuery{Mine: true}); !sameSet(got, []string{"1.010803|processing"}) {
			t.Errorf("dossiers assigned to cv2.noivu: %v", got)
		}
		if got := f.inbox("cv.anphu", service.InboxQuery{Mine: true}); !sameSet(got, []string{"2.001016|approved"}) {
			t.Errorf("dossiers assigned to cv.anphu: %v", got)
		}

		// A user with two roles at An Phú sees both roles' work but not
		// the result another specialist appraised (issue 13, defect
		// 10); the state filter narrows it.
		anPhu := f.agency("H99.101")
		both, err := f.svc.SetupUser(ctx, service.NewUser{Username: "hai.vaitro", FullName: "Người Hai Vai", Password: "MatKhau@12345",
			Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleReception}, {AgencyID: anPhu.ID, Role: motcua.RoleSpecialist}}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[both.Username] = both
		union := append(slices.Clone(want["motcua.anphu"]), slices.DeleteFunc(slices.Clone(want["cv.anphu"]), func(s string) bool { return s == "2.001016|approved" })...)
		if got := f.inbox("hai.vaitro", service.InboxQuery{}); !sameSet(got, union) {
			t.Errorf("inbox of a reception officer and specialist:\n got %v\nwant %v", got, union)
		}
		if got := f.inbox("hai.vaitro", service.InboxQuery{States: []motcua.State{motcua.StateAwaitingSupplement}}); !sameSet(got,
			[]string{"1.001612|awaiting_supplement", "1.010803|awaiting_supplement"}) {
			t.Errorf("state filter: %v", got)
		}
		if got := f.inbox("hai.vaitro", service.InboxQuery{AgencyID: anPhu.ID}); !sameSet(got, union) {
			t.Errorf("agency filter: %v", got)
		}
	})
}

// TestInboxInterAgencyStep follows a land allocation through the demo's
// inter-agency step, where the commune and the tax office act in parallel:
// the tax office's specialist sees it while its part is open, and not
// after answering; the commune's specialist sees it until the commune
// answers too.
func TestInboxInterAgencyStep(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		n := f.newDossier("0912000111")
		p, err := f.svc.ProcedureByCode(ctx, "1.013949")
		if err != nil {
			t.Fatal(err)
		}
		n.ProcedureID, n.Components = p.ID, nil
		for _, c := range p.Components {
			if !c.FromNationalDB {
				n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
			}
		}
		in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n)
		if err != nil {
			t.Fatal(err)
		}
		code := in.Dossier.Code
		has := func(user string) bool {
			t.Helper()
			page, err := f.svc.Inbox(f.as(user), service.InboxQuery{Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(page.Items, func(it service.InboxItem) bool { return it.Dossier.Code == code })
		}
		act := func(user string, a motcua.Action) {
			t.Helper()
			if _, err := f.svc.Act(f.as(user), code, service.ActInput{Action: a}); err != nil {
				t.Fatalf("%s by %s: %v", a, user, err)
			}
		}
		type seen struct{ counter, specialist, leader, tax bool }
		check := func(when string, w seen) {
			t.Helper()
			got := seen{has("motcua.anphu"), has("cv.anphu"), has("ct.anphu"), has("cv.thue")}
			if got != w {
				t.Errorf("%s: in the inboxes of (counter, specialist, leader, tax) %+v, want %+v", when, got, w)
			}
		}
		check("received", seen{counter: true})
		act("motcua.anphu", motcua.ActTransfer)
		check("appraisal", seen{specialist: true})
		act("cv.anphu", motcua.ActForward)
		check("inter-agency step", seen{specialist: true, tax: true})
		act("cv.thue", motcua.ActForward)
		check("tax office answered", seen{specialist: true})
		act("cv.anphu", motcua.ActForward)
		check("approval", seen{leader: true})
		// The tax office, which worked on the dossier, can still open it
		// once its part is over (and every view is logged).
		if _, err := f.svc.Dossier(f.as("cv.thue"), code, "127.0.0.1"); err != nil {
			t.Errorf("the tax office cannot open the dossier it answered: %v", err)
		}
	})
}
