package service

import (
	"slices"

	"github.com/motcua/motcua"
)

// access is how a person may read a dossier.
type access int

const (
	noAccess    access = iota
	handling           // a role that works on dossiers, at an agency the dossier has been at
	supervising        // the supervisor role at such an agency or at one above it
)

// involved reports whether u may see dossier d (with its history events,
// nil when not at hand).
func (s *Service) involved(u *motcua.User, d *motcua.Dossier, events []motcua.Event, byID map[int64]*motcua.Agency) bool {
	return s.access(u, d, events, byID) != noAccess
}

// access says how u may read dossier d: handling when u holds a role that
// works on dossiers (motcua.HandlingRoles) at an agency the dossier has
// been at — reception, competent, current holder, a part of a parallel
// step, or any agency in its history — and supervising when u holds
// RoleSupervisor there or at an agency above one of them. Nothing else
// reaches a dossier: not administration (which manages accounts, not
// citizens' data) nor integration (the portal acts on its own online
// dossiers through the transition table, see portalOwns, and reads none),
// and a handling role at an agency above gives no sight of the dossiers
// below it.
func (s *Service) access(u *motcua.User, d *motcua.Dossier, events []motcua.Event, byID map[int64]*motcua.Agency) access {
	if u == nil || u.Disabled {
		return noAccess
	}
	ids := []int64{d.ReceptionAgencyID, d.CompetentAgencyID, d.Status.AgencyID}
	for _, p := range d.Status.Parts {
		ids = append(ids, p.AgencyID)
	}
	for _, e := range events {
		// The agency an officer acted for stays involved: a tax office
		// that answered its part of a parallel step can still open the
		// dossier afterwards.
		ids = append(ids, e.FromAgencyID, e.ToAgencyID, e.ActorAgencyID, e.PartAgencyID)
	}
	for _, g := range u.Grants {
		if slices.Contains(motcua.HandlingRoles, g.Role) && slices.Contains(ids, g.AgencyID) {
			return handling
		}
	}
	for _, id := range ids {
		if id != 0 && s.holdsOver(u, motcua.RoleSupervisor, id, byID) {
			return supervising
		}
	}
	return noAccess
}

// mayReadAgency reports whether u may read the dossiers registered at
// agency id as a list (the tracking book): u works on dossiers there
// (a handling role at the agency itself) or supervises it (RoleSupervisor
// there or above).
func (s *Service) mayReadAgency(u *motcua.User, id int64, byID map[int64]*motcua.Agency) bool {
	for _, r := range motcua.HandlingRoles {
		if u.Has(r, id) {
			return true
		}
	}
	return s.holdsOver(u, motcua.RoleSupervisor, id, byID)
}
