package service_test

import (
	"context"
	"sync"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// memHub joins in-memory buses: what one publishes, every other one drops
// at once. It stands for PostgreSQL's LISTEN/NOTIFY (tested in sqlstore and
// with three real instances in cmd/motcua) to test what the service
// publishes and how it takes what others publish.
type memHub struct {
	mu    sync.Mutex
	buses []*memBus
}

type memBus struct {
	hub  *memHub
	drop func(motcua.CacheKey)
}

func (b *memBus) Publish(_ context.Context, keys ...motcua.CacheKey) error {
	b.hub.mu.Lock()
	others := append([]*memBus(nil), b.hub.buses...)
	b.hub.mu.Unlock()
	for _, o := range others {
		if o != b {
			for _, k := range keys {
				o.drop(k)
			}
		}
	}
	return nil
}

func (b *memBus) Listen(ctx context.Context, _ func(motcua.CacheKey), _ func()) error {
	<-ctx.Done()
	return ctx.Err()
}

// TestChangesReachOtherInstances runs two services on one store, joined by
// a bus, with a clock that stands still (so that no cached entry expires):
// every change made through one is seen at once through the other, and
// failures against guessing count on both.
func TestChangesReachOtherInstances(t *testing.T) {
	f := newFixture(t, sqltest.SQLite, vn(2025, 3, 10, 9, 0), nil)
	hub := &memHub{}
	instance := func() *service.Service {
		b := &memBus{hub: hub}
		cfg := f.cfg
		cfg.Bus = b
		s := service.New(f.db, f.svc.Calendar(), cheap, cfg)
		b.drop = func(k motcua.CacheKey) { s.DropCached(ctx, k) }
		hub.buses = append(hub.buses, b)
		return s
	}
	a, b := instance(), instance()
	admin := f.as("admin")

	// A sign-out.
	in, err := a.Login(ctx, "cv.anphu", demo.Password, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(ctx, in.Token); err != nil { // cached by b
		t.Fatal(err)
	}
	if err := a.Logout(motcua.NewContextWithUser(ctx, in.User), in.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(ctx, in.Token); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
		t.Errorf("a session signed out through a still works through b: %v", err)
	}

	// A locked account.
	in, err = a.Login(ctx, "cv.anphu", demo.Password, "127.0.0.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(ctx, in.Token); err != nil {
		t.Fatal(err)
	}
	u := in.User
	if _, err := a.UpdateUser(admin, service.UserChange{ID: u.ID, FullName: u.FullName, Email: u.Email, Phone: u.Phone, Title: u.Title,
		Disabled: true, Grants: u.Grants}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(ctx, in.Token); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
		t.Errorf("an account locked through a still works through b: %v", err)
	}

	// A dossier's public record.
	res, err := a.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912345678"))
	if err != nil {
		t.Fatal(err)
	}
	code := res.Dossier.Code
	if p, err := b.Lookup(ctx, code, "5678", "198.51.100.9"); err != nil || p.State != motcua.StateReceived {
		t.Fatalf("lookup through b: %+v %v", p, err)
	}
	if _, err := a.Act(f.as("motcua.anphu"), code, service.ActInput{Action: motcua.ActTransfer}); err != nil {
		t.Fatal(err)
	}
	if p, err := b.Lookup(ctx, code, "5678", "198.51.100.9"); err != nil || p.State != motcua.StateProcessing {
		t.Errorf("lookup through b after a transfer through a: %+v %v", p, err)
	}

	// An agency renamed.
	ag, _, err := b.Agency(ctx, "H99.103")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Agencies(ctx); err != nil { // cached by b
		t.Fatal(err)
	}
	renamed := *ag
	renamed.Name = "Ủy ban nhân dân xã Hòa Bình (mới)"
	if err := a.UpdateAgency(admin, &renamed); err != nil {
		t.Fatal(err)
	}
	named := func(s *service.Service) string { // from the service's list, which it caches
		list, err := s.Agencies(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range list {
			if x.ID == ag.ID {
				return x.Name
			}
		}
		return ""
	}
	if got := named(b); got != renamed.Name {
		t.Errorf("agency through b after a rename through a: %q", got)
	}

	// A procedure withdrawn from the catalogue.
	if hits, _ := b.SearchProcedures(ctx, service.SearchQuery{Text: "tinh trang hon nhan"}); len(hits) != 1 {
		t.Fatalf("search through b finds %d", len(hits))
	}
	p, err := a.ProcedureByCode(ctx, "1.004873")
	if err != nil {
		t.Fatal(err)
	}
	p.Published = false
	if err := a.UpdateProcedure(admin, p); err != nil {
		t.Fatal(err)
	}
	if hits, _ := b.SearchProcedures(ctx, service.SearchQuery{Text: "tinh trang hon nhan"}); len(hits) != 0 {
		t.Errorf("search through b still finds the procedure unpublished through a")
	}

	// A day off.
	view, err := a.CalendarYear(admin, 2031)
	if err != nil {
		t.Fatal(err)
	}
	day := vn(2031, 6, 10, 9, 0) // a Tuesday
	y := view.Data
	y.Notices = append(y.Notices, calendar.Notice{Number: "99/TB-TEST"})
	y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: calendar.DateOf(day.In(motcua.VietnamTime)), Kind: calendar.KindExtra,
		Name: "Nghỉ thử nghiệm", Notice: "99/TB-TEST"})
	if _, err := a.SaveCalendarYear(admin, y); err != nil {
		t.Fatal(err)
	}
	if b.Calendar().IsWorkingDay(day) {
		t.Error("b still works on the day off saved through a")
	}

	// Guessing: five wrong passwords through a, then b refuses the right one.
	for range 5 {
		if _, err := a.Login(ctx, "cv.hoabinh", "sai", "127.0.0.1", "test"); motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
			t.Fatalf("wrong password: %v", err)
		}
	}
	if _, err := b.Login(ctx, "cv.hoabinh", demo.Password, "127.0.0.1", "test"); motcua.ErrorCode(err) != motcua.ETOOMANY {
		t.Errorf("sign-in through b after five failures through a: %v", err)
	}
	// A success clears the count everywhere: two failures through a, a
	// success through a, then three failures through b leave b below the
	// limit (five without the reset).
	for range 2 {
		a.Login(ctx, "ct.anphu", "sai", "127.0.0.1", "test")
	}
	if _, err := a.Login(ctx, "ct.anphu", demo.Password, "127.0.0.1", "test"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b.Login(ctx, "ct.anphu", "sai", "127.0.0.1", "test")
	}
	if _, err := b.Login(ctx, "ct.anphu", demo.Password, "127.0.0.1", "test"); err != nil {
		t.Errorf("sign-in through b after a success through a and three failures: %v", err)
	}
	// Twenty wrong verifiers from one address through a, then b refuses
	// that address the right one (and serves another address).
	for i := range 20 {
		if _, err := a.Lookup(ctx, code, string(rune('a'+i)), "198.51.100.10"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("wrong verifier: %v", err)
		}
	}
	if _, err := b.Lookup(ctx, code, "5678", "198.51.100.10"); motcua.ErrorCode(err) != motcua.ETOOMANY {
		t.Errorf("lookup through b after twenty failures through a: %v", err)
	}
}
