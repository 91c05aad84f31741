package service_test

import (
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestFailedDeliveriesProvinceOnly: the outbox is the province's (notices
// of every agency), so only the province's administrator lists the failed
// deliveries, not a commune's.
func TestFailedDeliveriesProvinceOnly(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		qt, err := f.svc.CreateUser(f.as("admin"), service.NewUser{Username: "qt.anphu", FullName: "Quản Trị Xã", Password: "MotCua@2026xx",
			Grants: []motcua.Grant{{AgencyID: f.agency("H99.101").ID, Role: motcua.RoleAdmin}}})
		if err != nil {
			t.Fatal(err)
		}
		f.users[qt.Username] = qt
		_, err = f.svc.FailedDeliveries(f.as("qt.anphu"), 10)
		wantCode(t, err, motcua.EFORBIDDEN, "admin_only")
		if _, err := f.svc.FailedDeliveries(f.as("admin"), 10); err != nil {
			t.Errorf("the province administrator: %v", err)
		}
	})
}
