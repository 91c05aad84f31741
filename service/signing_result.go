package service

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// SignResult makes the electronic result of the approved dossier with code
// from the template, signs it with the caller's personal certificate and
// stores it as the dossier's result file under its document code
// (motcua.ResultCode). Who may issue the result now (the issuing step)
// also issues it in the same step: the file record and issue_result naming
// it are one transaction, so either both happen or neither. A leader of
// the competent agency may sign without issuing (ký duyệt); the issuer's
// issue_result then takes the signed file, and the issuer's own SignResult
// issues it without signing again. Errors: EUNAUTHORIZED, ENOTFOUND,
// EFORBIDDEN (signing or documents off; neither issuer nor leader; no
// certificate), ECONFLICT (not approved, already signed by a leader, or
// changed meanwhile), EINVALID (certificate expired or otherwise unusable).
func (s *Service) SignResult(ctx context.Context, code string) (*motcua.DossierFile, error) {
	u, err := s.documentsActor(ctx)
	if err != nil {
		return nil, err
	}
	if s.cfg.Signer == nil || s.cfg.RenderResult == nil {
		return nil, signingOff()
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	// The dossier, whether u issues (or only signs, as a leader), and the
	// result file a leader already signed, if any.
	type state struct {
		d      *motcua.Dossier
		issues bool
		signed *motcua.DossierFile
	}
	check := func(tx motcua.Tx) (*state, error) {
		d, p, err := s.fileDossier(ctx, tx, u, code, byID, false)
		if err != nil {
			return nil, err
		}
		if d.Status.State != motcua.StateApproved {
			return nil, motcua.Errorf(motcua.ECONFLICT, "not_approved",
				"Hồ sơ %s chưa được phê duyệt (hoặc đã trả kết quả) nên không ký kết quả được.", code)
		}
		allowed, _ := s.allowed(d, p, u, s.now())
		st := &state{d: d, issues: slices.Contains(allowed, motcua.ActIssueResult)}
		if !st.issues && !u.Has(motcua.RoleLeader, d.CompetentAgencyID) {
			return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_permitted",
				"Bạn không phải người ký hoặc ban hành kết quả của hồ sơ %s ở bước hiện tại.", code)
		}
		files, err := tx.DossierFiles(ctx, d.ID)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if f.DocCode == motcua.ResultCode(d.Code) {
				st.signed = f
			}
		}
		if st.signed != nil && !st.issues {
			return nil, motcua.Errorf(motcua.ECONFLICT, "result_signed",
				"Kết quả của hồ sơ %s đã được ký số; đang chờ ban hành.", code)
		}
		return st, nil
	}
	var st *state
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { st, err = check(tx); return err }); err != nil {
		return nil, err
	}
	now := s.now()
	defer func() {
		s.changed(ctx, motcua.CacheKey{Kind: motcua.CachePublic, Key: code})
		s.nudgeOutbox()
	}()
	issue := func(tx motcua.Tx, f *motcua.DossierFile) error {
		_, err := s.actTx(ctx, tx, u, code, ActInput{Action: motcua.ActIssueResult, ResultFileRef: f.IDString(), ResultNumber: f.DocCode}, byID, now)
		return err
	}
	if st.signed != nil { // signed by a leader: the issuer issues it
		err := s.store.Write(ctx, func(tx motcua.Tx) error {
			st2, err := check(tx)
			if err != nil {
				return err
			}
			if st2.signed == nil {
				return motcua.Errorf(motcua.ECONFLICT, "dossier_changed", "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại rồi thực hiện lại.")
			}
			return issue(tx, st2.signed)
		})
		return st.signed, err
	}
	d := st.d
	doc := &motcua.ResultDocument{DocCode: motcua.ResultCode(d.Code), DossierCode: d.Code, Procedure: d.ProcedureName,
		Applicant: d.Applicant.FullName, Content: d.Content, IssuedAt: now, Signer: u.FullName, SignerTitle: u.Title, VerifyURL: s.cfg.VerifyURL}
	if a := byID[d.CompetentAgencyID]; a != nil {
		doc.Agency = a.Name
		if p := byID[a.ParentID]; p != nil {
			doc.Superior = p.Name
		}
	}
	var buf bytes.Buffer
	if err := s.cfg.RenderResult(&buf, doc); err != nil {
		return nil, fmt.Errorf("render result %s: %w", code, err)
	}
	signed, err := s.cfg.Signer.SignPDF(ctx, buf.Bytes(), motcua.Signatory{Username: u.Username}, now, reasonResult)
	if err != nil {
		return nil, err
	}
	sig, err := s.verifySigned(ctx, signed)
	if err != nil {
		return nil, err
	}
	meta := fileMeta{sig: sig, docCode: doc.DocCode}
	if st.issues {
		meta.after = issue
	}
	return s.saveFile(ctx, d.ID, motcua.ResultComponent, doc.DocCode+".pdf", bytesDocument("application/pdf", signed), u.ID, meta,
		func(tx motcua.Tx) error {
			st2, err := check(tx)
			if err == nil && st2.signed != nil {
				err = motcua.Errorf(motcua.ECONFLICT, "result_signed", "Kết quả của hồ sơ %s vừa được người khác ký số.", code)
			}
			return err
		})
}

