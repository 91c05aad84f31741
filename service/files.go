package service

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// documentsActor returns the signed-in user of ctx when documents are
// stored. Errors: EUNAUTHORIZED, EFORBIDDEN (documents off).
func (s *Service) documentsActor(ctx context.Context) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if s.cfg.Blobs == nil {
		return nil, documentsOff()
	}
	return u, nil
}

// documentsOff is the error of every file use case when the service has no
// document store.
func documentsOff() error {
	return motcua.Errorf(motcua.EFORBIDDEN, "documents_disabled",
		"Hệ thống chưa được cấu hình nơi lưu tài liệu điện tử nên không thể tải lên hay mở tệp. Vui lòng báo quản trị viên.")
}

// MaxFileSize is the largest file AttachFile accepts, in bytes.
func (s *Service) MaxFileSize() int64 { return s.cfg.MaxFileSize }

// fileDossier reads the dossier with code, its history and its procedure
// version, and checks that u may see it (involved, as for the dossier's
// page) or, when attaching is true, that u is the national portal and the
// dossier one of its own (portalOwns: the portal may add its citizen's
// files to an online dossier, never read any). Errors: ENOTFOUND for a
// dossier that does not exist or that u may not see.
func (s *Service) fileDossier(ctx context.Context, tx motcua.Tx, u *motcua.User, code string, byID map[int64]*motcua.Agency, attaching bool) (*motcua.Dossier, *motcua.Procedure, error) {
	d, err := tx.DossierByCode(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	events, err := tx.Events(ctx, d.ID)
	if err != nil {
		return nil, nil, err
	}
	if !s.involved(u, d, events, byID) && !(attaching && portalOwns(u, d)) {
		return nil, nil, motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
	}
	p, err := s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
	if err != nil {
		return nil, nil, err
	}
	d.FillComponents(p)
	return d, p, nil
}

// mayAttach checks that u may attach a file of componentID to d now: the
// dossier is in a state that takes it (attachState) and u may currently
// act on the dossier — the transition table allows u some action in its
// present state, the same test the dossier's page uses to show its
// buttons. Errors: ECONFLICT, EINVALID on field component_id, EFORBIDDEN.
func (s *Service) mayAttach(d *motcua.Dossier, p *motcua.Procedure, u *motcua.User, componentID int64) error {
	if err := attachState(d, componentID); err != nil {
		return err
	}
	if ok, _ := s.allowed(d, p, u, s.now()); len(ok) == 0 {
		return motcua.Errorf(motcua.EFORBIDDEN, "not_permitted",
			"Bạn không xử lý hồ sơ này ở bước hiện tại nên không thể tải lên tài liệu.")
	}
	return nil
}

// attachState checks that d takes a file of componentID in its state.
//
// A component's copy may be added while the dossier is being settled, until
// it is finished. The result's copy (componentID 0) exists from the
// approval on: the transition table issues the result from Approved
// (issue_result at the issuing step) and keeps it at the counter in
// ResultReady until it is returned, so it may be attached in those two
// states (by whoever acts then: the issuer, then the counter). After the
// return, or any other end, no one acts on the dossier and nothing is
// attached. Errors: ECONFLICT, EINVALID on field component_id.
func attachState(d *motcua.Dossier, componentID int64) error {
	st := d.Status.State
	if componentID == motcua.ResultComponent {
		if st != motcua.StateApproved && st != motcua.StateResultReady {
			return motcua.FieldError("component_id", "result_file_not_now",
				"Chỉ tải lên tệp kết quả giải quyết khi hồ sơ đã được phê duyệt và chưa trả kết quả.")
		}
		return nil
	}
	if st.Finished() {
		return motcua.Errorf(motcua.ECONFLICT, "dossier_finished",
			"Hồ sơ đã kết thúc xử lý (%s): chỉ còn có thể tải lên tệp kết quả giải quyết trước khi trả.", st.Label())
	}
	if !slices.ContainsFunc(d.Components, func(c motcua.DossierComponent) bool { return c.ComponentID == componentID }) {
		return motcua.FieldError("component_id", "component_unknown", "Thành phần hồ sơ đã chọn không thuộc hồ sơ này.")
	}
	return nil
}

// attachable lists the component ids (0 for the result) a viewer who may
// take the actions allowed now may attach a file to; none when documents
// are off or the viewer may not act.
func (s *Service) attachable(d *motcua.Dossier, allowed []motcua.Action) []int64 {
	if s.cfg.Blobs == nil || len(allowed) == 0 {
		return nil
	}
	var ids []int64
	for _, c := range d.Components {
		if attachState(d, c.ComponentID) == nil {
			ids = append(ids, c.ComponentID)
		}
	}
	if attachState(d, motcua.ResultComponent) == nil {
		ids = append(ids, motcua.ResultComponent)
	}
	return ids
}

// AttachFile stores a digitized copy of one of the components of the
// dossier with code (componentID) or of its result (componentID 0), read
// from r, under the cleaned name. Only PDF, JPEG and PNG are accepted,
// recognised by their content, up to MaxFileSize bytes. When signing is
// configured a PDF is signed first (signUpload), and a component's first
// validly signed file makes it digitized (its report flags and indicator
// 4.2's counters follow, markDigitized, in the same transaction); the
// file never changes the dossier's state. Sending the same bytes for the
// same component again returns the file already stored (a signed copy
// differs each time, so signing again stores a new one).
// Errors: EUNAUTHORIZED, ENOTFOUND (no dossier, or not visible to the
// caller), EFORBIDDEN (not acting on the dossier now; documents off),
// ECONFLICT (dossier finished), EINVALID on field file or component_id.
func (s *Service) AttachFile(ctx context.Context, code string, componentID int64, name string, r io.Reader) (*motcua.DossierFile, error) {
	u, err := s.documentsActor(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	// Check before reading the bytes, so that a refused upload costs
	// nothing to store; checked again below in the transaction that
	// records the file.
	check := func(tx motcua.Tx) (*motcua.Dossier, error) {
		d, p, err := s.fileDossier(ctx, tx, u, code, byID, true)
		if err != nil {
			return nil, err
		}
		return d, s.mayAttach(d, p, u, componentID)
	}
	var d *motcua.Dossier
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { d, err = check(tx); return err }); err != nil {
		s.refusedFiles(ctx, u, err, "file upload to dossier "+code, "")
		return nil, err
	}
	doc, err := readDocument(r, s.cfg.MaxFileSize)
	if err != nil {
		return nil, err
	}
	doc, sig, err := s.signUpload(ctx, u, componentID, doc)
	if err != nil {
		return nil, err
	}
	meta := fileMeta{sig: sig}
	if sig != nil && componentID == motcua.ResultComponent {
		// A result signed elsewhere gets a code of its own, from its
		// content, so that re-uploads of other versions do not collide.
		meta.docCode = motcua.ResultCode(d.Code) + "-" + fmt.Sprintf("%x", doc.sum[:3])
	}
	return s.saveFile(ctx, d.ID, componentID, name, doc, u.ID, meta, func(tx motcua.Tx) error { _, err := check(tx); return err })
}

// fileMeta is what a stored file records beyond its bytes: its valid
// signature (nil: none) and, for a signed result, its document code.
type fileMeta struct {
	sig     *motcua.SignatureInfo
	docCode string
	// after runs in the transaction that records the file, with the
	// record (e.g. issuing the result it is).
	after func(tx motcua.Tx, f *motcua.DossierFile) error
}

// saveFile stores a checked document as a file of a dossier's component
// (or result), uploaded by uploader; check runs again in the transaction
// that records it. The same bytes for the same component return the file
// already stored.
func (s *Service) saveFile(ctx context.Context, dossierID, componentID int64, name string, doc *document, uploader int64, meta fileMeta, check func(tx motcua.Tx) error) (*motcua.DossierFile, error) {
	f := &motcua.DossierFile{DossierID: dossierID, ComponentID: componentID, Name: withExtension(cleanFileName(name), doc.contentType), ContentType: doc.contentType,
		Size: doc.size, SHA256: hex.EncodeToString(doc.sum[:]), UploadedBy: uploader, UploadedAt: s.now(), DocCode: meta.docCode}
	if meta.sig != nil {
		f.Signer, f.SignedAt = meta.sig.Signer, meta.sig.SignedAt.UTC().Truncate(time.Millisecond)
		if f.SignedAt.IsZero() { // a signature without a claimed time counts from its storing
			f.SignedAt = f.UploadedAt
		}
	}
	// The key is the content's address within the dossier. The blob is
	// written (Put is atomic and durable) before the record that names it
	// is committed, so a record that was acknowledged always has its
	// bytes; a commit that fails leaves at worst an unnamed blob, and the
	// retry that follows writes the same bytes under the same key.
	f.BlobKey = "dossiers/" + strconv.FormatInt(dossierID, 10) + "/" + f.SHA256
	if err := s.cfg.Blobs.Put(ctx, f.BlobKey, doc.body); err != nil {
		return nil, fmt.Errorf("store file %s: %w", f.BlobKey, err)
	}
	var out *motcua.DossierFile
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := check(tx); err != nil {
			return err
		}
		have, err := tx.DossierFiles(ctx, dossierID)
		if err != nil {
			return err
		}
		for _, h := range have {
			if h.ComponentID == componentID && h.SHA256 == f.SHA256 {
				out = h
				return nil
			}
		}
		rec := *f
		if err := tx.AddDossierFile(ctx, &rec); err != nil {
			return err
		}
		if rec.Signed() && componentID != motcua.ResultComponent {
			if err := s.markDigitized(ctx, tx, dossierID, componentID); err != nil {
				return err
			}
		}
		if err := s.enqueueScanText(ctx, tx, &rec); err != nil {
			return err
		}
		if meta.after != nil {
			if err := meta.after(tx, &rec); err != nil {
				return err
			}
		}
		out = &rec
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DossierFiles lists the digitized files of the dossier with code, oldest
// first, to anyone who may see the dossier. Errors: EUNAUTHORIZED,
// ENOTFOUND.
func (s *Service) DossierFiles(ctx context.Context, code string) ([]*motcua.DossierFile, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out []*motcua.DossierFile
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		d, _, err := s.fileDossier(ctx, tx, u, code, byID, false)
		if err != nil {
			return err
		}
		out, err = tx.DossierFiles(ctx, d.ID)
		return err
	})
	s.refusedFiles(ctx, u, err, "files of dossier "+code, "")
	return out, err
}

