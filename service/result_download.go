package service

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// issuedResultFile returns the signed electronic result the dossier with id
// dossierID, in state st, was issued with (its issue_result names the file,
// NĐ 118 Art.22), or nil when its result, if any, is not a signed file kept
// here. It reads the history, not the dossier, so that the public lookup
// never reads personal data.
func (s *Service) issuedResultFile(ctx context.Context, tx motcua.Tx, dossierID int64, st motcua.State) (*motcua.DossierFile, error) {
	if s.cfg.Blobs == nil || (st != motcua.StateResultReady && st != motcua.StateReturned) {
		return nil, nil
	}
	events, err := tx.Events(ctx, dossierID)
	if err != nil {
		return nil, err
	}
	ref := ""
	for _, e := range events {
		if e.Action == motcua.ActIssueResult {
			ref = e.ResultFileRef
		}
	}
	id, err := strconv.ParseInt(ref, 10, 64)
	if err != nil {
		return nil, nil // a reference to a file kept elsewhere
	}
	f, err := tx.DossierFile(ctx, dossierID, id)
	if motcua.ErrorCode(err) == motcua.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if f.ComponentID != motcua.ResultComponent || !f.Signed() {
		return nil, nil
	}
	return f, nil
}

// ResultDownload streams the signed electronic result of the dossier with
// code to whoever gives its code and verifier, as Lookup asks (and limits
// guessing as it does): the citizen's copy of their result (NĐ 118
// Art.22). The caller closes the reader. Every download is written to the
// access log, with the client's address and no user, before anything is
// returned. Errors: ENOTFOUND (wrong code or verifier, or no signed
// electronic result), ETOOMANY, EFORBIDDEN (documents off).
func (s *Service) ResultDownload(ctx context.Context, code, verifier, ip string) (*motcua.DossierFile, io.ReadCloser, error) {
	if s.cfg.Blobs == nil {
		return nil, nil, documentsOff()
	}
	if _, err := s.Lookup(ctx, code, verifier, ip); err != nil {
		return nil, nil, err
	}
	code = strings.ToUpper(strings.TrimSpace(code))
	var f *motcua.DossierFile
	if err := s.store.Read(ctx, func(tx motcua.Tx) error {
		rec, err := tx.PublicDossier(ctx, code)
		if err != nil {
			return err
		}
		f, err = s.issuedResultFile(ctx, tx, rec.ID, rec.Status.State)
		return err
	}); err != nil {
		return nil, nil, err
	}
	if f == nil {
		return nil, nil, motcua.Errorf(motcua.ENOTFOUND, "no_electronic_result",
			"Hồ sơ %s chưa có kết quả điện tử đã ký số để tải về. Kết quả giấy được trả tại Bộ phận Một cửa.", code)
	}
	rc, err := s.cfg.Blobs.Get(ctx, f.BlobKey)
	if err != nil {
		return nil, nil, fmt.Errorf("open result %s: %v", f.BlobKey, err)
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), Action: motcua.AuditResultDownloaded, DossierID: f.DossierID,
			Detail: fmt.Sprintf("signed result %s (file %d) of dossier %s downloaded from the public lookup", f.DocCode, f.ID, code), IP: ip})
	}); err != nil {
		rc.Close()
		return nil, nil, fmt.Errorf("audit result download: %w", err)
	}
	return f, rc, nil
}

// ResultLink is where the holder of a dossier's lookup secret downloads its
// signed electronic result (the public lookup's link, as the receipt's QR
// code holds it), or "" when the site's address is not configured.
func (s *Service) ResultLink(code, secret string) string {
	if s.cfg.BaseURL == "" || secret == "" {
		return ""
	}
	return strings.TrimRight(s.cfg.BaseURL, "/") + "/tra-cuu/ket-qua?" + url.Values{"ma": {code}, "k": {secret}}.Encode()
}

// linkPortalResults gives each electronic result of the portal's record
// (one with a document code) the link where the applicant downloads it,
// so that the national portal carries the file as well as its code.
func (s *Service) linkPortalResults(rec *motcua.PortalDossier, d *motcua.Dossier) {
	for i := range rec.Results {
		if rec.Results[i].Code != "" {
			rec.Results[i].URL = s.ResultLink(d.Code, d.LookupSecret)
		}
	}
}
