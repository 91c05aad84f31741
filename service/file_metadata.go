package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// AuditFileMetadata is the access-log action of an officer confirming a
// file's metadata.
const AuditFileMetadata = "file_metadata_confirmed"

// MetadataInput is the Art.19(2) metadata of a file as an officer typed
// or corrected it: dates as dd/mm/yyyy (Vietnam), "" for none.
type MetadataInput struct {
	DocType      string `json:"doc_type"`
	NumberSymbol string `json:"number_symbol"`
	IssuedOn     string `json:"issued_on"`
	Issuer       string `json:"issuer"`
	Signer       string `json:"signer"`
	ValidUntil   string `json:"valid_until"`
	Summary      string `json:"summary"`
}

// Field limits of the metadata, in characters: the field lengths of a
// provincial system's digitized-document record (integrations.md §5).
const (
	maxDocType      = 200
	maxNumberSymbol = 100
	maxIssuer       = 300
	maxSigner       = 100
	maxSummary      = 2000
)

// ParseMetadata checks in: the document type, date and issuer are
// required, each field is one line (the summary may have several) within
// its limit, in NFC (Vietnamese letters precomposed: no combining mark),
// dates are dd/mm/yyyy and the validity is not before the date. Every
// fault is reported at once, by form field, in Vietnamese (EINVALID).
func ParseMetadata(in MetadataInput) (motcua.DocumentMetadata, error) {
	var m motcua.DocumentMetadata
	bad := map[string]string{}
	line := func(field, label, v string, max int, required bool) string {
		s, ok := motcua.CleanLine(v, max)
		switch {
		case !ok && utf8.RuneCountInString(s) > max:
			bad[field] = fmt.Sprintf("%s dài quá %d ký tự.", label, max)
		case !ok:
			bad[field] = label + " có ký tự không hợp lệ."
		case !nfc(s):
			bad[field] = label + " phải viết bằng Unicode dựng sẵn (NFC), không dùng dấu tổ hợp."
		case required && s == "":
			bad[field] = "Vui lòng nhập " + strings.ToLower(label[:1]) + label[1:] + "."
		}
		return s
	}
	m.DocType = line("doc_type", "Loại giấy tờ", in.DocType, maxDocType, true)
	m.NumberSymbol = line("number_symbol", "Số, ký hiệu", in.NumberSymbol, maxNumberSymbol, false)
	m.Issuer = line("issuer", "Cơ quan ban hành", in.Issuer, maxIssuer, true)
	m.Signer = line("signer", "Người ký", in.Signer, maxSigner, false)
	summary, ok := motcua.CleanText(in.Summary, maxSummary)
	switch {
	case !ok && utf8.RuneCountInString(summary) > maxSummary:
		bad["summary"] = fmt.Sprintf("Trích yếu dài quá %d ký tự.", maxSummary)
	case !ok:
		bad["summary"] = "Trích yếu có ký tự không hợp lệ."
	case !nfc(summary):
		bad["summary"] = "Trích yếu phải viết bằng Unicode dựng sẵn (NFC), không dùng dấu tổ hợp."
	}
	m.Summary = summary
	var err error
	if m.IssuedOn, err = dmy(in.IssuedOn); err != nil || m.IssuedOn.IsZero() {
		bad["issued_on"] = "Ngày ban hành phải có dạng ngày/tháng/năm, ví dụ 05/03/2026."
	}
	if m.ValidUntil, err = dmy(in.ValidUntil); err != nil {
		bad["valid_until"] = "Thời hạn hiệu lực phải có dạng ngày/tháng/năm, ví dụ 31/12/2030, hoặc để trống nếu không thời hạn."
	} else if !m.ValidUntil.IsZero() && !m.IssuedOn.IsZero() && m.ValidUntil.Before(m.IssuedOn) {
		bad["valid_until"] = "Thời hạn hiệu lực không được trước ngày ban hành."
	}
	if len(bad) > 0 {
		return motcua.DocumentMetadata{}, &motcua.Error{Code: motcua.EINVALID, Reason: "bad_metadata",
			Message: "Thông tin văn bản chưa hợp lệ; vui lòng sửa các trường được đánh dấu.", Fields: bad}
	}
	return m, nil
}

