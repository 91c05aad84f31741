package motcua

import "context"

// CacheKey names what an instance holds in memory and must update when
// another instance changes it: Kind says which cache (or counter), Key which
// entry ("" for all of it).
type CacheKey struct {
	Kind string
	Key  string
}

// The kinds of cached data that instances tell one another about.
const (
	CacheSession     = "session"     // a signed-in session, by the hex of its token's hash; Key "" for all sessions
	CachePublic      = "public"      // the public record of a dossier, by dossier code
	CacheAgencies    = "agencies"    // agencies and reception points
	CacheCatalogue   = "catalogue"   // the published catalogue and its search index
	CacheProcVersion = "procversion" // the current version of a procedure, by procedure id
	CacheCalendar    = "calendar"    // the working-time calendar (days off saved by an administrator)

	// Failures counted against guessing are shared too, so that spreading
	// guesses over the instances gains nothing: a wrong password for a
	// username, a success that clears its count, a wrong lookup verifier
	// for a dossier code, a wrong second-factor code for an account (by
	// its id).
	CacheLoginFailure  = "login_failure"
	CacheLoginReset    = "login_reset"
	CacheLookupFailure = "lookup_failure"
	CacheCodeFailure   = "code_failure"
	// CacheUnread is a staff member's count of unread notifications (the
	// bell on every staff page), by user id.
	CacheUnread = "unread"
)

// CacheBus carries cache invalidations between the instances that share a
// database, so that a change made through one instance — a sign-out, a
// locked account, an edited procedure — is not served from the memory of
// another until its time to live runs out.
//
// Delivery is best effort, which is why the caches keep a time to live:
// the bus shortens staleness, the time to live bounds it.
type CacheBus interface {
	// Publish tells the other instances that the entries of keys
	// changed. Call it after the change is committed.
	Publish(ctx context.Context, keys ...CacheKey) error
	// Listen calls drop for every key other instances publish, until ctx
	// ends. It calls lost whenever invalidations may have been missed
	// (on connecting and after a broken connection), so that the caller
	// forgets everything it holds. It returns ctx's error.
	Listen(ctx context.Context, drop func(CacheKey), lost func()) error
}