// OpenFile streams file id of the dossier with code to anyone who may see
// the dossier; the caller closes the reader. Scans hold personal data, so
// every opening is written to the audit log (a personal data view naming
// the file) before anything is returned. Errors: EUNAUTHORIZED, ENOTFOUND
// (no such dossier or file, or not visible), EFORBIDDEN (documents off).
func (s *Service) OpenFile(ctx context.Context, code string, id int64, ip string) (*motcua.DossierFile, io.ReadCloser, error) {
	u, err := s.documentsActor(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, nil, err
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
		s.refusedFiles(ctx, u, err, fmt.Sprintf("file %d of dossier %s", id, code), ip)
		return nil, nil, err
	}
	rc, err := s.cfg.Blobs.Get(ctx, f.BlobKey)
	if err != nil {
		// The record promises the bytes: their absence is a fault of
		// the system, not a file the caller may not see.
		return nil, nil, fmt.Errorf("open file %s: %v", f.BlobKey, err)
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditViewPersonalData,
			DossierID: f.DossierID, Detail: fmt.Sprintf("file %d (%s) of dossier %s", f.ID, f.Name, code), IP: ip})
	}); err != nil {
		rc.Close()
		return nil, nil, fmt.Errorf("audit file view: %w", err)
	}
	return f, rc, nil
}

// refusedFiles records in the access log a file request refused because
// the dossier is not the caller's to see (err dossier_not_found).
func (s *Service) refusedFiles(ctx context.Context, u *motcua.User, err error, detail, ip string) {
	if motcua.ErrorReason(err) == "dossier_not_found" {
		code := detail[strings.LastIndexByte(detail, ' ')+1:]
		s.auditRefused(ctx, u, s.refusedDossier(ctx, code), detail, ip)
	}
}

// uploaders fills v.Uploaders with the names of the people who uploaded
// v.Files.
func (s *Service) uploaders(ctx context.Context, tx motcua.Tx, v *DossierView) error {
	for _, f := range v.Files {
		if _, ok := v.Uploaders[f.UploadedBy]; ok {
			continue
		}
		u, err := tx.User(ctx, f.UploadedBy)
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			v.Uploaders[f.UploadedBy] = "Không rõ"
			continue
		} else if err != nil {
			return err
		}
		v.Uploaders[f.UploadedBy] = u.FullName
	}
	return nil
}
