package service_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

var ctx = context.Background()

var cheap = password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}

type fixture struct {
	t     *testing.T
	db    *sqlstore.DB
	svc   *service.Service
	cfg   service.Config
	clock atomic.Pointer[time.Time]
	mu    sync.Mutex
	users map[string]*motcua.User
}

// newFixture seeds the demo province up to now and returns a service whose
// clock the test sets.
func newFixture(t *testing.T, e sqltest.Engine, now time.Time, mutate func(*service.Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, users: map[string]*motcua.User{}}
	f.set(now)
	db := sqltest.Open(t, e)
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern, SessionTTL: 90 * 24 * time.Hour}
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: cheap, Service: cfg, Now: now}); err != nil {
		t.Fatal(err)
	}
	cfg.Now = func() time.Time { return *f.clock.Load() }
	if mutate != nil {
		mutate(&cfg)
	}
	f.db, f.svc, f.cfg = db, service.New(db, cal, cheap, cfg), cfg
	return f
}

func (f *fixture) set(t time.Time) { f.clock.Store(&t) }

func (f *fixture) as(username string) context.Context {
	f.t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	u, ok := f.users[username]
	if !ok {
		err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, username); return err })
		if err != nil {
			f.t.Fatal(err)
		}
		f.users[username] = u
	}
	return motcua.NewContextWithUser(ctx, u)
}

func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, motcua.VietnamTime).UTC()
}

// newDossier is a valid reception of Đăng ký giám hộ at the An Phú counter.
func (f *fixture) newDossier(phone string) service.NewDossier {
	f.t.Helper()
	p, err := f.svc.ProcedureByCode(ctx, "1.004837")
	if err != nil {
		f.t.Fatal(err)
	}
	a, points, err := f.svc.Agency(ctx, "H99.101")
	if err != nil {
		f.t.Fatal(err)
	}
	n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: points[0].ID, CompetentAgencyID: a.ID, Channel: motcua.ChannelCounter,
		Applicant: motcua.Applicant{FullName: "Lê Thị Kim Oanh", IDNumber: "001193012345", Phone: phone}}
	for _, c := range p.Components {
		if !c.FromNationalDB {
			n.Components = append(n.Components, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	return n
}

// TestConcurrentIntakeCodesUniqueAndGapFree receives dossiers from many
// goroutines at once: every code is distinct and the day's numbers run
// from 1 without a gap.
func TestConcurrentIntakeCodesUniqueAndGapFree(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		const n = 120
		codes := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier(fmt.Sprintf("09%08d", i)))
				if err != nil {
					t.Error(err)
					return
				}
				codes[i] = in.Dossier.Code
			}()
		}
		wg.Wait()
		seen := map[string]bool{}
		for _, c := range codes {
			seen[c] = true
		}
		for i := 1; i <= n; i++ {
			if c := fmt.Sprintf("H99.101-250310-%04d", i); !seen[c] {
				t.Errorf("code %s missing: codes are not gap-free", c)
			}
		}
		if len(seen) != n {
			t.Errorf("%d distinct codes for %d dossiers", len(seen), n)
		}
	})
}

// TestIdempotentRetriesRace sends the same request with the same key from
// many goroutines at once: exactly one dossier exists, all get its code.
func TestIdempotentRetriesRace(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		in := f.newDossier("0912000111")
		const n = 40
		codes := make([]string, n)
		replayed := atomic.Int32{}
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "weak-line-7", in)
				if err != nil {
					t.Error(err)
					return
				}
				codes[i] = res.Dossier.Code
				if res.Replayed {
					replayed.Add(1)
				}
				if len(res.Dossier.Components) == 0 || res.Dossier.Components[0].Name == "" {
					t.Error("components come back without their names")
				}
			}()
		}
		wg.Wait()
		for _, c := range codes {
			if c != codes[0] {
				t.Fatalf("retries created different dossiers: %s and %s", codes[0], c)
			}
		}
		if replayed.Load() != n-1 {
			t.Errorf("%d replays, want %d", replayed.Load(), n-1)
		}
		// No number was used up. On SQLite the retried dossier holds 1 and
		// the next one 2. On PostgreSQL each batch that lost the race drew
		// a number before its commit failed and gave it back to the next
		// draws (sqlstore/numbers.go), so the retried dossier may hold any
		// of the first n numbers: the next n dossiers of the day then take
		// the handed-back ones first, and with the retried one they hold
		// exactly 1 to n+1.
		got := map[string]bool{codes[0]: true}
		for i := range n {
			res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier(fmt.Sprintf("0912%06d", 222+i)))
			if err != nil {
				t.Fatalf("next dossier %d: %v", i, err)
			}
			if got[res.Dossier.Code] {
				t.Fatalf("next dossier %d got %s again", i, res.Dossier.Code)
			}
			got[res.Dossier.Code] = true
			if e == sqltest.SQLite && i == 0 && (codes[0] != "H99.101-250310-0001" || res.Dossier.Code != "H99.101-250310-0002") {
				t.Fatalf("first dossier %s, next %s: want numbers 1 and 2", codes[0], res.Dossier.Code)
			}
		}
		for i := 1; i <= n+1; i++ {
			if c := fmt.Sprintf("H99.101-250310-%04d", i); !got[c] {
				t.Fatalf("number %d was used up: the retried dossier holds %s and the next %d dossiers do not hold %s", i, codes[0], n, c)
			}
		}
	})
}

