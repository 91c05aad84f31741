package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// signingOff is the error of the signing use cases when no signer is
// configured.
func signingOff() error {
	return motcua.Errorf(motcua.EFORBIDDEN, "signing_disabled",
		"Hệ thống chưa được cấu hình chữ ký số nên chưa thể ký kết quả. Vui lòng báo quản trị viên.")
}

// Reasons written in the signatures motcua makes.
const (
	reasonScan   = "Số hóa hồ sơ khi tiếp nhận (Điều 17 Nghị định 118/2025/NĐ-CP)"
	reasonResult = "Ký kết quả giải quyết thủ tục hành chính (Điều 22 Nghị định 118/2025/NĐ-CP)"
)

// ScanReason is the reason written in the officer's signature on a scan
// made at reception, for those who sign scans outside the service (the
// demo generator) to write the same.
const ScanReason = reasonScan

// ResultReason is the reason written in a signature on an electronic
// result (SignResult), for the demo generator to write the same.
const ResultReason = reasonResult

// signUpload signs an uploaded PDF as uploader u when signing is
// configured and u has a certificate: a scan of a component gets u's
// personal signature (NĐ 118 Art.17(1)(c)) on top of any signature it
// already has; a result that arrives validly signed is kept as it is, and
// an unsigned one is signed by u. The signed file is verified again before
// it is stored. A PDF whose signatures are not valid is refused, and so is
// one that cannot be read. A JPEG or PNG scan of a component is first made
// into a one-page PDF (Config.ImageToPDF; an oversized image is refused)
// and then signed like any PDF scan; without ImageToPDF, image scans, and
// uploads by people without a certificate, are stored unsigned (and so do
// not make their component digitized). Errors: EINVALID on field file.
func (s *Service) signUpload(ctx context.Context, u *motcua.User, componentID int64, doc *document) (*document, *motcua.SignatureInfo, error) {
	image := doc.contentType == "image/jpeg" || doc.contentType == "image/png"
	if s.cfg.Signer == nil || (doc.contentType != "application/pdf" && !(image && s.cfg.ImageToPDF != nil && componentID != motcua.ResultComponent)) {
		return doc, nil, nil
	}
	body, err := io.ReadAll(doc.body)
	if err != nil {
		return nil, nil, fmt.Errorf("read upload: %w", err)
	}
	fileErr := func(err error) error {
		if motcua.ErrorCode(err) == motcua.EINVALID {
			return motcua.FieldError("file", motcua.ErrorReason(err), motcua.ErrorMessage(err))
		}
		return err
	}
	if image {
		if !s.cfg.Signer.CanSign(motcua.Signatory{Username: u.Username}) {
			return bytesDocument(doc.contentType, body), nil, nil
		}
		if body, err = s.cfg.ImageToPDF(body); err != nil {
			return nil, nil, fileErr(err)
		}
		doc = bytesDocument("application/pdf", body)
	}
	check, err := s.cfg.Signer.VerifyPDF(ctx, body)
	if err != nil {
		return nil, nil, fileErr(err)
	}
	if len(check.Signatures) > 0 && !check.Valid {
		return nil, nil, motcua.FieldError("file", "signature_invalid",
			"Tệp PDF có chữ ký số không hợp lệ ("+check.Summary+") nên không được nhận. Vui lòng dùng bản gốc đã ký.")
	}
	if componentID == motcua.ResultComponent && check.Valid {
		last := check.Signatures[len(check.Signatures)-1]
		return bytesDocument(doc.contentType, body), &last, nil
	}
	who := motcua.Signatory{Username: u.Username}
	if !s.cfg.Signer.CanSign(who) {
		return bytesDocument(doc.contentType, body), nil, nil
	}
	reason := reasonScan
	if componentID == motcua.ResultComponent {
		reason = reasonResult
	}
	signed, err := s.cfg.Signer.SignPDF(ctx, body, who, s.now(), reason)
	if err != nil {
		return nil, nil, fileErr(err)
	}
	info, err := s.verifySigned(ctx, signed)
	if err != nil {
		return nil, nil, err
	}
	return bytesDocument(doc.contentType, signed), info, nil
}

