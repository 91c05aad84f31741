package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/motcua/motcua"
)

// The text read from a scan is kept beside its bytes, in the blob
// "<file's blob key>.txt": it can always be read again from the scan, so
// it needs no table of its own, and it never changes the file's record.

// scanTextJob is the payload of a TopicScanText message.
type scanTextJob struct {
	DossierID int64 `json:"dossier_id"`
	FileID    int64 `json:"file_id"`
}

func textKey(f *motcua.DossierFile) string { return f.BlobKey + ".txt" }

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

// ScanTextDeliverer delivers TopicScanText messages: it reads the scan's
// text with Config.Text and stores it beside the scan. nil when OCR is off.
func (s *Service) ScanTextDeliverer() motcua.Deliverer {
	if s.cfg.Text == nil || s.cfg.Blobs == nil {
		return nil
	}
	return scanTextDeliverer{s}
}

type scanTextDeliverer struct{ s *Service }

// Deliver implements motcua.Deliverer.
func (d scanTextDeliverer) Deliver(ctx context.Context, m *motcua.OutboxMessage) error {
	s := d.s
	var job scanTextJob
	if err := json.Unmarshal(m.Payload, &job); err != nil || job.FileID == 0 {
		return motcua.Errorf(motcua.EINVALID, "bad_ocr_job", "Thông điệp nhận dạng chữ không hợp lệ.")
	}
	var f *motcua.DossierFile
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { f, err = tx.DossierFile(ctx, job.DossierID, job.FileID); return err }); err != nil {
		return err
	}
	rc, err := s.cfg.Blobs.Get(ctx, f.BlobKey)
	if err != nil {
		return fmt.Errorf("open scan %s: %w", f.BlobKey, err)
	}
	body, err := io.ReadAll(rc)
	rc.Close()
	if err != nil {
		return fmt.Errorf("read scan %s: %w", f.BlobKey, err)
	}
	text, err := s.cfg.Text.ReadText(ctx, body, f.ContentType)
	if motcua.ErrorCode(err) == motcua.EINVALID {
		text, err = "", nil // nothing to read in it: an empty text, not a retry
	}
	if err != nil {
		return fmt.Errorf("read text of %s: %w", f.BlobKey, err)
	}
	return s.cfg.Blobs.Put(ctx, textKey(f), bytes.NewReader([]byte(text)))
}

// ScanText is the text read from a scan and the Art.19(2) metadata it
// suggests, for an officer to confirm.
type ScanText struct {
	// Ready: the text has been read (the job may still be waiting).
	Ready    bool                    `json:"ready"`
	Text     string                  `json:"text"`
	Proposed motcua.DocumentMetadata `json:"proposed"`
}

// FileText returns the text read from file id of the dossier with code and
// the metadata it suggests, to anyone who may see the dossier; the text
// holds personal data, so every reading is written to the access log.
// Errors: EUNAUTHORIZED, ENOTFOUND, EFORBIDDEN (documents off).
func (s *Service) FileText(ctx context.Context, code string, id int64, ip string) (*ScanText, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if s.cfg.Blobs == nil {
		return nil, documentsOff()
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var f *motcua.DossierFile
	if err := s.store.Read(ctx, func(tx motcua.Tx) error {
		d, _, err := s.fileDossier(ctx, tx, u, code, byID, false)
		if err != nil {
			return err
		}
		f, err = tx.DossierFile(ctx, d.ID, id)
		return err
	}); err != nil {
		s.refusedFiles(ctx, u, err, fmt.Sprintf("text of file %d of dossier %s", id, code), ip)
		return nil, err
	}
	out := &ScanText{}
	rc, err := s.cfg.Blobs.Get(ctx, textKey(f))
	if motcua.ErrorCode(err) == motcua.ENOTFOUND {
		return out, nil
	}
	if err != nil {
		return nil, fmt.Errorf("open text of %s: %w", f.BlobKey, err)
	}
	b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
	rc.Close()
	if err != nil {
		return nil, errors.Join(fmt.Errorf("read text of %s", f.BlobKey), err)
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditViewPersonalData,
			DossierID: f.DossierID, Detail: fmt.Sprintf("text of file %d (%s) of dossier %s", f.ID, f.Name, code), IP: ip})
	}); err != nil {
		return nil, fmt.Errorf("audit text view: %w", err)
	}
	out.Ready, out.Text = true, string(b)
	out.Proposed = ProposeMetadata(out.Text)
	return out, nil
}

// ReadsScans reports whether stored scans are read by OCR (FileText).
func (s *Service) ReadsScans() bool { return s.cfg.Text != nil && s.cfg.Blobs != nil }