// TestLookupCacheSeesChanges checks that a cached public view changes as
// soon as the dossier changes through the service, and that wrong verifiers
// are refused and then slowed down.
func TestLookupCacheSeesChanges(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912345678"))
		if err != nil {
			t.Fatal(err)
		}
		code := res.Dossier.Code
		for range 3 { // fill the cache
			p, err := f.svc.Lookup(ctx, code, "5678", "198.51.100.8")
			if err != nil || p.State != motcua.StateReceived {
				t.Fatalf("lookup: %+v %v", p, err)
			}
		}
		f.set(vn(2025, 3, 10, 9, 0).Add(2 * time.Second)) // well within the cache's TTL
		if _, err := f.svc.Act(f.as("motcua.anphu"), code, service.ActInput{Action: motcua.ActTransfer}); err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.Lookup(ctx, code, "5678", "198.51.100.8")
		if err != nil || p.State != motcua.StateProcessing || len(p.Timeline) != 2 {
			t.Fatalf("lookup after transfer shows a stale view: %+v %v", p, err)
		}
		for i := range 20 {
			if _, err := f.svc.Lookup(ctx, code, fmt.Sprintf("%04d", i), "198.51.100.7"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
				t.Fatalf("wrong verifier %d: %v", i, err)
			}
		}
		if _, err := f.svc.Lookup(ctx, code, "5678", "198.51.100.7"); motcua.ErrorCode(err) != motcua.ETOOMANY {
			t.Fatalf("after 20 failures from one address: %v, want too_many", err)
		}
	})
}

// TestLogoutEndsCachedSession checks that a signed-out token stops working
// at once although sessions are cached.
func TestLogoutEndsCachedSession(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		in, err := f.svc.Login(ctx, "motcua.anphu", demo.Password, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := f.svc.Authenticate(ctx, in.Token); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.svc.Logout(motcua.NewContextWithUser(ctx, in.User), in.Token); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Authenticate(ctx, in.Token); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Fatalf("token works after logout: %v", err)
		}
		for range 5 {
			f.svc.Login(ctx, "motcua.anphu", "wrong password!", "127.0.0.1", "test")
		}
		if _, err := f.svc.Login(ctx, "motcua.anphu", demo.Password, "127.0.0.1", "test"); motcua.ErrorCode(err) != motcua.ETOOMANY {
			t.Fatalf("after 5 failures: %v, want too_many", err)
		}
	})
}

// TestCloseExpiredSupplementsOnce runs the closing job twice, as two
// instances would: each due dossier is closed exactly once.
func TestCloseExpiredSupplementsOnce(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		n := f.newDossier("0912345678")
		n.Decision, n.Reason = service.DecisionSupplement, "Thiếu tờ khai có chữ ký."
		res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n)
		if err != nil {
			t.Fatal(err)
		}
		// Deadline: 10 Mar + 15 days = Tue 25 Mar, end of the working day.
		f.set(vn(2025, 3, 25, 16, 0))
		closed, err := f.svc.CloseExpiredSupplements(ctx) // may close older demo dossiers
		if err != nil || slices.Contains(closed, res.Dossier.Code) {
			t.Fatalf("closed before the deadline: %v %v", closed, err)
		}
		f.set(vn(2025, 3, 25, 17, 30))
		var total []string
		var wg sync.WaitGroup
		var mu sync.Mutex
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				closed, err := f.svc.CloseExpiredSupplements(ctx)
				if err != nil {
					t.Error(err)
				}
				mu.Lock()
				total = append(total, closed...)
				mu.Unlock()
			}()
		}
		wg.Wait()
		count := 0
		for _, c := range total {
			if c == res.Dossier.Code {
				count++
			}
		}
		if count != 1 {
			t.Fatalf("dossier closed %d times (%v)", count, total)
		}
		v, err := f.svc.Dossier(f.as("motcua.anphu"), res.Dossier.Code, "")
		if err != nil || v.Dossier.Status.State != motcua.StateClosed {
			t.Fatalf("state after job: %v %v", v, err)
		}
	})
}

// TestExpiredLegalBasisRefusesIntake checks that a procedure whose legal
// basis ended is unpublished by the job and receives no new dossier.
func TestExpiredLegalBasisRefusesIntake(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		p, err := f.svc.ProcedureByCode(ctx, "1.004837")
		if err != nil {
			t.Fatal(err)
		}
		end := vn(2025, 3, 12, 0, 0)
		p.LegalBasis = append(p.LegalBasis, motcua.LegalDoc{Number: "99/2020/TT-BTP", EffectiveTo: &end})
		if err := f.db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, p) }); err != nil {
			t.Fatal(err)
		}
		f.set(vn(2025, 3, 12, 8, 0))
		if _, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912345678")); motcua.ErrorReason(err) != "procedure_legal_basis_expired" {
			t.Fatalf("intake under an expired basis: %v", err)
		}
		if n, err := f.svc.UnpublishExpired(ctx); err != nil || n != 1 {
			t.Fatalf("unpublished %d (%v)", n, err)
		}
		if _, err := f.svc.ProcedureByCode(ctx, "1.004837"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("an unpublished procedure is still public: %v", err)
		}
	})
}