// verifySigned checks a PDF motcua just signed and returns its last
// signature; a signature that does not verify is a fault of the system.
func (s *Service) verifySigned(ctx context.Context, signed []byte) (*motcua.SignatureInfo, error) {
	check, err := s.cfg.Signer.VerifyPDF(ctx, signed)
	if err != nil {
		return nil, fmt.Errorf("verify own signature: %w", err)
	}
	if !check.Valid {
		return nil, fmt.Errorf("own signature does not verify: %s", check.Summary)
	}
	last := check.Signatures[len(check.Signatures)-1]
	return &last, nil
}

// bytesDocument is a checked document held in memory.
func bytesDocument(contentType string, b []byte) *document {
	return &document{body: bytes.NewReader(b), size: int64(len(b)), sum: sha256.Sum256(b), contentType: contentType}
}

// markDigitized derives the digitized flag of component componentID of the
// dossier with id dossierID from a signed file just recorded in tx: the
// component becomes digitized, the report flags follow, and the live
// counters of indicator 4.2 move with them.
func (s *Service) markDigitized(ctx context.Context, tx motcua.Tx, dossierID, componentID int64) error {
	d, err := tx.Dossier(ctx, dossierID)
	if err != nil {
		return err
	}
	changed := false
	for i := range d.Components {
		if d.Components[i].ComponentID == componentID && !d.Components[i].Digitized {
			d.Components[i].Digitized, changed = true, true
		}
	}
	if !changed {
		return nil
	}
	prev := d.Status
	d.Status.Report.Flags = motcua.FlagsOf(d)
	if d.Status.Report.Flags == prev.Report.Flags {
		return tx.SaveDigitized(ctx, d)
	}
	if err := tx.SaveDigitized(ctx, d); err != nil {
		return err
	}
	return tx.AddStats(ctx, motcua.FlowDeltas(d.CompetentAgencyID, d.ProcedureID, d.Channel, &prev, &d.Status))
}

// resultFile settles the electronic result file an issue_result names.
// When the service keeps documents, in.ResultFileRef is the id of one of
// the dossier's result files (AttachFile with component 0, or SignResult)
// and, when signing is configured, that file must carry a valid signature;
// with no reference the dossier's newest signed result file is the one, if
// any. The result number defaults to the file's document code. Without a
// document store the reference is recorded as given (a file kept
// elsewhere). signed reports whether the file named was verified valid
// signed when it was stored (DossierFile.Signed): only such a result is
// electronic for the reports (motcua.Command.ResultSigned) — an unsigned
// file uploaded while signing is off, or a file kept elsewhere, is not.
// Errors: EINVALID on field result_file_ref.
func (s *Service) resultFile(ctx context.Context, tx motcua.Tx, d *motcua.Dossier, in ActInput) (_ ActInput, signed bool, _ error) {
	if s.cfg.Blobs == nil {
		return in, false, nil
	}
	files, err := tx.DossierFiles(ctx, d.ID)
	if err != nil {
		return in, false, err
	}
	var f *motcua.DossierFile
	if ref := strings.TrimSpace(in.ResultFileRef); ref != "" {
		id, _ := strconv.ParseInt(ref, 10, 64)
		for _, h := range files {
			if h.ID == id && h.ComponentID == motcua.ResultComponent {
				f = h
			}
		}
		if f == nil {
			return in, false, motcua.FieldError("result_file_ref", "result_file_unknown",
				"Tệp kết quả đã chọn không phải là tệp kết quả của hồ sơ này.")
		}
		if s.cfg.Signer != nil && !f.Signed() {
			return in, false, motcua.FieldError("result_file_ref", "result_file_unsigned",
				"Tệp kết quả chưa có chữ ký số hợp lệ nên chưa thể trả kết quả điện tử. Vui lòng ký số tệp kết quả.")
		}
	} else {
		for _, h := range files {
			if h.ComponentID == motcua.ResultComponent && h.Signed() {
				f = h // the newest, files being oldest first
			}
		}
	}
	if f != nil {
		in.ResultFileRef = strconv.FormatInt(f.ID, 10)
		if strings.TrimSpace(in.ResultNumber) == "" {
			in.ResultNumber = f.DocCode
		}
	}
	return in, f != nil && f.Signed(), nil
}
