package service

import "github.com/motcua/motcua"

// portalOwns reports whether u is an integration account (the national
// portal) and d one of the dossiers the portal owns: an online dossier,
// which the portal forwarded and whose citizen may withdraw it there. The
// portal may find such a dossier to act on it — what it may do is still
// the transition table's to say (rows of the integration role are
// restricted to ChannelOnline) — but owning is not reading: it never opens
// the dossier's page, files or printed forms (see involved).
func portalOwns(u *motcua.User, d *motcua.Dossier) bool {
	return d.Channel == motcua.ChannelOnline && u.HasRole(motcua.RoleIntegration)
}
