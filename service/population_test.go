package service_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// fakeRegister is a population register whose answers the test sets.
type fakeRegister struct {
	mu      sync.Mutex
	look    func(ctx context.Context, q motcua.PopulationQuery) (*motcua.Citizen, error)
	queries []motcua.PopulationQuery
}

func (r *fakeRegister) LookUpCitizen(ctx context.Context, q motcua.PopulationQuery) (*motcua.Citizen, error) {
	r.mu.Lock()
	r.queries = append(r.queries, q)
	look := r.look
	r.mu.Unlock()
	return look(ctx, q)
}

func (r *fakeRegister) Household(ctx context.Context, q motcua.PopulationQuery) (*motcua.Household, error) {
	return &motcua.Household{Book: "990000001", Members: []motcua.Relative{{IDNumber: q.IDNumber, FullName: "Lê Thị Kim Oanh", Relation: "Chủ hộ"}}}, nil
}

func (r *fakeRegister) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.queries)
}

var oanh = &motcua.Citizen{IDNumber: "001193012345", FullName: "Lê Thị Kim Oanh", DateOfBirth: "1993-05-17", Gender: "Nữ", EIDLevel: 2,
	Permanent: motcua.RegisterAddress{ProvinceCode: "99", CommuneCode: "99101", Detail: "Ấp Bắc", Text: "Ấp Bắc, xã An Phú, tỉnh Mẫu"},
	Current:   motcua.RegisterAddress{ProvinceCode: "99", CommuneCode: "99102", Detail: "Số 9 đường Lê Lợi", Text: "Số 9 đường Lê Lợi, phường Trung Tâm, tỉnh Mẫu"}}

func populationFixture(t *testing.T, e sqltest.Engine, reg *fakeRegister) *fixture {
	return newFixture(t, e, vn(2026, 3, 10, 9, 0), func(c *service.Config) {
		c.Population, c.PopulationTimeout = reg, 300*time.Millisecond
	})
}

func lookups(t *testing.T, f *fixture, id string) []*motcua.PopulationLookup {
	t.Helper()
	var out []*motcua.PopulationLookup
	if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { out, err = tx.PopulationLookups(ctx, id, 0); return err }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLookUpAndReceive: the register fills, the lookup is logged with the
// officer, the purpose and "before reception", and a reception with the
// token keeps the residence valid then, the verified fields and the e-ID
// check; the index flag follows; the lookup is linked to the dossier.
func TestLookUpAndReceive(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		reg := &fakeRegister{look: func(_ context.Context, q motcua.PopulationQuery) (*motcua.Citizen, error) { c := *oanh; return &c, nil }}
		f := populationFixture(t, e, reg)
		as := f.as("motcua.anphu")
		res, err := f.svc.LookUpCitizen(as, " 001 193 012 345 ", "Tiếp nhận hồ sơ đăng ký giám hộ", "")
		if err != nil {
			t.Fatal(err)
		}
		if res.Outcome != motcua.LookupFound || res.Citizen.FullName != oanh.FullName || res.Token == "" {
			t.Fatalf("lookup %+v", res)
		}
		q := reg.queries[0]
		if q.IDNumber != "001193012345" || q.OfficerCode != "motcua.anphu" || q.AgencyCode != "H99.101" || q.RequestID == "" || len(q.RequestID) > 40 {
			t.Errorf("query sent %+v", q)
		}
		logged := lookups(t, f, "001193012345")
		if len(logged) != 1 || logged[0].Purpose != "Tiếp nhận hồ sơ đăng ký giám hộ" || logged[0].Outcome != motcua.LookupFound ||
			logged[0].UserID != f.users["motcua.anphu"].ID || logged[0].Citizen == nil {
			t.Fatalf("logged %+v", logged)
		}
		var audit []*motcua.AuditEntry
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			audit, err = tx.AuditEntries(ctx, motcua.AuditFilter{Action: service.AuditPopulationLookup})
			return err
		})
		if len(audit) != 1 || !strings.Contains(audit[0].Detail, service.BeforeReception) || !strings.Contains(audit[0].Detail, "giám hộ") {
			t.Errorf("audit %+v", audit)
		}
		n := f.newDossier("0912345678")
		n.Applicant.DateOfBirth = "1993-05-17"
		n.Applicant.Address = "Ấp Bắc, xã An Phú, tỉnh Mẫu"
		in, err := f.svc.ReceiveAtCounter(as, "", n, res.Token)
		if err != nil {
			t.Fatal(err)
		}
		a := in.Dossier.Applicant
		if a.Source != motcua.SourcePopulationDB || !a.VNeIDVerified || a.Register == nil || a.Register.LookupID != res.LookupID ||
			a.Register.Current.CommuneCode != "99102" || a.Register.Permanent.Text != oanh.Permanent.Text || len(a.Register.Conflicts) != 0 ||
			!slices.Equal(a.Register.Verified, []string{motcua.FieldFullName, motcua.FieldDateOfBirth, motcua.FieldAddress}) {
			t.Fatalf("applicant %+v register %+v", a, a.Register)
		}
		if !motcua.FlagsOf(in.Dossier).Identity() {
			t.Error("index flag of identity not set")
		}
		v, err := f.svc.Dossier(as, in.Dossier.Code, "")
		if err != nil {
			t.Fatal(err)
		}
		if r := v.Dossier.Applicant.Register; r == nil || r.Current.Text != oanh.Current.Text {
			t.Errorf("register record not kept in the dossier: %+v", r)
		}
		if l := lookups(t, f, "001193012345"); l[0].DossierID != in.Dossier.ID {
			t.Errorf("lookup not linked: %+v", l[0])
		}
		// The same token serves a second dossier of the same citizen.
		in2, err := f.svc.ReceiveAtCounter(as, "", f.newDossier("0912345678"), res.Token)
		if err != nil || in2.Dossier.Applicant.Source != motcua.SourcePopulationDB {
			t.Errorf("second dossier: %v %+v", err, in2)
		}
	})
}

