package motcua

import "time"

// DossierTiming is the part of a dossier that progress figures and usage
// counts need: its procedure, where it is settled and received, its state
// and the instants that judge it.
type DossierTiming struct {
	ProcedureID       int64
	CompetentAgencyID int64
	ReceptionAgencyID int64
	State             State
	ReceivedAt        time.Time
	DueAt             time.Time
	FinishedAt        time.Time
}

// BookFilter selects the dossiers of a tracking book (sổ theo dõi hồ sơ):
// those registered at one of the reception agencies with CreatedAt in
// [From, To), in the order of CreatedAt then ID, a page at a time after
// AfterID's position.
type BookFilter struct {
	ReceptionAgencyIDs []int64
	From, To           time.Time
	// After continues a page: the CreatedAt and ID of the last dossier
	// of the previous page (zero for the first page).
	AfterCreatedAt time.Time
	AfterID        int64
	Limit          int
}
