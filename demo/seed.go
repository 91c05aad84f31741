package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// Options configure Seed.
type Options struct {
	Store  motcua.Store
	Cal    motcua.Calendar
	Hasher motcua.PasswordHasher
	// Service is the configuration of the services Seed drives (its Now
	// is replaced by the seeding clock).
	Service service.Config
	// Scan, with a Signer, Blobs and RenderResult in Service, makes the
	// scans the receiving officers upload (so their components are
	// digitized by signed files) and lets issuers sign electronic results;
	// without it the demo dossiers carry no documents.
	Scan ScanPage
	// Now is the present; demo dossiers lie in the weeks before it.
	Now time.Time
	// Progress receives one line per stage (may be nil).
	Progress io.Writer
}

// Result says what Seed made.
type Result struct {
	Procedures int
	Dossiers   map[motcua.State]int
}

// Seeded reports whether the store already holds a province.
func Seeded(ctx context.Context, st motcua.Store) (bool, error) {
	var n int
	err := st.Read(ctx, func(tx motcua.Tx) error {
		as, err := tx.Agencies(ctx)
		n = len(as)
		return err
	})
	return n > 0, err
}

// Seed fills an empty store with the demo province, its staff, the
// catalogue and dossiers in every state. Dossiers are made by acting through
// the service as the demo staff, with a clock moved through the past weeks,
// so their histories obey every rule.
func Seed(ctx context.Context, o Options) (*Result, error) {
	s := &seeder{ctx: ctx, o: o, clock: o.Now, agencies: map[string]*motcua.Agency{},
		points: map[string]*motcua.ReceptionPoint{}, users: map[string]*motcua.User{}, procs: map[string]*motcua.Procedure{}}
	cfg := o.Service
	cfg.Now = func() time.Time { return s.clock }
	s.svc = service.New(o.Store, o.Cal, o.Hasher, cfg)
	res := &Result{Dossiers: map[motcua.State]int{}}
	say := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, format+"\n", args...)
		}
	}

	say("  agencies and reception points…")
	for _, a := range agencies {
		ag := &motcua.Agency{Code: a.code, Name: a.name, Level: a.level, Kind: a.kind, OneStop: len(a.points) > 0}
		if a.parent != "" {
			ag.ParentID = s.agencies[a.parent].ID
		}
		if err := s.svc.SetupAgency(ctx, ag); err != nil {
			return nil, fmt.Errorf("agency %s: %w", a.code, err)
		}
		s.agencies[a.key] = ag
		for _, p := range a.points {
			rp := &motcua.ReceptionPoint{AgencyID: ag.ID, Code: p.code, Name: p.name, Address: p.address}
			if err := s.svc.SetupReceptionPoint(ctx, rp); err != nil {
				return nil, fmt.Errorf("reception point %s: %w", p.code, err)
			}
			if _, ok := s.points[a.key]; !ok {
				s.points[a.key] = rp
			}
		}
	}

	say("  staff accounts (%d)…", len(staff))
	for _, st := range staff {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ag := s.agencies[st.agency]
		u, err := s.svc.SetupUser(ctx, service.NewUser{Username: st.username, FullName: st.name, Title: st.title,
			Password: Password, Grants: []motcua.Grant{{AgencyID: ag.ID, Role: st.role}}})
		if err != nil {
			return nil, fmt.Errorf("account %s: %w", st.username, err)
		}
		s.users[st.username] = u
	}

	say("  procedures of the national catalogue…")
	procs, keys, err := Catalogue()
	if err != nil {
		return nil, err
	}
	for i, p := range procs {
		if proc, ok := demoProcesses[p.Code]; ok {
			p.Process = proc(s)
		}
		if keys[i] != "" {
			ag, ok := s.agencies[keys[i]]
			if !ok {
				return nil, fmt.Errorf("procedure %s: unknown demo agency %q", p.Code, keys[i])
			}
			p.AgencyID = ag.ID
		}
		if err := s.svc.SetupProcedure(ctx, p); err != nil {
			return nil, fmt.Errorf("procedure %s %q: %w", p.Code, p.Name, err)
		}
		if p.Code != "" {
			s.procs[p.Code] = p
		} else {
			s.procs[p.Name] = p
		}
	}
	res.Procedures = len(procs)

	say("  dossiers in every state…")
	if err := s.scenarios(); err != nil {
		return nil, err
	}
	err = o.Store.Read(ctx, func(tx motcua.Tx) error {
		for _, st := range motcua.AllStates {
			ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{States: []motcua.State{st}, Limit: 500})
			if err != nil {
				return err
			}
			res.Dossiers[st] = len(ds)
		}
		return nil
	})
	return res, err
}

// demoProcesses are the province's own processes for some procedures
// (configuration of the demo province, not facts from the sources): land
// allocation at a commune asks the tax authority, in parallel with the
// commune's own land officer, to determine the financial obligations
// (liên thông, Art.20).
var demoProcesses = map[string]func(*seeder) motcua.Process{
	"1.013949": func(s *seeder) motcua.Process {
		return motcua.Process{Steps: []motcua.Step{
			{Name: "Thẩm định hồ sơ", Kind: motcua.StepAppraise, Role: motcua.RoleSpecialist, Share: 0.3},
			{Name: "Liên thông xác định nghĩa vụ tài chính", Kind: motcua.StepConsult, Role: motcua.RoleSpecialist, Share: 0.3,
				Parts: []motcua.StepPart{{AgencyID: 0, Share: 0.15}, {AgencyID: s.agencies["thue"].ID, Share: 0.3}}},
			{Name: "Phê duyệt", Kind: motcua.StepApprove, Role: motcua.RoleLeader, Share: 0.3},
			{Name: "Ban hành kết quả", Kind: motcua.StepIssue, Role: motcua.RoleSpecialist, Share: 0.1},
		}}
	},
}

type seeder struct {
	ctx      context.Context
	o        Options
	svc      *service.Service
	clock    time.Time
	origin   time.Time
	agencies map[string]*motcua.Agency
	points   map[string]*motcua.ReceptionPoint
	users    map[string]*motcua.User
	procs    map[string]*motcua.Procedure
}

func (s *seeder) as(username string) context.Context {
	return motcua.NewContextWithUser(s.ctx, s.users[username])
}
