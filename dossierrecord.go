package motcua

// RecordParts choose what DossierStore.DossierRecord reads beside the
// dossier; a part not chosen stays nil.
type RecordParts uint8

// The parts of a DossierRecord.
const (
	RecordEvents RecordParts = 1 << iota
	RecordFiles
	RecordPortalSync
	RecordPayments
	RecordWarnings
	// RecordAll is what the dossier's page shows.
	RecordAll = RecordEvents | RecordFiles | RecordPortalSync | RecordPayments | RecordWarnings
)

// DossierRecord is a dossier with what its page shows beside it, read
// together (DossierStore.DossierRecord): one snapshot, and on PostgreSQL
// one round trip instead of one per part.
type DossierRecord struct {
	Dossier *Dossier
	// Events are in order of seq.
	Events []Event
	// Files are in order of id.
	Files []*DossierFile
	// PortalSync is nil when the dossier is not synchronised with the
	// national portal.
	PortalSync *PortalSyncState
	// Payments are in order of id.
	Payments []*Payment
	// Warnings are in order of time.
	Warnings []*DossierWarning
}
