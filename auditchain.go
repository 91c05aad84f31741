package motcua

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// The audit log is a hash chain, sealed after the fact. Entries are
// inserted as before, by every instance, without touching any shared row
// (computing the chain inside each writing transaction would serialise all
// writers on the chain's head). A sealing job, one instance at a time,
// later adds one link per entry, in id order: the link's hash is SHA-256 of
// the previous link's hash and the entry's canonical fields. An id that is
// missing when a later entry is already older than the sealing delay is a
// rolled-back insert, and gets a gap link of its own, so that every id from
// 1 to the head is accounted for.
//
// What it guarantees: once sealed (entries older than the sealing delay,
// see service.AuditSealDelay), changing, deleting or inserting an entry —
// or deleting or changing a link — is found by verification, which names
// the first such entry. What it does not: someone able to write the
// database can recompute the whole chain from the altered row onwards. To
// catch that, the head hash must also be kept outside the database: the
// sealing job logs it, and an operator can compare a head printed earlier
// with the chain (motcua audit verify prints the hash of every head it
// passes).

// AuditLink is one link of the audit chain: one entry (FirstID = LastID,
// Gap false) or a run of ids no entry was ever committed under (Gap true).
type AuditLink struct {
	FirstID  int64
	LastID   int64
	Gap      bool
	Hash     string // hex SHA-256
	SealedAt time.Time
}

// AuditChainStore keeps the links of the audit chain (append-only).
type AuditChainStore interface {
	// LockAuditChain takes, for the rest of the transaction, the lock that
	// lets one instance at a time seal; false when another holds it.
	LockAuditChain(ctx context.Context) (bool, error)
	// AuditChainHead returns the last link, nil when nothing is sealed.
	AuditChainHead(ctx context.Context) (*AuditLink, error)
	// AuditLinks returns up to limit links whose FirstID is above after,
	// in id order.
	AuditLinks(ctx context.Context, after int64, limit int) ([]*AuditLink, error)
	// AddAuditLinks appends links; ECONFLICT when one exists already.
	AddAuditLinks(ctx context.Context, links []*AuditLink) error
	// AuditAfter returns up to limit audit entries whose id is above
	// after, in id order.
	AuditAfter(ctx context.Context, after int64, limit int) ([]*AuditEntry, error)
}

// AuditEntryHash is the hash of the link that seals e after the link whose
// hash is prev (empty for the first link). The fields are written in a
// canonical form that no engine changes: integers in decimal, the time in
// Unix milliseconds, texts as their UTF-8 bytes preceded by their length,
// so that a backup, a restore or a move to another engine keeps the chain.
func AuditEntryHash(prev string, e *AuditEntry) string {
	b := make([]byte, 0, 128+len(e.Detail))
	b = append(b, "entry\n"...)
	b = append(b, prev...)
	b = appendInt(b, e.ID)
	b = appendInt(b, e.At.UnixMilli())
	b = appendInt(b, e.UserID)
	b = appendText(b, e.Action)
	b = appendInt(b, e.DossierID)
	b = appendText(b, e.Detail)
	b = appendText(b, e.IP)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AuditGapHash is the hash of a gap link over the ids first..last after
// the link whose hash is prev.
func AuditGapHash(prev string, first, last int64) string {
	b := append([]byte("gap\n"), prev...)
	b = appendInt(b, first)
	b = appendInt(b, last)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func appendInt(b []byte, n int64) []byte {
	b = append(b, '|')
	return strconv.AppendInt(b, n, 10)
}

func appendText(b []byte, s string) []byte {
	b = appendInt(b, int64(len(s)))
	b = append(b, ':')
	return append(b, s...)
}
