package motcua

import (
	"context"
	"time"
)

// Outcomes of a population-database lookup.
const (
	LookupFound       = "found"       // the register answered with the citizen
	LookupNotFound    = "not_found"   // the register holds no such citizen
	LookupUnavailable = "unavailable" // down, too slow, or an answer that failed the checks
	LookupRefused     = "refused"     // the register refused the query as invalid
)

// PopulationLookup is the record of one query an officer made to the
// population database: who, when, for which ID number, why and for which
// dossier, what came of it, and (when found) the answer, which a reception
// within TokenTTL may use. TokenHash is the SHA-256 of the secret part of
// the lookup token given to the counter; the token itself is never kept.
type PopulationLookup struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	UserID      int64     `json:"user_id"`
	AgencyID    int64     `json:"agency_id"`
	IDNumber    string    `json:"id_number"`
	Purpose     string    `json:"purpose"`
	DossierCode string    `json:"dossier_code"` // "" before reception
	Outcome     string    `json:"outcome"`
	Citizen     *Citizen  `json:"citizen,omitempty"`
	// Household is the register's answer about the citizen's household,
	// when the lookup asked for it.
	Household *Household `json:"household,omitempty"`
	TokenHash []byte     `json:"-"`
	// DossierID is the dossier the lookup's data went into, once received.
	DossierID int64 `json:"dossier_id,omitempty"`
}

// LookupCounts are the figures of population-database use over a period,
// for indicator 4.5 (QĐ 766): dossiers received with data from the
// register, and lookups made.
type LookupCounts struct {
	Lookups int `json:"lookups"`
	Found   int `json:"found"`
}

// PopulationLookupStore keeps the log of population-database lookups.
// Entries are appended and, once, linked to the dossier they went into.
type PopulationLookupStore interface {
	// SavePopulationLookup appends l and sets its ID.
	SavePopulationLookup(ctx context.Context, l *PopulationLookup) error
	// PopulationLookup returns one lookup (ENOTFOUND when absent).
	PopulationLookup(ctx context.Context, id int64) (*PopulationLookup, error)
	// LinkPopulationLookup records the dossier a lookup's data went into;
	// ECONFLICT when the lookup is already linked to another dossier.
	LinkPopulationLookup(ctx context.Context, id, dossierID int64) error
	// PopulationLookups lists the lookups of an ID number (all when
	// empty), newest first, at most limit (100 when ≤ 0).
	PopulationLookups(ctx context.Context, idNumber string, limit int) ([]*PopulationLookup, error)
	// PopulationLookupCounts counts lookups made in [from, to).
	PopulationLookupCounts(ctx context.Context, from, to time.Time) (LookupCounts, error)
}