// BatchSigned is the outcome of signing one result of a batch.
type BatchSigned struct {
	Code string
	File *motcua.DossierFile // nil when Err is set
	Err  error
}

// MaxSignBatch bounds a batch of SignResults.
const MaxSignBatch = 500

// SignResults signs and issues the results of the dossiers with codes, one
// after the other, each in its own step (SignResult): a leader signing the
// day's approved results at once. One failure does not stop the others; it
// is reported in its outcome. Errors (for the whole batch): EUNAUTHORIZED,
// EINVALID (no code, or more than MaxSignBatch).
func (s *Service) SignResults(ctx context.Context, codes []string) ([]BatchSigned, error) {
	if _, err := actor(motcua.UserFromContext(ctx)); err != nil {
		return nil, err
	}
	if len(codes) == 0 || len(codes) > MaxSignBatch {
		return nil, motcua.FieldError("codes", "batch_size",
			fmt.Sprintf("Chọn từ 1 đến %d hồ sơ để ký kết quả.", MaxSignBatch))
	}
	out := make([]BatchSigned, 0, len(codes))
	for _, c := range codes {
		f, err := s.SignResult(ctx, c)
		out = append(out, BatchSigned{Code: c, File: f, Err: err})
	}
	return out, nil
}

// DocumentVerification is the public answer on a document: the verdict on
// its signatures, and for a result found by its code what the register
// holds of it (never the applicant).
type DocumentVerification struct {
	Check *motcua.SignatureCheck
	// DocCode, DossierCode, Procedure and IssuedAt are set when the
	// document was found by its code.
	DocCode     string
	DossierCode string
	Procedure   string
	IssuedAt    time.Time
}

// MaxVerifySize bounds a PDF sent to VerifyDocument.
const MaxVerifySize = 20 << 20

// VerifyDocument checks the signatures of a PDF anyone sends. Nothing is
// stored. Errors: EFORBIDDEN (signing off), EINVALID on field file (not a
// PDF, encrypted, too large).
func (s *Service) VerifyDocument(ctx context.Context, r io.Reader) (*DocumentVerification, error) {
	if s.cfg.Signer == nil {
		return nil, signingOff()
	}
	b, err := io.ReadAll(io.LimitReader(r, MaxVerifySize+1))
	if err != nil {
		return nil, fmt.Errorf("read document: %w", err)
	}
	switch {
	case len(b) == 0:
		return nil, motcua.FieldError("file", "file_missing", "Chưa chọn tệp PDF để kiểm tra.")
	case len(b) > MaxVerifySize:
		return nil, motcua.FieldError("file", "file_too_large",
			fmt.Sprintf("Tệp quá lớn: chỉ kiểm tra tệp đến %s.", FormatSize(MaxVerifySize)))
	}
	check, err := s.cfg.Signer.VerifyPDF(ctx, b)
	if err != nil {
		if motcua.ErrorCode(err) == motcua.EINVALID {
			return nil, motcua.FieldError("file", motcua.ErrorReason(err), motcua.ErrorMessage(err))
		}
		return nil, err
	}
	return &DocumentVerification{Check: check}, nil
}

// VerifyResultCode checks the stored electronic result with document code
// docCode, for anyone: the verdict on the stored file's signatures, its
// dossier code, procedure and issuing time. Errors: EFORBIDDEN (signing or
// documents off), ENOTFOUND (no result with that code).
func (s *Service) VerifyResultCode(ctx context.Context, docCode string) (*DocumentVerification, error) {
	if s.cfg.Signer == nil {
		return nil, signingOff()
	}
	if s.cfg.Blobs == nil {
		return nil, documentsOff()
	}
	var f *motcua.DossierFile
	var d *motcua.Dossier
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if f, err = tx.DossierFileByDocCode(ctx, docCode); err != nil {
			return err
		}
		d, err = tx.Dossier(ctx, f.DossierID)
		return err
	})
	if err != nil {
		return nil, err
	}
	rc, err := s.cfg.Blobs.Get(ctx, f.BlobKey)
	if err != nil {
		return nil, fmt.Errorf("open result %s: %v", f.BlobKey, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("read result %s: %w", f.BlobKey, err)
	}
	check, err := s.cfg.Signer.VerifyPDF(ctx, b)
	if err != nil {
		return nil, fmt.Errorf("verify stored result %s: %w", f.BlobKey, err)
	}
	return &DocumentVerification{Check: check, DocCode: f.DocCode, DossierCode: d.Code, Procedure: d.ProcedureName, IssuedAt: f.SignedAt}, nil
}
