package service_test

import (
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestProvinceAdministersVerticalAgencies: the police and the tax office
// keep their level and kind (vertical agencies, as reports group them) but
// sit under the provincial People's Committee in the province's system, so
// the province's administrator manages their accounts and counters while a
// commune's administrator cannot.
func TestProvinceAdministersVerticalAgencies(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		f := newFixture(t, eng, vn(2025, 3, 10, 9, 0), nil)
		province, police, tax, anPhu := f.agency("000.00.00.H99"), f.agency("000.00.20.H99"), f.agency("000.00.21.H99"), f.agency("H99.101")
		for _, a := range []*motcua.Agency{police, tax} {
			if a.Level != motcua.LevelVertical || a.Kind != motcua.KindVerticalAgency || a.ParentID != province.ID {
				t.Errorf("%s: level %s kind %s parent %d, want vertical agency under %d", a.Name, a.Level, a.Kind, a.ParentID, province.ID)
			}
		}
		admin := f.as("admin")
		list, err := f.svc.AdministeredAgencies(admin)
		if err != nil || len(list) != 11 {
			t.Errorf("the province administrator administers %d agencies (%v), want all 11", len(list), err)
		}

		// A new officer at the police, a change to an existing one, a
		// counter: all the province administrator's to do.
		officer, err := f.svc.CreateUser(admin, service.NewUser{Username: "cb2.congan", FullName: "Lục Văn Đông", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: police.ID, Role: motcua.RoleSpecialist}}})
		if err != nil {
			t.Fatalf("province administrator creating a police officer: %v", err)
		}
		f.as("cv.congan")
		cv := f.users["cv.congan"]
		if _, err := f.svc.User(admin, cv.ID); err != nil {
			t.Errorf("province administrator reading a police account: %v", err)
		}
		change := service.UserChange{ID: cv.ID, FullName: cv.FullName, Title: "Cán bộ Đội đăng ký xe",
			Grants: []motcua.Grant{{AgencyID: police.ID, Role: motcua.RoleSpecialist}, {AgencyID: tax.ID, Role: motcua.RoleSpecialist}}}
		if _, err := f.svc.UpdateUser(admin, change); err != nil {
			t.Errorf("province administrator changing a police account: %v", err)
		}
		if err := f.svc.CreateReceptionPoint(admin, &motcua.ReceptionPoint{AgencyID: police.ID, Code: "CA-01", Name: "Bộ phận một cửa Công an tỉnh"}); err != nil {
			t.Errorf("province administrator adding a police counter: %v", err)
		}

		// A commune's administrator can do none of it.
		qt, err := f.svc.CreateUser(admin, service.NewUser{Username: "qt.anphu", FullName: "Quản Trị Xã", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleAdmin}}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[qt.Username] = qt
		commune := f.as("qt.anphu")
		_, err = f.svc.CreateUser(commune, service.NewUser{Username: "cb3.congan", FullName: "Người Khác", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: police.ID, Role: motcua.RoleSpecialist}}})
		wantCode(t, err, motcua.EFORBIDDEN, "not_admin")
		_, err = f.svc.User(commune, officer.ID)
		wantCode(t, err, motcua.EFORBIDDEN, "not_admin")
		change.Title = "Không được sửa"
		_, err = f.svc.UpdateUser(commune, change)
		wantCode(t, err, motcua.EFORBIDDEN, "not_admin")
		p := *police
		p.Name = "Không được sửa"
		wantCode(t, f.svc.UpdateAgency(commune, &p), motcua.EFORBIDDEN, "not_admin")
		wantCode(t, f.svc.CreateReceptionPoint(commune, &motcua.ReceptionPoint{AgencyID: police.ID, Code: "CA-02", Name: "X"}), motcua.EFORBIDDEN, "not_admin")
		_, err = f.svc.Users(commune, motcua.UserFilter{AgencyID: police.ID})
		wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
	})
}

// TestOneRootAgency: an installation has one top agency, the province;
// another agency is added under an existing one. A database from before,
// where a vertical agency was left at the top, still lets the province's
// administrator (and only them) manage it and move it under the province;
// that agency's own administrator does not become the province's.
func TestOneRootAgency(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, eng sqltest.Engine) {
		f := newFixture(t, eng, vn(2025, 3, 10, 9, 0), nil)
		province, anPhu := f.agency("000.00.00.H99"), f.agency("H99.101")
		// As a database made before: an agency at the top beside the
		// province (written to the store before the service reads the
		// agencies).
		bhxh := &motcua.Agency{Code: "000.00.22.H99", Name: "Bảo hiểm xã hội tỉnh Mẫu", Level: motcua.LevelVertical, Kind: motcua.KindVerticalAgency}
		if err := f.db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, bhxh) }); err != nil {
			t.Fatal(err)
		}
		err := f.svc.SetupAgency(ctx, &motcua.Agency{Code: "000.00.23.H99", Name: "Kho bạc Nhà nước tỉnh Mẫu", Level: motcua.LevelVertical, Kind: motcua.KindVerticalAgency})
		wantCode(t, err, motcua.EINVALID, "second_root_agency")
		own, err := f.svc.SetupUser(ctx, service.NewUser{Username: "qt.bhxh", FullName: "Quản Trị BHXH", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: bhxh.ID, Role: motcua.RoleAdmin}}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[own.Username] = own
		qt, err := f.svc.SetupUser(ctx, service.NewUser{Username: "qt.anphu", FullName: "Quản Trị Xã", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: anPhu.ID, Role: motcua.RoleAdmin}}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[qt.Username] = qt

		_, err = f.svc.CreateUser(f.as("qt.anphu"), service.NewUser{Username: "cb.bhxh2", FullName: "Người Khác", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: bhxh.ID, Role: motcua.RoleSpecialist}}})
		wantCode(t, err, motcua.EFORBIDDEN, "not_admin")
		if _, err := f.svc.CreateUser(f.as("admin"), service.NewUser{Username: "cb.bhxh", FullName: "Cán Bộ BHXH", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: bhxh.ID, Role: motcua.RoleSpecialist}}}); err != nil {
			t.Errorf("province administrator creating an account at an agency left at the top: %v", err)
		}
		// Its own administrator manages it, not the whole province.
		if _, err := f.svc.Users(f.as("qt.bhxh"), motcua.UserFilter{AgencyID: bhxh.ID}); err != nil {
			t.Errorf("the agency's administrator listing its accounts: %v", err)
		}
		_, err = f.svc.Users(f.as("qt.bhxh"), motcua.UserFilter{})
		wantCode(t, err, motcua.EFORBIDDEN, "not_permitted")
		if _, err := f.svc.Users(f.as("admin"), motcua.UserFilter{}); err != nil {
			t.Errorf("the province administrator listing every account: %v", err)
		}

		moved := *bhxh
		moved.ParentID = province.ID
		wantCode(t, f.svc.UpdateAgency(f.as("qt.anphu"), &moved), motcua.EFORBIDDEN, "not_admin")
		if err := f.svc.UpdateAgency(f.as("admin"), &moved); err != nil {
			t.Fatalf("moving the agency under the province: %v", err)
		}
		if got := f.agency("000.00.22.H99"); got.ParentID != province.ID || got.Level != motcua.LevelVertical {
			t.Errorf("after the move: %+v", got)
		}
	})
}
