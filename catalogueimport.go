package motcua

import (
	"context"
	"time"
)

// This file is the review of an import from the national database of
// procedures: what the national data says compared with the catalogue the
// province publishes, kept until an administrator has published what they
// accept.

// ImportKind classifies a procedure of an import.
type ImportKind string

// Kinds of imported procedures.
const (
	ImportNew       ImportKind = "new"       // in the national data, not in motcua
	ImportChanged   ImportKind = "changed"   // in both, with a difference in a compared field
	ImportUnchanged ImportKind = "unchanged" // in both, the same
	ImportWithdrawn ImportKind = "withdrawn" // published in motcua, abolished or absent nationally
)

// ImportKinds lists the kinds in the order pages show them.
var ImportKinds = []ImportKind{ImportNew, ImportChanged, ImportWithdrawn, ImportUnchanged}

// Valid reports whether k is a known kind.
func (k ImportKind) Valid() bool {
	switch k {
	case ImportNew, ImportChanged, ImportUnchanged, ImportWithdrawn:
		return true
	}
	return false
}

// Label is the Vietnamese name of the kind.
func (k ImportKind) Label() string {
	switch k {
	case ImportNew:
		return "Mới"
	case ImportChanged:
		return "Thay đổi"
	case ImportUnchanged:
		return "Không đổi"
	case ImportWithdrawn:
		return "Bãi bỏ"
	}
	return string(k)
}

// ImportItemStatus is where an imported procedure is in the review.
type ImportItemStatus string

// Review states. An item moves pending → accepted → published, or to
// rejected; unchanged items stay pending (there is nothing to publish).
const (
	ImportPending   ImportItemStatus = "pending"
	ImportAccepted  ImportItemStatus = "accepted"
	ImportRejected  ImportItemStatus = "rejected"
	ImportPublished ImportItemStatus = "published"
)

// Label is the Vietnamese name of the status.
func (s ImportItemStatus) Label() string {
	switch s {
	case ImportPending:
		return "Chờ xem xét"
	case ImportAccepted:
		return "Đã chấp nhận"
	case ImportRejected:
		return "Không áp dụng"
	case ImportPublished:
		return "Đã cập nhật"
	}
	return string(s)
}

// FieldDiff is one compared field of a procedure whose value differs: the
// current published value and the national one, both in words.
type FieldDiff struct {
	Field string `json:"field"` // English key: name, field, level, time_limit, …
	Label string `json:"label"` // Vietnamese name of the field
	Old   string `json:"old"`
	New   string `json:"new"`
}

// ImportItem is one procedure of an import run.
type ImportItem struct {
	ID    int64      `json:"id"`
	RunID int64      `json:"run_id"`
	Seq   int        `json:"seq"`
	Kind  ImportKind `json:"kind"`
	Code  string     `json:"code"`
	Name  string     `json:"name"`
	// ProcedureID and BaseVersion are the motcua procedure compared
	// against (0 for a new one): publishing refuses when the procedure
	// changed since.
	ProcedureID int64       `json:"procedure_id,omitempty"`
	BaseVersion int         `json:"base_version,omitempty"`
	Diffs       []FieldDiff `json:"diffs,omitempty"`
	// National is what the national database published (nil for a
	// procedure absent from it).
	National *NationalProcedure `json:"national,omitempty"`
	// TimeLimitToConfirm: the national data gives the time limit only in
	// words or as "N Khác" (National.TimeLimitText).
	TimeLimitToConfirm bool `json:"time_limit_to_confirm,omitempty"`
	// Problem says, in Vietnamese, why the national record cannot be
	// applied as it stands (a missing name, an invalid value); such an
	// item is shown but not published.
	Problem    string           `json:"problem,omitempty"`
	Status     ImportItemStatus `json:"status"`
	ReviewedBy int64            `json:"reviewed_by,omitempty"`
	ReviewedAt time.Time        `json:"reviewed_at,omitzero"`
	// ResultVersion is the procedure's version the publication made, and
	// Outcome says in Vietnamese what it did and what is left to do.
	ResultProcedureID int64  `json:"result_procedure_id,omitempty"`
	ResultVersion     int    `json:"result_version,omitempty"`
	Outcome           string `json:"outcome,omitempty"`
}

// ListDiff is a difference between a national list (agencies, fields) and
// motcua's: Kind is "missing_local" (only nationally), "missing_national"
// (only in motcua) or "name_differs".
type ListDiff struct {
	Code     string `json:"code"`
	Kind     string `json:"kind"`
	National string `json:"national,omitempty"`
	Local    string `json:"local,omitempty"`
}

// Label is the Vietnamese description of the difference kind.
func (d ListDiff) Label() string {
	switch d.Kind {
	case "missing_local":
		return "Chỉ có trong danh mục quốc gia"
	case "missing_national":
		return "Không có trong danh mục quốc gia"
	case "name_differs":
		return "Tên khác nhau"
	}
	return d.Kind
}

// ImportRun is one import from the national database, stored whole once the
// comparison is complete (an interrupted import leaves nothing).
type ImportRun struct {
	ID         int64     `json:"id"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	StartedBy  int64     `json:"started_by"`
	// Counts per kind of the items.
	New       int `json:"new"`
	Changed   int `json:"changed"`
	Unchanged int `json:"unchanged"`
	Withdrawn int `json:"withdrawn"`
	// ToConfirm counts new or changed items whose time limit the national
	// data gives only in words.
	ToConfirm int `json:"to_confirm"`
	// Agencies and Fields list the differences of the national lists;
	// nothing is changed from them automatically.
	Agencies []ListDiff `json:"agencies,omitempty"`
	Fields   []ListDiff `json:"fields,omitempty"`
}

// Count returns the number of items of kind k.
func (r *ImportRun) Count(k ImportKind) int {
	switch k {
	case ImportNew:
		return r.New
	case ImportChanged:
		return r.Changed
	case ImportUnchanged:
		return r.Unchanged
	case ImportWithdrawn:
		return r.Withdrawn
	}
	return 0
}

// CatalogueImportStore keeps import runs and their items.
type CatalogueImportStore interface {
	// CreateImportRun stores a run with all its items (setting their IDs
	// and RunID) in the caller's transaction.
	CreateImportRun(ctx context.Context, r *ImportRun, items []*ImportItem) error
	// ImportRuns returns the latest runs, newest first.
	ImportRuns(ctx context.Context, limit int) ([]*ImportRun, error)
	ImportRun(ctx context.Context, id int64) (*ImportRun, error)
	// ImportItems returns a run's items in Seq order, of one kind when
	// kind is not empty.
	ImportItems(ctx context.Context, runID int64, kind ImportKind) ([]*ImportItem, error)
	ImportItem(ctx context.Context, runID, id int64) (*ImportItem, error)
	// UpdateImportItem stores an item's review (status, reviewer, result).
	UpdateImportItem(ctx context.Context, it *ImportItem) error
}

// Audit actions of the catalogue.
const (
	AuditCatalogueImport  = "catalogue_import"       // an import run was stored for review
	AuditCataloguePublish = "catalogue_publish"      // a reviewed item was applied to the catalogue
	AuditCatalogueExpired = "procedures_unpublished" // the job unpublished procedures whose legal basis expired
)