// TestTypedContradictsRegister: a typed value that differs is kept as
// typed and recorded as a conflict with the register's value, never
// overwritten.
func TestTypedContradictsRegister(t *testing.T) {
	reg := &fakeRegister{look: func(context.Context, motcua.PopulationQuery) (*motcua.Citizen, error) { c := *oanh; return &c, nil }}
	f := populationFixture(t, sqltest.SQLite, reg)
	as := f.as("motcua.anphu")
	res, err := f.svc.LookUpCitizen(as, "001193012345", "Tiếp nhận hồ sơ", "")
	if err != nil {
		t.Fatal(err)
	}
	n := f.newDossier("")
	n.Applicant.FullName = "Lê Thị Kim Oanh Anh"
	n.Applicant.DateOfBirth = "1993-05-18"
	in, err := f.svc.ReceiveAtCounter(as, "", n, res.Token)
	if err != nil {
		t.Fatal(err)
	}
	a := in.Dossier.Applicant
	want := []motcua.FieldConflict{{Field: motcua.FieldFullName, Typed: "Lê Thị Kim Oanh Anh", Register: oanh.FullName},
		{Field: motcua.FieldDateOfBirth, Typed: "1993-05-18", Register: "1993-05-17"}}
	if a.FullName != "Lê Thị Kim Oanh Anh" || a.Register == nil || !slices.Equal(a.Register.Conflicts, want) || len(a.Register.Verified) != 0 {
		t.Fatalf("applicant %+v register %+v", a, a.Register)
	}
}

// TestClientFlagsNotBelieved: population_db, VNeID and a register record
// sent by a client are downgraded without a valid token: none, forged,
// another officer's, another citizen's, expired.
func TestClientFlagsNotBelieved(t *testing.T) {
	reg := &fakeRegister{look: func(_ context.Context, q motcua.PopulationQuery) (*motcua.Citizen, error) {
		c := *oanh
		c.IDNumber = q.IDNumber
		return &c, nil
	}}
	f := populationFixture(t, sqltest.SQLite, reg)
	as := f.as("motcua.anphu")
	mine, err := f.svc.LookUpCitizen(as, "001193012345", "Tiếp nhận hồ sơ", "")
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.LookUpCitizen(as, "001085007788", "Tiếp nhận hồ sơ", "")
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := f.svc.LookUpCitizen(f.as("motcua.tinh"), "001193012345", "Tiếp nhận hồ sơ", "")
	if err != nil {
		t.Fatal(err)
	}
	id, _, _ := strings.Cut(mine.Token, ".")
	for name, token := range map[string]string{"none": "", "forged": id + "." + strings.Repeat("ab", 16), "garbage": "x.y.z",
		"another citizen": other.Token, "another officer": theirs.Token} {
		n := f.newDossier("")
		n.Applicant.Source, n.Applicant.VNeIDVerified = motcua.SourcePopulationDB, true
		n.Applicant.Register = &motcua.RegisterRecord{LookupID: 1, Verified: []string{"full_name"}}
		in, err := f.svc.ReceiveAtCounter(as, "", n, token)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if a := in.Dossier.Applicant; a.Source != motcua.SourceTyped || a.VNeIDVerified || a.Register != nil || motcua.FlagsOf(in.Dossier).Identity() {
			t.Errorf("%s: believed %+v", name, a)
		}
	}
	f.set(vn(2026, 3, 10, 9, 31))
	in, err := f.svc.ReceiveAtCounter(as, "", f.newDossier(""), mine.Token)
	if err != nil || in.Dossier.Applicant.Source != motcua.SourceTyped {
		t.Errorf("expired token believed: %v %+v", err, in)
	}
}

