package motcua_test

import (
	"testing"

	"github.com/motcua/motcua"
)

// TestIntegrationRowsAreOnlineOnly: the decider lets the integration role
// (the national portal) submit and withdraw online dossiers only; a
// dossier received at a counter is not the portal's to withdraw, whatever
// agency it is at.
func TestIntegrationRowsAreOnlineOnly(t *testing.T) {
	for _, tr := range motcua.Transitions {
		for _, r := range tr.Roles {
			if r == motcua.RoleIntegration && tr.Channel != motcua.ChannelOnline {
				t.Errorf("row %s from %v lets the integration role act on dossiers of any channel", tr.Action, tr.From)
			}
		}
	}
	portal := &motcua.User{ID: 50, FullName: "Cổng DVCQG", Grants: []motcua.Grant{{AgencyID: other, Role: motcua.RoleIntegration}}}
	at := vn(2025, 3, 10, 9, 0)
	withdraw := motcua.Command{Action: motcua.ActWithdraw, Reason: "Công dân rút hồ sơ"}

	f := newFixture(t) // a counter dossier
	f.fails(portal, at, motcua.Command{Action: motcua.ActSubmit}, motcua.ECONFLICT, "action_not_for_channel")
	f.do(f.reception, at, motcua.Command{Action: motcua.ActReceive})
	f.fails(portal, at, withdraw, motcua.EFORBIDDEN, "not_permitted")
	f.do(f.reception, at, motcua.Command{Action: motcua.ActTransfer})
	f.fails(portal, at, withdraw, motcua.EFORBIDDEN, "not_permitted")

	f = newFixture(t)
	f.d.Channel = motcua.ChannelOnline
	f.do(portal, at, motcua.Command{Action: motcua.ActSubmit})
	f.do(f.reception, at, motcua.Command{Action: motcua.ActReceive})
	f.do(f.reception, at, motcua.Command{Action: motcua.ActTransfer})
	if ev := f.do(portal, at, withdraw); ev.ToState != motcua.StateWithdrawn {
		t.Errorf("the portal's withdrawal led to %s", ev.ToState)
	}
}
