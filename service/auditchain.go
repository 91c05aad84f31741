package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
)

// AuditSealDelay is how old an audit entry must be before it is sealed
// into the chain. On PostgreSQL ids are handed out at insert and committed
// in any order: an id missing below an entry older than this delay is taken
// for a rolled-back insert and sealed as a gap. A transaction that stays
// open longer than this after writing an entry would see its entry
// reported as inserted into a gap; writing transactions last milliseconds.
// The clocks of the instances must agree to well within the delay.
const AuditSealDelay = 30 * time.Second

// auditSealBatch bounds the links written by one transaction.
const auditSealBatch = 1000

// SealAudit adds to the audit chain the entries older than AuditSealDelay
// (see motcua.AuditLink), in id order, recording the ids that no entry
// was committed under as gaps. One instance seals at a time; the others
// return at once. It returns the number of entries sealed and logs the
// chain's new head, so that the log kept outside the database anchors it.
func (s *Service) SealAudit(ctx context.Context) (int, error) {
	total := 0
	var last *motcua.AuditLink
	defer func() {
		if last != nil { // one line a run, whatever the batches
			slog.Info("audit chain sealed", "entries", total, "head_id", last.LastID, "head_hash", last.Hash)
		}
	}()
	for range 100 { // at most 100 batches a run; the job comes back
		n, head, err := s.sealAuditBatch(ctx)
		total += n
		if head != nil {
			last = head
		}
		if err != nil || n < auditSealBatch {
			return total, err
		}
	}
	return total, nil
}

func (s *Service) sealAuditBatch(ctx context.Context) (sealed int, head *motcua.AuditLink, err error) {
	now := s.now()
	cutoff := now.Add(-AuditSealDelay)
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		sealed, head = 0, nil
		ok, err := tx.LockAuditChain(ctx)
		if err != nil || !ok {
			return err
		}
		prev, next := "", int64(1)
		if h, err := tx.AuditChainHead(ctx); err != nil {
			return err
		} else if h != nil {
			prev, next = h.Hash, h.LastID+1
		}
		entries, err := tx.AuditAfter(ctx, next-1, auditSealBatch)
		if err != nil {
			return err
		}
		var links []*motcua.AuditLink
		for _, e := range entries {
			if e.At.After(cutoff) {
				break // this one and the ids before it may still be committing
			}
			if e.ID > next {
				gap := &motcua.AuditLink{FirstID: next, LastID: e.ID - 1, Gap: true, Hash: motcua.AuditGapHash(prev, next, e.ID-1), SealedAt: now}
				links = append(links, gap)
				prev = gap.Hash
			}
			l := &motcua.AuditLink{FirstID: e.ID, LastID: e.ID, Hash: motcua.AuditEntryHash(prev, e), SealedAt: now}
			links = append(links, l)
			prev, next = l.Hash, e.ID+1
			sealed++
		}
		if len(links) == 0 {
			return nil
		}
		head = links[len(links)-1]
		return tx.AddAuditLinks(ctx, links)
	})
	if err != nil {
		return 0, nil, err
	}
	return sealed, head, nil
}

// Problems verification finds in the audit chain.
const (
	AuditAltered  = "altered"  // an entry differs from what was sealed
	AuditDeleted  = "deleted"  // a sealed entry is gone
	AuditInserted = "inserted" // an entry sits under an id sealed as a gap
	AuditBroken   = "broken"   // a link is missing or its hash does not follow from the one before
)

// AuditVerification is what VerifyAudit found.
type AuditVerification struct {
	// Sealed counts the sealed entries checked; Gaps the gap links.
	Sealed, Gaps int
	// HeadID and HeadHash are the last link checked: compare HeadHash
	// with a head logged earlier to detect a rewritten chain.
	HeadID   int64
	HeadHash string
	// Unsealed counts the entries above the head, not sealed yet.
	Unsealed int
	// Problem is the first problem found (empty when none), at ProblemID.
	Problem   string
	ProblemID int64
}

// OK reports whether the chain verified.
func (v *AuditVerification) OK() bool { return v.Problem == "" }

// VerifyAudit walks the audit chain from its start and reports the first
// entry altered, deleted or inserted since it was sealed, or the first
// broken link. It is for operators (the motcua audit verify command) and
// checks no caller. Each page is read in its own transaction: the sealed
// part of the log never changes legitimately.
func (s *Service) VerifyAudit(ctx context.Context) (*AuditVerification, error) {
	v := &AuditVerification{}
	prev, next := "", int64(1)
	var entries []*motcua.AuditEntry // entries above next-1, in id order
	entriesDone := false
	fill := func() error {
		if len(entries) > 0 || entriesDone {
			return nil
		}
		return s.store.Read(ctx, func(tx motcua.Tx) (err error) {
			entries, err = tx.AuditAfter(ctx, next-1, auditSealBatch)
			entriesDone = len(entries) < auditSealBatch
			return err
		})
	}
	problem := func(kind string, id int64) (*AuditVerification, error) {
		v.Problem, v.ProblemID = kind, id
		return v, nil
	}
	for {
		var links []*motcua.AuditLink
		if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
			links, err = tx.AuditLinks(ctx, next-1, auditSealBatch)
			return err
		}); err != nil {
			return nil, err
		}
		for _, l := range links {
			if l.FirstID != next || l.LastID < l.FirstID {
				return problem(AuditBroken, next)
			}
			if err := fill(); err != nil {
				return nil, err
			}
			var e *motcua.AuditEntry
			if len(entries) > 0 && entries[0].ID <= l.LastID {
				e, entries = entries[0], entries[1:]
			}
			if l.Gap {
				if e != nil {
					return problem(AuditInserted, e.ID)
				}
				if motcua.AuditGapHash(prev, l.FirstID, l.LastID) != l.Hash {
					return problem(AuditBroken, l.FirstID)
				}
				v.Gaps++
			} else {
				if e == nil {
					return problem(AuditDeleted, l.FirstID)
				}
				if motcua.AuditEntryHash(prev, e) != l.Hash {
					return problem(AuditAltered, e.ID)
				}
				v.Sealed++
			}
			prev, next = l.Hash, l.LastID+1
			v.HeadID, v.HeadHash = l.LastID, l.Hash
		}
		if len(links) < auditSealBatch {
			break
		}
	}
	for {
		if err := fill(); err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return v, nil
		}
		v.Unsealed += len(entries)
		next = entries[len(entries)-1].ID + 1
		entries = nil
	}
}