// TestRegisterDown: down, slow beyond the timeout, not found: a result
// that says so (never an error), logged; the reception goes on unverified.
// A malformed ID number or a missing purpose is refused before the
// register is asked; a specialist may not look up.
func TestRegisterDown(t *testing.T) {
	reg := &fakeRegister{}
	f := populationFixture(t, sqltest.SQLite, reg)
	as := f.as("motcua.anphu")
	for name, look := range map[string]func(ctx context.Context, q motcua.PopulationQuery) (*motcua.Citizen, error){
		"down": func(context.Context, motcua.PopulationQuery) (*motcua.Citizen, error) {
			return nil, errors.New("connection refused")
		},
		"slow": func(ctx context.Context, _ motcua.PopulationQuery) (*motcua.Citizen, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		},
	} {
		reg.look = look
		start := time.Now()
		res, err := f.svc.LookUpCitizen(as, "001193012345", "Tiếp nhận hồ sơ", "H99.101-260310-0001")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.Outcome != motcua.LookupUnavailable || res.Token != "" || res.Citizen != nil || !strings.Contains(res.Message, "nhập tay") {
			t.Errorf("%s: %+v", name, res)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: the officer waited %v", name, d)
		}
	}
	reg.look = func(context.Context, motcua.PopulationQuery) (*motcua.Citizen, error) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "citizen_not_found", "không có")
	}
	if res, err := f.svc.LookUpCitizen(as, "001193012345", "Tiếp nhận hồ sơ", ""); err != nil || res.Outcome != motcua.LookupNotFound {
		t.Errorf("not found: %+v %v", res, err)
	}
	logged := lookups(t, f, "001193012345")
	if len(logged) != 3 || logged[1].DossierCode != "H99.101-260310-0001" || logged[1].Outcome != motcua.LookupUnavailable {
		t.Errorf("logged %+v", logged)
	}
	asked := reg.count()
	for name, call := range map[string]func() error{
		"check digit": func() error { _, err := f.svc.LookUpCitizen(as, "999193012345", "Tiếp nhận", ""); return err },
		"short":       func() error { _, err := f.svc.LookUpCitizen(as, "00119301", "Tiếp nhận", ""); return err },
		"no purpose":  func() error { _, err := f.svc.LookUpCitizen(as, "001193012345", "  ", ""); return err },
	} {
		if err := call(); motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := f.svc.LookUpCitizen(f.as("cv.anphu"), "001193012345", "Tiếp nhận", ""); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
		t.Errorf("specialist: %v", err)
	}
	if reg.count() != asked || len(lookups(t, f, "")) != 3 {
		t.Error("the register was asked or a lookup logged for a refused query")
	}
}

// TestPopulationLookupLog: the province's supervisor reads every lookup, a
// leader those of the agency led, without the register's answers; the
// administrator and officers may not read the log.
func TestPopulationLookupLog(t *testing.T) {
	reg := &fakeRegister{look: func(context.Context, motcua.PopulationQuery) (*motcua.Citizen, error) { c := *oanh; return &c, nil }}
	f := populationFixture(t, sqltest.SQLite, reg)
	if _, err := f.svc.LookUpCitizen(f.as("motcua.anphu"), "001193012345", "Tiếp nhận hồ sơ", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.LookUpCitizen(f.as("motcua.trungtam"), "001193012345", "Tiếp nhận hồ sơ", ""); err != nil {
		t.Fatal(err)
	}
	all, err := f.svc.PopulationLookupLog(f.as("giamsat.tinh"), "001193012345", 0)
	if err != nil || len(all) != 2 || all[0].Citizen != nil || all[0].TokenHash != nil {
		t.Fatalf("supervisor: %v %+v", err, all)
	}
	if _, err := f.svc.PopulationLookupLog(f.as("admin"), "", 0); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
		t.Errorf("administrator: %v", err)
	}
	mine, err := f.svc.PopulationLookupLog(f.as("ct.anphu"), "", 0)
	if err != nil || len(mine) != 1 || mine[0].UserID != f.users["motcua.anphu"].ID || mine[0].Purpose != "Tiếp nhận hồ sơ" {
		t.Fatalf("leader of An Phú: %v %+v", err, mine)
	}
	if _, err := f.svc.PopulationLookupLog(f.as("motcua.anphu"), "", 0); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
		t.Errorf("officer: %v", err)
	}
}
