package motcua

import (
	"context"
	"time"
)

// Dossier history actions of a merger of agencies. They are written by the
// merger itself, never chosen by a person on a dossier: no transition row
// names them, and they change only which agencies a dossier belongs to,
// never its state, step, deadlines or supplement clocks.
const (
	ActMerge     Action = "merge"      // the dossier moved to the successor of a merged agency
	ActMergeUndo Action = "merge_undo" // a merger was undone: the dossier is back where it was
)

// Merger is one merger of agencies inside a province's database: the
// predecessors became inactive with a "merged into" link to Successor,
// effective at EffectiveAt. A merger is undone (UndoneAt set) only by
// UndoMerger, within the configured period.
type Merger struct {
	ID           int64   `json:"id"`
	Predecessors []int64 `json:"predecessors"`
	SuccessorID  int64   `json:"successor_id"`
	// SuccessorCreated: the merger created the successor (a new agency).
	SuccessorCreated bool `json:"successor_created"`
	// OldCode is the successor's e-ID code before the merger when the
	// merger gave it a new one (empty otherwise).
	OldCode string `json:"old_code,omitempty"`
	// Decision names the legal act that decided the merger (resolution of
	// the Standing Committee of the National Assembly, decision…).
	Decision    string    `json:"decision"`
	EffectiveAt time.Time `json:"effective_at"`
	CreatedBy   int64     `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	UndoneBy    int64     `json:"undone_by,omitempty"`
	UndoneAt    time.Time `json:"undone_at,omitzero"`
	// Imported is set on a merger that came over with the database of a
	// province merged into this one (motcua merge-db).
	Imported *MergerImport `json:"imported,omitempty"`
}

// MergerImport says how a merger came over with a merged province's
// database: Tag is that merge's tag; Joined lists, as "agency:<code>",
// "point:<code>" or "procedure:<code>", what the merger moved that the
// database merge joined to this province's own row of the same code — an
// undo would move this province's row, so it is refused.
type MergerImport struct {
	Tag    string   `json:"tag"`
	Joined []string `json:"joined,omitempty"`
}

// MoveKind says what a merger log row moved.
type MoveKind string

// Merger log kinds.
const (
	MoveGrant     MoveKind = "grant"      // a staff role moved: RowID is the user, Role the role
	MoveGrantDrop MoveKind = "grant_drop" // a role the user already held at the successor: the predecessor's copy was dropped
	MovePoint     MoveKind = "point"      // a reception point moved: RowID is the point
	MoveProcedure MoveKind = "procedure"  // a procedure offered moved: RowID is the procedure, Ref the version the merger made
	MoveParent    MoveKind = "parent"     // a child agency now answers to the successor: RowID is the child
	MoveDossier   MoveKind = "dossier"    // an open dossier moved: RowID is the dossier, Ref the seq of its merge event
)

// MergerMove is one row of a merger's log: what moved from which agency to
// which, so that undoing the merger restores exactly what was there.
// For a dossier From/To are its competent agency; ReceptionFrom/To its
// reception agency and HolderFrom/To the agency holding it.
type MergerMove struct {
	MergerID int64    `json:"merger_id"`
	Seq      int      `json:"seq"`
	Kind     MoveKind `json:"kind"`
	RowID    int64    `json:"row_id"`
	Role     Role     `json:"role,omitempty"`
	From     int64    `json:"from"`
	To       int64    `json:"to"`
	Ref      int64    `json:"ref,omitempty"`
	// For dossiers: the reception agency and the holder before and after.
	ReceptionFrom int64 `json:"reception_from,omitempty"`
	ReceptionTo   int64 `json:"reception_to,omitempty"`
	HolderFrom    int64 `json:"holder_from,omitempty"`
	HolderTo      int64 `json:"holder_to,omitempty"`
}

// DossierMove is a dossier's move between competent agencies by a merger
// (From before EffectiveAt, To from then on).
type DossierMove struct {
	DossierID   int64
	From, To    int64
	EffectiveAt time.Time
}

// Succession is the "merged into" link of an inactive agency.
type Succession struct {
	AgencyID    int64     `json:"agency_id"`
	SuccessorID int64     `json:"successor_id"`
	MergerID    int64     `json:"merger_id"`
	EffectiveAt time.Time `json:"effective_at"`
}

// Successors maps each merged agency to its successor.
type Successors map[int64]Succession

// Final returns the agency that stands for id now: id itself when it was
// never merged, otherwise the end of its chain of successors. A chain
// longer than the number of links (a cycle, which the merger refuses to
// write) stops where it is.
func (s Successors) Final(id int64) int64 {
	for i := 0; i <= len(s); i++ {
		x, ok := s[id]
		if !ok {
			return id
		}
		id = x.SuccessorID
	}
	return id
}

// Active reports whether the agency has not been merged into another.
func (s Successors) Active(id int64) bool {
	_, merged := s[id]
	return !merged
}

// MergerStore keeps mergers, their logs and the successions they set.
type MergerStore interface {
	// CreateMerger stores m and sets m.ID.
	CreateMerger(ctx context.Context, m *Merger) error
	// Merger returns the merger with id (ENOTFOUND otherwise).
	Merger(ctx context.Context, id int64) (*Merger, error)
	// Mergers lists the mergers, newest first.
	Mergers(ctx context.Context) ([]*Merger, error)
	// MarkMergerUndone records that the merger was undone; ECONFLICT when
	// it already was.
	MarkMergerUndone(ctx context.Context, id, by int64, at time.Time) error
	// AddMergerMoves appends rows to a merger's log.
	AddMergerMoves(ctx context.Context, moves []MergerMove) error
	// MergerMoves returns a merger's log in the order it was written.
	MergerMoves(ctx context.Context, mergerID int64) ([]MergerMove, error)
	// SetSuccession links an agency to its successor; ECONFLICT when it
	// already has one.
	SetSuccession(ctx context.Context, s Succession) error
	// DeleteSuccessions removes the links a merger set.
	DeleteSuccessions(ctx context.Context, mergerID int64) error
	// Successions returns every "merged into" link.
	Successions(ctx context.Context) (Successors, error)
	// SetReceptionPointAgency moves a reception point to an agency.
	SetReceptionPointAgency(ctx context.Context, pointID, agencyID int64) error
	// SetDossierAgencies changes the reception and competent agencies of
	// a dossier (the facts a merger changes; its code never changes).
	SetDossierAgencies(ctx context.Context, id, receptionAgencyID, competentAgencyID int64) error
	// OpenDossierIDs lists the dossiers not in a terminal state that are
	// received at, settled by or held by one of the agencies, by id.
	OpenDossierIDs(ctx context.Context, agencyIDs []int64) ([]int64, error)
	// DossierMoves returns the moves of dossiers between competent
	// agencies made by mergers that are not undone, with each merger's
	// effective time, oldest merger first.
	DossierMoves(ctx context.Context) ([]DossierMove, error)
	// DossiersCreatedSince counts the dossiers settled by the agency that
	// were created at or after t.
	DossiersCreatedSince(ctx context.Context, agencyID int64, t time.Time) (int64, error)
}
