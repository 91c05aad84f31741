package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua"
)

// The text read from a scan is kept in the store (motcua.ScanTextStore),
// beside its search form, so that scans can be searched; it never changes
// the file's record. Reading is claimed per scan, so that a scan is read
// once however many instances run the job.

// DefaultScanReadBudget is how long one scan's reading may take when
// Config.ScanReadBudget is 0: a 20-page PDF at tesseract's pace on one
// core, with room to spare.
const DefaultScanReadBudget = 10 * time.Minute

// scanLeaseMargin is how much longer than the budget a claim lasts: a
// reading stopped at its budget still records its outcome under its
// claim.
const scanLeaseMargin = time.Minute

// A round of ReadScans ends after scanRound or scansPerRound scans, so
// that the job returns to its runner (and a stop) between rounds.
const (
	scanRound     = 30 * time.Second
	scansPerRound = 20
)

// scanTextJob is the payload of a TopicScanText message.
type scanTextJob struct {
	DossierID int64 `json:"dossier_id"`
	FileID    int64 `json:"file_id"`
}

func (s *Service) scanBudget() time.Duration {
	if s.cfg.ScanReadBudget > 0 {
		return s.cfg.ScanReadBudget
	}
	return DefaultScanReadBudget
}

// enqueueScanText queues, in the transaction that records file f, the
// reading of its text when OCR is configured (components' scans only: a
// result is made by motcua and its text is known).
func (s *Service) enqueueScanText(ctx context.Context, tx motcua.Tx, f *motcua.DossierFile) error {
	if s.cfg.Text == nil || f.ComponentID == motcua.ResultComponent {
		return nil
	}
	payload, err := json.Marshal(scanTextJob{DossierID: f.DossierID, FileID: f.ID})
	if err != nil {
		return err
	}
	now := s.now()
	return tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: motcua.TopicScanText, Payload: payload, CreatedAt: now, NextAttemptAt: now})
}

// ScanTextDeliverer delivers TopicScanText messages: it claims the scan,
// reads its text with Config.Text and stores it. nil when OCR is off. A
// scan whose text is stored is not read again (the message is simply
// delivered); one another reader holds is retried later.
func (s *Service) ScanTextDeliverer() motcua.Deliverer {
	if s.cfg.Text == nil || s.cfg.Blobs == nil {
		return nil
	}
	return scanTextDeliverer{s}
}

type scanTextDeliverer struct{ s *Service }

// scanTimeout is the permanent failure of a scan that took longer than
// its budget: reading it again would take as long.
type scanTimeout struct{ error }

func (scanTimeout) PermanentFailure() bool { return true }

// Deliver implements motcua.Deliverer.
func (d scanTextDeliverer) Deliver(ctx context.Context, m *motcua.OutboxMessage) error {
	s := d.s
	var job scanTextJob
	if err := json.Unmarshal(m.Payload, &job); err != nil || job.FileID == 0 {
		return motcua.Errorf(motcua.EINVALID, "bad_ocr_job", "Thông điệp nhận dạng chữ không hợp lệ.")
	}
	var f *motcua.DossierFile
	var claim motcua.ScanClaim
	now := s.now()
	if err := s.store.Write(ctx, func(tx motcua.Tx) (err error) {
		if f, err = tx.DossierFile(ctx, job.DossierID, job.FileID); err != nil {
			return err
		}
		claim, err = tx.ClaimScanRead(ctx, f.ID, f.DossierID, now, now.Add(s.scanBudget()+scanLeaseMargin))
		return err
	}); err != nil {
		return err
	}
	switch claim {
	case motcua.ScanAlreadyRead:
		return nil
	case motcua.ScanBusy:
		return motcua.Errorf(motcua.ECONFLICT, "scan_being_read", "Bản quét đang được một máy chủ khác nhận dạng chữ.")
	}
	text, err := s.readScan(ctx, f)
	rctx := context.WithoutCancel(ctx)
	if err != nil {
		if rerr := s.store.Write(rctx, func(tx motcua.Tx) error { return tx.ReleaseScanRead(rctx, f.ID) }); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return err
	}
	return s.store.Write(rctx, func(tx motcua.Tx) error {
		return tx.SaveScanText(rctx, &motcua.ScanText{FileID: f.ID, DossierID: f.DossierID, Text: text, ReadAt: s.now()})
	})
}

// readScan reads the text of f within the scan budget; a scan with
// nothing to read in it (EINVALID) has an empty text.
func (s *Service) readScan(ctx context.Context, f *motcua.DossierFile) (string, error) {
	rc, err := s.cfg.Blobs.Get(ctx, f.BlobKey)
	if err != nil {
		return "", fmt.Errorf("open scan %s: %w", f.BlobKey, err)
	}
	body, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return "", fmt.Errorf("read scan %s: %w", f.BlobKey, err)
	}
	bctx, cancel := context.WithTimeout(ctx, s.scanBudget())
	defer cancel()
	text, err := s.cfg.Text.ReadText(bctx, body, f.ContentType)
	switch {
	case motcua.ErrorCode(err) == motcua.EINVALID:
		return "", nil // nothing to read in it: an empty text, not a retry
	case err != nil && ctx.Err() == nil && bctx.Err() != nil:
		return "", scanTimeout{fmt.Errorf("read text of %s: longer than %s", f.BlobKey, s.scanBudget())}
	case err != nil:
		return "", fmt.Errorf("read text of %s: %w", f.BlobKey, err)
	}
	return text, nil
}

