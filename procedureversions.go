package motcua

import (
	"context"
	"time"
)

// VersionUse is one version of a procedure: when it was saved and how
// many dossiers were received under it.
type VersionUse struct {
	Version   int
	CreatedAt time.Time
	Dossiers  int64
}

// VersionDossier is a dossier received under a procedure version, as the
// versions page lists it (no personal data).
type VersionDossier struct {
	Code      string
	State     State
	CreatedAt time.Time
}

// ProcedureVersionStore tells which versions of a procedure exist and
// what was received under each.
type ProcedureVersionStore interface {
	// ProcedureVersionUses lists the versions of a procedure, oldest
	// first, with their dossier counts.
	ProcedureVersionUses(ctx context.Context, procedureID int64) ([]VersionUse, error)
	// DossiersOfVersion lists up to limit dossiers received under a
	// version, newest first.
	DossiersOfVersion(ctx context.Context, procedureID int64, version, limit int) ([]VersionDossier, error)
}