// nfc reports whether s has no combining mark: Vietnamese in NFC has
// every letter precomposed, so a combining mark is decomposed input
// (NFD), which would neither print nor search as the same text.
func nfc(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			return false
		}
	}
	return true
}

// dmy parses a day written dd/mm/yyyy (one-digit day and month allowed)
// as midnight, Vietnam time; "" is the zero time.
func dmy(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2/1/2006", s, motcua.VietnamTime)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, motcua.Errorf(motcua.EINVALID, "bad_date", "Ngày phải có dạng ngày/tháng/năm.")
	}
	return t, nil
}

// mayConfirmMetadata reports whether u handles dossier d (a handling role
// at an agency it has been at): only they confirm what a scan says.
// Supervisors read it; they do not record it.
func (s *Service) mayConfirmMetadata(u *motcua.User, d *motcua.Dossier, events []motcua.Event, byID map[int64]*motcua.Agency) bool {
	return s.access(u, d, events, byID) == handling
}

// ConfirmMetadata records the Art.19(2) metadata of file id of the dossier
// with code as the officer confirmed it (in, checked by ParseMetadata),
// with who confirmed it and when; a later confirmation replaces it. Only
// an officer who handles the dossier may; the confirmation is in the
// audit log. Nothing is recorded from a proposal without this call.
// Errors: EUNAUTHORIZED, ENOTFOUND (no such dossier or file, or not
// visible), EFORBIDDEN (a supervisor, or documents off), EINVALID (with
// fields).
func (s *Service) ConfirmMetadata(ctx context.Context, code string, id int64, in MetadataInput, ip string) (*motcua.ConfirmedMetadata, error) {
	u, err := s.documentsActor(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out *motcua.ConfirmedMetadata
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		d, err := tx.DossierByCode(ctx, code)
		if err != nil {
			return err
		}
		events, err := tx.Events(ctx, d.ID)
		if err != nil {
			return err
		}
		switch s.access(u, d, events, byID) {
		case noAccess:
			return motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Không tìm thấy hồ sơ có mã %s.", code)
		case supervising:
			return motcua.Errorf(motcua.EFORBIDDEN, "not_handling", "Chỉ cán bộ xử lý hồ sơ được xác nhận thông tin văn bản.")
		}
		f, err := tx.DossierFile(ctx, d.ID, id)
		if err != nil {
			return err
		}
		// Checked once the caller may act: a stranger learns nothing of
		// the dossier from the form's errors.
		md, err := ParseMetadata(in)
		if err != nil {
			return err
		}
		out = &motcua.ConfirmedMetadata{FileID: f.ID, DossierID: d.ID, DocumentMetadata: md, ConfirmedBy: u.ID, ConfirmedAt: s.now()}
		if err := tx.SaveFileMetadata(ctx, out); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: out.ConfirmedAt, UserID: u.ID, Action: AuditFileMetadata,
			DossierID: d.ID, Detail: fmt.Sprintf("metadata of file %d (%s) of dossier %s confirmed: %s %s", f.ID, f.Name, code, md.DocType, md.NumberSymbol), IP: ip})
	})
	if err != nil {
		s.refusedFiles(ctx, u, err, fmt.Sprintf("metadata of file %d of dossier %s", id, code), ip)
		return nil, err
	}
	return out, nil
}

// FilesMetadata returns the confirmed metadata of the files of the
// dossier with code, by file id, to anyone who may see the dossier (as
// DossierFiles); metadata may name the applicant, so a non-empty answer is
// written to the access log. Errors: EUNAUTHORIZED, ENOTFOUND.
func (s *Service) FilesMetadata(ctx context.Context, code, ip string) (map[int64]*motcua.ConfirmedMetadata, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out map[int64]*motcua.ConfirmedMetadata
	var dossierID int64
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		d, _, err := s.fileDossier(ctx, tx, u, code, byID, false)
		if err != nil {
			return err
		}
		dossierID = d.ID
		out, err = tx.FileMetadata(ctx, d.ID)
		return err
	})
	if err != nil || len(out) == 0 {
		return out, err
	}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditViewPersonalData, DossierID: dossierID,
			Detail: fmt.Sprintf("metadata of the files of dossier %s", code), IP: ip})
	}); err != nil {
		return nil, fmt.Errorf("audit metadata view: %w", err)
	}
	return out, nil
}