// ReadScans is the OCR job: it claims the scans waiting to be read one at
// a time, each under a lease longer than its reading may take (so that no
// other instance takes it meanwhile), reads it within the scan budget and
// records the outcome before claiming the next; it returns after a round
// (30 s or 20 scans) so that its runner can stop or pause it. It returns
// how many scans were read (or found already read).
func (s *Service) ReadScans(ctx context.Context) (int, error) {
	d := s.ScanTextDeliverer()
	if d == nil {
		return 0, nil
	}
	start, read := s.now(), 0
	for range scansPerRound {
		if ctx.Err() != nil {
			return read, ctx.Err()
		}
		now := s.now()
		if now.Sub(start) >= scanRound {
			break
		}
		var batch []*motcua.OutboxMessage
		if err := s.store.Write(ctx, func(tx motcua.Tx) (err error) {
			batch, err = tx.ClaimOutbox(ctx, now, now.Add(s.scanBudget()+scanLeaseMargin), 1, []string{motcua.TopicScanText})
			return err
		}); err != nil {
			return read, err
		}
		if len(batch) == 0 {
			break
		}
		err := d.Deliver(ctx, batch[0])
		ok, rerr := s.recordDeliveries(ctx, batch, []error{err}, []time.Time{s.now()}, nil)
		if rerr != nil {
			return read, rerr
		}
		read += ok
	}
	return read, nil
}

// ScanText is the text read from a scan, the Art.19(2) metadata it
// suggests, and the metadata an officer confirmed, if any.
type ScanText struct {
	// Ready: the text has been read (the job may still be waiting).
	Ready    bool                    `json:"ready"`
	Text     string                  `json:"text"`
	Proposed motcua.DocumentMetadata `json:"proposed"`
	// Confirmed is nil until an officer confirms the metadata;
	// ConfirmedByName is that officer's name.
	Confirmed       *motcua.ConfirmedMetadata `json:"confirmed,omitempty"`
	ConfirmedByName string                    `json:"confirmed_by_name,omitempty"`
	// MayConfirm: the reader may confirm the metadata (ConfirmMetadata).
	MayConfirm bool `json:"may_confirm"`
	// File is the scan's record.
	File *motcua.DossierFile `json:"file"`
}

// FileText returns the text read from file id of the dossier with code,
// the metadata it suggests and the metadata confirmed, to anyone who may
// see the dossier; the text holds personal data, so every reading is
// written to the access log. Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN
// (documents off).
func (s *Service) FileText(ctx context.Context, code string, id int64, ip string) (*ScanText, error) {
	u, err := s.documentsActor(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	out := &ScanText{}
	var st *motcua.ScanText
	if err := s.store.Read(ctx, func(tx motcua.Tx) error {
		d, _, err := s.fileDossier(ctx, tx, u, code, byID, false)
		if err != nil {
			return err
		}
		if out.File, err = tx.DossierFile(ctx, d.ID, id); err != nil {
			return err
		}
		events, err := tx.Events(ctx, d.ID)
		if err != nil {
			return err
		}
		out.MayConfirm = s.mayConfirmMetadata(u, d, events, byID)
		meta, err := tx.FileMetadata(ctx, d.ID)
		if err != nil {
			return err
		}
		if out.Confirmed = meta[id]; out.Confirmed != nil {
			by, err := tx.User(ctx, out.Confirmed.ConfirmedBy)
			if err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND {
				return err
			}
			if by != nil {
				out.ConfirmedByName = by.FullName
			}
		}
		st, err = tx.StoredScanText(ctx, id)
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return nil
		}
		return err
	}); err != nil {
		s.refusedFiles(ctx, u, err, fmt.Sprintf("text of file %d of dossier %s", id, code), ip)
		return nil, err
	}
	f := out.File
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditViewPersonalData,
			DossierID: f.DossierID, Detail: fmt.Sprintf("text and metadata of file %d (%s) of dossier %s", f.ID, f.Name, code), IP: ip})
	}); err != nil {
		return nil, fmt.Errorf("audit text view: %w", err)
	}
	if st != nil {
		out.Ready, out.Text = true, st.Text
		out.Proposed = ProposeMetadata(out.Text)
	}
	return out, nil
}

// ReadsScans reports whether stored scans are read by OCR (FileText).
func (s *Service) ReadsScans() bool { return s.cfg.Text != nil && s.cfg.Blobs != nil }
